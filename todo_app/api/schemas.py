"""Shapes only the HTTP API has: tokens, health, error bodies and their documentation."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from todo_app.models import ProjectPublic, TaskPublic


class TokenResponse(BaseModel):
    """A bearer token to send as `Authorization: Bearer <access_token>`."""

    access_token: str = Field(examples=["eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..."])
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(
        description="Seconds until the token expires", examples=[86400]
    )


class HealthStatus(BaseModel):
    """The API and its database answer."""

    status: Literal["ok"] = "ok"
    database: Literal["ok"] = "ok"


class ErrorResponse(BaseModel):
    """Every error except request validation: one human-readable message."""

    detail: str = Field(examples=["Task not found"])


class ValidationIssue(BaseModel):
    """One field that broke a rule."""

    type: str = Field(examples=["missing"])
    loc: list[str | int] = Field(examples=[["body", "title"]])
    msg: str = Field(examples=["Field required"])


class ValidationErrorResponse(BaseModel):
    """Request validation failed: one entry per offending field."""

    detail: list[ValidationIssue]


_DESCRIPTIONS = {
    400: "The current password is incorrect, or a malformed If-Match header",
    401: "Missing, invalid, expired or revoked bearer token",
    403: "The password is incorrect, or a personal access token may not do this",
    404: "Not found (or not yours: the answer is the same)",
    409: "An account with this email, or a project with this name, already exists",
    412: "If-Match names another version: the body is the task (or project) as it is now, "
    "with its ETag",
    413: "The request body is larger than 1 MiB",
    415: "The body's Content-Type is not one this route reads",
    422: "The request broke a validation rule",
    429: "Too many attempts; retry after `Retry-After` seconds",
    503: "The database is unavailable",
}
_EXAMPLES = {
    400: "The current password is incorrect, or a malformed If-Match header",
    401: "Invalid or expired token",
    403: "The password is incorrect, or a personal access token may not do this",
    404: "Task not found",
    409: "An account with this email already exists",
    413: "Request body too large",
    415: "Send the file as application/json or text/csv, not text/plain",
    429: "Too many failed login attempts. Try again later.",
    503: "The database is unavailable",
}


_VALIDATION_EXAMPLE = {
    "detail": [{"type": "missing", "loc": ["body", "title"], "msg": "Field required"}]
}
# 412 answers with the task as it is now (and its ETag), not with a message. No nulls: the
# OpenAPI document leaves null values out of examples, and the example must stay a task.
_CURRENT_TASK_EXAMPLE = {
    "id": 42,
    "title": "Buy milk",
    "description": "Two litres, semi-skimmed",
    "completed": True,
    "completed_at": "2026-11-30T10:02:00Z",
    "due_date": "2026-12-24",
    "due_time": "18:00",
    "priority": "medium",
    "tags": ["errands"],
    "recurrence": "none",
    "created_at": "2026-11-30T09:15:00Z",
    "updated_at": "2026-11-30T10:02:00Z",
    "version": 4,
    "position": 4096,
}
_CURRENT_PROJECT_EXAMPLE = {
    "id": 3,
    "name": "Work",
    "color": "blue",
    "position": 0,
    "archived": False,
    "created_at": "2026-11-30T09:15:00Z",
    "updated_at": "2026-11-30T10:02:00Z",
    "version": 2,
    "open_count": 4,
}
_CURRENT_EXAMPLES: dict[type[BaseModel], dict[str, Any]] = {
    TaskPublic: _CURRENT_TASK_EXAMPLE,
    ProjectPublic: _CURRENT_PROJECT_EXAMPLE,
}


def error_responses(
    *codes: int,
    described: dict[int, str] | None = None,
    current: type[TaskPublic | ProjectPublic] = TaskPublic,
) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for these error status codes, each with an example.

    `described` replaces the usual description of a code where a route means more by it;
    `current` is what a 412 answers with (the thing as it is now).
    """
    documented: dict[int | str, dict[str, Any]] = {}
    for code in codes:
        description = (described or {}).get(code, _DESCRIPTIONS[code])
        entry: dict[str, Any] = {"description": description}
        if code == 422:
            entry["model"] = ValidationErrorResponse
            example: dict[str, Any] = _VALIDATION_EXAMPLE
        elif code == 412:
            entry["model"] = current
            example = _CURRENT_EXAMPLES[current]
        else:
            entry["model"] = ErrorResponse
            example = {"detail": _EXAMPLES[code]}
        entry["content"] = {"application/json": {"example": example}}
        if code == 401:
            entry["headers"] = {
                "WWW-Authenticate": {
                    "description": "Always `Bearer`",
                    "schema": {"type": "string"},
                }
            }
        if code == 429:
            entry["headers"] = {
                "Retry-After": {
                    "description": "Seconds until the next attempt is allowed",
                    "schema": {"type": "integer"},
                }
            }
        documented[code] = entry
    return documented
