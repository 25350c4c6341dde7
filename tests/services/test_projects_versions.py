"""A project's version: bumped by every change of the project, and the compare-and-set behind
If-Match, as for tasks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import Session, select

from tests.builders import make_project, make_user
from tests.services.test_concurrency import THREADS, _at_once
from todo_app.db import session_scope
from todo_app.errors import NotFound, VersionConflict
from todo_app.models import Project, ProjectColor, ProjectPublic, ProjectUpdate
from todo_app.services import projects

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)


def _version(session: Session, project_id: int) -> int:
    session.expire_all()
    return session.exec(select(Project.version).where(Project.id == project_id)).one()


def test_create_project_starts_at_version_1(session: Session) -> None:
    owner = make_user(session)
    assert make_project(session, owner).version == 1


# Each change as the UI and the API make it, without If-Match; the project is second of three.
CHANGES: dict[str, Callable[[Session, int, int], Any]] = {
    "rename": lambda s, owner, project: projects.update_project(
        s, owner_id=owner, project_id=project, data=ProjectUpdate(name="Renamed")
    ),
    "recolour": lambda s, owner, project: projects.update_project(
        s, owner_id=owner, project_id=project, data=ProjectUpdate(color="teal")
    ),
    "archive": lambda s, owner, project: projects.update_project(
        s, owner_id=owner, project_id=project, data=ProjectUpdate(archived=True)
    ),
    "move": lambda s, owner, project: projects.move_project(
        s, owner_id=owner, project_id=project, position=0
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_bumps_the_version(session: Session, change: str) -> None:
    owner = make_user(session)
    make_project(session, owner)
    project = make_project(session, owner)
    make_project(session, owner)
    answered = CHANGES[change](session, owner.id, project.id)
    session.commit()
    assert (answered.version, _version(session, project.id)) == (2, 2)


def test_each_change_bumps_the_version_again(session: Session) -> None:
    owner = make_user(session)
    project = make_project(session, owner)
    for colour in ("teal", "red", "blue"):
        projects.update_project(
            session,
            owner_id=owner.id,
            project_id=project.id,
            data=ProjectUpdate(color=colour),
        )
    session.commit()
    assert _version(session, project.id) == 4


def test_move_to_its_own_place_keeps_the_version(session: Session) -> None:
    owner = make_user(session)
    project = make_project(session, owner)
    moved = projects.move_project(
        session, owner_id=owner.id, project_id=project.id, position=0
    )
    session.commit()
    assert (moved.version, _version(session, project.id)) == (1, 1)


def test_projects_shifted_by_another_ones_move_keep_their_version(
    session: Session,
) -> None:
    owner = make_user(session)
    first, second = make_project(session, owner), make_project(session, owner)
    last = make_project(session, owner)
    projects.move_project(session, owner_id=owner.id, project_id=last.id, position=0)
    session.commit()
    listed = projects.list_projects(session, owner_id=owner.id)
    assert [(p.id, p.position, p.version) for p in listed] == [
        (last.id, 0, 2),
        (first.id, 1, 1),
        (second.id, 2, 1),
    ]


def test_projects_shifted_by_a_deletion_keep_their_version(session: Session) -> None:
    owner = make_user(session)
    first, second = make_project(session, owner), make_project(session, owner)
    projects.delete_project(session, owner_id=owner.id, project_id=first.id)
    session.commit()
    kept = projects.get_project(session, owner_id=owner.id, project_id=second.id)
    assert (kept.position, kept.version) == (0, 1)


def test_list_and_get_show_the_version(session: Session) -> None:
    owner = make_user(session)
    project = make_project(session, owner)
    CHANGES["rename"](session, owner.id, project.id)
    session.commit()
    listed = projects.list_projects(session, owner_id=owner.id)
    got = projects.get_project(session, owner_id=owner.id, project_id=project.id)
    assert ([p.version for p in listed], got.version) == ([2], 2)


# Each change that honours If-Match, at version `v`.
CONDITIONAL: dict[str, Callable[[Session, int, int, int], Any]] = {
    "update": lambda s, owner, project, v: projects.update_project(
        s,
        owner_id=owner,
        project_id=project,
        data=ProjectUpdate(name="Mine"),
        expected_version=v,
    ),
    "move": lambda s, owner, project, v: projects.move_project(
        s, owner_id=owner, project_id=project, position=0, expected_version=v
    ),
    "delete": lambda s, owner, project, v: projects.delete_project(
        s, owner_id=owner, project_id=project, expected_version=v
    ),
}


@pytest.mark.parametrize("change", CONDITIONAL)
def test_change_at_the_expected_version_is_made(session: Session, change: str) -> None:
    owner = make_user(session)
    make_project(session, owner)
    project = make_project(session, owner, name="Old")
    CONDITIONAL[change](session, owner.id, project.id, 1)
    session.commit()
    session.expire_all()
    changed = session.get(Project, project.id)
    if change == "delete":
        assert changed is None
    else:
        assert changed is not None
        assert changed.version == 2
        assert (changed.name, changed.position) != ("Old", 1)


@pytest.mark.parametrize("change", CONDITIONAL)
def test_change_at_a_stale_version_raises_conflict_with_the_current_project(
    session: Session, change: str
) -> None:
    owner = make_user(session)
    make_project(session, owner)
    project = make_project(session, owner, name="Old")
    projects.update_project(
        session,
        owner_id=owner.id,
        project_id=project.id,
        data=ProjectUpdate(name="Theirs"),
    )
    session.commit()
    with pytest.raises(VersionConflict) as raised:
        CONDITIONAL[change](session, owner.id, project.id, 1)
    session.rollback()
    current = raised.value.current
    assert isinstance(current, ProjectPublic)
    assert (raised.value.version, current.name, current.version) == (2, "Theirs", 2)
    kept = projects.get_project(session, owner_id=owner.id, project_id=project.id)
    assert (kept.name, kept.position, kept.version) == ("Theirs", 1, 2)


@pytest.mark.parametrize("change", CONDITIONAL)
def test_change_with_a_version_of_another_users_project_is_not_found(
    session: Session, change: str
) -> None:
    owner, other = make_user(session), make_user(session)
    theirs = make_project(session, other)
    for version in (1, 2):
        with pytest.raises(NotFound):
            CONDITIONAL[change](session, owner.id, theirs.id, version)


def test_conflict_is_raised_before_anything_changes(session: Session) -> None:
    owner = make_user(session)
    project = make_project(session, owner, name="Old", color=ProjectColor.red)
    with pytest.raises(VersionConflict):
        projects.update_project(
            session,
            owner_id=owner.id,
            project_id=project.id,
            data=ProjectUpdate(name="New", color="teal"),
            expected_version=5,
        )
    session.rollback()
    kept = projects.get_project(session, owner_id=owner.id, project_id=project.id)
    assert (kept.name, kept.color, kept.version) == ("Old", ProjectColor.red, 1)


def test_concurrent_changes_with_the_same_version_only_one_wins(
    session: Session, database_url: str
) -> None:
    owner = make_user(session)
    project = make_project(session, owner, name="Start")

    def change(index: int) -> int:
        with session_scope(database_url) as db:
            return projects.update_project(
                db,
                owner_id=owner.id,
                project_id=project.id,
                data=ProjectUpdate(name=f"Writer {index}"),
                expected_version=1,
            ).version

    results = _at_once(change)
    won = [result for result in results if isinstance(result, int)]
    refused = [result for result in results if isinstance(result, VersionConflict)]
    assert (won, len(refused)) == ([2], THREADS - 1)
    assert _version(session, project.id) == 2
