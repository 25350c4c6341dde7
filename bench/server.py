"""The production app as `make run` starts it, from a private copy of the project tree."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PYTHON = PROJECT_ROOT / ".venv" / "bin" / "python"
STARTUP_TIMEOUT_SECONDS = 300
BENCH_SECRET_KEY = "bench-secret-key-only-for-throwaway-databases-0123456789"
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


@dataclass
class RunningApp:
    """A started app: its URL, the `reflex run` process and the log it writes."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

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
        used: dict[int, float] = {}
        for process in self.processes():
            try:
                used[process.pid] = _cpu_seconds(process)
            except psutil.NoSuchProcess:
                continue
        return used


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
            if httpx.get(f"{app.url}/ping", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)  # polling for readiness with a deadline
    raise RuntimeError(
        f"the app did not serve within {STARTUP_TIMEOUT_SECONDS}s:\n"
        f"{app.log_path.read_text()[-4000:]}"
    )


def app_environment(
    *,
    port: int,
    database_url: str,
    data_dir: Path,
    workers: int = 1,
    redis_url: str | None = None,
) -> dict[str, str]:
    """The environment of `make run` (or `make run-cluster` with a Redis URL) for one app."""
    env = {
        **os.environ,
        "PORT": str(port),
        "DATABASE_URL": database_url,
        "TODO_DATA_DIR": str(data_dir),
        "TODO_SECRET_KEY": BENCH_SECRET_KEY,
        "REFLEX_TELEMETRY_ENABLED": "false",
        "GRANIAN_WORKERS": str(workers),
    }
    # Production defaults: the bcrypt cost and pool settings come from the app, not from us.
    for name in ("BCRYPT_ROUNDS", "REDIS_URL", "BACKEND_PORT"):
        env.pop(name, None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    tools_bin = PROJECT_ROOT / ".tools" / "node_modules" / ".bin"
    if tools_bin.is_dir():
        env["PATH"] = f"{tools_bin}{os.pathsep}{env['PATH']}"
    return env


@contextmanager
def production_app(
    tree: Path,
    *,
    database_url: str,
    workers: int = 1,
    redis_url: str | None = None,
) -> Iterator[RunningApp]:
    """Start `reflex run --env prod --single-port` in `tree` on a free port; stop it after."""
    port = free_port()
    data_dir = Path(tempfile.mkdtemp(prefix="todo-bench-data-"))
    log_path = data_dir / "server.log"
    env = app_environment(
        port=port,
        database_url=database_url,
        data_dir=data_dir,
        workers=workers,
        redis_url=redis_url,
    )
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(PYTHON), "-m", "reflex", "run", "--env", "prod", "--single-port"],
            cwd=tree,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    app = RunningApp(url=f"http://127.0.0.1:{port}", process=process, log_path=log_path)
    try:
        _wait_until_serving(app)
        yield app
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        shutil.rmtree(data_dir, ignore_errors=True)
