"""The trash: a deleted task is hidden from every query until it is restored or removed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from tests.builders import make_task, make_user
from todo_app.errors import InvalidInput, NotFound
from todo_app.models import (
    OPEN_TASKS_MAX,
    TAGS_PER_TASK_MAX,
    TAGS_PER_USER_MAX,
    Task,
    TaskCreate,
    TaskPatch,
    TaskQuery,
    TaskTag,
    TrashQuery,
    User,
)
from todo_app.services import accounts, changes, tasks

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)


def _trash(session: Session, task: Task, *, now: datetime = NOW) -> None:
    tasks.delete_task(session, owner_id=task.user_id, task_id=task.id, now=now)
    session.commit()


def _complete(session: Session, task: Task) -> None:
    tasks.toggle_task(session, owner_id=task.user_id, task_id=task.id, now=NOW)
    session.commit()


def _listed(session: Session, owner: User, **query: object) -> list[int | None]:
    page = tasks.list_tasks(session, owner_id=owner.id, query=TaskQuery(**query))
    return [item.id for item in page.items]


def _row(session: Session, task_id: int | None) -> Task | None:
    session.expire_all()
    return session.get(Task, task_id)


def _tag_rows(session: Session, task_id: int | None) -> list[str]:
    return list(session.exec(select(TaskTag.tag).where(TaskTag.task_id == task_id)))


@pytest.fixture
def announced() -> Iterator[list[frozenset[int]]]:
    """Every change announced during the test."""
    heard: list[frozenset[int]] = []
    remove = changes.add_listener(heard.append)
    yield heard
    remove()


# --- a trashed task is gone from every query ---------------------------------------------------


def test_delete_task_leaves_the_list_and_its_total(session: Session) -> None:
    owner = make_user(session)
    kept = make_task(session, owner)
    _trash(session, make_task(session, owner))
    page = tasks.list_tasks(session, owner_id=owner.id)
    assert ([item.id for item in page.items], page.total) == ([kept.id], 1)


def test_delete_task_leaves_search_and_every_filter(session: Session) -> None:
    owner = make_user(session)
    gone = make_task(
        session,
        owner,
        title="Buy milk",
        priority="high",
        tags=["home"],
        due_date=date(2030, 6, 10),
    )
    _trash(session, gone)
    for query in (
        {"q": "milk"},
        {"priority": "high"},
        {"tag": "home"},
        {"due_before": date(2030, 7, 1)},
        {"status": "pending"},
    ):
        assert _listed(session, owner, **query) == [], query


def test_get_task_of_a_trashed_task_raises_not_found(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner)
    _trash(session, task)
    with pytest.raises(NotFound):
        tasks.get_task(session, owner_id=owner.id, task_id=task.id)


def test_update_and_replace_of_a_trashed_task_raise_not_found(
    session: Session,
) -> None:
    owner = make_user(session)
    task = make_task(session, owner, title="Before")
    _trash(session, task)
    with pytest.raises(NotFound):
        tasks.update_task(
            session, owner_id=owner.id, task_id=task.id, data=TaskPatch(title="X")
        )
    with pytest.raises(NotFound):
        tasks.replace_task(
            session, owner_id=owner.id, task_id=task.id, data=TaskCreate(title="X")
        )
    session.rollback()
    assert _row(session, task.id).title == "Before"


def test_toggle_of_a_trashed_task_raises_not_found(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner)
    _trash(session, task)
    with pytest.raises(NotFound):
        tasks.toggle_task(session, owner_id=owner.id, task_id=task.id)


def test_delete_task_twice_raises_not_found(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner)
    _trash(session, task)
    with pytest.raises(NotFound):
        tasks.delete_task(session, owner_id=owner.id, task_id=task.id)


def test_delete_task_of_another_user_raises_not_found_and_trashes_nothing(
    session: Session,
) -> None:
    owner, other = make_user(session), make_user(session)
    theirs = make_task(session, other)
    with pytest.raises(NotFound):
        tasks.delete_task(session, owner_id=owner.id, task_id=theirs.id)
    session.rollback()
    assert _row(session, theirs.id).deleted_at is None


def test_set_all_completed_leaves_trashed_tasks_alone(session: Session) -> None:
    owner = make_user(session)
    gone = make_task(session, owner)
    make_task(session, owner)
    _trash(session, gone)
    result = tasks.set_all_completed(session, owner_id=owner.id, completed=True)
    session.commit()
    assert (result.changed, _row(session, gone.id).completed) == (1, False)


def test_clear_completed_moves_tasks_to_the_trash_not_counting_trashed_ones(
    session: Session,
) -> None:
    owner = make_user(session)
    done, earlier = make_task(session, owner), make_task(session, owner)
    _complete(session, done)
    _complete(session, earlier)
    _trash(session, earlier, now=NOW - timedelta(hours=1))
    removed = tasks.clear_completed(session, owner_id=owner.id, now=NOW)
    session.commit()
    trash = tasks.list_trash(session, owner_id=owner.id)
    assert removed == 1
    assert [(item.id, item.deleted_at) for item in trash.items] == [
        (done.id, NOW),
        (earlier.id, NOW - timedelta(hours=1)),
    ]


def test_list_tags_leaves_out_tags_only_trashed_tasks_hold(session: Session) -> None:
    owner = make_user(session)
    make_task(session, owner, tags=["home"])
    _trash(session, make_task(session, owner, tags=["home", "gone"]))
    assert tasks.list_tags(session, owner_id=owner.id) == ["home"]
    assert tasks.list_tags(session, owner_id=owner.id, limit=1) == ["home"]


def test_count_tasks_and_count_matching_leave_out_trashed_tasks(
    session: Session,
) -> None:
    owner = make_user(session)
    make_task(session, owner, tags=["home"])
    done = make_task(session, owner, tags=["home"])
    _complete(session, done)
    _trash(session, done)
    _trash(session, make_task(session, owner, tags=["home"]))
    counts = tasks.count_tasks(session, owner_id=owner.id)
    matching = tasks.count_matching(
        session, owner_id=owner.id, query=TaskQuery(tag="home")
    )
    assert (counts.pending, counts.completed) == (1, 0)
    assert (matching.pending, matching.completed) == (1, 0)


# --- quotas ------------------------------------------------------------------------------------


def _bulk_tasks(
    session: Session, owner: User, count: int, *, deleted_at: datetime | None = None
) -> None:
    session.execute(
        sa.insert(Task),
        [
            {
                "user_id": owner.id,
                "title": f"Bulk {n}",
                "created_at": NOW,
                "updated_at": NOW,
                "deleted_at": deleted_at,
            }
            for n in range(count)
        ],
    )
    session.commit()


def test_trashed_open_tasks_do_not_count_towards_the_open_task_quota(
    session: Session,
) -> None:
    owner = make_user(session)
    _bulk_tasks(session, owner, OPEN_TASKS_MAX, deleted_at=NOW)
    task = tasks.create_task(session, owner_id=owner.id, data=TaskCreate(title="New"))
    assert task.id is not None


def test_restore_task_beyond_the_open_task_quota_raises_invalid_input(
    session: Session,
) -> None:
    owner = make_user(session)
    task = make_task(session, owner)
    _trash(session, task)
    _bulk_tasks(session, owner, OPEN_TASKS_MAX)
    with pytest.raises(InvalidInput):
        tasks.restore_task(session, owner_id=owner.id, task_id=task.id)


def test_restore_task_of_a_completed_task_at_the_open_task_quota_works(
    session: Session,
) -> None:
    owner = make_user(session)
    task = make_task(session, owner)
    _complete(session, task)
    _trash(session, task)
    _bulk_tasks(session, owner, OPEN_TASKS_MAX)
    restored = tasks.restore_task(session, owner_id=owner.id, task_id=task.id)
    assert restored.deleted_at is None


def _tasks_holding_every_tag(session: Session, owner: User) -> list[Task]:
    return [
        make_task(
            session,
            owner,
            tags=[f"t{n}" for n in range(start, start + TAGS_PER_TASK_MAX)],
        )
        for start in range(0, TAGS_PER_USER_MAX, TAGS_PER_TASK_MAX)
    ]


def test_tags_of_trashed_tasks_still_count_towards_the_tag_quota(
    session: Session,
) -> None:
    owner = make_user(session)
    first, *_ = _tasks_holding_every_tag(session, owner)
    _trash(session, first)
    with pytest.raises(InvalidInput) as error:
        make_task(session, owner, tags=["brand-new"])
    assert error.value.field == "tags"


def test_restore_task_at_the_tag_quota_brings_its_tags_back(session: Session) -> None:
    owner = make_user(session)
    first, *_ = _tasks_holding_every_tag(session, owner)
    _trash(session, first)
    restored = tasks.restore_task(session, owner_id=owner.id, task_id=first.id)
    assert restored.tags == sorted(first.tags)


# --- the trash: list, restore, delete forever --------------------------------------------------


def test_list_trash_lists_trashed_tasks_newest_first_with_when(
    session: Session,
) -> None:
    owner = make_user(session)
    older, newer = make_task(session, owner), make_task(session, owner, tags=["a"])
    make_task(session, owner)
    _trash(session, newer, now=NOW)
    _trash(session, older, now=NOW - timedelta(days=1))
    page = tasks.list_trash(session, owner_id=owner.id)
    assert page.total == 2
    assert [(item.id, item.deleted_at, item.tags) for item in page.items] == [
        (newer.id, NOW, ["a"]),
        (older.id, NOW - timedelta(days=1), []),
    ]


def test_list_trash_pages_and_still_counts_every_task(session: Session) -> None:
    owner = make_user(session)
    made = [make_task(session, owner) for _ in range(3)]
    for offset, task in enumerate(made):
        _trash(session, task, now=NOW + timedelta(minutes=offset))
    page = tasks.list_trash(
        session, owner_id=owner.id, query=TrashQuery(limit=1, offset=1)
    )
    past_the_end = tasks.list_trash(
        session, owner_id=owner.id, query=TrashQuery(offset=10)
    )
    assert ([item.id for item in page.items], page.total) == ([made[1].id], 3)
    assert (past_the_end.items, past_the_end.total) == ([], 3)


def test_list_trash_shows_only_the_owners_trash(session: Session) -> None:
    owner, other = make_user(session), make_user(session)
    _trash(session, make_task(session, other))
    page = tasks.list_trash(session, owner_id=owner.id)
    assert (page.items, page.total) == ([], 0)


def test_restore_task_brings_it_back_with_its_fields_and_tags(
    session: Session,
) -> None:
    owner = make_user(session)
    task = make_task(
        session,
        owner,
        title="Pay rent",
        description="Bank",
        due_date=date(2030, 1, 31),
        due_time="09:00",
        priority="high",
        tags=["home", "money"],
        recurrence="monthly",
    )
    before = tasks.get_task(session, owner_id=owner.id, task_id=task.id)
    shown_before = _listed(session, owner)
    fields = {name: getattr(before, name) for name in TaskCreate.model_fields}
    _trash(session, task)
    tasks.restore_task(session, owner_id=owner.id, task_id=task.id)
    session.commit()
    after = _row(session, task.id)
    assert {name: getattr(after, name) for name in TaskCreate.model_fields} == fields
    assert (after.deleted_at, after.created_at) == (None, before.created_at)
    assert _listed(session, owner) == shown_before
    assert tasks.list_tags(session, owner_id=owner.id) == ["home", "money"]


def test_restore_task_of_a_task_not_in_the_trash_raises_not_found(
    session: Session,
) -> None:
    owner = make_user(session)
    task = make_task(session, owner)
    with pytest.raises(NotFound):
        tasks.restore_task(session, owner_id=owner.id, task_id=task.id)


def test_restore_task_of_another_users_trash_raises_not_found(
    session: Session,
) -> None:
    owner, other = make_user(session), make_user(session)
    theirs = make_task(session, other)
    _trash(session, theirs)
    with pytest.raises(NotFound):
        tasks.restore_task(session, owner_id=owner.id, task_id=theirs.id)
    session.rollback()
    assert _row(session, theirs.id).deleted_at == NOW


def test_delete_forever_removes_the_row_and_its_tags(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner, tags=["home"])
    _trash(session, task)
    tasks.delete_forever(session, owner_id=owner.id, task_id=task.id)
    session.commit()
    assert (_row(session, task.id), _tag_rows(session, task.id)) == (None, [])
    assert tasks.list_trash(session, owner_id=owner.id).total == 0


def test_delete_forever_of_a_task_not_in_the_trash_raises_not_found(
    session: Session,
) -> None:
    owner = make_user(session)
    task = make_task(session, owner)
    with pytest.raises(NotFound):
        tasks.delete_forever(session, owner_id=owner.id, task_id=task.id)
    session.rollback()
    assert _row(session, task.id) is not None


def test_delete_forever_of_another_users_trash_raises_not_found(
    session: Session,
) -> None:
    owner, other = make_user(session), make_user(session)
    theirs = make_task(session, other)
    _trash(session, theirs)
    with pytest.raises(NotFound):
        tasks.delete_forever(session, owner_id=owner.id, task_id=theirs.id)
    session.rollback()
    assert _row(session, theirs.id) is not None


def test_delete_account_removes_its_trash_too(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner, tags=["home"])
    _trash(session, task)
    accounts.delete_account(session, user_id=owner.id)
    session.commit()
    assert (_row(session, task.id), _tag_rows(session, task.id)) == (None, [])


# --- repeating tasks ---------------------------------------------------------------------------


def _repeating(session: Session, owner: User) -> Task:
    return make_task(
        session, owner, title="Rent", due_date=date(2030, 6, 1), recurrence="monthly"
    )


def test_completing_a_repeating_task_still_adds_its_next_occurrence(
    session: Session,
) -> None:
    owner = make_user(session)
    _trash(session, make_task(session, owner))
    task = _repeating(session, owner)
    _complete(session, task)
    page = tasks.list_tasks(
        session, owner_id=owner.id, query=TaskQuery(sort="due_date", order="asc")
    )
    assert [(item.title, item.due_date) for item in page.items] == [
        ("Rent", date(2030, 6, 1)),
        ("Rent", date(2030, 7, 1)),
    ]


def test_reopening_leaves_a_trashed_next_occurrence_in_the_trash(
    session: Session,
) -> None:
    owner = make_user(session)
    task = _repeating(session, owner)
    _complete(session, task)
    successor = next(
        item
        for item in tasks.list_tasks(session, owner_id=owner.id).items
        if item.id != task.id
    )
    _trash(session, _row(session, successor.id))
    _complete(session, task)  # reopens it
    trash = tasks.list_trash(session, owner_id=owner.id)
    assert [item.id for item in trash.items] == [successor.id]


# --- live sync ---------------------------------------------------------------------------------


def test_every_trash_change_announces_only_its_owner(
    session: Session, announced: list[frozenset[int]]
) -> None:
    owner, bystander = make_user(session), make_user(session)
    _trash(session, make_task(session, bystander))
    task, done = make_task(session, owner), make_task(session, owner)
    _complete(session, done)
    announced.clear()
    writes = [
        lambda: tasks.delete_task(session, owner_id=owner.id, task_id=task.id),
        lambda: tasks.restore_task(session, owner_id=owner.id, task_id=task.id),
        lambda: tasks.clear_completed(session, owner_id=owner.id),
        lambda: tasks.delete_forever(session, owner_id=owner.id, task_id=done.id),
    ]
    for write in writes:
        write()
        session.commit()
    assert announced == [frozenset({owner.id})] * len(writes)


# --- purge -------------------------------------------------------------------------------------


def test_purge_trash_removes_only_tasks_trashed_longer_ago_than_the_setting(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TODO_TRASH_DAYS", "7")
    owner = make_user(session)
    old = make_task(session, owner, tags=["old"])
    recent = make_task(session, owner, tags=["recent"])
    live = make_task(session, owner, tags=["live"])
    _trash(session, old, now=NOW - timedelta(days=7, seconds=1))
    _trash(session, recent, now=NOW - timedelta(days=7))
    purged = tasks.purge_trash(session, now=NOW)
    session.commit()
    assert purged == 1
    assert (_row(session, old.id), _tag_rows(session, old.id)) == (None, [])
    assert _tag_rows(session, recent.id) == ["recent"]
    assert [item.id for item in tasks.list_trash(session, owner_id=owner.id).items] == [
        recent.id
    ]
    assert _listed(session, owner) == [live.id]


def test_purge_trash_keeps_thirty_days_by_default(session: Session) -> None:
    owner = make_user(session)
    old, recent = make_task(session, owner), make_task(session, owner)
    _trash(session, old, now=NOW - timedelta(days=30, minutes=1))
    _trash(session, recent, now=NOW - timedelta(days=29))
    assert tasks.purge_trash(session, now=NOW) == 1
    session.commit()
    assert (_row(session, old.id), _row(session, recent.id) is not None) == (
        None,
        True,
    )


def test_purge_trash_covers_every_user_and_announces_each_owner(
    session: Session, announced: list[frozenset[int]]
) -> None:
    first, second, bystander = (
        make_user(session),
        make_user(session),
        make_user(session),
    )
    for owner in (first, second):
        _trash(session, make_task(session, owner), now=NOW - timedelta(days=31))
    _trash(session, make_task(session, bystander), now=NOW)
    announced.clear()
    assert tasks.purge_trash(session, now=NOW) == 2
    session.commit()
    assert announced == [frozenset({first.id, second.id})]


# --- empty the trash ---------------------------------------------------------------------------


def test_empty_trash_removes_only_the_owners_trashed_tasks_and_their_tags(
    session: Session,
) -> None:
    owner, other = make_user(session), make_user(session)
    trashed = [make_task(session, owner, tags=["old"]) for _ in range(2)]
    for task in trashed:
        _trash(session, task)
    live = make_task(session, owner, tags=["live"])
    theirs = make_task(session, other)
    _trash(session, theirs)
    assert tasks.empty_trash(session, owner_id=owner.id) == 2
    session.commit()
    for task in trashed:
        assert (_row(session, task.id), _tag_rows(session, task.id)) == (None, [])
    assert tasks.list_trash(session, owner_id=owner.id).total == 0
    assert _listed(session, owner) == [live.id]
    assert _tag_rows(session, live.id) == ["live"]
    assert [item.id for item in tasks.list_trash(session, owner_id=other.id).items] == [
        theirs.id
    ]


def test_empty_trash_announces_its_owner_only_when_something_went(
    session: Session, announced: list[frozenset[int]]
) -> None:
    owner = make_user(session)
    announced.clear()
    assert tasks.empty_trash(session, owner_id=owner.id) == 0
    session.commit()
    assert announced == []
    _trash(session, make_task(session, owner))
    announced.clear()
    assert tasks.empty_trash(session, owner_id=owner.id) == 1
    session.commit()
    assert announced == [frozenset({owner.id})]
