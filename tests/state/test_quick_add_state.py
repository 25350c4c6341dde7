"""QuickAddState: the chips of the typed line, putting words back, and the add that follows them."""

from __future__ import annotations

from datetime import timedelta

import pytest
import reflex as rx
from sqlmodel import Session, select

from tests.builders import make_project, make_user
from tests.state.conftest import call, fetch, open_page, sign_in, substate
from todo_app.models import Priority, Task, User, utcnow
from todo_app.services.tasks import local_today
from todo_app.state.quick_add import QuickAddState
from todo_app.state.tasks import TaskState


@pytest.fixture
def quick(root: rx.State, user: User) -> QuickAddState:
    """The signed-in tab's quick-add state, on the task page."""
    sign_in(root, user)
    open_page(root, "/")
    call(substate(root, TaskState), TaskState.load_page)
    return substate(root, QuickAddState)


def chips(quick: QuickAddState) -> list[tuple[str, str]]:
    return [(chip.kind, chip.words) for chip in quick.chips]


def test_typing_a_line_shows_a_chip_per_recognised_part(quick: QuickAddState) -> None:
    call(quick, QuickAddState.read_line, "Pay rent tomorrow #home !high")
    assert chips(quick) == [
        ("date", "tomorrow"),
        ("tag", "#home"),
        ("priority", "!high"),
    ]
    assert [chip.meaning for chip in quick.chips][1:] == ["Tag home", "High priority"]
    assert quick.chips[0].meaning.startswith("Due ")


def test_todoist_priorities_show_a_chip_each_with_its_meaning(
    quick: QuickAddState,
) -> None:
    meanings = {}
    for word in ("p1", "P2", "p3", "p4"):
        call(quick, QuickAddState.read_line, f"Buy milk {word}")
        (chip,) = quick.chips
        assert (chip.kind, chip.words) == ("priority", word)
        meanings[word] = chip.meaning
    assert meanings == {
        "p1": "High priority",
        "P2": "Medium priority",
        "p3": "Low priority",
        "p4": "No priority",
    }


def test_removing_a_todoist_priority_chip_keeps_p1_in_the_title(
    root: rx.State, quick: QuickAddState, db: Session
) -> None:
    line = "Buy milk tomorrow p1 #home"
    call(quick, QuickAddState.read_line, line)
    assert chips(quick) == [("date", "tomorrow"), ("priority", "p1"), ("tag", "#home")]
    call(quick, QuickAddState.put_back, 1)
    assert chips(quick) == [("date", "tomorrow"), ("tag", "#home")]
    call(substate(root, TaskState), TaskState.add_task, {"title": line})
    assert fetch(db, select(Task.title, Task.priority)) == [
        ("Buy milk p1", Priority.none)
    ]


def test_a_plain_title_shows_no_chips(quick: QuickAddState) -> None:
    call(quick, QuickAddState.read_line, "Pay rent tomorrow")
    call(quick, QuickAddState.read_line, "Pay rent")
    assert quick.chips == []


def test_removing_a_chip_puts_its_words_back_and_the_add_keeps_them(
    root: rx.State, quick: QuickAddState, db: Session
) -> None:
    line = "Call mom tomorrow #family"
    call(quick, QuickAddState.read_line, line)
    call(quick, QuickAddState.put_back, 0)
    assert chips(quick) == [("tag", "#family")]
    call(substate(root, TaskState), TaskState.add_task, {"title": line})
    assert fetch(db, select(Task.title, Task.due_date)) == [("Call mom tomorrow", None)]
    assert quick.chips == []


def test_enter_adds_exactly_what_the_chips_say(
    root: rx.State, quick: QuickAddState, db: Session, user: User
) -> None:
    line = "Pay rent tomorrow #home !high"
    call(quick, QuickAddState.read_line, line)
    call(substate(root, TaskState), TaskState.add_task, {"title": line})
    task = db.exec(select(Task)).one()
    tomorrow = local_today(user.timezone, utcnow()) + timedelta(days=1)
    assert (task.title, task.due_date, task.priority.value, task.tags) == (
        "Pay rent",
        tomorrow,
        "high",
        ["home"],
    )
    assert quick.chips == []


def test_a_put_back_is_forgotten_when_its_words_move(quick: QuickAddState) -> None:
    call(quick, QuickAddState.read_line, "Call tomorrow")
    call(quick, QuickAddState.put_back, 0)
    assert quick.chips == []
    call(quick, QuickAddState.read_line, "Call mom tomorrow")
    assert chips(quick) == [("date", "tomorrow")]


@pytest.mark.parametrize("forged", [None, 7, ["x"], {"a": 1}])
def test_forged_arguments_show_nothing_and_raise_nothing(
    quick: QuickAddState, forged: object
) -> None:
    call(quick, QuickAddState.read_line, forged)
    call(quick, QuickAddState.put_back, forged)
    call(quick, QuickAddState.put_back, 99)
    assert quick.chips == []


def test_a_signed_out_tab_shows_no_chips(root: rx.State, db: Session) -> None:
    make_user(db, email="solo@example.com")
    quick = substate(root, QuickAddState)
    call(quick, QuickAddState.read_line, "Pay rent tomorrow")
    assert quick.chips == []


def test_the_enter_that_submits_the_line_reads_nothing_again(
    root: rx.State, quick: QuickAddState
) -> None:
    line = "Pay rent tomorrow"
    call(quick, QuickAddState.read_line, line, "w")
    call(substate(root, TaskState), TaskState.add_task, {"title": line})
    # The Enter's own key-up arrives after the add: the fresh input shows no chips.
    call(quick, QuickAddState.read_line, line, "Enter")
    assert quick.chips == []


def test_a_project_named_with_a_slash_shows_as_a_chip_with_its_name(
    root: rx.State, quick: QuickAddState, user: User, db: Session
) -> None:
    family = make_project(db, user, name="Family")
    call(quick, QuickAddState.read_line, "Call mom /family /nowhere")
    assert chips(quick) == [("project", "/family")]
    assert quick.chips[0].meaning == "In Family"
    call(substate(root, TaskState), TaskState.add_task, {"title": "Call mom /family"})
    assert fetch(db, select(Task.title, Task.project_id)) == [("Call mom", family.id)]
