"""Quick add's /Name: one of the owner's projects (any case); anyone else's stays in the title."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from tests.builders import make_project, make_user
from todo_app.models import TaskCreate
from todo_app.services import quick_add
from todo_app.services.quick_add import TaskFromText

NOW = datetime(2030, 6, 1, 10, 30, tzinfo=UTC)


def test_slash_name_puts_the_task_in_the_owners_project(session: Session) -> None:
    owner = make_user(session)
    work = make_project(session, owner, name="Work")
    task = quick_add.create_from_text(
        session, owner_id=owner.id, data=TaskFromText(text="Send report /work"), now=NOW
    )
    assert (task.title, task.project_id) == ("Send report", work.id)


def test_slash_name_of_another_users_project_stays_in_the_title(
    session: Session,
) -> None:
    owner = make_user(session)
    make_project(session, make_user(session), name="Theirs")
    preview = quick_add.preview_task(
        session, owner_id=owner.id, text="Peek /Theirs", now=NOW
    )
    assert (preview.title, preview.project_id) == ("Peek /Theirs", None)


def test_the_new_task_form_takes_the_project_its_line_names(session: Session) -> None:
    owner = make_user(session)
    home = make_project(session, owner, name="Home")
    data = quick_add.apply_line(
        session, owner_id=owner.id, data=TaskCreate(title="Water plants /Home"), now=NOW
    )
    assert (data.title, data.project_id) == ("Water plants", home.id)


def test_slash_name_takes_the_longest_project_name_with_spaces() -> None:
    projects = {"Home": 1, "Home  Repairs": 2}
    now_local = datetime(2030, 6, 1, 10, 30)
    quick = quick_add.parse(
        "Fix the gate /home repairs tomorrow", now_local=now_local, projects=projects
    )
    assert (quick.title, quick.project_id) == ("Fix the gate", 2)
    assert [part.words for part in quick.parts] == ["/home repairs", "tomorrow"]


def test_slash_name_with_spaces_stops_at_the_words_no_project_has() -> None:
    quick = quick_add.parse(
        "Buy paint /Home depot run",
        now_local=datetime(2030, 6, 1, 10, 30),
        projects={"Home": 1, "Home Repairs": 2},
    )
    assert (quick.title, quick.project_id) == ("Buy paint depot run", 1)
