"""The REST API: a FastAPI app mounted into the Reflex app, built by a factory."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from todo_app import db
from todo_app.api.docs import add_offline_docs
from todo_app.api.etags import ETAG_HEADER, etag
from todo_app.api.limits import BodySizeLimitMiddleware
from todo_app.api.routes import access_tokens as token_routes
from todo_app.api.routes import auth as auth_routes
from todo_app.api.routes import calendar as calendar_routes
from todo_app.api.routes import projects as project_routes
from todo_app.api.routes import reminders as reminder_routes
from todo_app.api.routes import stats as stats_routes
from todo_app.api.routes import tasks as task_routes
from todo_app.api.routes import transfer as transfer_routes
from todo_app.api.routes import trash as trash_routes
from todo_app.api.schemas import HealthStatus, error_responses
from todo_app.errors import (
    DomainError,
    EmailTaken,
    Forbidden,
    IncorrectPassword,
    InvalidCredentials,
    InvalidFile,
    InvalidInput,
    InvalidToken,
    NameTaken,
    NotFound,
    ServiceUnavailable,
    TooManyAttempts,
    UnsupportedFormat,
    VersionConflict,
)
from todo_app.services.transfer import IMPORT_BYTES_MAX
from todo_app.settings import get_settings

logger = logging.getLogger(__name__)

# The one place where domain errors become HTTP statuses (first match wins).
ERROR_STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (NotFound, 404),
    (InvalidInput, 422),
    (InvalidFile, 422),
    (UnsupportedFormat, 415),
    (EmailTaken, 409),
    (NameTaken, 409),
    (VersionConflict, 412),
    (InvalidCredentials, 401),
    (InvalidToken, 401),
    (IncorrectPassword, 400),
    (Forbidden, 403),
    (TooManyAttempts, 429),
    (ServiceUnavailable, 503),
)
RETRY_AFTER_UNAVAILABLE_SECONDS = 5

DESCRIPTION = """
A personal todo list over HTTP. Register, log in for a bearer token, then manage your tasks.

Send the token as `Authorization: Bearer <token>` (or use **Authorize** above, with your email
as the username). A personal access token (`todo_pat_...`, from `POST /api/tokens`) works the
same way on the task routes, within its scope. A single task's answers carry its version as
`ETag`; send it back as `If-Match` to change or delete the task only if nobody changed it since
(412 with the task as it is now otherwise). Every error is JSON: `{"detail": "..."}`, or for request validation a list of
`{"type", "loc", "msg"}` entries. Request bodies are limited to 1 MiB (10 MiB for `POST /api/import`).
"""


async def domain_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """Answer a domain error raised by a service with its HTTP status."""
    assert isinstance(exc, DomainError)
    status = next((code for kind, code in ERROR_STATUS if isinstance(exc, kind)), 400)
    headers: dict[str, str] = {}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if isinstance(exc, TooManyAttempts):
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, ServiceUnavailable):
        headers["Retry-After"] = str(RETRY_AFTER_UNAVAILABLE_SECONDS)
        logger.warning(
            "%s %s answered 503: %s", request.method, request.url.path, exc.message
        )
    if isinstance(exc, VersionConflict):
        # The body is the task as it is now, so the client can merge without another GET.
        headers[ETAG_HEADER] = etag(exc.version)
        return JSONResponse(
            jsonable_encoder(exc.current), status_code=status, headers=headers
        )
    if isinstance(exc, InvalidFile):
        # Each line of the file and what is wrong with it, as the import documents.
        return JSONResponse({"detail": exc.problems}, status_code=status)
    if isinstance(exc, InvalidInput):
        field = ["body", exc.field] if exc.field else ["body"]
        detail: Any = [{"type": "value_error", "loc": field, "msg": exc.message}]
    else:
        detail = exc.message
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


def _json_safe(value: object) -> str | int:
    # Field names and messages can echo client input, which may hold lone surrogates that no
    # UTF-8 encoder accepts; the input itself and pydantic's ctx are never echoed back.
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return str(value).encode("utf-8", "backslashreplace").decode("utf-8")


async def validation_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """422 listing type, location and message of each problem, never the input itself."""
    assert isinstance(exc, RequestValidationError)
    detail = [
        {
            "type": _json_safe(error.get("type", "value_error")),
            "loc": [_json_safe(part) for part in error.get("loc", ())],
            "msg": _json_safe(error.get("msg", "Invalid value")),
        }
        for error in exc.errors()
    ]
    return JSONResponse({"detail": detail}, status_code=422)


def create_api_app() -> FastAPI:
    """A fresh API app (tests build their own; Reflex mounts the one in todo_app.py)."""
    api = FastAPI(
        title="todo_app API",
        version="1.0.0",
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_tags=[
            {"name": "auth", "description": "Accounts and bearer tokens"},
            {"name": "tasks", "description": "Your tasks (always only your own)"},
            {"name": "projects", "description": "Your projects: lists of tasks"},
            {"name": "stats", "description": "Your completion history and streak"},
            {
                "name": "trash",
                "description": "Your deleted tasks, until restored or purged",
            },
            {
                "name": "tokens",
                "description": "Personal access tokens for scripts and agents",
            },
            {
                "name": "calendar",
                "description": "A private calendar feed of your tasks",
            },
            {
                "name": "transfer",
                "description": "Import and export of all your tasks",
            },
            {"name": "health", "description": "Is the API and its database up?"},
        ],
    )
    api.add_exception_handler(DomainError, domain_error_handler)
    api.add_exception_handler(RequestValidationError, validation_error_handler)
    # Oversize bodies never reach routing or parsing.
    api.add_middleware(
        BodySizeLimitMiddleware, path_limits={"/api/import": IMPORT_BYTES_MAX}
    )
    # Added last, so it runs first and even a 413 is readable cross-origin. No credentials:
    # the API authenticates with a bearer header, never cookies, so no origin gets them.
    api.add_middleware(
        CORSMiddleware,
        allow_origins=list(get_settings().cors_origins),
        allow_credentials=False,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "If-Match"],
        expose_headers=["X-Total-Count", "Location", "Retry-After", "ETag"],
    )
    api.include_router(auth_routes.router)
    api.include_router(task_routes.router)
    api.include_router(project_routes.router)
    api.include_router(stats_routes.router)
    api.include_router(token_routes.router)
    api.include_router(trash_routes.router)
    api.include_router(reminder_routes.router)
    api.include_router(calendar_routes.router)
    api.include_router(transfer_routes.router)

    @api.get(
        "/api/health",
        tags=["health"],
        responses=error_responses(503),
    )
    def health() -> HealthStatus:
        """200 when the API and its database answer, 503 when the database does not."""
        db.ping(get_settings().database_url)
        return HealthStatus()

    add_offline_docs(api)
    return api
