"""Prepared statements for the fast answers (todo_app.api.fast_list, fast_create): compiled
once from SQLAlchemy statements, PREPAREd once per pooled connection, EXECUTEd with only the
caller's values (issue #16: planning cost PostgreSQL about as much as running).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import psycopg2
import sqlalchemy as sa

from todo_app.models import utcnow

T = TypeVar("T")

# The caller's values: the only parameters that differ between two requests with the same
# query string. The rest of the SQL and its parameters are compiled once (`CompiledPages`).
# (Given placeholder values: compiling asks for one.)
USER_ID = sa.bindparam("fast_list_user_id", 0, type_=sa.Integer)
SESSION_ID = sa.bindparam("fast_list_session_id", "", type_=sa.String)
NOW = sa.bindparam(
    "fast_list_now", None, type_=sa.DateTime(timezone=True), required=False
)
TODAY = sa.bindparam("fast_list_today", None, type_=sa.Date, required=False)
TASK_ID = sa.bindparam("fast_list_task_id", 0, type_=sa.Integer)
CALLER_TYPES = {
    TASK_ID.key: "bigint",
    USER_ID.key: "bigint",
    SESSION_ID.key: "text",
    NOW.key: "timestamptz",
    TODAY.key: "date",
}
# The type a PREPAREd statement declares for a parameter, by its (processed) Python value:
# declared, none is left for PostgreSQL to guess ("now - interval '5 min'" is ambiguous).
_PG_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),  # before int: a bool is an int
    (int, "bigint"),
    (str, "text"),
    (datetime, "timestamptz"),  # before date: a datetime is a date
    (date, "date"),
    (timedelta, "interval"),
)
# Per pooled DBAPI connection (its `info` lives as long as it): the statements it prepared.
PREPARED = "todo_app.fast_list.prepared"


def _pg_type(value: Any) -> str:
    for kind, name in _PG_TYPES:
        if isinstance(value, kind):
            return name
    raise TypeError(f"no PostgreSQL type for a parameter {value!r}")


@dataclass(frozen=True)
class CompiledPage:
    """A list query as a prepared statement: its name, how to prepare it, and its
    parameters in order, with None for the caller's (`CALLER_TYPES`)."""

    name: str
    prepare: str
    params: tuple[tuple[str, Any], ...]
    # A date view's: the SQL reading the owner's time zone (their "today") first.
    timezone_sql: str | None = None

    @property
    def execute(self) -> str:
        """The EXECUTE of the statement, its parameters as psycopg2 placeholders."""
        return f"EXECUTE {self.name}({', '.join(['%s'] * len(self.params))})"


def prepare(
    statement: sa.Select[Any],
    dialect: sa.Dialect,
    timezone_sql: str | None = None,
    caller_types: Mapping[str, str] = CALLER_TYPES,
) -> CompiledPage:
    """`statement` as a prepared statement; `caller_types` are the PostgreSQL types of the
    parameters each request gives (the others keep the values compiled in)."""
    # $1, $2...: the form PREPARE takes.
    positional = type(dialect)(paramstyle="numeric_dollar")
    compiled = statement.compile(
        dialect=positional, compile_kwargs={"render_postcompile": True}
    )
    values = compiled.construct_params()
    types: list[str] = []
    params_in_order: list[tuple[str, Any]] = []
    for name in compiled.positiontup or ():
        if name in caller_types:
            types.append(caller_types[name])
            params_in_order.append((name, None))
            continue
        kind = compiled.binds[name].type.dialect_impl(positional)
        processor = kind.bind_processor(positional)
        value = processor(values[name]) if processor else values[name]
        types.append(_pg_type(value))
        params_in_order.append((name, value))
    sql = compiled.string
    signature = f"({', '.join(types)}) AS {sql}"
    name = "fast_list_" + hashlib.sha256(signature.encode()).hexdigest()[:24]
    return CompiledPage(
        name=name,
        prepare=f"PREPARE {name} {signature}",
        params=tuple(params_in_order),
        timezone_sql=timezone_sql,
    )


def caller_values(user_id: int, session_id: str) -> dict[str, Any]:
    return {USER_ID.key: user_id, SESSION_ID.key: session_id, NOW.key: utcnow()}


def execute(
    cursor: Any, connection: Any, statement: CompiledPage, caller: dict[str, Any]
) -> Any:
    """Run a compiled statement with the caller's values; its one row."""
    prepared: set[str] = connection.info.setdefault(PREPARED, set())
    if statement.name not in prepared:
        # Planned once per connection: planning cost PostgreSQL about as much as running.
        cursor.execute(statement.prepare)
        prepared.add(statement.name)
    cursor.execute(
        statement.execute,
        [caller.get(name, value) for name, value in statement.params],
    )
    return cursor.fetchone()


# Connection poolers in transaction mode (PgBouncer, Neon's "-pooler" endpoints) hand each
# transaction to any of their server connections, so a statement PREPAREd in one transaction
# can be missing in the next (26000) or already there (42P05): learn which, and try again.
_STATEMENT_MISSING = "26000"
_STATEMENT_EXISTS = "42P05"
_ATTEMPTS = 4


def retrying(connection: Any, statement: CompiledPage, work: Callable[[], T]) -> T:
    """`work()`, run again when a pooler moved `statement` (see _STATEMENT_MISSING)."""
    prepared: set[str] = connection.info.setdefault(PREPARED, set())
    for attempt in range(_ATTEMPTS):
        try:
            return work()
        except psycopg2.Error as error:
            if error.pgcode not in (_STATEMENT_MISSING, _STATEMENT_EXISTS):
                raise
            if attempt == _ATTEMPTS - 1:
                raise
            connection.rollback()
            if error.pgcode == _STATEMENT_MISSING:
                prepared.discard(statement.name)
            else:
                prepared.add(statement.name)
    raise AssertionError("unreachable")  # the loop returns or raises
