"""The signed-in user's projects: list (sidebar order, with open counts), create, read,
rename/recolour/archive, delete (its tasks go to the trash) and move in the sidebar.

A project of another user is answered exactly like one that does not exist: 404. A single
project's answers carry its version as `ETag`; PATCH, DELETE and move honour `If-Match` as the
task routes do (412 with the project as it is now).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from todo_app.api.deps import CallerDep
from todo_app.api.etags import ETAG_HEADER, IfMatch, etag, expected_version
from todo_app.api.schemas import error_responses
from todo_app.models import (
    ProjectCreate,
    ProjectMove,
    ProjectPublic,
    ProjectQuery,
    ProjectUpdate,
    TokenScope,
)
from todo_app.services import projects

router = APIRouter(prefix="/api/projects", tags=["projects"])

READ = TokenScope.read
WRITE = TokenScope.write

ETAG_DOC = {
    ETAG_HEADER: {
        "description": 'The project\'s version in quotes, e.g. "3": send it as If-Match',
        "schema": {"type": "string"},
    }
}


def _one_project(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route answering one project: its ETag, and these errors."""
    return {
        200: {"headers": ETAG_DOC},
        **error_responses(*codes, current=ProjectPublic),
    }


def _with_etag(response: Response, project: ProjectPublic) -> ProjectPublic:
    response.headers[ETAG_HEADER] = etag(project.version)
    return project


@router.get("", responses=error_responses(401, 422, 503))
async def list_projects(
    query: Annotated[ProjectQuery, Query()], caller: CallerDep
) -> list[ProjectPublic]:
    """Your projects in sidebar order, each with `open_count`; archived ones too with
    `?archived=true`. Unknown query parameters are refused."""
    return await caller.run(
        lambda session, user: projects.list_projects(
            session, owner_id=user.id, include_archived=query.archived
        ),
        personal_token=READ,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={
        201: {
            "headers": {
                "Location": {
                    "description": "The URL of the new project",
                    "schema": {"type": "string"},
                },
                **ETAG_DOC,
            }
        },
        **error_responses(401, 409, 413, 422, 503),
    },
)
async def create_project(
    data: ProjectCreate, caller: CallerDep, response: Response
) -> ProjectPublic:
    """Add a project at the end of the sidebar; 409 when you have one of that name (in
    any case)."""
    project = await caller.run(
        lambda session, user: projects.create_project(
            session, owner_id=user.id, data=data
        ),
        personal_token=WRITE,
    )
    response.headers["Location"] = f"{router.prefix}/{project.id}"
    return _with_etag(response, project)


@router.get("/{project_id}", responses=_one_project(401, 404, 422, 503))
async def read_project(
    project_id: int, caller: CallerDep, response: Response
) -> ProjectPublic:
    """One of your projects, with `open_count` and its version as `ETag`."""
    project = await caller.run(
        lambda session, user: projects.get_project(
            session, owner_id=user.id, project_id=project_id
        ),
        personal_token=READ,
    )
    return _with_etag(response, project)


@router.patch(
    "/{project_id}", responses=_one_project(400, 401, 404, 409, 412, 413, 422, 503)
)
async def update_project(
    project_id: int,
    data: ProjectUpdate,
    caller: CallerDep,
    response: Response,
    if_match: IfMatch = None,
) -> ProjectPublic:
    """Change only the fields sent: `name`, `color`, `archived` (hidden from the sidebar,
    its tasks from Today and Upcoming). With `If-Match`, only while the project is at that
    version (412 with the project as it is now otherwise)."""
    version = expected_version(if_match)
    project = await caller.run(
        lambda session, user: projects.update_project(
            session,
            owner_id=user.id,
            project_id=project_id,
            data=data,
            expected_version=version,
        ),
        personal_token=WRITE,
    )
    return _with_etag(response, project)


@router.delete(
    "/{project_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(400, 401, 404, 412, 422, 503, current=ProjectPublic),
)
async def delete_project(
    project_id: int, caller: CallerDep, if_match: IfMatch = None
) -> None:
    """Delete a project; its tasks go to the trash (`/api/trash`), from where each can be
    restored, into the Inbox. `If-Match` as for PATCH."""
    version = expected_version(if_match)
    await caller.run(
        lambda session, user: projects.delete_project(
            session, owner_id=user.id, project_id=project_id, expected_version=version
        ),
        personal_token=WRITE,
    )


@router.post("/{project_id}/move", responses=_one_project(400, 401, 404, 412, 422, 503))
async def move_project(
    project_id: int,
    data: ProjectMove,
    caller: CallerDep,
    response: Response,
    if_match: IfMatch = None,
) -> ProjectPublic:
    """Put the project at `position` in the sidebar (0-based; past the end: last); the
    others shift. A move bumps this project's version (not theirs); `If-Match` as for
    PATCH."""
    version = expected_version(if_match)
    project = await caller.run(
        lambda session, user: projects.move_project(
            session,
            owner_id=user.id,
            project_id=project_id,
            position=data.position,
            expected_version=version,
        ),
        personal_token=WRITE,
    )
    return _with_etag(response, project)
