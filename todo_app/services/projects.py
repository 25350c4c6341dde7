"""Projects: a user's lists of tasks, in the sidebar's order; always scoped to the owner's id.

Positions are 0-based and contiguous over all of the owner's projects (archived ones keep
theirs): creating appends, moving and deleting shift the others. Every change is announced
like a task change (`record_change`), so the owner's other tabs refresh their sidebar.

`version` is bumped by every change of the project itself (rename, colour, archive, its own
move), as a task's is; a shift caused by another project's move or deletion leaves it alone,
so an edit sent with If-Match is not refused because the sidebar was reordered around it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from todo_app.errors import InvalidInput, NameTaken, NotFound, VersionConflict
from todo_app.models import (
    MAX_ID,
    PROJECTS_PER_USER_MAX,
    Project,
    ProjectCreate,
    ProjectPublic,
    ProjectUpdate,
    Task,
    utcnow,
)
from todo_app.services import tasks
from todo_app.services.changes import record_change


def name_key(name: str) -> str:
    """What makes two project names the same: "Work", "WORK" and "work" are one name."""
    return name.casefold()


def _owned(
    session: Session, *, owner_id: int, project_id: int, for_update: bool = False
) -> Project:
    # One answer for "missing" and "someone else's": nobody learns which ids exist.
    if (
        not isinstance(project_id, int)
        or isinstance(project_id, bool)
        or not 0 < project_id <= MAX_ID
    ):
        raise NotFound("Project not found")
    statement = select(Project).where(
        Project.id == project_id, Project.owner_id == owner_id
    )
    if for_update:
        statement = statement.with_for_update()
    project = session.exec(statement).first()
    if project is None:
        raise NotFound("Project not found")
    return project


def _owned_at_version(
    session: Session, *, owner_id: int, project_id: int, expected_version: int | None
) -> Project:
    """The owner's project, locked for the change; VersionConflict when it is not at
    `expected_version` (None: any version).

    The row lock makes the comparison and the change one step, as for tasks.
    """
    project = _owned(session, owner_id=owner_id, project_id=project_id, for_update=True)
    if expected_version is not None and project.version != expected_version:
        raise VersionConflict(
            f"The project changed since version {expected_version}: it is at version "
            f"{project.version} now",
            current=_public(project, _open_count(session, project)),
            version=project.version,
        )
    return project


def _open_counts(owner_id: int) -> sa.Subquery:
    return (
        select(Task.project_id, sa.func.count().label("open_count"))
        .where(
            Task.user_id == owner_id,
            Task.project_id.is_not(None),
            Task.completed.is_(False),
            Task.deleted_at.is_(None),
        )
        .group_by(Task.project_id)
        .subquery()
    )


def _public(project: Project, open_count: int) -> ProjectPublic:
    return ProjectPublic(
        id=project.id,
        name=project.name,
        color=project.color,
        position=project.position,
        archived=project.archived,
        created_at=project.created_at,
        updated_at=project.updated_at,
        version=project.version,
        open_count=open_count,
    )


def list_projects(
    session: Session, *, owner_id: int, include_archived: bool = False
) -> list[ProjectPublic]:
    """The owner's projects in sidebar order, each with its open count; archived ones only
    when `include_archived`."""
    counts = _open_counts(owner_id)
    statement = (
        select(Project, sa.func.coalesce(counts.c.open_count, 0))
        .outerjoin(counts, counts.c.project_id == Project.id)
        .where(Project.owner_id == owner_id)
        .order_by(Project.position, Project.id)
    )
    if not include_archived:
        statement = statement.where(Project.archived.is_(False))
    return [_public(project, count) for project, count in session.exec(statement)]


def get_project(session: Session, *, owner_id: int, project_id: int) -> ProjectPublic:
    """The owner's project with its open count, or NotFound."""
    project = _owned(session, owner_id=owner_id, project_id=project_id)
    return _public(project, _open_count(session, project))


def count_tasks(session: Session, *, owner_id: int, project_id: int) -> int:
    """How many tasks of the owner's project a deletion would move to the trash (open and
    completed alike), or NotFound."""
    project = _owned(session, owner_id=owner_id, project_id=project_id)
    return session.exec(
        select(sa.func.count())
        .select_from(Task)
        .where(
            Task.user_id == owner_id,
            Task.project_id == project.id,
            Task.deleted_at.is_(None),
        )
    ).one()


def _open_count(session: Session, project: Project) -> int:
    return session.exec(
        select(sa.func.count())
        .select_from(Task)
        .where(
            Task.user_id == project.owner_id,
            Task.project_id == project.id,
            Task.completed.is_(False),
            Task.deleted_at.is_(None),
        )
    ).one()


def _check_name_free(
    session: Session, owner_id: int, name: str, *, other_than: int | None = None
) -> None:
    statement = select(Project.name).where(
        Project.owner_id == owner_id, Project.name_key == name_key(name)
    )
    if other_than is not None:
        statement = statement.where(Project.id != other_than)
    existing = session.exec(statement).first()
    if existing is not None:
        # The project as the owner named it: "wORK" typed is taken by "Work".
        raise NameTaken(f"You already have a project named “{existing}”")


def _saved(session: Session, project: Project) -> Project:
    """Write the project now and announce the change after the commit.

    The unique (owner, name) index settles two tabs creating the same name at once.
    """
    session.add(project)
    try:
        session.flush()
    except IntegrityError as exc:
        raise NameTaken(f"You already have a project named “{project.name}”") from exc
    record_change(session, project.owner_id)
    return project


def create_project(
    session: Session,
    *,
    owner_id: int,
    data: ProjectCreate,
    now: datetime | None = None,
) -> ProjectPublic:
    """Add a project at the end of the owner's sidebar; NameTaken for a name in use (any case)."""
    now = now or utcnow()
    count = session.exec(
        select(sa.func.count()).select_from(Project).where(Project.owner_id == owner_id)
    ).one()
    if count >= PROJECTS_PER_USER_MAX:
        raise InvalidInput(
            f"An account can have at most {PROJECTS_PER_USER_MAX} projects: "
            "delete one first"
        )
    _check_name_free(session, owner_id, data.name)
    project = Project(
        owner_id=owner_id,
        name=data.name,
        name_key=name_key(data.name),
        color=data.color,
        position=count,
        created_at=now,
        updated_at=now,
    )
    return _public(_saved(session, project), 0)


def update_project(
    session: Session,
    *,
    owner_id: int,
    project_id: int,
    data: ProjectUpdate,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> ProjectPublic:
    """Rename, recolour or (un)archive the owner's project: only the fields sent change.

    With `expected_version`, a project at another version raises VersionConflict instead.
    """
    project = _owned_at_version(
        session,
        owner_id=owner_id,
        project_id=project_id,
        expected_version=expected_version,
    )
    for name in data.model_fields_set:
        if getattr(data, name) is None:
            raise InvalidInput(f"{name} may not be null", field=name)
    if "name" in data.model_fields_set and data.name is not None:
        _check_name_free(session, owner_id, data.name, other_than=project.id)
        project.name = data.name
        project.name_key = name_key(data.name)
    if data.color is not None:
        project.color = data.color
    if data.archived is not None:
        project.archived = data.archived
    project.updated_at = now or utcnow()
    project.version += 1
    return _public(_saved(session, project), _open_count(session, project))


@dataclass(frozen=True)
class ProjectDeletion:
    """What deleting a project did: its tasks went to the trash at `deleted_at`.

    `tasks.restore_deleted_at(session, owner_id=..., deleted_at=deleted_at)` brings them back
    (into the Inbox: the project itself is gone).
    """

    deleted_at: datetime
    trashed: int  # how many of its tasks went to the trash
    project: ProjectPublic  # the project as it was, for `undo_project_deletion`


def delete_project(
    session: Session,
    *,
    owner_id: int,
    project_id: int,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> ProjectDeletion:
    """Delete the owner's project and move its tasks to the trash, all with one deletion time.

    The tasks leave the project (so a restore puts them in the Inbox); the projects after it
    move up one place. VersionConflict when it is not at `expected_version`.
    """
    now = now or utcnow()
    project = _owned_at_version(
        session,
        owner_id=owner_id,
        project_id=project_id,
        expected_version=expected_version,
    )
    as_it_was = _public(project, _open_count(session, project))
    trashed = session.exec(
        sa.update(Task)
        .where(
            Task.user_id == owner_id,
            Task.project_id == project.id,
            Task.deleted_at.is_(None),
        )
        .values(deleted_at=now, version=Task.version + 1, project_id=None)
    ).rowcount
    # Tasks already in the trash leave it too, for the same reason.
    session.exec(
        sa.update(Task)
        .where(Task.user_id == owner_id, Task.project_id == project.id)
        .values(project_id=None)
    )
    session.exec(
        sa.update(Project)
        .where(Project.owner_id == owner_id, Project.position > project.position)
        .values(position=Project.position - 1)
    )
    session.delete(project)
    session.flush()
    session.expire_all()  # task rows loaded before still name the project
    record_change(session, owner_id)
    return ProjectDeletion(deleted_at=now, trashed=trashed, project=as_it_was)


def undo_project_deletion(
    session: Session, *, owner_id: int, deletion: ProjectDeletion
) -> ProjectPublic:
    """Put a project deleted by `delete_project` back exactly as it was: the same id (ids are
    never reused, so it is still free), name, colour, place and archived flag, with the tasks
    that deletion moved to the trash back in it.

    `deletion` must come from the server's own `delete_project` of this owner (the UI keeps
    it server-side for its "Undo"), never from a client. NameTaken when a project of that
    name was created meanwhile; NotFound when the project is back already.
    """
    project = deletion.project
    if session.get(Project, project.id) is not None:
        raise NotFound("Project not found")
    _check_name_free(session, owner_id, project.name)
    count = session.exec(
        select(sa.func.count()).select_from(Project).where(Project.owner_id == owner_id)
    ).one()
    position = min(project.position, count)
    session.exec(
        sa.update(Project)
        .where(Project.owner_id == owner_id, Project.position >= position)
        .values(position=Project.position + 1)
    )
    restored = Project(
        id=project.id,
        owner_id=owner_id,
        name=project.name,
        name_key=name_key(project.name),
        color=project.color,
        position=position,
        archived=project.archived,
        created_at=project.created_at,
        updated_at=project.updated_at,
        # Coming back is a change: an edit prepared before the deletion must be checked again.
        version=project.version + 1,
    )
    _saved(session, restored)
    task_ids = session.exec(
        select(Task.id).where(
            Task.user_id == owner_id, Task.deleted_at == deletion.deleted_at
        )
    ).all()
    tasks.restore_deleted_at(session, owner_id=owner_id, deleted_at=deletion.deleted_at)
    if task_ids:
        session.exec(
            sa.update(Task)
            .where(Task.user_id == owner_id, Task.id.in_(task_ids))
            .values(project_id=project.id)
        )
    session.flush()
    session.expire_all()
    return _public(restored, _open_count(session, restored))


def move_project(
    session: Session,
    *,
    owner_id: int,
    project_id: int,
    position: int,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> ProjectPublic:
    """Put the owner's project at `position` (0-based; past the end: last); the others shift.

    A move that changes its place bumps its version (not theirs); VersionConflict when it is
    not at `expected_version`.
    """
    project = _owned_at_version(
        session,
        owner_id=owner_id,
        project_id=project_id,
        expected_version=expected_version,
    )
    last = (
        session.exec(
            select(sa.func.count())
            .select_from(Project)
            .where(Project.owner_id == owner_id)
        ).one()
        - 1
    )
    if position < 0:
        raise InvalidInput("position must be 0 or more", field="position")
    target = min(position, last)
    old = project.position
    if target != old:
        if target < old:
            shift = sa.update(Project).where(
                Project.position >= target, Project.position < old
            )
            step = 1
        else:
            shift = sa.update(Project).where(
                Project.position > old, Project.position <= target
            )
            step = -1
        session.exec(
            shift.where(Project.owner_id == owner_id, Project.id != project.id).values(
                position=Project.position + step
            )
        )
        project.position = target
        project.updated_at = now or utcnow()
        project.version += 1
        _saved(session, project)
    return _public(project, _open_count(session, project))
