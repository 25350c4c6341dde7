"""Manual order: new tasks go last, a move puts a task right before another, and a move
writes one row however long the list (gaps of POSITION_STEP, renumbered only when used up)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from tests.builders import make_project, make_task, make_user
from todo_app.errors import NotFound
from todo_app.models import POSITION_STEP, Task, TaskQuery, User
from todo_app.services import tasks

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def owner(session: Session) -> User:
    return make_user(session)


def _order(session: Session, owner: User, **query: object) -> list[int]:
    page = tasks.list_tasks(
        session,
        owner_id=owner.id,
        query=TaskQuery(sort="manual", limit=500, **query),
    )
    return [item.id for item in page.items]


def _move(session: Session, owner: User, task_id: int, before_id: int | None) -> Task:
    moved = tasks.move_task(
        session, owner_id=owner.id, task_id=task_id, before_id=before_id
    )
    session.commit()
    return moved


@pytest.fixture
def updates(session: Session) -> Iterator[list[str]]:
    """Every UPDATE statement the test's engine runs (an executemany counts once)."""
    seen: list[str] = []
    engine = session.get_bind()

    def note(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith("UPDATE"):
            seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", note)
    yield seen
    sa.event.remove(engine, "before_cursor_execute", note)


def _bulk_tasks(session: Session, owner: User, positions: list[int]) -> list[int]:
    """Tasks at these positions, inserted in one statement (10,000 one by one is slow)."""
    session.execute(
        sa.insert(Task),
        [
            {
                "user_id": owner.id,
                "title": f"Task {index}",
                "description": "",
                "position": position,
                "created_at": NOW,
                "updated_at": NOW,
            }
            for index, position in enumerate(positions)
        ],
    )
    session.commit()
    return list(
        session.exec(
            sa.select(Task.id).where(Task.user_id == owner.id).order_by(Task.position)
        ).scalars()
    )


def test_new_tasks_go_to_the_end(session: Session, owner: User) -> None:
    ids = [make_task(session, owner).id for _ in range(3)]
    assert _order(session, owner) == ids
    assert _order(session, owner, order="desc") == ids[::-1]


def test_move_puts_a_task_right_before_another(session: Session, owner: User) -> None:
    a, b, c, d = (make_task(session, owner).id for _ in range(4))
    _move(session, owner, d, b)
    assert _order(session, owner) == [a, d, b, c]
    _move(session, owner, c, a)
    assert _order(session, owner) == [c, a, d, b]


def test_move_to_none_puts_a_task_last(session: Session, owner: User) -> None:
    a, b, c = (make_task(session, owner).id for _ in range(3))
    _move(session, owner, a, None)
    assert _order(session, owner) == [b, c, a]


def test_move_before_itself_changes_nothing(session: Session, owner: User) -> None:
    a, b = (make_task(session, owner).id for _ in range(2))
    _move(session, owner, b, b)
    assert _order(session, owner) == [a, b]


def test_move_keeps_the_version(session: Session, owner: User) -> None:
    a = make_task(session, owner)
    b = make_task(session, owner)
    assert _move(session, owner, b.id, a.id).version == b.version


def test_move_within_a_project_view_is_right_before_its_neighbour(
    session: Session, owner: User
) -> None:
    work = make_project(session, owner, name="Work")
    a = make_task(session, owner, project_id=work.id).id
    make_task(session, owner)  # an Inbox task between them in the whole list
    b = make_task(session, owner, project_id=work.id).id
    _move(session, owner, b, a)
    assert _order(session, owner, project_id=work.id) == [b, a]


def test_moving_another_users_task_or_before_it_is_not_found(
    session: Session, owner: User
) -> None:
    mine = make_task(session, owner).id
    theirs = make_task(session, make_user(session)).id
    with pytest.raises(NotFound):
        tasks.move_task(session, owner_id=owner.id, task_id=theirs, before_id=None)
    with pytest.raises(NotFound):
        tasks.move_task(session, owner_id=owner.id, task_id=mine, before_id=theirs)


def test_moving_before_a_task_in_the_trash_is_not_found(
    session: Session, owner: User
) -> None:
    mine = make_task(session, owner).id
    gone = make_task(session, owner).id
    tasks.delete_task(session, owner_id=owner.id, task_id=gone)
    session.commit()
    with pytest.raises(NotFound):
        tasks.move_task(session, owner_id=owner.id, task_id=mine, before_id=gone)


def test_a_move_among_10000_tasks_writes_one_row(
    session: Session, owner: User, updates: list[str]
) -> None:
    ids = _bulk_tasks(session, owner, [(i + 1) * POSITION_STEP for i in range(10_000)])
    _move(session, owner, ids[-1], ids[5_000])
    _move(session, owner, ids[10], ids[0])
    _move(session, owner, ids[20], None)
    assert len(updates) == 3
    order = _order(session, owner)  # the first page of 500
    assert order[:3] == [ids[10], ids[0], ids[1]]
    middle = tasks.list_tasks(
        session,
        owner_id=owner.id,
        query=TaskQuery(sort="manual", offset=4_998, limit=3),
    ).items
    assert [item.id for item in middle] == [ids[4_999], ids[-1], ids[5_000]]


def test_a_used_up_gap_renumbers_the_list_once(
    session: Session, owner: User, updates: list[str]
) -> None:
    ids = _bulk_tasks(session, owner, [1, 2, 3, 4])
    _move(session, owner, ids[3], ids[1])
    # The renumbering (one executemany) and the move itself.
    assert len(updates) == 2
    assert _order(session, owner) == [ids[0], ids[3], ids[1], ids[2]]
    positions = [
        item.position
        for item in tasks.list_tasks(
            session, owner_id=owner.id, query=TaskQuery(sort="manual")
        ).items
    ]
    assert all(b - a >= 2 for a, b in itertools.pairwise(positions))


def test_a_move_between_two_tasks_at_the_same_position_lands_between_them(
    session: Session, owner: User
) -> None:
    # Two tasks created at once may share a position; the id orders them.
    tied_first, tied_second, moved = _bulk_tasks(session, owner, [1024, 1024, 2048])
    _move(session, owner, moved, tied_second)
    assert _order(session, owner) == [tied_first, moved, tied_second]


def test_many_moves_into_one_gap_keep_the_order_right(
    session: Session, owner: User
) -> None:
    a, b = (make_task(session, owner).id for _ in range(2))
    expected = [a]
    # Each move halves the gap before b: 1024 is used up after ten.
    for _ in range(15):
        moved = make_task(session, owner).id
        _move(session, owner, moved, b)
        expected.append(moved)
    assert _order(session, owner) == [*expected, b]


def test_a_repeating_tasks_next_occurrence_takes_its_place(
    session: Session, owner: User
) -> None:
    first = make_task(session, owner, title="First")
    weekly = make_task(
        session, owner, title="Water plants", recurrence="weekly", due_date="2030-06-01"
    )
    last = make_task(session, owner, title="Last")
    tasks.toggle_task(session, owner_id=owner.id, task_id=weekly.id, now=NOW)
    session.commit()
    following = session.exec(
        sa.select(Task.id).where(Task.previous_occurrence_id == weekly.id)
    ).scalar_one()
    assert _order(session, owner, status="pending") == [first.id, following, last.id]
    assert _order(session, owner) == [first.id, weekly.id, following, last.id]


def test_a_new_task_stands_last_in_the_manual_order_of_its_view(
    session: Session, owner: User
) -> None:
    first = make_task(session, owner, title="First")
    make_task(session, owner, title="Second")
    home = make_project(session, owner, name="Home")
    make_task(session, owner, title="Elsewhere", project_id=home.id)
    new = make_task(session, owner, title="New")
    inbox = TaskQuery(sort="manual", inbox=True)
    assert (
        tasks.place_in_view(session, owner_id=owner.id, query=inbox, task_id=new.id)
        == 2
    )
    assert (
        tasks.place_in_view(session, owner_id=owner.id, query=inbox, task_id=first.id)
        == 0
    )


def test_place_in_view_is_none_outside_the_view_and_for_other_users(
    session: Session, owner: User
) -> None:
    home = make_project(session, owner, name="Home")
    in_home = make_task(session, owner, title="Paint", project_id=home.id)
    theirs = make_task(session, make_user(session), title="Theirs")
    inbox = TaskQuery(sort="manual", inbox=True)
    for task_id in (in_home.id, theirs.id):
        assert (
            tasks.place_in_view(
                session, owner_id=owner.id, query=inbox, task_id=task_id
            )
            is None
        )
