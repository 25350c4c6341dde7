"""PostgreSQL's cost of one create as the user's open tasks grow (issue #16).

The fast create's statement (`todo_app.api.fast_create`) run in a loop on one connection of a
throwaway database, committed each time, for a user growing from 0 to `--up-to` open tasks;
prints the wall time and the PostgreSQL backend's CPU per create for each stretch. With
`--without-quota-count` the open-task count is left out of the statement (a measurement of
what it costs, not a way to run the app).

    .venv/bin/python -m bench.create_cost [--up-to 8000] [--without-quota-count]
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Any

import sqlalchemy as sa

from bench.database import seed, throwaway_database
from bench.server import cpu_delta, cpu_seconds_of
from todo_app.api import fast_create
from todo_app.db import get_engine
from todo_app.models import Priority, TaskCreate
from todo_app.services import sessions, tasks

# As bench/wrk_report.lua's create body.
BODY = TaskCreate(
    title="Bench",
    description="Measured by bench/create_cost.py; sixty characters of description.",
    tags=["bench", "load"],
    due_date="2030-01-05",
    priority=Priority.medium,
)


def _backend_pid(connection: Any) -> int:
    cursor = connection.cursor()
    cursor.execute("SELECT pg_backend_pid()")
    pid = cursor.fetchone()[0]
    connection.commit()
    return int(pid)


def measure(url: str, stops: list[int]) -> list[tuple[int, float, float]]:
    """(open tasks reached, wall ms, PostgreSQL CPU ms) per create, for each stretch."""
    # The bench's data set, its create user without tasks of their own.
    seeded = seed(url, other_users=10, tasks_per_user=0)
    user_id, session_id = sessions.token_claims(seeded.create_token)
    engine = get_engine(url)
    statement = fast_create.create_statement(engine.dialect)
    connection = engine.raw_connection()
    try:
        pid = _backend_pid(connection)
        done = 0
        rows = []
        for stop in stops:
            count = stop - done
            cpu_before, started = cpu_seconds_of([pid]), time.perf_counter()
            for _ in range(count):
                created = fast_create.insert_task(
                    connection, statement, user_id, session_id, BODY
                )
                connection.commit()
                assert created is not None, "the create was refused"
            wall = time.perf_counter() - started
            cpu = cpu_delta(cpu_before, cpu_seconds_of([pid]))
            rows.append((stop, 1000 * wall / count, 1000 * cpu / count))
            done = stop
        return rows
    finally:
        connection.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--up-to", type=int, default=8000)
    parser.add_argument("--without-quota-count", action="store_true")
    args = parser.parse_args(argv)
    if args.without_quota_count:
        tasks._open_count = lambda owner_id: sa.select(sa.literal(0))  # type: ignore[assignment]
    stops = [stop for stop in (100, 1000, 4000, 8000, 16000) if stop < args.up_to]
    stops.append(args.up_to)
    with throwaway_database() as url:
        os.environ["DATABASE_URL"] = url
        print(
            "| the user's open tasks | wall ms per create | PostgreSQL CPU ms per create |"
        )
        print("|---|---|---|")
        for stop, wall, cpu in measure(url, stops):
            print(f"| up to {stop:,} | {wall:.2f} | {cpu:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
