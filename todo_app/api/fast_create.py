"""A fast answer to the commonest write, `POST /api/tasks` with a task's fields, on
PostgreSQL (issue #16).

Through the API a create cost about 4 ms of the worker's CPU - FastAPI, the ORM's unit of
work, a statement per rule - for one INSERT's worth of database work. The fast layer
(`todo_app.api.fast_list.FastTaskList`) answers the happy path itself: a session's bearer
token, a small JSON body that the route would read as `TaskCreate`, a live session, and every
rule of `tasks.create_task` met. One prepared statement (`tasks.create_statement`) checks the
session and the rules and writes the task and its tags.

Anything else goes to the API with the very body it sent, so every error keeps its status and
message: a body the route reads otherwise (one line of `text`, not JSON, invalid, large or
streamed), personal tokens, SQLite, a session that ended or whose "last seen" is due, a rule
that refuses (nothing was written; the API's `create_task` says which), a database error.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.dialects.postgresql import ARRAY
from starlette.types import Message, Receive, Scope

from todo_app.api.etags import etag
from todo_app.api.page_cache import Page
from todo_app.api.prepared import (
    CALLER_TYPES,
    NOW,
    SESSION_ID,
    USER_ID,
    CompiledPage,
    caller_values,
    execute,
    prepare,
    retrying,
)
from todo_app.models import TaskCreate, TaskPublic
from todo_app.services import sessions, tasks

# A new task's JSON is a few hundred bytes; larger bodies (up to the API's limit) are read
# by the API.
BODY_MAX = 64 * 1024
_JSON = b"application/json"

# The fields of `TaskCreate` as the statement's parameters, with their PostgreSQL types.
_FIELD_TYPES = {
    "title": (sa.String, "text"),
    "description": (sa.String, "text"),
    "due_date": (sa.Date, "date"),
    "due_time": (sa.String, "text"),
    "priority": (sa.String, "text"),
    "recurrence": (sa.String, "text"),
    "project_id": (sa.Integer, "bigint"),
}
_FIELDS = {
    name: sa.bindparam(f"fast_create_{name}", None, type_=kind, required=False)
    for name, (kind, _) in _FIELD_TYPES.items()
}
_TAGS = sa.bindparam("fast_create_tags", None, type_=ARRAY(sa.Text), required=False)
# The task's timestamps, by the service's clock (the session is checked by the sessions').
_CREATED_AT = sa.bindparam(
    "fast_create_created_at", None, type_=sa.DateTime(timezone=True), required=False
)
_TYPES = {
    **CALLER_TYPES,
    _CREATED_AT.key: "timestamptz",
    **{_FIELDS[name].key: pg_type for name, (_, pg_type) in _FIELD_TYPES.items()},
    _TAGS.key: "text[]",
}


def create_statement(dialect: sa.Dialect) -> CompiledPage:
    """The statement of a create (`tasks.create_statement`) for the caller's session."""
    assert set(_FIELDS) | {"tags"} == set(TaskCreate.model_fields)
    statement = tasks.create_statement(
        owner_id=USER_ID,
        fields=_FIELDS,
        tags=_TAGS,
        now=_CREATED_AT,
        allowed=sessions.quiet_check(USER_ID, SESSION_ID, NOW),
    )
    return prepare(statement, dialect, caller_types=_TYPES)


def json_body_length(scope: Scope) -> int | None:
    """The declared length of a JSON body small enough to read here, else None."""
    length = content_type = None
    for name, value in scope["headers"]:
        if name == b"content-length":
            if length is not None or not value.isdigit():
                return None
            length = int(value)
        elif name == b"content-type":
            if content_type is not None:
                return None
            content_type = value.partition(b";")[0].strip().lower()
        elif name == b"transfer-encoding":
            return None
    if content_type != _JSON or length is None or length > BODY_MAX:
        return None
    return length


async def read_body(receive: Receive) -> tuple[bytes | None, Receive]:
    """The request's body (None if the client left first), and a `receive` that gives the
    API the same messages again."""
    messages: list[Message] = []
    chunks: list[bytes] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break  # a disconnect: the API hears of it too
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break

    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    if messages[-1]["type"] != "http.request":
        return None, replay
    return b"".join(chunks), replay


def new_task(body: bytes) -> TaskCreate | None:
    """The body as the route reads it, or None unless it is a task's fields that pass."""
    try:
        value = json.loads(body)
    except ValueError:
        return None
    # One line of `text` is quick add's (the route's `_one_shape`).
    if not isinstance(value, dict) or "text" in value:
        return None
    try:
        return TaskCreate.model_validate(value)
    except ValidationError:
        return None


def insert_task(
    connection: Any,
    statement: CompiledPage,
    user_id: int,
    session_id: str,
    data: TaskCreate,
) -> Page | None:
    """Add the task as the route would and answer as it does, or None: nothing written."""
    caller = caller_values(user_id, session_id)
    fields = dict(data)
    caller.update({param.key: fields[name] for name, param in _FIELDS.items()})
    caller[_TAGS.key] = fields["tags"]
    now = caller[_CREATED_AT.key] = tasks.utcnow()
    for name in ("priority", "recurrence"):
        caller[_FIELDS[name].key] = fields[name].value

    def once() -> Any:
        cursor = connection.cursor()
        try:
            return execute(cursor, connection, statement, caller)
        finally:
            cursor.close()

    row = retrying(connection, statement, once)
    if row is None:
        return None
    task_id, position = row
    task = TaskPublic.model_construct(
        **fields,
        id=task_id,
        completed=False,
        completed_at=None,
        created_at=now,
        updated_at=now,
        version=1,
        position=position,
    )
    return _created_answer(task_id, task.model_dump_json().encode())


def _created_answer(task_id: int, body: bytes) -> Page:
    # As the route's Response lists them: its own headers, then Starlette's.
    return Page(
        status=201,
        body=body,
        headers=(
            (b"location", f"/api/tasks/{task_id}".encode()),
            (b"etag", etag(1).encode()),
            (b"content-length", str(len(body)).encode()),
            (b"content-type", _JSON),
        ),
    )
