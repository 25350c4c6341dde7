"""Import and export: all of your tasks as one file, and a file of tasks added at once.

The import reads the file from the request body (up to 10 MiB, its own limit: see
`api/limits.py`); its media type says which format it is.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from todo_app.api.deps import CallerDep
from todo_app.api.schemas import error_responses
from todo_app.models import TokenScope, utcnow
from todo_app.services import transfer

router = APIRouter(prefix="/api", tags=["transfer"])


class Imported(BaseModel):
    """How many tasks and projects an import added."""

    tasks: int = Field(examples=[312])
    projects: int = Field(examples=[0])


class SkippedLine(BaseModel):
    """A line (or part of one) the import left out, and why."""

    line: int = Field(
        description="The line of a CSV file; for JSON, the task's position in `tasks`",
        examples=[14],
    )
    reason: str = Field(examples=["a task without a title"])


class ImportSummary(BaseModel):
    """What an import did."""

    imported: Imported
    skipped: list[SkippedLine]


class FileProblems(BaseModel):
    """Why a file was refused as a whole; nothing was imported."""

    detail: list[SkippedLine]


_EXPORT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
}


@router.get(
    "/export",
    response_class=Response,
    responses={
        200: {
            "content": {"application/json": {}, "text/csv": {}},
            "description": "A file download (Content-Disposition: attachment)",
        },
        **error_responses(401, 422, 503),
    },
)
async def export_tasks(
    caller: CallerDep, format: Literal["json", "csv"] = Query("json")
) -> Response:
    """Everything of yours as a file: JSON (every task, trash included) or CSV (tasks)."""
    now = utcnow()

    def export(session: Any, user: Any) -> bytes:
        if format == "csv":
            return transfer.export_csv(session, owner_id=user.id).encode("utf-8")
        return transfer.export_json(session, owner_id=user.id, now=now)

    body = await caller.run(export, personal_token=TokenScope.read)
    filename = f"todo_app-export-{now:%Y-%m-%d}.{format}"
    return Response(
        content=body,
        media_type=_EXPORT_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post(
    "/import",
    responses={
        **error_responses(
            401,
            413,
            415,
            503,
            described={
                413: "The file is larger than 10 MiB",
                415: "Not application/json nor text/csv",
            },
        ),
        422: {
            "description": "The file cannot be imported as a whole (nothing was "
            "imported), or it would break a quota",
            "model": FileProblems,
            "content": {
                "application/json": {
                    "example": {
                        "detail": [
                            {"line": 14, "reason": "due_date: not a date: 31/02/2026"}
                        ]
                    }
                }
            },
        },
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    },
)
async def import_tasks(request: Request, caller: CallerDep) -> ImportSummary:
    """Add the tasks of a file: this app's JSON export or Todoist's CSV export.

    All or nothing for a file that cannot be read; rows that cannot be mapped are skipped.
    """
    body = await request.body()
    content_type = request.headers.get("content-type")
    result = await caller.run(
        lambda session, user: transfer.import_file(
            session, owner_id=user.id, body=body, content_type=content_type
        ),
        personal_token=TokenScope.write,
    )
    return ImportSummary(
        imported=Imported(tasks=result.tasks, projects=result.projects),
        skipped=[SkippedLine(**entry) for entry in result.skipped],
    )
