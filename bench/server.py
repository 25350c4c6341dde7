"""The production app as `make run` starts it, and the Chromium that browses it.

One module for the end-to-end tests and the benchmarks, so a fix to start-up is made once.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psutil

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT_SECONDS = 300
STOP_TIMEOUT_SECONDS = 20
THROWAWAY_SECRET_KEY = "bench-secret-key-only-for-throwaway-databases-0123456789"
REFLEX_RUN = ("run", "--env", "prod", "--single-port")
# `reflex run --env prod` rebuilds the frontend at every start (~15 s) and the build names its
# port. A later start on the same port runs the same command with only that step skipped; the
# check fails loudly should a Reflex upgrade rename it.
_RUN_WITH_EXISTING_BUILD = f"""\
import sys
from reflex.utils import build
if not callable(getattr(build, "setup_frontend_prod", None)):
    sys.exit("reflex.utils.build.setup_frontend_prod is gone: update bench/server.py")
build.setup_frontend_prod = lambda root: None
from reflex.reflex import cli
cli(args={list(REFLEX_RUN)!r}, prog_name="reflex")
"""
# Everything the running app does not need; above all .web, so our frontend build never touches
# the one in the working tree.
_COPY_EXCLUDES = (
    ".web",
    ".venv",
    ".tools",
    ".git",
    ".states",
    "data",
    "test-artifacts",
    "bench/results",
    ".pytest_cache",
    ".ruff_cache",
    "__pycache__",
)

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)


def chromium_launch_options() -> dict[str, Any]:
    """Playwright's `chromium.launch` arguments: Debian's Chromium if installed, else its own."""
    return {
        "headless": True,
        "args": list(CHROMIUM_ARGS),
        "executable_path": str(SYSTEM_CHROMIUM) if SYSTEM_CHROMIUM.exists() else None,
    }


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def copy_project(destination: Path) -> None:
    """Copy the project tree (without build output, virtualenv or data) to `destination`."""
    excludes = [f"--exclude={name}" for name in _COPY_EXCLUDES]
    subprocess.run(
        ["rsync", "-a", "--delete", *excludes, f"{PROJECT_ROOT}/", f"{destination}/"],
        check=True,
    )


def _cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


@dataclass(frozen=True)
class RunningApp:
    """A started app: its port, the `reflex run` process, its data folder and its log."""

    port: int
    process: subprocess.Popen[bytes]
    data_dir: Path
    log_path: Path

    @property
    def url(self) -> str:
        """Where a browser opens it: the build's websocket URL and allowed origin name localhost."""
        return f"http://localhost:{self.port}"

    @property
    def direct_url(self) -> str:
        """The same server by address, for load generators (no name lookup)."""
        return f"http://127.0.0.1:{self.port}"

    def processes(self) -> list[psutil.Process]:
        """The `reflex run` process and every process below it (Granian workers)."""
        root = psutil.Process(self.process.pid)
        return [root, *root.children(recursive=True)]

    def worker_pids(self) -> list[int]:
        """The processes that serve requests (the root itself when it has no children)."""
        tree = self.processes()
        return [p.pid for p in tree[1:] if "python" in p.name()] or [tree[0].pid]

    def cpu_seconds(self) -> dict[int, float]:
        """CPU seconds (user + system) used so far by each process of the tree."""
        return cpu_seconds_of([process.pid for process in self.processes()])


def cpu_seconds_of(pids: list[int]) -> dict[int, float]:
    """CPU seconds used so far by each of these processes that still exists."""
    used: dict[int, float] = {}
    for pid in pids:
        try:
            used[pid] = _cpu_seconds(psutil.Process(pid))
        except psutil.NoSuchProcess:
            continue
    return used


def cpu_delta(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two snapshots (processes born in between count in full)."""
    return sum(used - before.get(pid, 0.0) for pid, used in after.items())


def _wait_until_serving(app: RunningApp) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if app.process.poll() is not None:
            raise RuntimeError(
                f"the app exited with {app.process.returncode}:\n"
                f"{app.log_path.read_text()[-4000:]}"
            )
        try:
            if (
                httpx.get(f"{app.direct_url}/ping", timeout=2).status_code == 200
                and httpx.get(app.direct_url, timeout=5).status_code == 200
            ):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)  # polling for readiness with a deadline
    raise RuntimeError(
        f"the app did not serve within {STARTUP_TIMEOUT_SECONDS}s:\n"
        f"{app.log_path.read_text()[-4000:]}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop `reflex run` and its workers; they must be gone before the port is used again."""
    try:
        workers = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        workers = []
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    _gone, alive = psutil.wait_procs(workers, timeout=STOP_TIMEOUT_SECONDS)
    for worker in alive:
        worker.kill()
    psutil.wait_procs(alive)


def app_environment(
    *,
    port: int,
    data_dir: Path,
    database_url: str | None = None,
    workers: int = 1,
    redis_url: str | None = None,
) -> dict[str, str]:
    """The environment of `make run` (or `make run-cluster` with a Redis URL) for one app.

    Without a database URL the app uses its default, SQLite in `data_dir`.
    """
    env = {
        **os.environ,
        "PORT": str(port),
        "TODO_DATA_DIR": str(data_dir),
        "TODO_SECRET_KEY": THROWAWAY_SECRET_KEY,
        "REFLEX_TELEMETRY_ENABLED": "false",
        "GRANIAN_WORKERS": str(workers),
    }
    # Production defaults: the bcrypt cost and pool settings come from the app, not from us.
    for name in ("BCRYPT_ROUNDS", "DATABASE_URL", "REDIS_URL", "BACKEND_PORT"):
        env.pop(name, None)
    if database_url:
        env["DATABASE_URL"] = database_url
    if redis_url:
        env["REDIS_URL"] = redis_url
    tools_bin = PROJECT_ROOT / ".tools" / "node_modules" / ".bin"
    if tools_bin.is_dir():
        env["PATH"] = f"{tools_bin}{os.pathsep}{env['PATH']}"
    return env


class AppTree:
    """A project tree whose production app runs on one port, one server at a time.

    The first start builds the frontend; later starts serve that build again, so the 1-worker
    app and the 2-worker cluster of one test session or benchmark run cost one build.
    """

    def __init__(self, path: Path = PROJECT_ROOT) -> None:
        self.path = path
        self.port = free_port()
        self._built = False
        self._serving = False

    def _has_build(self) -> bool:
        """Whether .web holds the build made here for this port (nobody rebuilt it since)."""
        if not self._built:
            return False
        try:
            env = json.loads((self.path / ".web" / "env.json").read_text())
        except (OSError, ValueError):
            return False
        return env.get("PING") == f"http://localhost:{self.port}/ping"

    @contextmanager
    def serve(
        self,
        *,
        database_url: str | None = None,
        workers: int = 1,
        redis_url: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Iterator[RunningApp]:
        """Run `reflex run --env prod --single-port` here until the block ends.

        `env` adds to or overrides the environment of `make run` (for example a cheap bcrypt cost).
        """
        if self._serving:
            raise RuntimeError(
                f"{self.path} already serves the app on port {self.port}: "
                "a second server would share its port and .web"
            )
        data_dir = Path(tempfile.mkdtemp(prefix="todo-app-data-"))
        log_path = data_dir / "server.log"
        environment = app_environment(
            port=self.port,
            data_dir=data_dir,
            database_url=database_url,
            workers=workers,
            redis_url=redis_url,
        )
        environment.update(env or {})
        command = (
            [sys.executable, "-c", _RUN_WITH_EXISTING_BUILD]
            if self._has_build()
            else [sys.executable, "-m", "reflex", *REFLEX_RUN]
        )
        self._serving = True
        try:
            with log_path.open("wb") as log:
                process = subprocess.Popen(
                    command,
                    cwd=self.path,
                    env=environment,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            app = RunningApp(
                port=self.port, process=process, data_dir=data_dir, log_path=log_path
            )
            try:
                _wait_until_serving(app)
                self._built = True
                yield app
            finally:
                _stop(process)
        finally:
            self._serving = False
            shutil.rmtree(data_dir, ignore_errors=True)


@dataclass(frozen=True)
class BackendProcess:
    """The app's backend alone (API, websocket, lifespan jobs) as one process, no frontend."""

    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def url(self) -> str:
        """The backend's address."""
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def serve_backends(
    count: int,
    *,
    database_url: str,
    redis_url: str | None,
    env: Mapping[str, str] | None = None,
) -> Iterator[list[BackendProcess]]:
    """`count` app processes (uvicorn, one worker each), each in its own copy of the tree.

    On one database and Redis they are a cluster whose processes can be killed one by one
    (Granian stops all its workers when one of them dies). They start side by side; the
    copies keep the app's compile output out of the working tree's .web.
    """
    trees = [Path(tempfile.mkdtemp(prefix="todo-app-backend-")) for _ in range(count)]
    backends: list[BackendProcess] = []
    try:
        for tree in trees:
            copy_project(tree)
            backends.append(_start_backend(tree, database_url, redis_url, env or {}))
        for backend in backends:
            _wait_until_pinged(backend)
        yield backends
    finally:
        for backend in backends:
            _stop(backend.process)
        for tree in trees:
            shutil.rmtree(tree, ignore_errors=True)


def _start_backend(
    tree: Path, database_url: str, redis_url: str | None, env: Mapping[str, str]
) -> BackendProcess:
    port = free_port()
    log_path = tree / "server.log"
    environment = app_environment(
        port=port,
        data_dir=tree / "data",
        database_url=database_url,
        redis_url=redis_url,
    )
    # The backend only: no prerendering (it needs the frontend's toolchain).
    environment.update({"REFLEX_ENV_MODE": "prod", "REFLEX_SSR": "false", **env})
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "todo_app.todo_app:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=tree,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return BackendProcess(port=port, process=process, log_path=log_path)


def _wait_until_pinged(backend: BackendProcess) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if backend.process.poll() is not None:
            raise RuntimeError(
                f"the backend exited with {backend.process.returncode}:\n"
                f"{backend.log_path.read_text()[-4000:]}"
            )
        try:
            if httpx.get(f"{backend.url}/ping", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)  # polling for readiness with a deadline
    raise RuntimeError(
        f"the backend did not serve within {STARTUP_TIMEOUT_SECONDS}s:\n"
        f"{backend.log_path.read_text()[-4000:]}"
    )


@contextmanager
def serve_floor(tree: Path, database_url: str) -> Iterator[RunningApp]:
    """`bench/floor.py` (the fast list alone, outside Reflex) under Granian, one worker."""
    port = free_port()
    data_dir = Path(tempfile.mkdtemp(prefix="todo-bench-floor-"))
    log_path = data_dir / "floor.log"
    env = app_environment(port=port, data_dir=data_dir, database_url=database_url)
    command = [
        *(sys.executable, "-m", "granian", "--interface", "asgi", "--no-ws"),
        *("--host", "127.0.0.1", "--port", str(port), "--workers", "1"),
        "bench.floor:app",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=tree,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    app = RunningApp(port=port, process=process, data_dir=data_dir, log_path=log_path)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the floor did not serve:\n{log_path.read_text()}")
            try:
                if httpx.get(f"{app.direct_url}/ping", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)  # polling for readiness with a deadline
        yield app
    finally:
        _stop(process)
        shutil.rmtree(data_dir, ignore_errors=True)
