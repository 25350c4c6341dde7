"""Reading one task and changing tasks: ownership, create, replace, patch, toggle, delete."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

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
    TaskTag,
    User,
)
from todo_app.services import tasks

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)

# Every function that takes one task id, called with the owner and the id.
ONE_TASK_CALLS: dict[str, Callable[[Session, int, int], Any]] = {
    "get": lambda s, owner, tid: tasks.get_task(s, owner_id=owner, task_id=tid),
    "replace": lambda s, owner, tid: tasks.replace_task(
        s, owner_id=owner, task_id=tid, data=TaskCreate(title="x")
    ),
    "update": lambda s, owner, tid: tasks.update_task(
        s, owner_id=owner, task_id=tid, data=TaskPatch(title="x")
    ),
    "toggle": lambda s, owner, tid: tasks.toggle_task(s, owner_id=owner, task_id=tid),
    "delete": lambda s, owner, tid: tasks.delete_task(s, owner_id=owner, task_id=tid),
}


def _fresh(session: Session, task_id: int) -> Task:
    session.expire_all()
    task = session.get(Task, task_id)
    assert task is not None
    return task


@pytest.mark.parametrize("call", ONE_TASK_CALLS.values(), ids=ONE_TASK_CALLS.keys())
def test_task_of_another_user_raises_not_found(
    session: Session, call: Callable[[Session, int, int], Any]
) -> None:
    owner, intruder = make_user(session), make_user(session)
    task = make_task(session, owner)
    with pytest.raises(NotFound):
        call(session, intruder.id, task.id)


@pytest.mark.parametrize("call", ONE_TASK_CALLS.values(), ids=ONE_TASK_CALLS.keys())
def test_task_of_another_user_is_left_unchanged(
    session: Session, call: Callable[[Session, int, int], Any]
) -> None:
    owner, intruder = make_user(session), make_user(session)
    task = make_task(session, owner, title="Original")
    with pytest.raises(NotFound):
        call(session, intruder.id, task.id)
    session.rollback()
    stored = _fresh(session, task.id)
    assert (stored.title, stored.completed) == ("Original", False)


@pytest.mark.parametrize("call", ONE_TASK_CALLS.values(), ids=ONE_TASK_CALLS.keys())
def test_missing_and_foreign_task_give_the_same_message(
    session: Session, call: Callable[[Session, int, int], Any]
) -> None:
    owner, intruder = make_user(session), make_user(session)
    task = make_task(session, owner)
    with pytest.raises(NotFound) as foreign:
        call(session, intruder.id, task.id)
    with pytest.raises(NotFound) as missing:
        call(session, intruder.id, task.id + 1000)
    assert str(foreign.value) == str(missing.value)


@pytest.mark.parametrize("task_id", [2**63, 2**31, -1, 0, 2**64 + 1])
@pytest.mark.parametrize("call", ONE_TASK_CALLS.values(), ids=ONE_TASK_CALLS.keys())
def test_out_of_range_task_id_raises_not_found(
    session: Session, call: Callable[[Session, int, int], Any], task_id: int
) -> None:
    owner = make_user(session)
    make_task(session, owner)
    with pytest.raises(NotFound):
        call(session, owner.id, task_id)


def test_get_task_returns_the_owners_task(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner, title="Mine")
    assert tasks.get_task(session, owner_id=owner.id, task_id=task.id).title == "Mine"


def test_create_task_stores_every_field(session: Session) -> None:
    owner = make_user(session)
    task = make_task(
        session,
        owner,
        title=" Report ",
        description="Quarterly",
        due_date=date(2030, 7, 1),
        priority="high",
        tags=["Work", "urgent"],
        recurrence="monthly",
    )
    stored = _fresh(session, task.id)
    assert (
        stored.user_id,
        stored.title,
        stored.description,
        stored.due_date,
        stored.priority,
        stored.tags,
        stored.recurrence,
        stored.completed,
        stored.completed_at,
    ) == (
        owner.id,
        "Report",
        "Quarterly",
        date(2030, 7, 1),
        "high",
        ["urgent", "work"],
        "monthly",
        False,
        None,
    )


def test_create_task_defaults(session: Session) -> None:
    owner = make_user(session)
    stored = _fresh(session, make_task(session, owner, title="Plain").id)
    assert (
        stored.description,
        stored.due_date,
        stored.priority,
        stored.tags,
        stored.recurrence,
    ) == ("", None, "none", [], "none")


def test_create_task_stores_non_latin_and_emoji_text(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner, title="Купить молоко 🥛", tags=["日本語"])
    stored = _fresh(session, task.id)
    assert (stored.title, stored.tags) == ("Купить молоко 🥛", ["日本語"])


def _full_task(session: Session) -> Task:
    owner = make_user(session)
    return make_task(
        session,
        owner,
        title="Full",
        description="Details",
        due_date=date(2030, 7, 1),
        priority="high",
        tags=["home"],
        recurrence="weekly",
    )


def test_replace_task_resets_omitted_fields_to_defaults(session: Session) -> None:
    task = _full_task(session)
    tasks.replace_task(
        session, owner_id=task.user_id, task_id=task.id, data=TaskCreate(title="New")
    )
    session.commit()
    stored = _fresh(session, task.id)
    assert (
        stored.title,
        stored.description,
        stored.due_date,
        stored.priority,
        stored.tags,
        stored.recurrence,
    ) == ("New", "", None, "none", [], "none")


def test_replace_task_keeps_completion(session: Session) -> None:
    task = _full_task(session)
    tasks.toggle_task(session, owner_id=task.user_id, task_id=task.id)
    tasks.replace_task(
        session, owner_id=task.user_id, task_id=task.id, data=TaskCreate(title="New")
    )
    session.commit()
    assert _fresh(session, task.id).completed is True


def test_replace_task_sets_new_tags(session: Session) -> None:
    task = _full_task(session)
    tasks.replace_task(
        session,
        owner_id=task.user_id,
        task_id=task.id,
        data=TaskCreate(title="New", tags=["home", "garden"]),
    )
    session.commit()
    assert _fresh(session, task.id).tags == ["garden", "home"]


def test_update_task_changes_only_sent_fields(session: Session) -> None:
    task = _full_task(session)
    tasks.update_task(
        session, owner_id=task.user_id, task_id=task.id, data=TaskPatch(title="New")
    )
    session.commit()
    stored = _fresh(session, task.id)
    assert (
        stored.title,
        stored.description,
        stored.due_date,
        stored.priority,
        stored.tags,
        stored.recurrence,
    ) == ("New", "Details", date(2030, 7, 1), "high", ["home"], "weekly")


def test_update_task_empty_patch_changes_nothing(session: Session) -> None:
    task = _full_task(session)
    tasks.update_task(session, owner_id=task.user_id, task_id=task.id, data=TaskPatch())
    session.commit()
    stored = _fresh(session, task.id)
    assert (stored.title, stored.priority, stored.tags) == ("Full", "high", ["home"])


def test_update_task_null_due_date_clears_it(session: Session) -> None:
    task = make_task(session, make_user(session), due_date=date(2030, 7, 1))
    tasks.update_task(
        session,
        owner_id=task.user_id,
        task_id=task.id,
        data=TaskPatch(due_date=None),
    )
    session.commit()
    assert _fresh(session, task.id).due_date is None


def test_update_task_null_description_clears_it(session: Session) -> None:
    task = _full_task(session)
    tasks.update_task(
        session,
        owner_id=task.user_id,
        task_id=task.id,
        data=TaskPatch(description=None),
    )
    session.commit()
    assert _fresh(session, task.id).description == ""


def test_update_task_replaces_tags(session: Session) -> None:
    task = _full_task(session)
    tasks.update_task(
        session,
        owner_id=task.user_id,
        task_id=task.id,
        data=TaskPatch(tags=["Garden", "work"]),
    )
    session.commit()
    assert _fresh(session, task.id).tags == ["garden", "work"]


def test_update_task_returns_tags_in_the_order_they_read_back(
    session: Session,
) -> None:
    owner = make_user(session)
    task = make_task(session, owner, tags=["m"])
    updated = tasks.update_task(
        session,
        owner_id=owner.id,
        task_id=task.id,
        data=TaskPatch(tags=["z", "a", "m"]),
    )
    assert updated.tags == ["a", "m", "z"]


def test_update_task_empty_tags_removes_the_tag_rows(session: Session) -> None:
    task = _full_task(session)
    tasks.update_task(
        session, owner_id=task.user_id, task_id=task.id, data=TaskPatch(tags=[])
    )
    session.commit()
    session.expire_all()
    rows = session.exec(select(TaskTag).where(TaskTag.task_id == task.id)).all()
    assert rows == []


@pytest.mark.parametrize("field", ["title", "priority", "recurrence", "completed"])
def test_update_task_null_for_required_field_raises_invalid_input(
    session: Session, field: str
) -> None:
    task = _full_task(session)
    with pytest.raises(InvalidInput) as error:
        tasks.update_task(
            session,
            owner_id=task.user_id,
            task_id=task.id,
            data=TaskPatch(**{field: None}),
        )
    assert error.value.field == field


def test_update_task_completed_true_completes(session: Session) -> None:
    task = _full_task(session)
    tasks.update_task(
        session,
        owner_id=task.user_id,
        task_id=task.id,
        data=TaskPatch(completed=True),
        now=NOW,
    )
    session.commit()
    stored = _fresh(session, task.id)
    assert (stored.completed, stored.completed_at) == (True, NOW)


def test_update_task_completed_false_reopens(session: Session) -> None:
    task = _full_task(session)
    tasks.toggle_task(session, owner_id=task.user_id, task_id=task.id)
    tasks.update_task(
        session,
        owner_id=task.user_id,
        task_id=task.id,
        data=TaskPatch(completed=False),
    )
    session.commit()
    stored = _fresh(session, task.id)
    assert (stored.completed, stored.completed_at) == (False, None)


def test_update_task_completed_true_twice_keeps_the_first_completed_at(
    session: Session,
) -> None:
    task = _full_task(session)
    for now in (NOW, NOW + timedelta(hours=1)):
        tasks.update_task(
            session,
            owner_id=task.user_id,
            task_id=task.id,
            data=TaskPatch(completed=True),
            now=now,
        )
    session.commit()
    assert _fresh(session, task.id).completed_at == NOW


def test_toggle_task_completes_a_pending_task(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner)
    tasks.toggle_task(session, owner_id=owner.id, task_id=task.id, now=NOW)
    session.commit()
    stored = _fresh(session, task.id)
    assert (stored.completed, stored.completed_at) == (True, NOW)


def test_toggle_task_reopens_a_completed_task(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner)
    tasks.toggle_task(session, owner_id=owner.id, task_id=task.id)
    tasks.toggle_task(session, owner_id=owner.id, task_id=task.id)
    session.commit()
    stored = _fresh(session, task.id)
    assert (stored.completed, stored.completed_at) == (False, None)


def test_delete_task_moves_the_task_to_the_trash(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner)
    tasks.delete_task(session, owner_id=owner.id, task_id=task.id, now=NOW)
    session.commit()
    with pytest.raises(NotFound):
        tasks.get_task(session, owner_id=owner.id, task_id=task.id)
    assert _fresh(session, task.id).deleted_at == NOW


def test_delete_task_hides_its_tags(session: Session) -> None:
    owner = make_user(session)
    task = make_task(session, owner, tags=["solo"])
    make_task(session, owner, tags=["kept"])
    tasks.delete_task(session, owner_id=owner.id, task_id=task.id)
    session.commit()
    assert tasks.list_tags(session, owner_id=owner.id) == ["kept"]


def test_set_all_completed_true_completes_only_the_owners_tasks(
    session: Session,
) -> None:
    owner, other = make_user(session), make_user(session)
    make_task(session, owner)
    make_task(session, owner)
    theirs = make_task(session, other)
    result = tasks.set_all_completed(session, owner_id=owner.id, completed=True)
    session.commit()
    assert result.changed == 2
    assert tasks.count_tasks(session, owner_id=owner.id).completed == 2
    assert _fresh(session, theirs.id).completed is False


def test_set_all_completed_counts_only_tasks_that_changed(session: Session) -> None:
    owner = make_user(session)
    done = make_task(session, owner)
    make_task(session, owner)
    tasks.toggle_task(session, owner_id=owner.id, task_id=done.id)
    result = tasks.set_all_completed(session, owner_id=owner.id, completed=True)
    assert result.changed == 1


def test_set_all_completed_false_reopens_every_task(session: Session) -> None:
    owner = make_user(session)
    for _ in range(3):
        task = make_task(session, owner)
        tasks.toggle_task(session, owner_id=owner.id, task_id=task.id)
    session.commit()
    result = tasks.set_all_completed(session, owner_id=owner.id, completed=False)
    session.commit()
    counts = tasks.count_tasks(session, owner_id=owner.id)
    assert (result.changed, counts.pending, counts.completed) == (3, 3, 0)


def test_clear_completed_deletes_only_completed_tasks(session: Session) -> None:
    owner = make_user(session)
    kept = make_task(session, owner, title="Open")
    done = make_task(session, owner, title="Done")
    tasks.toggle_task(session, owner_id=owner.id, task_id=done.id)
    removed = tasks.clear_completed(session, owner_id=owner.id)
    session.commit()
    page = tasks.list_tasks(session, owner_id=owner.id)
    assert (removed, [item.id for item in page.items]) == (1, [kept.id])


def test_clear_completed_hides_their_tags(session: Session) -> None:
    owner = make_user(session)
    make_task(session, owner, tags=["open"])
    done = make_task(session, owner, tags=["done"])
    tasks.toggle_task(session, owner_id=owner.id, task_id=done.id)
    tasks.clear_completed(session, owner_id=owner.id)
    session.commit()
    assert tasks.list_tags(session, owner_id=owner.id) == ["open"]


def test_clear_completed_leaves_other_users_tasks(session: Session) -> None:
    owner, other = make_user(session), make_user(session)
    theirs = make_task(session, other)
    tasks.toggle_task(session, owner_id=other.id, task_id=theirs.id)
    session.commit()
    removed = tasks.clear_completed(session, owner_id=owner.id)
    session.commit()
    assert removed == 0
    assert _fresh(session, theirs.id).completed is True


# --- quotas ------------------------------------------------------------------------------------


def _open_tasks(session: Session, owner: User, count: int) -> None:
    session.execute(
        sa.insert(Task),
        [
            {
                "user_id": owner.id,
                "title": f"Bulk {n}",
                "created_at": NOW,
                "updated_at": NOW,
            }
            for n in range(count)
        ],
    )
    session.commit()


def test_create_task_beyond_the_open_task_quota_raises_invalid_input(
    session: Session,
) -> None:
    user = make_user(session)
    _open_tasks(session, user, OPEN_TASKS_MAX)
    with pytest.raises(InvalidInput, match="at most|the most"):
        tasks.create_task(session, owner_id=user.id, data=TaskCreate(title="One more"))


def test_open_task_quota_counts_only_open_tasks_of_the_owner(
    session: Session,
) -> None:
    user = make_user(session)
    other = make_user(session)
    _open_tasks(session, other, OPEN_TASKS_MAX)
    task = tasks.create_task(session, owner_id=user.id, data=TaskCreate(title="Mine"))
    assert task.id is not None


def test_reopening_a_task_beyond_the_open_task_quota_raises(
    session: Session,
) -> None:
    user = make_user(session)
    done = make_task(session, user)
    tasks.toggle_task(session, owner_id=user.id, task_id=done.id)
    _open_tasks(session, user, OPEN_TASKS_MAX)
    with pytest.raises(InvalidInput):
        tasks.toggle_task(session, owner_id=user.id, task_id=done.id)


def test_a_tag_beyond_the_distinct_tag_quota_raises_invalid_input(
    session: Session,
) -> None:
    user = make_user(session)
    for start in range(0, TAGS_PER_USER_MAX, TAGS_PER_TASK_MAX):
        make_task(
            session,
            user,
            tags=[f"t{n}" for n in range(start, start + TAGS_PER_TASK_MAX)],
        )
    with pytest.raises(InvalidInput) as error:
        make_task(session, user, tags=["brand-new"])
    assert error.value.field == "tags"
    reused = make_task(session, user, tags=["t1", "t2"])
    assert reused.tags == ["t1", "t2"]


# --- how many statements the commonest writes cost (issue #16) ----------------------------------


def _statements_during(session: Session, write: Callable[[], Any]) -> list[str]:
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper()
        if verb != "BEGIN":  # SQLite's own, sent when a transaction starts
            seen.append(verb)

    engine = session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        write()
        session.flush()
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)
    return seen


def test_create_reads_quota_and_place_in_one_statement(session: Session) -> None:
    user = make_user(session)
    make_task(session, user, title="first", tags=["home"])
    statements = _statements_during(
        session,
        lambda: tasks.create_task(
            session, owner_id=user.id, data=TaskCreate(title="x", tags=["home"])
        ),
    )
    # quota + end position, the tag quota, the task, its tag
    assert statements == ["SELECT", "SELECT", "INSERT", "INSERT"]


@pytest.mark.parametrize("completed", [True, False])
def test_toggle_writes_the_task_once(session: Session, completed: bool) -> None:
    user = make_user(session)
    task = make_task(session, user, title="t")
    if not completed:
        tasks.toggle_task(session, owner_id=user.id, task_id=task.id)
    session.commit()
    statements = _statements_during(
        session,
        lambda: tasks.toggle_task(session, owner_id=user.id, task_id=task.id),
    )
    assert statements.count("UPDATE") == 1
    assert task.completed is completed
