"""Projects: the owner's lists of tasks, their sidebar order, names, archiving and deletion."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError
from sqlmodel import Session, select

from tests.builders import make_project, make_task, make_user
from todo_app.errors import InvalidInput, NameTaken, NotFound
from todo_app.models import (
    PROJECT_NAME_MAX,
    Project,
    ProjectColor,
    ProjectCreate,
    ProjectUpdate,
    TaskCreate,
    TaskPatch,
    TaskQuery,
    User,
)
from todo_app.services import accounts, changes, projects, tasks

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def owner(session: Session) -> User:
    return make_user(session)


@pytest.fixture
def announced() -> Iterator[list[frozenset[int]]]:
    """Every change announced during the test."""
    heard: list[frozenset[int]] = []
    remove = changes.add_listener(heard.append)
    yield heard
    remove()


def _names(session: Session, owner: User, **options: bool) -> list[str]:
    return [
        project.name
        for project in projects.list_projects(session, owner_id=owner.id, **options)
    ]


def _positions(session: Session, owner: User) -> list[tuple[str, int]]:
    return [
        (project.name, project.position)
        for project in projects.list_projects(
            session, owner_id=owner.id, include_archived=True
        )
    ]


def test_create_project_appends_to_the_sidebar_with_defaults(
    session: Session, owner: User
) -> None:
    make_project(session, owner, name="Work")
    home = make_project(session, owner, name="  Home  ")
    assert (home.name, home.color, home.position, home.archived, home.open_count) == (
        "Home",
        ProjectColor.charcoal,
        1,
        False,
        0,
    )
    assert _names(session, owner) == ["Work", "Home"]


def test_create_project_with_a_name_in_use_in_any_case_raises_name_taken(
    session: Session, owner: User
) -> None:
    make_project(session, owner, name="Work")
    with pytest.raises(NameTaken):
        projects.create_project(
            session, owner_id=owner.id, data=ProjectCreate(name="WORK")
        )


def test_name_taken_quotes_the_existing_project_as_it_is_named(
    session: Session, owner: User
) -> None:
    make_project(session, owner, name="Work")
    home = make_project(session, owner, name="Home")
    with pytest.raises(NameTaken, match="named “Work”$"):
        projects.create_project(
            session, owner_id=owner.id, data=ProjectCreate(name="wORK")
        )
    with pytest.raises(NameTaken, match="named “Work”$"):
        projects.update_project(
            session,
            owner_id=owner.id,
            project_id=home.id,
            data=ProjectUpdate(name="work"),
        )


def test_the_same_name_is_free_for_another_user(session: Session, owner: User) -> None:
    make_project(session, owner, name="Work")
    other = make_user(session)
    assert make_project(session, other, name="work").name == "work"


@pytest.mark.parametrize("name", ["", "   ", "x" * (PROJECT_NAME_MAX + 1), "a\x00b"])
def test_project_name_rules(name: str) -> None:
    with pytest.raises(ValidationError):
        ProjectCreate(name=name)


def test_project_color_must_be_one_of_the_palette() -> None:
    with pytest.raises(ValidationError):
        ProjectCreate(name="Work", color="pink")


def test_list_projects_counts_open_tasks_only(session: Session, owner: User) -> None:
    work = make_project(session, owner, name="Work")
    make_task(session, owner, project_id=work.id)
    done = make_task(session, owner, project_id=work.id)
    trashed = make_task(session, owner, project_id=work.id)
    make_task(session, owner)  # in the Inbox
    tasks.toggle_task(session, owner_id=owner.id, task_id=done.id)
    tasks.delete_task(session, owner_id=owner.id, task_id=trashed.id)
    session.commit()
    [listed] = projects.list_projects(session, owner_id=owner.id)
    assert listed.open_count == 1
    assert (
        projects.get_project(session, owner_id=owner.id, project_id=work.id).open_count
        == 1
    )


def test_archived_projects_are_listed_only_when_asked(
    session: Session, owner: User
) -> None:
    make_project(session, owner, name="Work")
    old = make_project(session, owner, name="Old")
    projects.update_project(
        session, owner_id=owner.id, project_id=old.id, data=ProjectUpdate(archived=True)
    )
    session.commit()
    assert _names(session, owner) == ["Work"]
    assert _names(session, owner, include_archived=True) == ["Work", "Old"]


def test_update_project_changes_only_the_fields_sent(
    session: Session, owner: User
) -> None:
    work = make_project(session, owner, name="Work", color="blue")
    later = datetime(2030, 6, 2, tzinfo=UTC)
    renamed = projects.update_project(
        session,
        owner_id=owner.id,
        project_id=work.id,
        data=ProjectUpdate(name="Job"),
        now=later,
    )
    assert (renamed.name, renamed.color, renamed.archived, renamed.updated_at) == (
        "Job",
        ProjectColor.blue,
        False,
        later,
    )


def test_update_project_to_its_own_name_in_another_case_is_allowed(
    session: Session, owner: User
) -> None:
    work = make_project(session, owner, name="work")
    renamed = projects.update_project(
        session, owner_id=owner.id, project_id=work.id, data=ProjectUpdate(name="Work")
    )
    assert renamed.name == "Work"


def test_update_project_to_another_projects_name_raises_name_taken(
    session: Session, owner: User
) -> None:
    make_project(session, owner, name="Work")
    home = make_project(session, owner, name="Home")
    with pytest.raises(NameTaken):
        projects.update_project(
            session,
            owner_id=owner.id,
            project_id=home.id,
            data=ProjectUpdate(name="work"),
        )


def test_update_project_refuses_null(session: Session, owner: User) -> None:
    work = make_project(session, owner)
    with pytest.raises(InvalidInput) as raised:
        projects.update_project(
            session,
            owner_id=owner.id,
            project_id=work.id,
            data=ProjectUpdate(name=None),
        )
    assert raised.value.field == "name"


def test_move_project_shifts_the_others(session: Session, owner: User) -> None:
    for name in "ABCD":
        make_project(session, owner, name=name)
    d = projects.list_projects(session, owner_id=owner.id)[3]
    projects.move_project(session, owner_id=owner.id, project_id=d.id, position=1)
    session.commit()
    assert _positions(session, owner) == [("A", 0), ("D", 1), ("B", 2), ("C", 3)]
    a = projects.list_projects(session, owner_id=owner.id)[0]
    projects.move_project(session, owner_id=owner.id, project_id=a.id, position=99)
    session.commit()
    assert _positions(session, owner) == [("D", 0), ("B", 1), ("C", 2), ("A", 3)]


def test_count_tasks_counts_what_a_deletion_would_trash(
    session: Session, owner: User
) -> None:
    work = make_project(session, owner, name="Work")
    other = make_project(session, owner, name="Home")
    make_task(session, owner, project_id=work.id)
    done = make_task(session, owner, project_id=work.id)
    tasks.toggle_task(session, owner_id=owner.id, task_id=done.id, now=NOW)
    gone = make_task(session, owner, project_id=work.id)
    tasks.delete_task(session, owner_id=owner.id, task_id=gone.id, now=NOW)
    make_task(session, owner, project_id=other.id)
    make_task(session, owner)
    session.commit()
    assert projects.count_tasks(session, owner_id=owner.id, project_id=work.id) == 2
    deletion = projects.delete_project(session, owner_id=owner.id, project_id=work.id)
    assert deletion.trashed == 2


def test_count_tasks_of_another_users_project_raises_not_found(
    session: Session, owner: User
) -> None:
    theirs = make_project(session, make_user(session), name="Work")
    with pytest.raises(NotFound):
        projects.count_tasks(session, owner_id=owner.id, project_id=theirs.id)


def test_delete_project_trashes_its_tasks_with_one_deletion_time(
    session: Session, owner: User
) -> None:
    work = make_project(session, owner, name="Work")
    home = make_project(session, owner, name="Home")
    first = make_task(session, owner, project_id=work.id)
    second = make_task(session, owner, project_id=work.id)
    kept = make_task(session, owner, project_id=home.id)
    deletion = projects.delete_project(
        session, owner_id=owner.id, project_id=work.id, now=NOW
    )
    session.commit()
    assert (deletion.deleted_at, deletion.trashed) == (NOW, 2)
    assert _positions(session, owner) == [("Home", 0)]
    listed = tasks.list_tasks(session, owner_id=owner.id).items
    assert [task.id for task in listed] == [kept.id]
    trash = tasks.list_trash(session, owner_id=owner.id).items
    assert sorted(task.id for task in trash) == [first.id, second.id]
    assert {task.deleted_at for task in trash} == {NOW}


def test_undo_of_a_project_deletion_brings_its_tasks_back_into_the_inbox(
    session: Session, owner: User
) -> None:
    work = make_project(session, owner, name="Work")
    task = make_task(session, owner, project_id=work.id)
    deletion = projects.delete_project(
        session, owner_id=owner.id, project_id=work.id, now=NOW
    )
    session.commit()
    restored = tasks.restore_deleted_at(
        session, owner_id=owner.id, deleted_at=deletion.deleted_at
    )
    session.commit()
    assert restored == 1
    [back] = tasks.list_tasks(
        session, owner_id=owner.id, query=TaskQuery(inbox=True)
    ).items
    assert (back.id, back.project_id) == (task.id, None)


def test_another_users_project_is_not_found_by_every_function(
    session: Session, owner: User
) -> None:
    work = make_project(session, owner, name="Work")
    other = make_user(session)
    calls = [
        lambda: projects.get_project(session, owner_id=other.id, project_id=work.id),
        lambda: projects.update_project(
            session, owner_id=other.id, project_id=work.id, data=ProjectUpdate(name="X")
        ),
        lambda: projects.move_project(
            session, owner_id=other.id, project_id=work.id, position=0
        ),
        lambda: projects.delete_project(session, owner_id=other.id, project_id=work.id),
    ]
    for call in calls:
        with pytest.raises(NotFound):
            call()
    assert projects.list_projects(session, owner_id=other.id) == []
    assert _names(session, owner) == ["Work"]


def test_a_task_cannot_be_put_in_another_users_project(
    session: Session, owner: User
) -> None:
    theirs = make_project(session, make_user(session), name="Theirs")
    with pytest.raises(InvalidInput) as raised:
        tasks.create_task(
            session,
            owner_id=owner.id,
            data=TaskCreate(title="Sneak", project_id=theirs.id),
        )
    assert raised.value.field == "project_id"
    mine = make_task(session, owner)
    with pytest.raises(InvalidInput):
        tasks.update_task(
            session,
            owner_id=owner.id,
            task_id=mine.id,
            data=TaskPatch(project_id=theirs.id),
        )


def test_a_task_moves_between_projects_and_back_to_the_inbox(
    session: Session, owner: User
) -> None:
    work = make_project(session, owner, name="Work")
    task = make_task(session, owner, project_id=work.id)
    assert task.project_id == work.id
    moved = tasks.update_task(
        session, owner_id=owner.id, task_id=task.id, data=TaskPatch(project_id=None)
    )
    assert moved.project_id is None


def test_list_tasks_filters_by_project_and_inbox(session: Session, owner: User) -> None:
    work = make_project(session, owner, name="Work")
    in_work = make_task(session, owner, project_id=work.id)
    in_inbox = make_task(session, owner)

    def listed(**query: object) -> list[int]:
        page = tasks.list_tasks(session, owner_id=owner.id, query=TaskQuery(**query))
        return [item.id for item in page.items]

    assert listed(project_id=work.id) == [in_work.id]
    assert listed(inbox=True) == [in_inbox.id]


def test_project_writes_announce_their_owner(
    session: Session, owner: User, announced: list[frozenset[int]]
) -> None:
    work = make_project(session, owner, name="Work")
    projects.update_project(
        session, owner_id=owner.id, project_id=work.id, data=ProjectUpdate(name="Job")
    )
    session.commit()
    make_project(session, owner, name="Home")
    projects.move_project(session, owner_id=owner.id, project_id=work.id, position=1)
    session.commit()
    projects.delete_project(session, owner_id=owner.id, project_id=work.id)
    session.commit()
    assert announced == [frozenset({owner.id})] * 5


def test_a_rolled_back_project_change_announces_nothing(
    session: Session, owner: User, announced: list[frozenset[int]]
) -> None:
    projects.create_project(session, owner_id=owner.id, data=ProjectCreate(name="W"))
    session.rollback()
    assert announced == []


def test_deleting_the_account_deletes_its_projects(
    session: Session, owner: User
) -> None:
    work = make_project(session, owner, name="Work")
    make_task(session, owner, project_id=work.id)
    accounts.delete_account(session, user_id=owner.id)
    session.commit()
    assert session.exec(select(Project)).all() == []


def test_undo_project_deletion_puts_the_project_and_its_tasks_back_as_they_were(
    session: Session, owner: User
) -> None:
    make_project(session, owner, name="Home")
    work = make_project(session, owner, name="Work", color=ProjectColor.teal)
    make_project(session, owner, name="Later")
    open_task = make_task(session, owner, project_id=work.id, title="Open")
    done = make_task(session, owner, project_id=work.id, title="Done")
    tasks.toggle_task(session, owner_id=owner.id, task_id=done.id)
    session.commit()
    deletion = projects.delete_project(
        session, owner_id=owner.id, project_id=work.id, now=NOW
    )
    session.commit()
    back = projects.undo_project_deletion(session, owner_id=owner.id, deletion=deletion)
    session.commit()
    assert (back.id, back.name, back.color, back.open_count) == (
        work.id,
        "Work",
        ProjectColor.teal,
        1,
    )
    assert _positions(session, owner) == [("Home", 0), ("Work", 1), ("Later", 2)]
    in_project = tasks.list_tasks(
        session, owner_id=owner.id, query=TaskQuery(project_id=work.id)
    ).items
    assert sorted(task.id for task in in_project) == [open_task.id, done.id]
    assert tasks.list_trash(session, owner_id=owner.id).items == []


def test_undo_project_deletion_twice_or_after_the_name_was_taken_is_refused(
    session: Session, owner: User
) -> None:
    work = make_project(session, owner, name="Work")
    deletion = projects.delete_project(
        session, owner_id=owner.id, project_id=work.id, now=NOW
    )
    session.commit()
    make_project(session, owner, name="WORK")
    with pytest.raises(NameTaken):
        projects.undo_project_deletion(session, owner_id=owner.id, deletion=deletion)
    session.rollback()
    other = make_project(session, owner, name="Other")
    again = projects.delete_project(
        session, owner_id=owner.id, project_id=other.id, now=NOW
    )
    session.commit()
    projects.undo_project_deletion(session, owner_id=owner.id, deletion=again)
    session.commit()
    with pytest.raises(NotFound):
        projects.undo_project_deletion(session, owner_id=owner.id, deletion=again)
