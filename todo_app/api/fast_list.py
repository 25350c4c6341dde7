"""A fast answer to the commonest reads, `GET /api/tasks` and `GET /api/tasks/{id}`, on
PostgreSQL (issue #16).

Most of their cost is the machinery around a little database work (FastAPI's routing and
dependencies, pydantic, the ORM). This bare ASGI layer sits in front of the API (and, for
requests without an Origin, around the whole app) and answers only the happy path itself: a
session's bearer token, query parameters that `TaskQuery` accepts, a session that is live, a
task that is the caller's. PostgreSQL checks the session and builds the JSON in one
statement, generated from the service's own queries (`tasks.list_statement`,
`tasks.task_statement`), so the filters, ownership and order are defined once.

Anything else goes to the API unchanged, so every error keeps its status and body and the
routes stay in `/openapi.json`: other paths and methods, personal access tokens, parameters
that do not validate, SQLite, a token whose session ended or whose "last seen" is due to be
written, a task that is not found, a database error.

The same layer answers the commonest write, `POST /api/tasks`, in the same way
(`todo_app.api.fast_create`).
"""

from __future__ import annotations

import functools
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from typing import Any, TypeVar

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.dialects.postgresql import aggregate_order_by
from starlette.datastructures import QueryParams
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from todo_app.api import fast_create
from todo_app.api.etags import etag
from todo_app.api.headers import SecurityHeadersMiddleware
from todo_app.api.page_cache import Page, PageCache, PageKey
from todo_app.api.prepared import (
    NOW,
    SESSION_ID,
    TASK_ID,
    TODAY,
    USER_ID,
    CompiledPage,
    caller_values,
    execute,
    prepare,
    retrying,
)
from todo_app.db import get_engine, run_on_dbapi_connection
from todo_app.errors import InvalidToken
from todo_app.models import (
    MAX_ID,
    DueFilter,
    Task,
    TaskCreate,
    TaskPublic,
    TaskQuery,
    User,
    UTCDateTime,
)
from todo_app.services import access_tokens, changes, sessions, tasks

logger = logging.getLogger(__name__)

PATH = "/api/tasks"
TASK_PATH_PREFIX = PATH + "/"
# The page cache's key of a single task's answer (no list parameter is named so).
TASK_KEY = "/api/tasks/{task_id}"
# The views that need the owner's "today" (in their time zone), read before the page.
_DATED_VIEWS = frozenset({DueFilter.today, DueFilter.overdue, DueFilter.upcoming})
_QUERY_FIELDS = frozenset(TaskQuery.model_fields)
_ANSWER_KEY = "todo_app.fast_list.answer"
T = TypeVar("T")
# After a database error the API alone answers for a while: in an outage every fast attempt
# would first wait for its own connect timeout before the API's 503.
REST_AFTER_ERROR_SECONDS = 5.0


# --- the page as JSON, built by PostgreSQL -----------------------------------------------------
#
# Byte for byte what the route's `TypeAdapter(list[TaskPublic]).dump_json` writes: compact,
# keys in TaskPublic's order, timestamps as pydantic writes aware UTC ones. PostgreSQL's own
# json_build_object/json_agg put spaces after ":" and ",", so the text is concatenated.


def _sql_string(value: str) -> sa.ColumnElement[str]:
    """A constant string in the SQL itself (not a parameter: one less value per request)."""
    assert "%" not in value  # would need escaping for psycopg2's paramstyle
    return sa.literal_column("'" + value.replace("'", "''") + "'", sa.Text)


def _json_text(value: sa.ColumnElement[Any]) -> sa.ColumnElement[str]:
    return sa.cast(sa.func.to_json(value), sa.Text)


def _json_timestamp(column: sa.ColumnElement[Any]) -> sa.ColumnElement[str]:
    # pydantic: 2026-11-30T09:05:03Z, or with .123456 when there are microseconds.
    utc = sa.func.timezone(_sql_string("UTC"), column)
    fraction = sa.case(
        (sa.func.date_trunc(_sql_string("second"), utc) == utc, _sql_string("")),
        else_=_sql_string(".").op("||")(sa.func.to_char(utc, _sql_string("US"))),
    )
    # || rather than concat(), which would turn NULL into '".Z"' instead of NULL.
    return (
        _sql_string('"')
        .op("||")(sa.func.to_char(utc, _sql_string('YYYY-MM-DD"T"HH24:MI:SS')))
        .op("||")(fraction)
        .op("||")(_sql_string('Z"'))
    )


def _json_value(column: sa.ColumnElement[Any], kind: Any) -> sa.ColumnElement[str]:
    if isinstance(kind, UTCDateTime):
        text = _json_timestamp(column)
    else:
        base = kind.impl if isinstance(kind, sa.types.TypeDecorator) else kind
        if isinstance(base, sa.Boolean):
            text = sa.case((column, _sql_string("true")), else_=_sql_string("false"))
        elif isinstance(base, sa.Integer):
            text = sa.cast(column, sa.Text)
        elif isinstance(base, sa.String | sa.Date):
            text = _json_text(column)
        else:  # a new kind of column: say how pydantic writes it before serving it fast
            raise TypeError(f"no JSON rendering for a column of type {kind!r}")
    return sa.func.coalesce(text, _sql_string("null"))


def _json_tags(comma_joined: sa.ColumnElement[Any]) -> sa.ColumnElement[str]:
    # Sorted by code point, as the service's `sorted()`: the "C" collation on UTF-8.
    tag = sa.func.unnest(
        sa.func.string_to_array(comma_joined, _sql_string(","))
    ).column_valued("tag")
    listed = sa.select(
        sa.func.string_agg(
            _json_text(tag), aggregate_order_by(_sql_string(","), tag.collate("C"))
        )
    ).scalar_subquery()
    return sa.func.concat(_sql_string("["), listed, _sql_string("]"))


def _json_object(page: sa.Subquery) -> sa.ColumnElement[str]:
    """One task of the page as TaskPublic's JSON."""
    parts: list[sa.ColumnElement[Any]] = []
    for index, name in enumerate(TaskPublic.model_fields):
        assert name.isidentifier()
        parts.append(_sql_string(("{" if index == 0 else ",") + f'"{name}":'))
        if name == "tags":
            parts.append(_json_tags(page.c.tags))
        else:
            parts.append(_json_value(page.c[name], Task.__table__.c[name].type))
    parts.append(_sql_string("}"))
    return sa.func.concat(*parts)


def page_statement(
    owner_id: Any, query: TaskQuery, signed_in: sa.Exists, today: Any = None
) -> sa.Select[Any]:
    """One row: `signed_in`, the page as JSON (`items`) and the number matching (`total`).

    The page is the service's (`tasks.list_statement`), computed only while `signed_in`;
    `owner_id` and the owner's `today` (for the date views) may be bound parameters.
    """
    statement = tasks.list_statement(owner_id, query, today).where(signed_in)
    # Its place in the service's order: an aggregate's input order is not guaranteed.
    place = sa.func.row_number().over(order_by=statement._order_by_clauses)
    page = statement.add_columns(place.label("place")).subquery("page")
    # Only evaluated when the page is empty (COALESCE): a page past the end has a total too.
    matching = (
        statement.with_only_columns(sa.func.count(), maintain_column_froms=True)
        .order_by(None)
        .limit(None)
        .offset(None)
        .scalar_subquery()
    )
    items = sa.func.concat(
        _sql_string("["),
        sa.func.string_agg(
            _json_object(page), aggregate_order_by(_sql_string(","), page.c.place)
        ),
        _sql_string("]"),
    )
    return sa.select(
        signed_in.label("signed_in"),
        items.label("items"),
        sa.func.coalesce(sa.func.max(page.c.total), matching).label("total"),
    ).select_from(page)


def task_statement(owner_id: Any, task_id: Any, signed_in: sa.Exists) -> sa.Select[Any]:
    """One row while `signed_in` and the task is the owner's: the task as JSON (`item`) and
    its `version`. No row otherwise: the API then answers, 401 or 404 as it decides."""
    task = tasks.task_statement(owner_id, task_id).where(signed_in).subquery("page")
    return sa.select(_json_object(task).label("item"), task.c.version)


def _task_query(params: tuple[tuple[str, str], ...]) -> TaskQuery | None:
    """The query parameters as the route's `TaskQuery`, or None unless plainly valid."""
    values = dict(params)
    if len(values) != len(params) or not values.keys() <= _QUERY_FIELDS:
        return None  # repeated or unknown: the API's answer decides
    try:
        return TaskQuery.model_validate(values)
    except ValidationError:
        return None


def compiled_page(
    params: tuple[tuple[str, str], ...], dialect: sa.Dialect
) -> CompiledPage | None:
    """The statement answering these query parameters, or None when the API must answer.

    Two query strings of one shape (`q=milk`, `q=bread`) share one prepared statement.
    """
    query = _task_query(params)
    if query is None:
        return None
    dated = query.due in _DATED_VIEWS
    signed_in = sessions.quiet_check(USER_ID, SESSION_ID, NOW)
    statement = page_statement(USER_ID, query, signed_in, TODAY if dated else None)
    timezone = sa.select(User.timezone).where(User.id == sa.bindparam("user_id"))
    return prepare(
        statement,
        dialect,
        timezone_sql=str(timezone.compile(dialect=dialect)) if dated else None,
    )


def one_task(dialect: sa.Dialect) -> CompiledPage:
    """The statement answering `GET /api/tasks/{id}` (`task_statement`)."""
    signed_in = sessions.quiet_check(USER_ID, SESSION_ID, NOW)
    return prepare(task_statement(USER_ID, TASK_ID, signed_in), dialect)


def session_check(dialect: sa.Dialect) -> CompiledPage:
    """The session check alone (`sessions.quiet_check`) and the owner's time zone, for an
    answer served from the cache (a date view's is kept for the day it was read on)."""
    signed_in = sessions.quiet_check(USER_ID, SESSION_ID, NOW)
    timezone = sa.select(User.timezone).where(User.id == USER_ID).scalar_subquery()
    return prepare(
        sa.select(signed_in.label("signed_in"), timezone.label("timezone")), dialect
    )


_PageKey = tuple[tuple[tuple[str, str], ...], sa.Dialect]


class CompiledPages:
    """The compiled statements of the last `size` query strings that came `compile_on` times.

    Compiling costs about twice the API's answer, which a query string asked once (a search
    being typed) would never win back: by default it is compiled the second time it comes.
    """

    def __init__(self, size: int = 256, compile_on: int = 2) -> None:
        self.size = size
        self.compile_on = compile_on
        self._compiled: OrderedDict[_PageKey, CompiledPage | None] = OrderedDict()
        self._asked: OrderedDict[_PageKey, int] = OrderedDict()

    def get(
        self, params: tuple[tuple[str, str], ...], dialect: sa.Dialect
    ) -> CompiledPage | None:
        """The statement for these query parameters, or None: not (yet) answered here."""
        key = (params, dialect)
        if key in self._compiled:
            self._compiled.move_to_end(key)
            return self._compiled[key]
        asked = self._asked.pop(key, 0) + 1
        if asked < self.compile_on:
            self._remember(self._asked, key, asked)
            return None
        page = compiled_page(params, dialect)
        self._remember(self._compiled, key, page)
        return page

    def _remember(
        self, entries: OrderedDict[_PageKey, Any], key: _PageKey, value: Any
    ) -> None:
        entries[key] = value
        if len(entries) > self.size:
            entries.popitem(last=False)


def read_page(
    connection: Any, page: CompiledPage, user_id: int, session_id: str
) -> Page | None:
    """The page as the route would answer it, or None when the session is not live."""
    return retrying(
        connection, page, lambda: _read_page_once(connection, page, user_id, session_id)
    )


def _read_page_once(
    connection: Any, page: CompiledPage, user_id: int, session_id: str
) -> Page | None:
    caller = caller_values(user_id, session_id)
    cursor = connection.cursor()
    try:
        if page.timezone_sql is not None:
            # Read in the page's transaction; the date by the service's own rule and clock.
            cursor.execute(page.timezone_sql, {"user_id": user_id})
            owner = cursor.fetchone()
            if owner is None:
                return None
            caller[TODAY.key] = tasks.local_today(owner[0], tasks.utcnow())
        signed_in, items, total = execute(cursor, connection, page, caller)
    finally:
        cursor.close()
    if not signed_in:
        return None
    return _list_answer(items.encode(), total, today=caller.get(TODAY.key))


def signed_in_zone(
    connection: Any, check: CompiledPage, user_id: int, session_id: str
) -> str | None:
    """The owner's time zone while the session is live and needs no "last seen" write
    (`session_check`); None otherwise."""

    def once() -> str | None:
        cursor = connection.cursor()
        try:
            signed_in, timezone = execute(
                cursor, connection, check, caller_values(user_id, session_id)
            )
        finally:
            cursor.close()
        return timezone if signed_in else None

    return retrying(connection, check, once)


def read_task(
    connection: Any,
    statement: CompiledPage,
    user_id: int,
    session_id: str,
    task_id: int,
) -> Page | None:
    """The task as the route would answer it, or None (not live, not the owner's, gone)."""

    def once() -> Page | None:
        caller = {**caller_values(user_id, session_id), TASK_ID.key: task_id}
        cursor = connection.cursor()
        try:
            row = execute(cursor, connection, statement, caller)
        finally:
            cursor.close()
        return None if row is None else _task_answer(row[0].encode(), row[1])

    return retrying(connection, statement, once)


def _list_answer(body: bytes, total: int, today: date | None = None) -> Page:
    # The headers as the route's Response lists them.
    return Page(
        today=today,
        body=body,
        headers=(
            (b"x-total-count", str(total).encode()),
            (b"content-length", str(len(body)).encode()),
            (b"content-type", b"application/json"),
        ),
    )


def _task_answer(body: bytes, version: int) -> Page:
    # As FastAPI lists them: its JSONResponse's, then the route's ETag.
    return Page(
        body=body,
        headers=(
            (b"content-length", str(len(body)).encode()),
            (b"content-type", b"application/json"),
            (b"etag", etag(version).encode()),
        ),
    )


# --- the ASGI layer ----------------------------------------------------------------------------


def _bearer_token(scope: Scope, *, with_body: bool = False) -> str | None:
    """The bearer token, read as the API reads it, or None; unless `with_body`, None for a
    request with a body too."""
    token = None
    for name, value in scope["headers"]:
        if name == b"authorization":
            if token is not None:  # two of them: the API's reading decides
                return None
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() != "bearer" or not token:
                return None
        elif not with_body and (
            name == b"transfer-encoding"
            or (name == b"content-length" and value != b"0")
        ):
            return None
    return token


async def _send_answer(scope: Scope, receive: Receive, send: Send) -> None:
    page: Page = scope[_ANSWER_KEY]
    await send(
        {
            "type": "http.response.start",
            "status": page.status,
            "headers": list(page.headers),
        }
    )
    await send({"type": "http.response.body", "body": page.body})


def _task_id(path: str) -> int | None:
    """The id in `/api/tasks/{id}` when written as the API writes ids, else None."""
    if not path.startswith(TASK_PATH_PREFIX):
        return None
    digits = path[len(TASK_PATH_PREFIX) :]
    # "007", "+7", "7/" and the like: the API's own parsing decides.
    if not (0 < len(digits) <= 10 and digits.isascii() and digits.isdigit()):
        return None
    if digits[0] == "0" or int(digits) > MAX_ID:
        return None
    return int(digits)


class FastTaskList:
    """Answers the happy path of `GET /api/tasks` and `GET /api/tasks/{id}` on PostgreSQL;
    passes everything else to `app`.

    Inside the app (`api_transformer`), `app` is the API: its CORS middleware (each of them,
    as configured) also wraps the fast answers, so they carry the same headers. With a
    `cache`, the answers are kept (a date view's for the owner's day it was read on); a kept
    answer is still served only after the session check in the database.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        pages: CompiledPages | None = None,
        cache: PageCache | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.pages = pages or CompiledPages()
        # Rendered pages of this worker; its owner wires the invalidation (todo_app.py).
        self.cache = cache
        self._session_checks: dict[sa.Dialect, CompiledPage] = {}
        self._one_task: dict[sa.Dialect, CompiledPage] = {}
        self._create_statements: dict[sa.Dialect, CompiledPage] = {}
        self.served = 0  # answers given here, not by the API: what the tests check
        self._clock = clock
        self._resting_until = 0.0
        # Whether requests from a browser's script on another site (they carry an Origin
        # header) are answered here: only where the app's CORS layers wrap the answers.
        self.answers_cross_origin = True
        self.answer = _with_cors(_send_answer, getattr(app, "user_middleware", []))

    @classmethod
    def around_the_app(
        cls,
        app: ASGIApp,
        *,
        cors: Sequence[Middleware],
        pages: CompiledPages | None = None,
        cache: PageCache | None = None,
    ) -> FastTaskList:
        """The layer around the whole app that serves (Granian's target), before Reflex's
        own Starlette app: a third of the fast answer's cost (issue #16).

        It answers only requests without an Origin header (API clients; a browser sends none
        on a same-origin GET), and a cross-origin request takes the way inside the app. Its
        answers pass through the app's CORS layers, `cors` (the outermost first: without an
        Origin each only adds `Vary: Origin`), and get the security headers the app adds.
        """
        layer = cls(app, pages=pages, cache=cache)
        layer.answers_cross_origin = False
        layer.answer = SecurityHeadersMiddleware(_with_cors(_send_answer, cors))
        return layer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        page = None
        if scope["type"] == "http" and (
            self.answers_cross_origin or not _has_origin(scope)
        ):
            if scope["method"] == "GET" and scope["path"] == PATH:
                page = await self._fast(scope, self._page)
            elif scope["method"] == "GET" and (task_id := _task_id(scope["path"])):
                page = await self._fast(
                    scope, functools.partial(self._task, task_id=task_id)
                )
            elif (
                scope["method"] == "POST"
                and scope["path"] == PATH
                and fast_create.json_body_length(scope) is not None
                and self._clock() >= self._resting_until
            ):
                # Read here, and given to the API again if it answers after all.
                body, receive = await fast_create.read_body(receive)
                data = None if body is None else fast_create.new_task(body)
                if data is not None:
                    page = await self._fast(
                        scope,
                        functools.partial(self._create, data=data),
                        with_body=True,
                    )
        if page is None:
            await self.app(scope, receive, send)
            return
        self.served += 1
        await self.answer({**scope, _ANSWER_KEY: page}, receive, send)

    async def _fast(
        self,
        scope: Scope,
        answer: Callable[[Scope, sa.Dialect, int, str], Awaitable[Page | None]],
        *,
        with_body: bool = False,
    ) -> Page | None:
        """`answer`'s page for a session's token on PostgreSQL, or None: the API answers."""
        if self._clock() < self._resting_until:
            return None
        token = _bearer_token(scope, with_body=with_body)
        if token is None or access_tokens.is_personal_token(token):
            return None
        dialect = get_engine().dialect
        if dialect.name != "postgresql":
            return None
        try:
            user_id, session_id = sessions.token_claims(token)
        except InvalidToken:
            return None
        try:
            return await answer(scope, dialect, user_id, session_id)
        except Exception:
            # The API answers instead, with its own status for whatever went wrong.
            logger.exception(
                "the fast task list failed; the API answers alone for %s s",
                REST_AFTER_ERROR_SECONDS,
            )
            self._resting_until = self._clock() + REST_AFTER_ERROR_SECONDS
            return None

    async def _page(
        self, scope: Scope, dialect: sa.Dialect, user_id: int, session_id: str
    ) -> Page | None:
        params = tuple(QueryParams(scope["query_string"]).multi_items())
        compiled = self.pages.get(params, dialect)
        if compiled is None:
            return None
        if self.cache is None:
            return await run_on_dbapi_connection(
                lambda connection: read_page(connection, compiled, user_id, session_id)
            )
        return await self._cached(
            (user_id, params),
            dialect,
            session_id,
            lambda connection: read_page(connection, compiled, user_id, session_id),
        )

    async def _task(
        self,
        scope: Scope,
        dialect: sa.Dialect,
        user_id: int,
        session_id: str,
        *,
        task_id: int,
    ) -> Page | None:
        if scope["query_string"]:
            return None  # the route takes no parameters: the API's answer decides
        statement = self._one_task.get(dialect)
        if statement is None:
            statement = self._one_task[dialect] = one_task(dialect)

        def read(connection: Any) -> Page | None:
            return read_task(connection, statement, user_id, session_id, task_id)

        if self.cache is None:
            return await run_on_dbapi_connection(read)
        key = (user_id, ((TASK_KEY, str(task_id)),))
        return await self._cached(key, dialect, session_id, read)

    async def _create(
        self,
        scope: Scope,
        dialect: sa.Dialect,
        user_id: int,
        session_id: str,
        *,
        data: TaskCreate,
    ) -> Page | None:
        statement = self._create_statements.get(dialect)
        if statement is None:
            statement = self._create_statements[dialect] = fast_create.create_statement(
                dialect
            )
        page = await run_on_dbapi_connection(
            lambda connection: fast_create.insert_task(
                connection, statement, user_id, session_id, data
            )
        )
        if page is not None:
            # Committed: as `record_change` would, after the commit (the page cache, the
            # live updates of the owner's open pages).
            changes.announce(frozenset({user_id}))
        return page

    async def _cached(
        self,
        key: PageKey,
        dialect: sa.Dialect,
        session_id: str,
        read: Callable[[Any], Page | None],
    ) -> Page | None:
        """The kept answer after the session check, or `read`'s, kept when it may be."""
        cache = self.cache
        assert cache is not None
        user_id = key[0]
        page = cache.get(key)
        if page is not None:
            check = self._session_checks.get(dialect)
            if check is None:
                check = self._session_checks[dialect] = session_check(dialect)
            timezone = await run_on_dbapi_connection(
                lambda connection: signed_in_zone(
                    connection, check, user_id, session_id
                )
            )
            if timezone is None:
                return None
            # Only a date view's depends on the day: read afresh on another day of the
            # owner's (a new day, or a new zone).
            if page.today is None or page.today == tasks.local_today(
                timezone, tasks.utcnow()
            ):
                return page
        # Read before the statement: a write committed meanwhile makes `store` refuse it.
        generation = cache.generation(user_id)
        page = await run_on_dbapi_connection(read)
        if page is not None:
            cache.store(key, page, generation)
        return page


def _with_cors(answer: ASGIApp, middleware: Sequence[Middleware]) -> ASGIApp:
    """`answer` behind the CORS layers among `middleware` (the outermost first)."""
    for layer in reversed(middleware):
        if layer.cls is CORSMiddleware:
            answer = CORSMiddleware(answer, *layer.args, **layer.kwargs)
    return answer


def _has_origin(scope: Scope) -> bool:
    return any(name == b"origin" for name, _ in scope["headers"])
