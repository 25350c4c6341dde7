"""`make soak`: restart the real PostgreSQL server while the production app serves writes.

Checks what tests/reliability/test_postgres_outage.py checks through a proxy, with the real thing:
answers during the restart are quick 503s (never a hang or a 500), the app recovers by itself,
and every write acknowledged with 201 is in the database. It restarts the machine's PostgreSQL
cluster, so every other user of that server sees the restart too: run it on a quiet machine.

Run from the project root: `.venv/bin/python -m bench.soak [--seconds 30] [--restarts 2]`.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import sqlalchemy as sa

from bench.database import CREATE_EMAIL, seed, throwaway_database
from bench.server import THROWAWAY_SECRET_KEY, AppTree, copy_project
from todo_app.db import get_engine

WRITERS = 4
MAX_ANSWER_SECONDS = 5.0
RECOVERY_DEADLINE_SECONDS = 60.0


@dataclass(frozen=True)
class Attempt:
    """One create request: when it ran, its status (0: no answer) and the id if acknowledged."""

    started: float
    ended: float
    status: int
    task_id: int | None


def default_restart_command() -> str:
    """`pg_ctlcluster <version> <name> restart` for the cluster on port 5432."""
    listing = subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True
    ).stdout
    for line in listing.splitlines():
        version, name, port, *_ = line.split()
        if port == "5432":
            return f"pg_ctlcluster {version} {name} restart"
    raise RuntimeError(f"no PostgreSQL cluster on port 5432:\n{listing}")


def _writer(
    url: str, token: str, number: int, stop: threading.Event, out: list[Attempt]
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(timeout=RECOVERY_DEADLINE_SECONDS) as client:
        count = 0
        while not stop.is_set():
            count += 1
            started = time.monotonic()
            try:
                response = client.post(
                    f"{url}/api/tasks",
                    headers=headers,
                    json={"title": f"soak {number} #{count}"},
                )
                status = response.status_code
                task_id = response.json()["id"] if status == 201 else None
            except httpx.HTTPError:
                status, task_id = 0, None
            out.append(Attempt(started, time.monotonic(), status, task_id))


def soak(seconds: float, restarts: int, restart_command: str) -> bool:
    """Serve writes for `seconds` with `restarts` PostgreSQL restarts spread over it."""
    os.environ["TODO_SECRET_KEY"] = THROWAWAY_SECRET_KEY
    os.environ["TODO_DATA_DIR"] = tempfile.mkdtemp(prefix="todo-soak-self-")
    ok = True
    with (
        throwaway_database("todo_soak") as database_url,
        tempfile.TemporaryDirectory(prefix="todo-soak-tree-") as tree_dir,
    ):
        seeded = seed(database_url, other_users=10, tasks_per_user=10)
        copy_project(Path(tree_dir))
        with AppTree(Path(tree_dir)).serve(database_url=database_url) as app:
            attempts: list[Attempt] = []
            stop = threading.Event()
            threads = [
                threading.Thread(
                    target=_writer,
                    args=(app.direct_url, seeded.create_token, n, stop, attempts),
                    daemon=True,
                )
                for n in range(WRITERS)
            ]
            for thread in threads:
                thread.start()
            windows: list[tuple[float, float]] = []
            for _ in range(restarts):
                time.sleep(
                    seconds / (restarts + 1)
                )  # the load runs this long between restarts
                began = time.monotonic()
                subprocess.run(shlex.split(restart_command), check=True)
                windows.append((began, time.monotonic()))
                print(f"restarted PostgreSQL in {windows[-1][1] - began:.1f}s")
            time.sleep(seconds / (restarts + 1))
            stop.set()
            for thread in threads:
                thread.join(timeout=RECOVERY_DEADLINE_SECONDS)
        with get_engine(database_url).connect() as connection:
            stored = set(
                connection.execute(
                    sa.text(
                        'SELECT t.id FROM task t JOIN "user" u ON u.id = t.user_id '
                        "WHERE u.email = :email"
                    ),
                    {"email": CREATE_EMAIL},
                ).scalars()
            )
        get_engine(database_url).dispose()

    acknowledged = {a.task_id for a in attempts if a.status == 201}
    statuses: dict[int, int] = {}
    for attempt in attempts:
        statuses[attempt.status] = statuses.get(attempt.status, 0) + 1
    print(f"{len(attempts)} requests, statuses {dict(sorted(statuses.items()))}")
    print(f"{len(acknowledged)} acknowledged writes, {len(stored)} tasks stored")
    if not acknowledged <= stored:
        print(f"LOST: {len(acknowledged - stored)} acknowledged writes are missing")
        ok = False
    if set(statuses) - {201, 503}:
        print("FAIL: answers other than 201 and 503 (0 means no answer in time)")
        ok = False
    slowest = max((a.ended - a.started for a in attempts), default=0.0)
    print(f"slowest answer {slowest:.2f}s (limit {MAX_ANSWER_SECONDS}s)")
    if slowest >= MAX_ANSWER_SECONDS:
        ok = False
    for began, ended in windows:
        recovered = [a.ended for a in attempts if a.status == 201 and a.started > ended]
        if not recovered:
            print(
                "FAIL: no acknowledged write after a restart: the app did not recover"
            )
            ok = False
        else:
            print(
                f"restart at +{began - attempts[0].started:.1f}s: first write acknowledged "
                f"{min(recovered) - ended:.2f}s after PostgreSQL was back"
            )
    print("soak passed" if ok else "soak FAILED")
    return ok


def main(argv: list[str] | None = None) -> int:
    """Parse the options and run the soak."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--restarts", type=int, default=2)
    parser.add_argument(
        "--restart-command",
        default=None,
        help="what restarts PostgreSQL (default: pg_ctlcluster for the port-5432 cluster)",
    )
    args = parser.parse_args(argv)
    command = args.restart_command or default_restart_command()
    return 0 if soak(args.seconds, args.restarts, command) else 1


if __name__ == "__main__":
    sys.exit(main())
