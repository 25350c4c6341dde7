"""Shapes only the HTTP API has: tokens, health, error bodies and their documentation."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from todo_app.models import TaskPublic


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
    412: "If-Match names another version: the body is the task as it is now, with its ETag",
    413: "The request body is larger than 1 MiB",
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
    429: "Too many failed login attempts. Try again later.",
    503: "The database is unavailable",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for these error status codes."""
    documented: dict[int | str, dict[str, Any]] = {}
    for code in codes:
        entry: dict[str, Any] = {"description": _DESCRIPTIONS[code]}
        if code == 422:
            entry["model"] = ValidationErrorResponse
        elif code == 412:
            entry["model"] = TaskPublic
        else:
            entry["model"] = ErrorResponse
            entry["content"] = {
                "application/json": {"example": {"detail": _EXAMPLES[code]}}
            }
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
