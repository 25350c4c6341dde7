"""`make bench`: load scenarios against the production app on PostgreSQL, printed as a table.

Run from the project root: `.venv/bin/python -m bench.run [--quick] [--profile] [--only 1,3]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import timeit
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx
import psutil

from bench import loadgen, profiling, ui
from bench.database import (
    ConnectionSampler,
    Seeded,
    add_user_with_tasks,
    backend_pids,
    browser_key_for,
    browser_keys_of_other_users,
    mark_sessions_seen,
    seed,
    throwaway_database,
)
from bench.loadgen import Load, LoadResult
from bench.server import (
    PROJECT_ROOT,
    THROWAWAY_SECRET_KEY,
    AppTree,
    RunningApp,
    copy_project,
    cpu_delta,
    cpu_seconds_of,
    serve_floor,
)

RESULTS_DIR = PROJECT_ROOT / "bench" / "results"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
LIST_PATH = "/api/tasks?limit=100"
# The Today view (#12): open tasks due today or earlier in the user's zone, by date.
TODAY_PATH = "/api/tasks?due=today&sort=due_date&order=asc&limit=100"
CREATE_PATH = "/api/tasks"
LOGIN_PATH = "/api/auth/login"
# wrk_report.lua puts one of the load's BENCH_IDS in place of {id}, in turn per request.
TASK_PATH = "/api/tasks/{id}"
TOGGLE_PATH = "/api/tasks/{id}/complete"
LIST_SCENARIO = "1 list"
# The scenarios served by one worker; 5 has two, 6 and 7 are the UI's (bench/ui.py).
ONE_WORKER_SCENARIOS = ("1", "2", "3", "4", "8", "9", "10", "11", "12")


def project_path(project_id: int) -> str:
    """A project's view: the same page as the list, of the tasks in that project."""
    return f"/api/tasks?project_id={project_id}&limit=100"


@dataclass(frozen=True)
class Target:
    """A goal of the issue and the check that tells whether a result meets it."""

    text: str
    # None: the target could not be judged (what it is relative to did not run).
    check: Callable[[LoadResult], bool | None]


@dataclass(frozen=True)
class Row:
    """One line of the table: a load, what it measured, and the CPU it cost."""

    scenario: str
    workers: int
    connections: int
    result: LoadResult | None
    server_cpu_per_1k: float | None
    postgres_cpu_per_1k: float | None
    loadgen_cpu_per_1k: float | None
    machine_busy: float | None
    other_cpu_seconds: float | None
    max_db_connections: int | None
    target: str
    met: bool | None
    note: str = ""


@dataclass(frozen=True)
class Measured:
    """The results of loads run together, and the CPU time spent while they ran."""

    results: list[LoadResult]
    server_cpu: float
    postgres_cpu: float
    wrk_cpu: float
    machine_busy_seconds: float
    wall_seconds: float
    max_connections: int


def _busy_seconds() -> float:
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(
    app: RunningApp,
    database_url: str,
    loads: list[Load],
    *,
    warmup_seconds: float,
    profile_to: Path | None = None,
) -> Measured:
    """Warm up with the loads, then run them together while counting CPU seconds."""
    if warmup_seconds > 0:
        warm = [
            loadgen.start(
                app.direct_url, Load(**{**asdict(load), "seconds": warmup_seconds})
            )
            for load in loads
        ]
        for process in warm:
            loadgen.finish(process)
    server_before = app.cpu_seconds()
    pg_pids = backend_pids(database_url)
    pg_before = cpu_seconds_of(pg_pids)
    busy_before, wrk_before, wall_before = (
        _busy_seconds(),
        _children_cpu(),
        time.monotonic(),
    )
    spy = (
        profiling.start_recording(
            app.process.pid, max(load.seconds for load in loads), profile_to
        )
        if profile_to
        else None
    )
    with ConnectionSampler(database_url) as connections:
        running = [loadgen.start(app.direct_url, load) for load in loads]
        results = [loadgen.finish(process) for process in running]
    server_after = app.cpu_seconds()
    pg_after = cpu_seconds_of(sorted(set(pg_pids) | set(backend_pids(database_url))))
    busy_after, wrk_after, wall_after = (
        _busy_seconds(),
        _children_cpu(),
        time.monotonic(),
    )
    if spy is not None:
        spy.wait(timeout=60)
    return Measured(
        results=results,
        server_cpu=cpu_delta(server_before, server_after),
        postgres_cpu=cpu_delta(pg_before, pg_after),
        wrk_cpu=wrk_after - wrk_before,
        machine_busy_seconds=busy_after - busy_before,
        wall_seconds=wall_after - wall_before,
        max_connections=connections.maximum,
    )


def _rows(
    scenario: str,
    workers: int,
    loads: list[Load],
    measured: Measured,
    targets: list[Target | None],
    notes: list[str] | None = None,
) -> list[Row]:
    total = sum(r.requests for r in measured.results) or 1
    cores = os.cpu_count() or 1
    other = (
        measured.machine_busy_seconds
        - measured.server_cpu
        - measured.postgres_cpu
        - measured.wrk_cpu
    )
    rows = []
    for index, (load, result, target) in enumerate(
        zip(loads, measured.results, targets, strict=True)
    ):
        rows.append(
            Row(
                scenario=scenario if len(loads) == 1 else f"{scenario} ({load.kind})",
                workers=workers,
                connections=load.connections,
                result=result,
                server_cpu_per_1k=1000 * measured.server_cpu / total,
                postgres_cpu_per_1k=1000 * measured.postgres_cpu / total,
                loadgen_cpu_per_1k=1000 * measured.wrk_cpu / total,
                machine_busy=measured.machine_busy_seconds
                / (measured.wall_seconds * cores),
                other_cpu_seconds=max(0.0, other),
                max_db_connections=measured.max_connections,
                target=target.text if target else "",
                met=target.check(result) if target else None,
                note=(notes or [""] * len(loads))[index],
            )
        )
    return rows


def _clean(result: LoadResult) -> bool:
    return result.errors == 0 and result.non_2xx == 0


def _throughput_target(rps: float, p99_ms: float, also: str = "") -> Target:
    return Target(
        f">= {rps:.0f} req/s, p99 < {p99_ms:.0f} ms, 0 errors{also}",
        lambda r: (
            r.requests_per_second >= rps and r.latency_ms["p99"] < p99_ms and _clean(r)
        ),
    )


def _relative_target(base_rps: float | None, factor: float, base: str) -> Target:
    """At least `factor` times the req/s of another row of the same run."""
    if base_rps is None:
        return Target(
            f">= {factor}x {base} (not judged: {base} did not run), 0 errors",
            lambda _r: None,
        )
    wanted = factor * base_rps
    return Target(
        f">= {factor}x {base} ({base_rps:.0f} req/s) = {wanted:.0f} req/s, 0 errors",
        lambda r: r.requests_per_second >= wanted and _clean(r),
    )


# Issue #16's targets ("make bench, PostgreSQL, 1 worker unless said").
LIST_TARGET = _throughput_target(800, 200)
CREATE_TARGET = _throughput_target(450, 200)
TWO_WORKERS_FACTOR = 1.6
# The floor row (a bare ASGI app doing the list's work, same run): the list reaches >= 70 %.
FLOOR_FACTOR = 0.7


def _preflight(app: RunningApp, method: str, path: str, **kwargs: object) -> int:
    url = f"{app.direct_url}{path}"
    return httpx.request(method, url, timeout=30, **kwargs).status_code  # type: ignore[arg-type]


def _id_inputs(token: str, ids: tuple[int, ...]) -> dict[str, str]:
    return {"BENCH_TOKEN": token, "BENCH_IDS": ",".join(map(str, ids))}


def _first(path: str, ids: tuple[int, ...]) -> str:
    """The path as the load's first request sends it."""
    return path.replace("{id}", str(ids[0])) if ids else path


def _login_format(app: RunningApp, seeded: Seeded) -> str | None:
    """Whether the login route takes JSON or an OAuth2 form; None when it is missing."""
    json_status = _preflight(
        app,
        "POST",
        LOGIN_PATH,
        json={"email": seeded.login_email, "password": seeded.login_password},
    )
    if 200 <= json_status < 300:
        return "json"
    form_status = _preflight(
        app,
        "POST",
        LOGIN_PATH,
        data={"username": seeded.login_email, "password": seeded.login_password},
    )
    return "form" if 200 <= form_status < 300 else None


def _missing_row(scenario: str, workers: int, connections: int, why: str) -> Row:
    return Row(
        scenario,
        workers,
        connections,
        None,
        None,
        None,
        None,
        None,
        None,
        "",
        None,
        why,
    )


@dataclass(frozen=True)
class Scenario:
    """One table scenario: its loads, targets, and why it cannot run (None when it can)."""

    name: str
    workers: int
    loads: list[Load]
    targets: list[Target | None]
    missing: str | None = None
    notes: list[str] | None = None


def run_scenario(
    app: RunningApp,
    database_url: str,
    scenario: Scenario,
    *,
    warmup: float,
    profile_to: Path | None,
) -> list[Row]:
    """Measure a scenario, or a row saying why it could not run."""
    if scenario.missing is not None:
        connections = scenario.loads[0].connections
        return [
            _missing_row(scenario.name, scenario.workers, connections, scenario.missing)
        ]
    measured = measure(
        app, database_url, scenario.loads, warmup_seconds=warmup, profile_to=profile_to
    )
    return _rows(
        scenario.name,
        scenario.workers,
        scenario.loads,
        measured,
        scenario.targets,
        scenario.notes,
    )


def _unless_ok(status: int, what: str) -> str | None:
    return None if 200 <= status < 300 else f"{what}: {status}"


def one_worker_scenarios(
    app: RunningApp,
    database_url: str,
    seeded: Seeded,
    *,
    seconds: Callable[[float], float],
    warmup: float,
    only: set[str],
    profile_dir: Path | None,
) -> list[Row]:
    """Scenarios 1 to 4 and 8 to 12 against one backend worker."""
    list_inputs = {"BENCH_TOKEN": seeded.list_token}
    list_auth = {"Authorization": f"Bearer {seeded.list_token}"}
    create_auth = {"Authorization": f"Bearer {seeded.create_token}"}

    def get_missing(path: str, ids: tuple[int, ...] = ()) -> str | None:
        first = _first(path, ids)
        return _unless_ok(
            _preflight(app, "GET", first, headers=list_auth), f"GET {first}"
        )

    list_missing = get_missing(LIST_PATH)
    project_view = project_path(seeded.project_id)
    write_inputs = _id_inputs(seeded.create_token, seeded.create_task_ids)
    scenarios: dict[str, Callable[[], Scenario]] = {
        "1": lambda: Scenario(
            LIST_SCENARIO,
            1,
            [Load("list", LIST_PATH, 100, seconds(20), list_inputs)],
            [LIST_TARGET],
            list_missing,
        ),
        "2": lambda: Scenario(
            "2 list",
            1,
            [Load("list", LIST_PATH, 10, seconds(20), list_inputs)],
            [
                Target(
                    "p99 < 20 ms, 0 errors",
                    lambda r: r.latency_ms["p99"] < 20 and _clean(r),
                )
            ],
            list_missing,
        ),
        "3": lambda: Scenario(
            "3 create",
            1,
            [
                Load(
                    "create",
                    CREATE_PATH,
                    50,
                    seconds(10),
                    {"BENCH_TOKEN": seeded.create_token},
                )
            ],
            [CREATE_TARGET],
            _unless_ok(
                _preflight(
                    app,
                    "POST",
                    CREATE_PATH,
                    headers=create_auth,
                    json={"title": "preflight"},
                ),
                f"POST {CREATE_PATH}",
            ),
        ),
        "4": lambda: _list_and_login(app, seeded, list_inputs, list_missing, seconds),
        "8": lambda: Scenario(
            "8 today",
            1,
            [Load("list", TODAY_PATH, 100, seconds(20), list_inputs)],
            [_throughput_target(800, 200, " (as 1 list)")],
            get_missing(TODAY_PATH),
        ),
        "9": lambda: Scenario(
            "9 get one",
            1,
            [
                Load(
                    "get",
                    TASK_PATH,
                    100,
                    seconds(20),
                    _id_inputs(seeded.list_token, seeded.list_task_ids),
                )
            ],
            [_throughput_target(800, 200)],
            get_missing(TASK_PATH, seeded.list_task_ids),
            [f"GET {TASK_PATH}, the listed user's 100 tasks in turn"],
        ),
        "10": lambda: Scenario(
            "10 toggle",
            1,
            [Load("toggle", TOGGLE_PATH, 50, seconds(10), write_inputs)],
            [_throughput_target(450, 200, " (as 3 create)")],
            _unless_ok(
                _preflight(
                    app,
                    "PATCH",
                    _first(TOGGLE_PATH, seeded.create_task_ids),
                    headers=create_auth,
                ),
                f"PATCH {TOGGLE_PATH}",
            ),
            [f"PATCH {TOGGLE_PATH}, 100 tasks in turn: completes or reopens"],
        ),
        "11": lambda: Scenario(
            "11 patch",
            1,
            [Load("patch", TASK_PATH, 50, seconds(10), write_inputs)],
            [_throughput_target(450, 200, " (as 3 create)")],
            _unless_ok(
                _preflight(
                    app,
                    "PATCH",
                    _first(TASK_PATH, seeded.create_task_ids),
                    headers=create_auth,
                    json={"title": "preflight"},
                ),
                f"PATCH {TASK_PATH}",
            ),
            [f"PATCH {TASK_PATH} of the title, 100 tasks in turn"],
        ),
        "12": lambda: Scenario(
            "12 project",
            1,
            [Load("list", project_view, 100, seconds(20), list_inputs)],
            [_throughput_target(800, 200, " (as 1 list)")],
            get_missing(project_view),
            ["the project holds the listed user's 100 tasks"],
        ),
    }
    rows: list[Row] = []
    for number, build in scenarios.items():
        if number in only:
            rows += run_scenario(
                app,
                database_url,
                build(),
                warmup=warmup,
                profile_to=profile_dir / f"profile-s{number}.txt"
                if profile_dir
                else None,
            )
    return rows


def _list_and_login(
    app: RunningApp,
    seeded: Seeded,
    list_inputs: dict[str, str],
    list_missing: str | None,
    seconds: Callable[[float], float],
) -> Scenario:
    login_format = _login_format(app, seeded)
    return Scenario(
        "4 list+login",
        1,
        [
            Load("list", LIST_PATH, 50, seconds(20), list_inputs),
            Load(
                "login",
                LOGIN_PATH,
                10,
                seconds(20),
                {
                    "BENCH_EMAIL": seeded.login_email,
                    "BENCH_PASSWORD": seeded.login_password,
                    "BENCH_LOGIN_FORMAT": login_format or "",
                },
            ),
        ],
        [
            Target(
                "list p99 < 250 ms during logins, 0 errors",
                lambda r: r.latency_ms["p99"] < 250 and _clean(r),
            ),
            Target("0 errors", _clean),
        ],
        list_missing or (None if login_format else "login route missing"),
        ["", f"login body: {login_format}, bcrypt cost 12"],
    )


def two_worker_scenario(
    tree: AppTree,
    database_url: str,
    seeded: Seeded,
    *,
    seconds: Callable[[float], float],
    warmup: float,
    profile_dir: Path | None,
    one_worker_list_rps: float | None,
) -> list[Row]:
    """Scenario 5: the list at 100 connections against two workers sharing Redis.

    Its target is relative: TWO_WORKERS_FACTOR times scenario 1's req/s of the same run
    (`one_worker_list_rps`, None when scenario 1 did not run).
    """
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "no Redis to use"
        return [_missing_row("5 list", 2, 100, f"Redis at {REDIS_URL}: {exc}")]
    with tree.serve(database_url=database_url, workers=2, redis_url=REDIS_URL) as app:
        token = seeded.list_token
        scenario = Scenario(
            "5 list",
            2,
            [Load("list", LIST_PATH, 100, seconds(20), {"BENCH_TOKEN": token})],
            [
                _relative_target(
                    one_worker_list_rps, TWO_WORKERS_FACTOR, f"'{LIST_SCENARIO}'"
                )
            ],
            _unless_ok(
                _preflight(
                    app, "GET", LIST_PATH, headers={"Authorization": f"Bearer {token}"}
                ),
                f"GET {LIST_PATH}",
            ),
            ["Redis " + REDIS_URL],
        )
        return run_scenario(
            app,
            database_url,
            scenario,
            warmup=warmup,
            profile_to=profile_dir / "profile-s5.txt" if profile_dir else None,
        )


def floor_scenario(
    tree: Path,
    database_url: str,
    seeded: Seeded,
    *,
    seconds: Callable[[float], float],
    warmup: float,
    profile_dir: Path | None,
    one_worker_list_rps: float | None,
) -> list[Row]:
    """Scenario 13, the floor: scenario 1's load on `bench/floor.py` (the same list work as a
    bare ASGI app under Granian). Its target judges scenario 1: >= FLOOR_FACTOR of this."""
    # A full run reaches the floor after more than LAST_SEEN_RESOLUTION: without the API
    # behind it, the floor would answer 404 to every request of a session due a write.
    mark_sessions_seen(database_url)
    with serve_floor(tree, database_url) as app:
        token = seeded.list_token
        # The fast list compiles a query string on its second request.
        for _ in range(2):
            status = _preflight(
                app, "GET", LIST_PATH, headers={"Authorization": f"Bearer {token}"}
            )
        if one_worker_list_rps is None:
            target = Target(
                f"'{LIST_SCENARIO}' >= {FLOOR_FACTOR:.0%} of this (not judged: "
                f"{LIST_SCENARIO} did not run)",
                lambda _r: None,
            )
        else:
            target = Target(
                f"'{LIST_SCENARIO}' ({one_worker_list_rps:.0f} req/s) >= "
                f"{FLOOR_FACTOR:.0%} of this",
                lambda r: one_worker_list_rps >= FLOOR_FACTOR * r.requests_per_second,
            )
        scenario = Scenario(
            "13 floor",
            1,
            [Load("list", LIST_PATH, 100, seconds(20), {"BENCH_TOKEN": token})],
            [target],
            _unless_ok(status, f"GET {LIST_PATH} on the floor"),
            ["bench/floor.py under Granian"],
        )
        return run_scenario(
            app,
            database_url,
            scenario,
            warmup=warmup,
            profile_to=profile_dir / "profile-s13.txt" if profile_dir else None,
        )


def _fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table."""
    header = (
        "| scenario | workers | conns | req/s | p50 ms | p90 ms | p99 ms | errors | non-2xx "
        "| server CPU s/1k req | PG CPU s/1k req | wrk CPU s/1k req | max DB conns "
        "| machine busy "
        "| other procs CPU s "
        "| target | met |"
    )
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    for row in rows:
        r = row.result
        if r is None:
            cells = ["—"] * 12 + [row.target, row.note]
        else:
            statuses = ", ".join(
                f"{code}: {n}" for code, n in sorted(r.statuses.items()) if code >= 300
            )
            cells = [
                f"{r.requests_per_second:.0f}",
                _fmt(r.latency_ms["p50"]),
                _fmt(r.latency_ms["p90"]),
                _fmt(r.latency_ms["p99"]),
                str(r.errors),
                f"{r.non_2xx}" + (f" ({statuses})" if statuses else ""),
                _fmt(row.server_cpu_per_1k, 2),
                _fmt(row.postgres_cpu_per_1k, 2),
                _fmt(row.loadgen_cpu_per_1k, 2),
                str(row.max_db_connections),
                f"{100 * (row.machine_busy or 0):.0f}%",
                _fmt(row.other_cpu_seconds, 0),
                row.target,
                {True: "yes", False: "**no**", None: ""}[row.met]
                + (f" — {row.note}" if row.note else ""),
            ]
        lines.append(
            f"| {row.scenario} | {row.workers} | {row.connections} | "
            + " | ".join(cells)
            + " |"
        )
    return "\n".join(lines)


def _commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()

    dirty = (
        " (with uncommitted changes)"
        if git("status", "--porcelain", "--untracked-files=no")
        else ""
    )
    return f"{git('rev-parse', '--short', 'HEAD')}{dirty}"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _cpu_reference_us() -> float:
    """A fixed piece of single-threaded Python, in microseconds: how fast this machine is
    today (machines of one kind differ, and a neighbour may take CPU time)."""
    runs = timeit.repeat("sum(range(1000))", number=2000, repeat=5)
    return min(runs) / 2000 * 1e6


def header(seeded: Seeded, load_before: tuple[float, float, float]) -> str:
    """Date, commit, machine and data set of this run."""
    load1, load5, _ = load_before
    wrk_version = subprocess.run(
        ["wrk", "-v"], capture_output=True, text=True, check=False
    ).stdout.splitlines()[0]
    machine = (
        f"{os.cpu_count()} logical cores ({_cpu_model()}), "
        f"{psutil.virtual_memory().total // 2**30} GiB RAM, "
        f"load average before the run {load1:.1f} / {load5:.1f} (1 / 5 min)"
    )
    data = (
        f"{seeded.users} users, {seeded.tasks} tasks, {seeded.tags} tags; the listed "
        "user has 100 tasks of 2 tags each, all in one project; the create user 100 "
        "more (toggled and patched in turn); bcrypt cost 12 (the production default); "
        "UI: one more user with 1,000 tasks for the toggle, tabs signed in as 10 of the "
        "users with 100 tasks"
    )
    speed = (
        f"{_cpu_reference_us():.1f} µs for `sum(range(1000))` (best of 5; 14-26 on "
        "machines of this kind on 2026-12-01): compare runs on different machines by it "
        "and by the floor"
    )
    return "\n".join(
        [
            f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
            f"- commit: {_commit()}",
            f"- machine: {machine}",
            f"- machine speed: {speed}",
            f"- data: {data}",
            f"- load generator: {wrk_version}, 1 thread, closed loop",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    """Seed a throwaway database, start the app, run the scenarios, print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="3-second loads: checks the harness only"
    )
    parser.add_argument(
        "--only",
        default=",".join(str(n) for n in range(1, 14)),
        help="comma-separated scenario numbers (1-2: list, 3: create, 4: list during "
        "logins, 5: list on 2 workers, 6: UI toggle, 7: memory per tab, 8: the Today "
        "view, 9: get one task, 10: toggle, 11: PATCH, 12: a project's view, 13: the floor)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="sample the server with py-spy"
    )
    args = parser.parse_args(argv)
    only = set(args.only.split(","))

    def seconds(full: float) -> float:
        return 3 if args.quick else full

    warmup = 2 if args.quick else 5
    # Our own process signs the tokens the app checks, with the app's production bcrypt cost.
    os.environ["TODO_SECRET_KEY"] = THROWAWAY_SECRET_KEY
    os.environ.pop("BCRYPT_ROUNDS", None)
    os.environ["TODO_DATA_DIR"] = tempfile.mkdtemp(prefix="todo-bench-self-")
    from todo_app.settings import get_secret_key, get_settings

    get_settings.cache_clear()
    get_secret_key.cache_clear()

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    profile_dir = RESULTS_DIR / stamp if args.profile else None
    if profile_dir:
        profile_dir.mkdir()
    rows: list[Row] = []
    started = time.monotonic()
    load_before = os.getloadavg()
    with (
        throwaway_database() as database_url,
        tempfile.TemporaryDirectory(prefix="todo-bench-tree-") as tree_dir,
    ):
        print("seeding", database_url, file=sys.stderr)
        seeded = seed(database_url)
        copy_project(Path(tree_dir))
        # One frontend build for every server of the run: they take turns on one port.
        tree = AppTree(Path(tree_dir))
        toggle_result = memory_result = None
        if "6" in only:
            # In-process event handling on a quiet app: before any server runs.
            print("UI: toggle events through Reflex's event processor", file=sys.stderr)
            toggle_user = add_user_with_tasks(
                database_url, email="bench-ui-toggle@example.com", tasks=ui.TOGGLE_TASKS
            )
            toggle_result = ui.toggle_benchmark(
                database_url, browser_key_for(database_url, toggle_user)
            )
        if only & set(ONE_WORKER_SCENARIOS):
            print("starting the app (1 worker)", file=sys.stderr)
            with tree.serve(database_url=database_url) as app:
                rows += one_worker_scenarios(
                    app,
                    database_url,
                    seeded,
                    seconds=seconds,
                    warmup=warmup,
                    only=only,
                    profile_dir=profile_dir,
                )
        if "5" in only:
            print("starting the app (2 workers + Redis)", file=sys.stderr)
            rows += two_worker_scenario(
                tree,
                database_url,
                seeded,
                seconds=seconds,
                warmup=warmup,
                profile_dir=profile_dir,
                one_worker_list_rps=next(
                    (
                        row.result.requests_per_second
                        for row in rows
                        if row.scenario == LIST_SCENARIO and row.result is not None
                    ),
                    None,
                ),
            )
        if "13" in only:
            print(
                "starting the floor (the fast list alone, no Reflex)", file=sys.stderr
            )
            rows += floor_scenario(
                Path(tree_dir),
                database_url,
                seeded,
                seconds=seconds,
                warmup=warmup,
                profile_dir=profile_dir,
                one_worker_list_rps=next(
                    (
                        row.result.requests_per_second
                        for row in rows
                        if row.scenario == LIST_SCENARIO and row.result is not None
                    ),
                    None,
                ),
            )
        if "7" in only:
            tabs = 10 if args.quick else ui.TABS
            print(f"UI: a fresh app (1 worker) and {tabs} tabs", file=sys.stderr)
            memory_result = ui.memory_benchmark(
                tree,
                database_url,
                browser_keys_of_other_users(
                    database_url, max(1, tabs // ui.TABS_PER_BROWSER_CONTEXT)
                ),
                tabs=tabs,
            )
        report = f"{header(seeded, load_before)}\n\n{table(rows)}\n"
        if toggle_result or memory_result:
            report += f"\n{ui.table(toggle_result, memory_result)}\n"
    load1, load5, _ = os.getloadavg()
    report += (
        f"\n(run took {time.monotonic() - started:.0f} s; load average at the end "
        f"{load1:.1f} / {load5:.1f})\n"
    )
    print(report)
    (RESULTS_DIR / f"{stamp}.md").write_text(report)
    (RESULTS_DIR / f"{stamp}.json").write_text(
        json.dumps(
            {
                "api": [asdict(row) for row in rows],
                "ui_toggle": asdict(toggle_result) if toggle_result else None,
                "ui_memory": asdict(memory_result) if memory_result else None,
            },
            indent=2,
            default=str,
        )
    )
    if profile_dir:
        for collapsed in sorted(profile_dir.glob("profile-*.txt")):
            summary = profiling.summarise(collapsed)
            (collapsed.with_suffix(".summary.txt")).write_text(summary)
            print(f"\n## {collapsed.name}\n{summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
