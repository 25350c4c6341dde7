"""The production app, started in the working tree for the test session, and a Chromium browser.

The server is `reflex run --env prod --single-port`, as `make run` starts it, on a private SQLite
database, so browser tests exercise the real build. The 1-worker app and the 2-worker cluster take
turns on one port and share one frontend build; the tests marked `cluster` run last, so the app
switches from one to the other once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    expect,
    sync_playwright,
)

from bench.server import PROJECT_ROOT, AppTree, RunningApp, chromium_launch_options

ARTIFACTS_DIR = PROJECT_ROOT / "test-artifacts"
# Fast bcrypt; every test signs up from 127.0.0.1, and the hourly limit has its own tests.
E2E_ENV = {
    "BCRYPT_ROUNDS": "4",
    "TODO_SIGNUPS_PER_HOUR": "100000",
    # Reminders are delivered promptly, and one set 1 minute ahead is due at once.
    "TODO_REMINDER_POLL_SECONDS": "0.2",
    "TODO_REMINDER_CLOCK_AHEAD_SECONDS": "60",
}


def pytest_configure(config: pytest.Config) -> None:
    """Register the `cluster` marker."""
    config.addinivalue_line(
        "markers",
        "cluster: runs on the 2-worker Redis cluster (after every other test)",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Move the cluster tests to the end, keeping every other test in its order."""
    items.sort(key=lambda item: item.get_closest_marker("cluster") is not None)


class AppSlot:
    """The working tree's app in one configuration at a time: they share a port and .web."""

    def __init__(self, tree: AppTree) -> None:
        self._tree = tree
        self._stack = contextlib.ExitStack()
        self._running: tuple[tuple[int, str | None], RunningApp] | None = None
        # A start that failed fails the next tests at once, as a failed session fixture would.
        self._failed: dict[tuple[int, str | None], Exception] = {}

    def serve(self, *, workers: int = 1, redis_url: str | None = None) -> RunningApp:
        """The app with `workers` workers (and Redis), restarted if it runs otherwise."""
        config = (workers, redis_url)
        if self._running is not None and self._running[0] == config:
            return self._running[1]
        if config in self._failed:
            raise self._failed[config]
        self.stop()
        try:
            app = self._stack.enter_context(
                self._tree.serve(workers=workers, redis_url=redis_url, env=E2E_ENV)
            )
        except Exception as exc:
            self._failed[config] = exc
            raise
        self._running = (config, app)
        return app

    def stop(self) -> None:
        """Stop the running app, if any."""
        self._running = None
        self._stack.close()


@pytest.fixture(scope="session")
def app_slot() -> Iterator[AppSlot]:
    """The one app server of the session."""
    slot = AppSlot(AppTree(PROJECT_ROOT))
    yield slot
    slot.stop()


@pytest.fixture
def live_app(app_slot: AppSlot) -> RunningApp:
    """The production build of the app (1 worker), serving UI and API on one port."""
    return app_slot.serve()


# --- the browser ---------------------------------------------------------------------------------

# Generous for the first page of a cold production server, small enough to fail fast.
EXPECT_TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium: Debian's when installed, otherwise Playwright's own download."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(**chromium_launch_options())
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
