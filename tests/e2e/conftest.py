"""The production app on a free port, started once per test session, and a Chromium browser.

The server is `reflex run --env prod --single-port`, as `make run` starts it, on a private SQLite
database, so browser tests exercise the real build.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    expect,
    sync_playwright,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_SECONDS = 240
ARTIFACTS_DIR = PROJECT_ROOT / "test-artifacts"


@dataclass(frozen=True)
class LiveApp:
    url: str
    port: int
    data_dir: Path
    log_path: Path
    pid: int


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(
    url: str, process: subprocess.Popen[bytes], log_path: Path
) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the app exited with {process.returncode}:\n{log_path.read_text()[-4000:]}"
            )
        try:
            if (
                httpx.get(f"{url}/ping", timeout=2).status_code == 200
                and httpx.get(url, timeout=5).status_code == 200
            ):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)  # polling for readiness with a deadline, not waiting blindly
    raise RuntimeError(
        f"the app did not serve within {STARTUP_TIMEOUT_SECONDS}s:\n{log_path.read_text()[-4000:]}"
    )


@contextlib.contextmanager
def serve_app(project_dir: Path, **extra_env: str) -> Iterator[LiveApp]:
    """Run `reflex run --env prod --single-port` in `project_dir` until the block ends."""
    port = _free_port()
    data_dir = Path(tempfile.mkdtemp(prefix="todo-e2e-"))
    log_path = data_dir / "server.log"
    env = {
        **os.environ,
        "PORT": str(port),
        "TODO_DATA_DIR": str(data_dir),
        "DATABASE_URL": f"sqlite:///{data_dir / 'e2e.db'}",
        "BCRYPT_ROUNDS": "4",
        "REFLEX_TELEMETRY_ENABLED": "false",
        # Every test signs up from 127.0.0.1; the hourly limit has its own tests.
        "TODO_SIGNUPS_PER_HOUR": "100000",
    }
    env.pop("REDIS_URL", None)
    env.pop("GRANIAN_WORKERS", None)
    env.update(extra_env)
    tools_bin = PROJECT_ROOT / ".tools" / "node_modules" / ".bin"
    if tools_bin.is_dir():
        env["PATH"] = f"{tools_bin}{os.pathsep}{env['PATH']}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "reflex", "run", "--env", "prod", "--single-port"],
            cwd=project_dir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://localhost:{port}"
    try:
        _wait_until_serving(url, process, log_path)
        yield LiveApp(
            url=url, port=port, data_dir=data_dir, log_path=log_path, pid=process.pid
        )
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def live_app() -> Iterator[LiveApp]:
    """The production build of the app, serving UI and API on one free port."""
    with serve_app(PROJECT_ROOT) as app:
        yield app


def copy_of_project() -> Path:
    """The project's sources in a temporary folder, for a second server with its own build.

    The frontend build is tied to its port and lives in the project's .web/, so two servers
    at once need two copies.
    """
    target = Path(tempfile.mkdtemp(prefix="todo-e2e-copy-"))
    ignored = shutil.ignore_patterns(
        ".web",
        ".venv",
        ".tools",
        ".git",
        ".states",
        "data",
        "test-artifacts",
        "__pycache__",
    )
    shutil.copytree(PROJECT_ROOT, target, ignore=ignored, dirs_exist_ok=True)
    return target


# --- the browser ---------------------------------------------------------------------------------

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Generous for the first page of a cold production server, small enough to fail fast.
EXPECT_TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium: Debian's when installed, otherwise Playwright's own download."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            headless=True,
            args=CHROMIUM_ARGS,
            executable_path=str(SYSTEM_CHROMIUM) if SYSTEM_CHROMIUM.exists() else None,
        )
        expect.set_options(timeout=EXPECT_TIMEOUT_MS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile (own localStorage) per test, at a desktop size."""
    browser_context = browser.new_context(viewport={"width": 1280, "height": 900})
    browser_context.set_default_timeout(EXPECT_TIMEOUT_MS)
    yield browser_context
    browser_context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """A tab in the test's browser profile."""
    return context.new_page()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """The git-ignored folder for screenshots."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR
