"""TaskState: loading after the user check, every task action, and forged calls."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
import reflex as rx
from reflex_base.utils.format import format_ref
from sqlmodel import Session, select

from tests.builders import make_task, make_user
from tests.state.conftest import (
    call,
    fetch,
    focus_target,
    new_browser_key,
    open_page,
    redirect_path,
    shown_notice,
    sign_in,
    substate,
)
from todo_app import db as db_module
from todo_app.models import TITLE_MAX, Task, User
from todo_app.services import sessions, tasks
from todo_app.state.auth import PAGE_LOADERS, AuthState
from todo_app.state.task_details import TaskDetailsState
from todo_app.state.task_view import NEW_TASK_INPUT_ID, row_id
from todo_app.state.tasks import PAGE_SIZE, TaskState


def loaded(root: rx.State, user: User, path: str = "/") -> TaskState:
    """The task page state of `user`, loaded as the browser's on_load would."""
    sign_in(root, user)
    open_page(root, path)
    state = substate(root, TaskState)
    assert call(state, TaskState.load_page) == []
    return state


def titles(state: TaskState) -> list[str]:
    """The titles of the visible rows, in order."""
    return [task.title for task in state.tasks]


def stored(db: Session, task_id: int) -> Task:
    """The task as the database holds it now."""
    db.expire_all()
    task = db.get(Task, task_id)
    db.commit()  # ends the read, which on SQLite holds the write lock
    assert task is not None
    return task


def test_load_page_without_a_session_loads_nothing(
    root: rx.State, user: User, db: Session
) -> None:
    make_task(db, user, title="Private plan")
    state = substate(root, TaskState)
    call(state, TaskState.load_page)
    assert state.tasks == []
    assert not state.signed_in  # the page's frame resumes the session or goes to /login


def test_load_page_with_a_made_up_browser_key_loads_nothing(
    root: rx.State, user: User, db: Session
) -> None:
    make_task(db, user, title="Private plan")
    events = call(substate(root, AuthState), AuthState.resume, "ab" * 32)
    state = substate(root, TaskState)
    call(state, TaskState.load_page)
    assert redirect_path(events) == "/login"
    assert state.tasks == []


def test_load_page_shows_only_the_users_tasks(
    root: rx.State, user: User, db: Session
) -> None:
    make_task(db, user, title="Mine")
    make_task(db, make_user(db), title="Someone else's")
    state = loaded(root, user)
    assert titles(state) == ["Mine"]
    assert state.user_name == "Ada"
    assert not state.loading


def test_load_page_reads_the_filters_from_the_url(
    root: rx.State, user: User, db: Session
) -> None:
    make_task(db, user, title="Open high", priority="high", tags=["home"])
    done = make_task(db, user, title="Done high", priority="high", tags=["home"])
    make_task(db, user, title="Open low", priority="low")
    call(loaded(root, user), TaskState.toggle, done.id)

    state = loaded(
        root, user, "/?filter=active&priority=high&tag=home&sort=title&order=asc"
    )

    assert titles(state) == ["Open high"]
    assert (state.filter, state.priority, state.tag) == ("active", "high", "home")
    assert (state.sort, state.order) == ("title", "asc")


def test_load_page_ignores_unknown_url_values(
    root: rx.State, user: User, db: Session
) -> None:
    make_task(db, user, title="Kept")
    state = loaded(root, user, "/?filter=evil&priority=urgent&sort=id;drop&page=-3")
    assert titles(state) == ["Kept"]
    assert (state.filter, state.priority, state.sort, state.page) == (
        "all",
        "",
        "manual",  # the Inbox's default: the owner's order
        1,
    )


def test_search_matches_title_and_description(
    root: rx.State, user: User, db: Session
) -> None:
    make_task(db, user, title="Buy milk")
    make_task(db, user, title="Call mum", description="about the milk order")
    make_task(db, user, title="Pay rent")
    state = loaded(root, user, "/?q=MILK")
    assert sorted(titles(state)) == ["Buy milk", "Call mum"]


def test_filter_changes_navigate_to_the_url_that_keeps_them(
    root: rx.State, user: User
) -> None:
    state = loaded(root, user, "/?filter=active")
    assert redirect_path(call(state, TaskState.set_priority_filter, "high")) == (
        "/?filter=active&priority=high"
    )
    assert redirect_path(call(state, TaskState.set_tag_filter, "home")) == (
        "/?filter=active&tag=home"
    )
    assert redirect_path(call(state, TaskState.set_sort, "due_date")) == (
        "/?filter=active&sort=due_date"
    )
    assert redirect_path(call(state, TaskState.toggle_order)) == (
        "/?filter=active&order=desc"
    )
    assert redirect_path(call(state, TaskState.set_search, "milk & honey")) == (
        "/?filter=active&q=milk+%26+honey"
    )
    assert state.filter_hrefs["completed"] == "/?filter=completed&q=milk+%26+honey"


def test_add_task_trims_the_title(root: rx.State, user: User, db: Session) -> None:
    state = loaded(root, user)
    events = call(state, TaskState.add_task, {"title": "  Buy milk  "})
    assert events == []
    assert titles(state) == ["Buy milk"]
    assert fetch(db, select(Task.title)) == ["Buy milk"]
    assert state.items_left_label == "1 item left"


def test_add_task_with_an_empty_title_does_nothing(
    root: rx.State, user: User, db: Session
) -> None:
    state = loaded(root, user)
    assert call(state, TaskState.add_task, {"title": "   "}) == []
    assert fetch(db, select(Task)) == []


def test_add_task_with_optional_fields(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    state = loaded(root, user)
    later = now.date() + timedelta(days=5)
    call(
        state,
        TaskState.add_task,
        {
            "title": "Water plants",
            "due_date": later.isoformat(),
            "priority": "medium",
            "tags": "Home, garden,home",
            "recurrence": "weekly",
            "description": "The big ones too",
        },
    )
    row = state.tasks[0]
    assert (row.priority, row.recurrence, row.tags) == (
        "medium",
        "weekly",
        ["garden", "home"],
    )
    assert (row.due_date, row.due_state) == (later.isoformat(), "upcoming")
    assert row.description == "The big ones too"


def test_add_task_with_a_bad_field_shows_a_readable_message(
    root: rx.State, user: User, db: Session
) -> None:
    state = loaded(root, user)
    call(state, TaskState.add_task, {"title": "x" * 201})
    assert "Title must be at most 200 characters" in shown_notice(state)
    call(state, TaskState.add_task, {"title": "Ok", "priority": "urgent"})
    assert "Priority has an unknown value" in shown_notice(state)
    assert fetch(db, select(Task)) == []


def test_add_task_refuses_extra_fields_like_user_id(
    root: rx.State, user: User, db: Session
) -> None:
    other = make_user(db)
    state = loaded(root, user)
    call(state, TaskState.add_task, {"title": "Mine", "user_id": other.id})
    assert fetch(db, select(Task.user_id)) == [user.id]


def test_due_states_mark_overdue_today_and_tomorrow(
    root: rx.State, user: User, db: Session, now: datetime
) -> None:
    today = now.date()
    make_task(db, user, title="Late", due_date=today - timedelta(days=1))
    make_task(db, user, title="Now", due_date=today)
    make_task(db, user, title="Next", due_date=today + timedelta(days=1))
    state = loaded(root, user)
    assert {task.title: task.due_state for task in state.tasks} == {
        "Late": "overdue",
        "Now": "today",
        "Next": "tomorrow",
    }


def test_due_states_follow_the_users_time_zone_not_the_servers(
    root: rx.State, db: Session, now: datetime
) -> None:
    # At 23:30 UTC on June 1 it is already June 2 in Auckland.
    kiwi = make_user(db, timezone="Pacific/Auckland")
    make_task(db, kiwi, title="June 1", due_date=date(2030, 6, 1))
    make_task(db, kiwi, title="June 2", due_date=date(2030, 6, 2))
    make_task(db, kiwi, title="June 3", due_date=date(2030, 6, 3))
    state = loaded(root, kiwi)
    assert {task.title: task.due_state for task in state.tasks} == {
        "June 1": "overdue",
        "June 2": "today",
        "June 3": "tomorrow",
    }


def test_an_inline_edit_keeps_the_due_state_of_the_users_today(
    root: rx.State, db: Session, now: datetime
) -> None:
    kiwi = make_user(db, timezone="Pacific/Auckland")
    task = make_task(db, kiwi, title="Call mum", due_date=date(2030, 6, 2))
    state = loaded(root, kiwi)
    call(state, TaskState.start_edit, task.id)
    call(state, TaskState.submit_edit, {"title": "Call mum back"})
    assert (state.tasks[0].title, state.tasks[0].due_state) == (
        "Call mum back",
        "today",
    )


def test_toggle_completes_and_reopens(root: rx.State, user: User, db: Session) -> None:
    task = make_task(db, user, title="Buy milk")
    state = loaded(root, user)
    call(state, TaskState.toggle, task.id)
    assert stored(db, task.id).completed
    assert state.completed_ids == [task.id]
    assert (state.pending_count, state.completed_count) == (0, 1)
    call(state, TaskState.toggle, task.id)
    assert not stored(db, task.id).completed


def count_database_hops(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that grows by one for every database session opened from now on."""
    opened: list[int] = []
    real_session_scope = db_module.session_scope

    @contextlib.contextmanager
    def counted(url: str | None = None) -> Iterator[Session]:
        opened.append(1)
        with real_session_scope(url) as session:
            yield session

    monkeypatch.setattr(db_module, "session_scope", counted)
    return opened


def test_toggle_checks_the_session_and_changes_in_one_database_hop(
    root: rx.State, user: User, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    task = make_task(db, user, title="Buy milk")
    state = loaded(root, user)
    hops = count_database_hops(monkeypatch)
    call(state, TaskState.toggle, task.id)
    assert len(hops) == 1
    assert state.completed_ids == [task.id]


def test_a_change_that_moves_rows_reloads_in_the_same_hop(
    root: rx.State, user: User, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    task = make_task(db, user, title="Buy milk")
    state = loaded(root, user, "/?filter=active")
    hops = count_database_hops(monkeypatch)
    call(state, TaskState.toggle, task.id)
    call(state, TaskState.add_task, {"title": "Pay rent"})
    assert len(hops) == 2
    assert titles(state) == ["Pay rent"]


def test_toggle_with_another_users_task_id_changes_nothing(
    root: rx.State, user: User, db: Session
) -> None:
    theirs = make_task(db, make_user(db), title="Their task")
    state = loaded(root, user)
    call(state, TaskState.toggle, theirs.id)
    assert "Task not found" in shown_notice(state)
    assert not stored(db, theirs.id).completed
    assert state.tasks == []


def test_delete_with_another_users_task_id_changes_nothing(
    root: rx.State, user: User, db: Session
) -> None:
    theirs = make_task(db, make_user(db), title="Their task")
    state = loaded(root, user)
    call(state, TaskState.delete, theirs.id)
    assert "Task not found" in shown_notice(state)
    assert stored(db, theirs.id).title == "Their task"


def test_edit_of_another_users_task_id_changes_nothing(
    root: rx.State, user: User, db: Session
) -> None:
    theirs = make_task(db, make_user(db), title="Their task")
    state = loaded(root, user)
    call(state, TaskState.start_edit, theirs.id)
    assert state.editing_id == 0
    # Even with the edit target forced, the service's owner check refuses it.
    state.editing_id = theirs.id
    call(state, TaskState.save_edit, "Hijacked")
    assert "Task not found" in shown_notice(state)
    assert stored(db, theirs.id).title == "Their task"


def test_handlers_refuse_ids_of_the_wrong_type(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Mine")
    state = loaded(root, user)
    for forged in (str(task.id), [task.id], {"id": task.id}, True, -1, 2**40):
        state.dismiss_notice()
        call(state, TaskState.toggle, forged)
        assert "Task not found" in shown_notice(state)
    assert not stored(db, task.id).completed


def test_actions_without_a_session_change_nothing(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Mine")
    state = substate(root, TaskState)
    call(state, TaskState.toggle, task.id)
    call(state, TaskState.delete, task.id)
    call(state, TaskState.clear_completed)
    call(state, TaskState.add_task, {"title": "New"})
    assert not state.signed_in
    assert not stored(db, task.id).completed
    assert fetch(db, select(Task.title)) == ["Mine"]


def test_inline_edit_saves_the_new_title(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Walk the dog")
    state = loaded(root, user)
    call(state, TaskState.start_edit, task.id)
    assert state.editing_id == task.id
    call(state, TaskState.submit_edit, {"title": " Walk the cat "})
    assert state.editing_id == 0
    assert titles(state) == ["Walk the cat"]
    assert stored(db, task.id).title == "Walk the cat"


def test_inline_edit_saves_once_when_blur_follows_enter(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Walk the dog")
    state = loaded(root, user)
    call(state, TaskState.start_edit, task.id)
    call(state, TaskState.submit_edit, {"title": "Walk the cat"})
    call(state, TaskState.save_edit, "Walk the cat (stale blur)")
    assert stored(db, task.id).title == "Walk the cat"


def test_escape_cancels_the_inline_edit(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Walk the dog")
    state = loaded(root, user)
    call(state, TaskState.start_edit, task.id)
    call(state, TaskState.edit_key_down, "Escape")
    call(state, TaskState.save_edit, "Changed on blur")
    assert stored(db, task.id).title == "Walk the dog"


def test_an_emptied_title_deletes_the_task_with_undo(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Walk the dog")
    state = loaded(root, user)
    call(state, TaskState.start_edit, task.id)
    call(state, TaskState.save_edit, "   ")
    assert titles(state) == []
    assert (state.notice, state.notice_undo) == ("Deleted 'Walk the dog'", True)
    call(state, TaskState.undo)
    assert titles(state) == ["Walk the dog"]
    assert stored(db, task.id).title == "Walk the dog"


def test_delete_removes_the_task(root: rx.State, user: User, db: Session) -> None:
    task = make_task(db, user, title="Gone soon")
    make_task(db, user, title="Stays")
    state = loaded(root, user)
    call(state, TaskState.delete, task.id)
    assert titles(state) == ["Stays"]
    assert state.items_left_label == "1 item left"


def test_toggle_all_completes_everything_then_reopens(
    root: rx.State, user: User, db: Session
) -> None:
    make_task(db, user, title="One")
    make_task(db, user, title="Two")
    state = loaded(root, user)
    call(state, TaskState.toggle_all)
    assert state.all_completed
    assert state.items_left_label == "0 items left"
    call(state, TaskState.toggle_all)
    assert (state.pending_count, state.completed_count) == (2, 0)


def test_clear_completed_deletes_only_completed(
    root: rx.State, user: User, db: Session
) -> None:
    done = make_task(db, user, title="Done")
    make_task(db, user, title="Open")
    state = loaded(root, user)
    call(state, TaskState.toggle, done.id)
    call(state, TaskState.clear_completed)
    assert titles(state) == ["Open"]
    assert state.completed_count == 0


def test_completing_a_recurring_task_shows_its_next_occurrence(
    root: rx.State, user: User, db: Session
) -> None:
    due = date.today()
    task = make_task(db, user, title="Standup", due_date=due, recurrence="daily")
    state = loaded(root, user)
    call(state, TaskState.toggle, task.id)
    upcoming = [row for row in state.tasks if row.id not in state.completed_ids]
    assert [row.due_date for row in upcoming] == [(due + timedelta(days=1)).isoformat()]


def test_large_lists_are_paged(root: rx.State, user: User, db: Session) -> None:
    for number in range(PAGE_SIZE * 2 + 5):
        make_task(db, user, title=f"Task {number:03}")
    state = loaded(root, user, "/?sort=title&order=asc")
    assert len(state.tasks) == PAGE_SIZE
    assert state.page_count == 3
    assert state.next_page_href == "/?sort=title&page=2"

    state = loaded(root, user, "/?sort=title&order=asc&page=3")
    assert titles(state) == [f"Task {n:03}" for n in range(100, 105)]
    assert state.items_left_label == "105 items left"


def test_a_page_past_the_end_goes_to_the_last_page(
    root: rx.State, user: User, db: Session
) -> None:
    make_task(db, user, title="Only")
    sign_in(root, user)
    open_page(root, "/?page=7")
    state = substate(root, TaskState)
    assert redirect_path(call(state, TaskState.load_page)) == "/"


def test_empty_states_tell_no_tasks_from_nothing_matching(
    root: rx.State, user: User, db: Session
) -> None:
    state = loaded(root, user)
    assert not state.has_tasks
    make_task(db, user, title="Buy milk")
    state = loaded(root, user, "/?q=bread")
    assert state.has_tasks
    assert state.tasks == []


def test_items_left_label_uses_the_right_plural(root: rx.State, user: User) -> None:
    state = loaded(root, user)
    labels = []
    for count in (0, 1, 2):
        state.view_pending_count = count
        labels.append(state.items_left_label)
    assert labels == ["0 items left", "1 item left", "2 items left"]


# --- the "Edit details" dialog ----------------------------------------------------------------


def loaded_details(root: rx.State, user: User) -> TaskDetailsState:
    """The details dialog's state on `user`'s loaded task page."""
    loaded(root, user)
    return substate(root, TaskDetailsState)


def details_form(**fields: str) -> dict[str, str]:
    """What the details form sends, with the given fields changed."""
    return {
        "title": "Buy milk",
        "description": "",
        "due_date": "",
        "priority": "none",
        "recurrence": "none",
        "tags": "",
        **fields,
    }


def test_open_details_fills_the_form_from_the_task(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(
        db,
        user,
        title="Buy milk",
        description="Semi-skimmed",
        due_date=date(2030, 5, 1),
        due_time="07:45",
        priority="high",
        recurrence="weekly",
        tags=["home", "errands"],
    )
    details = loaded_details(root, user)
    call(details, TaskDetailsState.open_details, task.id)
    assert details.task_id == task.id
    assert details.values == {
        "title": "Buy milk",
        "description": "Semi-skimmed",
        "due_date": "2030-05-01",
        "due_time": "07:45",
        "priority": "high",
        "tags": "errands, home",
        "recurrence": "weekly",
        "project_id": "",
    }


def test_the_rows_details_button_opens_the_dialog(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Buy milk")
    details = loaded_details(root, user)
    call(details, TaskDetailsState.details_open_change, task.id, True)
    assert (details.task_id, details.values["title"]) == (task.id, "Buy milk")


def test_open_details_of_a_task_not_on_the_page_does_nothing(
    root: rx.State, user: User, db: Session
) -> None:
    theirs = make_task(db, make_user(db), title="Their task")
    details = loaded_details(root, user)
    call(details, TaskDetailsState.open_details, theirs.id)
    assert details.task_id == 0
    assert details.values == {}


def test_save_details_changes_every_field(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Buy milk")
    state = loaded(root, user)
    details = substate(root, TaskDetailsState)
    call(details, TaskDetailsState.open_details, task.id)
    form = details_form(
        title="Buy oat milk",
        description="Two cartons",
        due_date="2030-05-01",
        priority="medium",
        recurrence="monthly",
        tags="Shop, home",
    )
    assert call(details, TaskDetailsState.save_details, form) == []
    saved = stored(db, task.id)
    assert (saved.title, saved.description) == ("Buy oat milk", "Two cartons")
    assert (saved.due_date, saved.priority, saved.recurrence) == (
        date(2030, 5, 1),
        "medium",
        "monthly",
    )
    assert saved.tags == ["home", "shop"]
    assert details.task_id == 0
    assert state.tasks[0].title == "Buy oat milk"
    assert state.tags == ["home", "shop"]


def test_save_details_with_an_empty_due_date_clears_it(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Buy milk", due_date=date(2030, 5, 1))
    state = loaded(root, user)
    details = substate(root, TaskDetailsState)
    call(details, TaskDetailsState.open_details, task.id)
    call(details, TaskDetailsState.save_details, details_form(due_date=""))
    assert stored(db, task.id).due_date is None
    assert state.tasks[0].due_date == ""


def test_save_details_with_an_empty_title_shows_the_error_and_stays_open(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Buy milk")
    details = loaded_details(root, user)
    call(details, TaskDetailsState.open_details, task.id)
    assert call(details, TaskDetailsState.save_details, details_form(title="  ")) == []
    assert details.error == "Title must not be empty"
    assert details.task_id == task.id
    assert stored(db, task.id).title == "Buy milk"


def test_save_details_with_a_bad_date_shows_the_error(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Buy milk")
    details = loaded_details(root, user)
    call(details, TaskDetailsState.open_details, task.id)
    call(details, TaskDetailsState.save_details, details_form(due_date="2030-02-31"))
    assert details.error == "Due date must be a valid date"
    assert stored(db, task.id).due_date is None


def test_save_details_of_a_task_deleted_meanwhile_says_so(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Buy milk")
    details = loaded_details(root, user)
    call(details, TaskDetailsState.open_details, task.id)
    tasks.delete_task(db, owner_id=user.id, task_id=task.id)  # in another tab
    db.commit()
    call(details, TaskDetailsState.save_details, details_form(title="Changed"))
    assert details.error == "Task not found"


def test_save_details_after_the_session_ended_changes_nothing(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Buy milk")
    loaded(root, user)
    details = substate(root, TaskDetailsState)
    call(details, TaskDetailsState.open_details, task.id)
    sessions.end_all_sessions(db, user_id=user.id)
    db.commit()
    call(details, TaskDetailsState.save_details, details_form(title="Changed"))
    assert not details.signed_in
    assert stored(db, task.id).title == "Buy milk"


def test_closing_details_discards_the_dialog(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Buy milk")
    details = loaded_details(root, user)
    call(details, TaskDetailsState.open_details, task.id)
    call(
        details, TaskDetailsState.details_open_change, task.id, False
    )  # Escape, click outside
    assert details.task_id == 0
    call(details, TaskDetailsState.save_details, details_form(title="Changed"))
    assert stored(db, task.id).title == "Buy milk"


def test_loading_the_page_again_closes_the_details_dialog(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Buy milk")
    details = loaded_details(root, user)
    call(details, TaskDetailsState.open_details, task.id)
    loaded(root, user)
    assert (details.task_id, details.values) == (0, {})


def test_opening_details_ends_the_inline_edit(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Buy milk")
    state = loaded(root, user)
    call(state, TaskState.start_edit, task.id)
    call(substate(root, TaskDetailsState), TaskDetailsState.open_details, task.id)
    assert state.editing_id == 0


def test_the_page_holds_one_page_of_tags_at_most(
    root: rx.State, user: User, db: Session
) -> None:
    for start in range(0, 80, 20):
        make_task(db, user, tags=[f"tag{n:02d}" for n in range(start, start + 20)])
    state = loaded(root, user)
    assert len(state.tags) == PAGE_SIZE


# --- the list view: sort direction, tags in the URL, the way back from settings ----------------


@pytest.mark.parametrize(
    "field,href",
    [
        ("title", "/?sort=title"),
        ("due_date", "/?sort=due_date"),
        ("priority", "/?sort=priority&order=desc"),
        ("created", "/?sort=created&order=desc"),
        ("manual", "/"),
    ],
)
def test_choosing_a_sort_field_picks_its_natural_direction(
    root: rx.State, user: User, field: str, href: str
) -> None:
    # The Inbox's default is its manual order, ascending: "title" and "due_date" leave
    # `order` out (#12).
    state = loaded(root, user, "/?sort=title&order=asc")
    assert redirect_path(call(state, TaskState.set_sort, field)) == href


def test_the_arrow_still_flips_the_natural_direction(
    root: rx.State, user: User
) -> None:
    state = loaded(root, user, "/?sort=due_date&order=asc")
    assert redirect_path(call(state, TaskState.toggle_order)) == (
        "/?sort=due_date&order=desc"
    )


def test_a_tag_filter_in_the_url_is_written_as_tags_are(
    root: rx.State, user: User, db: Session
) -> None:
    make_task(db, user, title="Water plants", tags=["home"])
    make_task(db, user, title="File taxes", tags=["work"])
    state = loaded(root, user, "/?tag=%23Home")
    assert state.tag == "home"
    assert titles(state) == ["Water plants"]


def test_current_href_keeps_every_filter_of_the_view(
    root: rx.State, user: User
) -> None:
    path = "/?filter=active&priority=high&tag=home&q=milk&sort=title&order=desc"
    state = loaded(root, user, path)
    assert state.current_href == path


def test_back_to_tasks_before_any_list_is_the_users_own_start(
    root: rx.State, user: User
) -> None:
    # Settings opened first: no list of the tab to go back to, nor its view to keep.
    sign_in(root, user)
    assert substate(root, TaskState).current_href == "/"


def test_back_to_tasks_leads_to_the_list_left_in_its_own_order(
    root: rx.State, user: User
) -> None:
    assert loaded(root, user, "/").current_href == "/"
    assert loaded(root, user, "/today").current_href == "/today"


# --- the new-task form: kept until the server has the task ------------------------------------


def test_the_new_task_form_renews_once_the_task_is_stored(
    root: rx.State, user: User
) -> None:
    state = loaded(root, user)
    before = state.new_task_form_key
    call(state, TaskState.add_task, {"title": "Buy milk"})
    assert state.new_task_form_key == before + 1


def test_the_new_task_form_keeps_its_text_when_the_task_is_refused(
    root: rx.State, user: User, db: Session
) -> None:
    state = loaded(root, user)
    before = state.new_task_form_key
    call(state, TaskState.add_task, {"title": "x" * 201})
    assert shown_notice(state) == "Title must be at most 200 characters"
    assert state.new_task_form_key == before
    assert fetch(db, select(Task)) == []


def test_the_new_task_form_keeps_its_text_when_the_session_ended(
    root: rx.State, user: User, db: Session
) -> None:
    state = loaded(root, user)
    before = state.new_task_form_key
    sessions.end_all_sessions(db, user_id=user.id)
    db.commit()
    call(state, TaskState.add_task, {"title": "Buy milk"})
    assert not state.signed_in
    assert state.new_task_form_key == before


# --- where the focus goes ----------------------------------------------------------------------


def test_enter_in_the_inline_edit_returns_the_focus_to_its_row(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Walk the dog")
    state = loaded(root, user)
    call(state, TaskState.start_edit, task.id)
    events = call(state, TaskState.submit_edit, {"title": "Walk the cat"})
    assert focus_target(events) == format_ref(row_id(task.id))


def test_enter_without_a_change_also_returns_the_focus_to_the_row(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Walk the dog")
    state = loaded(root, user)
    call(state, TaskState.start_edit, task.id)
    events = call(state, TaskState.submit_edit, {"title": "Walk the dog"})
    assert focus_target(events) == format_ref(row_id(task.id))


def test_emptying_the_title_moves_the_focus_on_as_a_delete_does(
    root: rx.State, user: User, db: Session
) -> None:
    make_task(db, user, title="Next")
    task = make_task(db, user, title="Walk the dog")
    state = loaded(root, user)
    call(state, TaskState.start_edit, task.id)
    events = call(state, TaskState.submit_edit, {"title": " "})
    assert focus_target(events) == format_ref(row_id(state.tasks[0].id))


def test_delete_moves_the_focus_to_the_next_row(
    root: rx.State, user: User, db: Session
) -> None:
    for title in ("Third", "Second", "First"):
        make_task(db, user, title=title)
    state = loaded(root, user, "/?sort=title&order=asc")
    _first, second, third = state.tasks
    events = call(state, TaskState.delete, second.id)
    assert titles(state) == ["First", "Third"]
    assert focus_target(events) == format_ref(row_id(third.id))


def test_deleting_the_last_row_moves_the_focus_to_the_new_task_input(
    root: rx.State, user: User, db: Session
) -> None:
    task = make_task(db, user, title="Only one")
    state = loaded(root, user)
    events = call(state, TaskState.delete, task.id)
    assert focus_target(events) == format_ref(NEW_TASK_INPUT_ID)


def test_a_refused_delete_moves_no_focus(
    root: rx.State, user: User, db: Session
) -> None:
    theirs = make_task(db, make_user(db), title="Their task")
    state = loaded(root, user)
    assert focus_target(call(state, TaskState.delete, theirs.id)) is None


def test_a_title_typed_after_the_session_ended_waits_for_the_same_user(
    root: rx.State, user: User, db: Session
) -> None:
    state = loaded(root, user)
    sessions.end_all_sessions(db, user_id=user.id)
    db.commit()
    call(state, TaskState.add_task, {"title": "Buy milk"})
    assert fetch(db, select(Task.title)) == []
    assert state.draft_task == "Buy milk"
    call(
        substate(root, AuthState),
        AuthState.login,
        {"email": "ada@example.com", "password": "password123"},
        new_browser_key(),
    )
    assert substate(root, TaskState).draft_task == "Buy milk"


def test_a_title_typed_after_the_session_ended_is_not_shown_to_another_user(
    root: rx.State, user: User, db: Session
) -> None:
    make_user(db, email="bob@example.com", password="password123")
    state = loaded(root, user)
    sessions.end_all_sessions(db, user_id=user.id)
    db.commit()
    call(state, TaskState.add_task, {"title": "Ada's private errand"})
    call(
        substate(root, AuthState),
        AuthState.login,
        {"email": "bob@example.com", "password": "password123"},
        new_browser_key(),
    )
    assert substate(root, TaskState).draft_task == ""
    assert "Ada's private errand" not in str(root.dict())


def test_a_title_typed_but_not_sent_when_the_session_ended_comes_back_after_login(
    root: rx.State, user: User, db: Session
) -> None:
    key = sign_in(root, user)
    sessions.end_all_sessions(db, user_id=user.id)  # another tab logged out everywhere
    db.commit()
    # The live push finds the tab signed out; its session check sends what was typed.
    events = call(substate(root, AuthState), AuthState.resume, key, "/", "Half typed")
    assert redirect_path(events) == "/login"
    call(
        substate(root, AuthState),
        AuthState.login,
        {"email": "ada@example.com", "password": "password123"},
        new_browser_key(),
    )
    assert substate(root, TaskState).draft_task == "Half typed"


def test_a_title_typed_but_not_sent_is_not_shown_to_another_user(
    root: rx.State, user: User, db: Session
) -> None:
    make_user(db, email="bob@example.com", password="password123")
    key = sign_in(root, user)
    sessions.end_all_sessions(db, user_id=user.id)
    db.commit()
    call(substate(root, AuthState), AuthState.resume, key, "/", "Ada's secret")
    call(
        substate(root, AuthState),
        AuthState.login,
        {"email": "bob@example.com", "password": "password123"},
        new_browser_key(),
    )
    assert substate(root, TaskState).draft_task == ""
    assert "Ada's secret" not in str(root.dict())


@pytest.mark.parametrize("typed", [None, 42, ["x"], "   "])
def test_a_resume_with_no_usable_typed_title_keeps_no_draft(
    root: rx.State, user: User, db: Session, typed: object
) -> None:
    key = sign_in(root, user)
    sessions.end_all_sessions(db, user_id=user.id)
    db.commit()
    call(substate(root, AuthState), AuthState.resume, key, "/", typed)
    assert substate(root, AuthState).draft_task == ""


def test_a_typed_title_kept_on_resume_is_cut_to_the_title_limit(
    root: rx.State, user: User, db: Session
) -> None:
    key = sign_in(root, user)
    sessions.end_all_sessions(db, user_id=user.id)
    db.commit()
    call(substate(root, AuthState), AuthState.resume, key, "/", "x" * 5000)
    assert substate(root, AuthState).draft_task == "x" * TITLE_MAX


def test_a_task_sent_on_reconnecting_is_added_once_the_tab_resumed(
    root: rx.State, user: User, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(PAGE_LOADERS, "/", TaskState.load_page)  # as todo_app.py does
    key = sign_in(root, user)
    state = substate(root, TaskState)
    call(state, TaskState.load_page)
    open_page(root, "/", socket="socket-after-reconnect")
    call(state, TaskState.add_task, {"title": "Written offline"})
    assert fetch(db, select(Task.title)) == []
    events = call(substate(root, AuthState), AuthState.resume, key, "/")
    for event in events:  # the page's loader, as the browser would send it next
        call(state, TaskState.load_page)
    assert fetch(db, select(Task.title)) == ["Written offline"]
    assert titles(state) == ["Written offline"]
    assert state.draft_task == ""


def test_a_task_sent_on_reconnecting_survives_a_page_load_before_the_tab_resumed(
    root: rx.State, user: User, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The reconnect's rehydration loads the page before the tab has resumed its session:
    # that load cannot add the task yet and must leave it for the load after resuming.
    monkeypatch.setitem(PAGE_LOADERS, "/", TaskState.load_page)
    key = sign_in(root, user)
    state = substate(root, TaskState)
    call(state, TaskState.load_page)
    open_page(root, "/", socket="socket-after-reconnect")
    call(state, TaskState.add_task, {"title": "Written offline"})
    call(state, TaskState.load_page)
    assert fetch(db, select(Task.title)) == []
    events = call(substate(root, AuthState), AuthState.resume, key, "/")
    for event in events:
        call(state, TaskState.load_page)
    assert fetch(db, select(Task.title)) == ["Written offline"]
