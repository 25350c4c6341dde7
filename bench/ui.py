"""`make bench-ui`: the UI's cost on the server — one toggle event, and memory per open tab.

Run from the project root: `.venv/bin/python -m bench.ui [--only toggle,memory] [--tabs 100]`.

- toggle: a user with 1,000 tasks has the task page loaded (50 rows); 200 toggle events go through
  Reflex's real event processing (the production app's event processor, middleware and state
  manager; only the websocket is replaced by a recorder). Measured per event: from enqueueing the
  event to the serialised delta being handed to the socket, and that delta's size in bytes.
- memory: the production app (1 worker) from a copy of the tree; the resident memory of its
  process tree before and after opening 100 Chromium tabs signed in as users with 100 tasks each.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil

from bench.database import (
    add_user_with_tasks,
    browser_key_for,
    browser_keys_of_other_users,
    seed,
    throwaway_database,
)
from bench.server import (
    PROJECT_ROOT,
    THROWAWAY_SECRET_KEY,
    AppTree,
    RunningApp,
    chromium_launch_options,
    copy_project,
)
from todo_app.state.auth import BROWSER_KEY_STORAGE

RESULTS_DIR = PROJECT_ROOT / "bench" / "results"
TOGGLE_TASKS = 1_000
TOGGLE_EVENTS = 200
TOGGLE_WARMUP_EVENTS = 20
TOGGLE_P95_TARGET_MS = 50.0
DELTA_TARGET_BYTES = 2_000
TABS = 100
TABS_PER_BROWSER_CONTEXT = 10
MEMORY_TARGET_BYTES_PER_TAB = 1_000_000
MEMORY_TIME_LIMIT_SECONDS = 170.0
# What a seeded user with 100 tasks sees on the first page (newest first, every 4th completed).
LAST_ROW_TITLE = "Task 050 of the week"
ITEMS_LEFT_TEXT = "75 items left"
TAB_TIMEOUT_MS = 60_000
_MARKER = "BENCH_JSON "


@dataclass(frozen=True)
class ToggleResult:
    """Timings and delta sizes of toggle events, and of the reloads around them for scale."""

    tasks: int
    events: int
    latency_ms: dict[str, float]
    cpu_ms_per_event: float
    delta_bytes: dict[str, int]
    example_delta: str
    page_load_delta_bytes: int
    echo_latency_ms: dict[str, float]
    echo_delta_bytes: int

    @property
    def met(self) -> bool:
        """Whether p95 and the largest delta are within the issue's targets."""
        return (
            self.latency_ms["p95"] < TOGGLE_P95_TARGET_MS
            and self.delta_bytes["max"] < DELTA_TARGET_BYTES
        )


@dataclass(frozen=True)
class MemoryResult:
    """Resident memory of the server's process tree before and while tabs are open."""

    requested_tabs: int
    tabs: int
    tasks_per_user: int
    users: int
    rss_before: int
    rss_after: int
    rss_by_tabs: list[tuple[int, int]] = field(default_factory=list)
    seconds: float = 0.0
    note: str = ""

    @property
    def bytes_per_tab(self) -> float:
        """RSS growth divided by the number of open tabs."""
        return (self.rss_after - self.rss_before) / self.tabs if self.tabs else 0.0

    @property
    def met(self) -> bool:
        """Whether every tab opened and the growth per tab is within the target."""
        return (
            self.tabs == self.requested_tabs
            and not self.note
            and self.bytes_per_tab < MEMORY_TARGET_BYTES_PER_TAB
        )


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    return {"p50": at(0.50), "p95": at(0.95), "max": ordered[-1]}


# --- toggle: in a child process that imports the app -------------------------------------------


class _RecordingSocket:
    """Stands in for the websocket: keeps each update as the JSON text it would send."""

    def __init__(self) -> None:
        self.sent: list[tuple[float, str]] = []

    async def emit_update(self, update: Any, token: str) -> None:
        """Serialise the update as Reflex's Socket.IO server does and note when it was ready."""
        from reflex.app import _sio_dumps

        self.sent.append((time.perf_counter(), _sio_dumps(update)))


async def _measure_toggles(token: str, events: int) -> ToggleResult:
    from reflex.event import Event
    from reflex.istate.manager.memory import StateManagerMemory
    from reflex.istate.manager.token import BaseStateToken
    from reflex.state import State
    from reflex_base.event.processor.base_state_processor import (
        BaseStateEventProcessor,
    )
    from reflex_base.utils.format import format_event_handler

    from todo_app.state.auth import AuthState
    from todo_app.state.tasks import TaskState
    from todo_app.state.throttle import EventRateLimit
    from todo_app.todo_app import app

    # 220 toggles back to back are a flood to the per-tab rate limit; it still runs for each
    # event (its cost is measured), but with a bucket deep enough to let them all through.
    for middleware in app._middlewares:
        if isinstance(middleware, EventRateLimit):
            middleware.burst = 1_000_000
    socket = _RecordingSocket()
    manager = StateManagerMemory()
    processor = BaseStateEventProcessor(
        middleware=app, backend_exception_handler=app.backend_exception_handler
    )
    processor.configure(state_manager=manager, event_namespace=socket)  # type: ignore[arg-type]
    client = "bench-ui-tab"
    # What the browser sends with every event of the task page.
    router_data = {
        "pathname": "/",
        "asPath": "/",
        "query": {},
        "headers": {"origin": "http://localhost:3000"},
        "ip": "127.0.0.1",
        "sid": "bench-ui-socket",
    }

    async def send(name: str, payload: dict[str, Any]) -> tuple[float, list[str]]:
        socket.sent.clear()
        started = time.perf_counter()
        future = await processor.enqueue(
            client, Event(name=name, payload=payload, router_data=router_data)
        )
        await future.wait_all()
        ready = socket.sent[0][0] if socket.sent else time.perf_counter()
        return (ready - started) * 1000, [text for _, text in socket.sent]

    async with processor:
        # A tab's first events: hydrate, then the page proves the browser's session with
        # the key from localStorage, and the page loads.
        await send(format_event_handler(State.event_handlers["hydrate_and_load"]), {})
        await send(
            format_event_handler(AuthState.event_handlers["resume"]),
            {"browser_key": token},
        )
        _, load_updates = await send(
            format_event_handler(TaskState.event_handlers["load_page"]), {}
        )
        async with manager.modify_state(
            BaseStateToken(ident=client, cls=State)
        ) as root:
            page = await root.get_state(TaskState)
            ids = [task.id for task in page.tasks]
            total = page.pending_count + page.completed_count
        if len(ids) < 2 or total != TOGGLE_TASKS:
            raise RuntimeError(
                f"the page did not load: {len(ids)} rows of {total} tasks\n"
                + "\n".join(text[:500] for text in load_updates)
            )
        toggle = format_event_handler(TaskState.event_handlers["toggle"])
        refresh = format_event_handler(TaskState.event_handlers["refresh"])
        latencies: list[float] = []
        sizes: list[int] = []
        example = ""
        cpu_started = time.process_time()
        for number in range(TOGGLE_WARMUP_EVENTS + events):
            if number == TOGGLE_WARMUP_EVENTS:
                latencies.clear()
                sizes.clear()
                cpu_started = time.process_time()
            elapsed, sent = await send(toggle, {"task_id": ids[number % len(ids)]})
            if len(sent) != 1 or "delta" not in sent[0]:
                raise RuntimeError(f"a toggle sent {sent!r}")
            latencies.append(elapsed)
            sizes.append(len(sent[0].encode()))
            example = sent[0]
        cpu_ms = 1000 * (time.process_time() - cpu_started) / events
        # In production each toggle also comes back as a live update that reloads the page and
        # finds nothing new; `refresh` runs the same reload.
        echoes = [await send(refresh, {}) for _ in range(50)]
    return ToggleResult(
        tasks=total,
        events=events,
        latency_ms=_percentiles(latencies),
        cpu_ms_per_event=cpu_ms,
        delta_bytes={
            "median": int(statistics.median(sizes)),
            "max": max(sizes),
        },
        example_delta=example,
        page_load_delta_bytes=sum(len(text.encode()) for text in load_updates),
        echo_latency_ms=_percentiles([elapsed for elapsed, _ in echoes]),
        echo_delta_bytes=max(
            (sum(len(text.encode()) for text in sent) for _, sent in echoes),
            default=0,
        ),
    )


def _toggle_child() -> int:
    """Measure toggles in this process (started by `toggle_benchmark`); print the result."""
    token = os.environ["BENCH_TOKEN"]
    result = asyncio.run(_measure_toggles(token, TOGGLE_EVENTS))
    print(_MARKER + json.dumps(asdict(result)))
    return 0


def toggle_benchmark(database_url: str, token: str) -> ToggleResult:
    """Run the toggle measurement in a child process with the app's production environment."""
    data_dir = tempfile.mkdtemp(prefix="todo-bench-ui-")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TODO_DATA_DIR": data_dir,
        "TODO_SECRET_KEY": THROWAWAY_SECRET_KEY,
        "REFLEX_TELEMETRY_ENABLED": "false",
        "BENCH_TOKEN": token,
    }
    for name in ("BCRYPT_ROUNDS", "REDIS_URL", "GRANIAN_WORKERS", "BACKEND_PORT"):
        env.pop(name, None)
    finished = subprocess.run(
        [sys.executable, "-m", "bench.ui", "--toggle-child"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    for line in finished.stdout.splitlines():
        if line.startswith(_MARKER):
            return ToggleResult(**json.loads(line[len(_MARKER) :]))
    raise RuntimeError(
        f"the toggle benchmark failed ({finished.returncode}):\n"
        f"{finished.stdout[-2000:]}\n{finished.stderr[-4000:]}"
    )


# --- memory per open tab ------------------------------------------------------------------------


def resident_bytes(app: RunningApp) -> int:
    """RSS summed over the app's process group (the `reflex run` process and its workers)."""
    total = 0
    for process in psutil.process_iter(["pid"]):
        try:
            if os.getpgid(process.pid) == app.process.pid:
                total += process.memory_info().rss
        except (ProcessLookupError, psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total


async def _open_tabs(
    app: RunningApp,
    tokens: list[str],
    tabs_per_context: int,
    deadline: float,
) -> MemoryResult:
    from playwright.async_api import BrowserContext, async_playwright, expect

    page_url = f"{app.url}/"

    async def open_tab(context: BrowserContext) -> None:
        page = await context.new_page()
        await page.goto(page_url)
        await expect(
            page.get_by_role("checkbox", name=LAST_ROW_TITLE, exact=True)
        ).to_have_count(1, timeout=TAB_TIMEOUT_MS)
        # The page has more than one live region (notices, the counter): the counter's.
        await expect(
            page.get_by_role("status").filter(has_text=ITEMS_LEFT_TEXT)
        ).to_have_count(1, timeout=TAB_TIMEOUT_MS)

    async def new_context(browser: Any, token: str) -> BrowserContext:
        # Signed in as the login form leaves it: the session key in localStorage, shared by
        # the tabs.
        context = await browser.new_context(viewport={"width": 1280, "height": 900})
        await context.add_init_script(
            f"window.localStorage.setItem({json.dumps(BROWSER_KEY_STORAGE)}, "
            f"{json.dumps(token)});"
        )
        return context

    started = time.monotonic()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(**chromium_launch_options())
        # One tab opened and closed first: the app's first page view loads code and opens
        # database connections once, which is no tab's own cost.
        warmup = await new_context(browser, tokens[0])
        await open_tab(warmup)
        await warmup.close()
        before = resident_bytes(app)
        samples = [(0, before)]
        opened = 0
        note = ""
        contexts = []
        for token in tokens:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                note = f"stopped at the time limit after {opened} tabs"
                break
            context = await new_context(browser, token)
            contexts.append(context)
            try:
                await asyncio.wait_for(
                    asyncio.gather(
                        *(open_tab(context) for _ in range(tabs_per_context))
                    ),
                    timeout=remaining,
                )
            except TimeoutError:
                note = f"stopped at the time limit while opening tabs {opened + 1}-"
                break
            opened += tabs_per_context
            samples.append((opened, resident_bytes(app)))
        after = samples[-1][1]
        for context in contexts:
            await context.close()
        await browser.close()
    return MemoryResult(
        requested_tabs=len(tokens) * tabs_per_context,
        tabs=opened,
        tasks_per_user=100,
        users=len(tokens),
        rss_before=before,
        rss_after=after,
        rss_by_tabs=samples,
        seconds=time.monotonic() - started,
        note=note,
    )


def memory_benchmark(
    tree: AppTree, database_url: str, tokens: list[str], *, tabs: int = TABS
) -> MemoryResult:
    """Start the production app (1 worker) in `tree` and open `tabs` signed-in tabs against it."""
    per_context = min(TABS_PER_BROWSER_CONTEXT, tabs)
    users = tokens[: max(1, tabs // per_context)]
    with tree.serve(database_url=database_url) as app:
        deadline = time.monotonic() + MEMORY_TIME_LIMIT_SECONDS
        return asyncio.run(_open_tabs(app, users, per_context, deadline))


# --- report ---------------------------------------------------------------------------------------


def table(toggle: ToggleResult | None, memory: MemoryResult | None) -> str:
    """The UI figures against their targets, as a Markdown table."""
    lines = [
        "| scenario | measured | target | met |",
        "|---|---|---|---|",
    ]
    if toggle is not None:
        latency = toggle.latency_ms
        lines.append(
            f"| 6 UI toggle ({toggle.tasks:,} tasks, page of 50, {toggle.events} events) "
            f"| p50 {latency['p50']:.1f} ms, p95 {latency['p95']:.1f} ms, "
            f"max {latency['max']:.1f} ms; {toggle.cpu_ms_per_event:.1f} ms CPU/event; "
            f"delta {toggle.delta_bytes['median']} B (max {toggle.delta_bytes['max']} B) "
            f"| p95 < {TOGGLE_P95_TARGET_MS:.0f} ms, delta < 2 KB "
            f"| {'yes' if toggle.met else '**no**'} |"
        )
        echo = toggle.echo_latency_ms
        lines.append(
            "| 6b live echo of a toggle (reload that finds no change) "
            f"| p50 {echo['p50']:.1f} ms, p95 {echo['p95']:.1f} ms; "
            f"{toggle.echo_delta_bytes} B sent (page load sent "
            f"{toggle.page_load_delta_bytes:,} B) |  |  |"
        )
    if memory is not None:
        mib = 2**20
        lines.append(
            f"| 7 server memory per open tab ({memory.tabs} tabs, {memory.users} users "
            f"x {memory.tasks_per_user} tasks) "
            f"| RSS {memory.rss_before / mib:.0f} -> {memory.rss_after / mib:.0f} MiB: "
            f"{memory.bytes_per_tab / 1000:.0f} kB/tab ({memory.seconds:.0f} s)"
            + (f"; {memory.note}" if memory.note else "")
            + f" | < 1 MB/tab | {'yes' if memory.met else '**no**'} |"
        )
    return "\n".join(lines)


@contextmanager
def ui_database() -> Iterator[tuple[str, str, list[str]]]:
    """A throwaway database as `make bench` seeds it, plus the toggle user; (url, token, tokens)."""
    with throwaway_database("todo_bench_ui") as url:
        seed(url)
        toggle_user = add_user_with_tasks(
            url, email="bench-ui-toggle@example.com", tasks=TOGGLE_TASKS
        )
        toggle_token = browser_key_for(url, toggle_user)
        tab_tokens = browser_keys_of_other_users(url, TABS // TABS_PER_BROWSER_CONTEXT)
        yield url, toggle_token, tab_tokens


def main(argv: list[str] | None = None) -> int:
    """Seed a throwaway database, measure the toggle and the memory per tab, print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default="toggle,memory", help="toggle and/or memory")
    parser.add_argument("--tabs", type=int, default=TABS, help="tabs to open")
    parser.add_argument("--toggle-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.toggle_child:
        return _toggle_child()
    only = set(args.only.split(","))
    os.environ["TODO_SECRET_KEY"] = THROWAWAY_SECRET_KEY
    os.environ.pop("BCRYPT_ROUNDS", None)
    os.environ["TODO_DATA_DIR"] = tempfile.mkdtemp(prefix="todo-bench-self-")
    from todo_app.settings import get_secret_key, get_settings

    get_settings.cache_clear()
    get_secret_key.cache_clear()
    toggle = memory = None
    load1, load5, _ = os.getloadavg()
    with (
        ui_database() as (url, toggle_token, tab_tokens),
        tempfile.TemporaryDirectory(prefix="todo-bench-tree-") as tree_dir,
    ):
        if "toggle" in only:
            print("toggle events through Reflex's event processor", file=sys.stderr)
            toggle = toggle_benchmark(url, toggle_token)
        if "memory" in only:
            print(f"starting the app and opening {args.tabs} tabs", file=sys.stderr)
            copy_project(Path(tree_dir))
            memory = memory_benchmark(
                AppTree(Path(tree_dir)), url, tab_tokens, tabs=args.tabs
            )
    report = (
        f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; "
        f"load average before {load1:.1f} / {load5:.1f}\n\n{table(toggle, memory)}\n"
    )
    if toggle is not None:
        report += f"\nexample toggle delta ({len(toggle.example_delta)} B):\n{toggle.example_delta}\n"
    print(report)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    (RESULTS_DIR / f"ui-{stamp}.md").write_text(report)
    (RESULTS_DIR / f"ui-{stamp}.json").write_text(
        json.dumps(
            {
                "toggle": asdict(toggle) if toggle else None,
                "memory": asdict(memory) if memory else None,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
