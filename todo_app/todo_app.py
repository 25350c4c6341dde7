"""Composition only: build the Reflex app, mount the REST API, add the pages."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import AsyncIterator, Callable

import reflex as rx
from reflex.event import EventHandler
from starlette.applications import Starlette
from starlette.types import ASGIApp

from todo_app import redaction
from todo_app.api.app import create_api_app
from todo_app.api.fast_list import CompiledPages, FastTaskList
from todo_app.api.headers import SecurityHeadersMiddleware
from todo_app.api.page_cache import PageCache
from todo_app.components.connection import connection_overlay
from todo_app.db import check_pool_capacity
from todo_app.migrations import upgrade_to_head
from todo_app.pages.auth import login_page, register_page
from todo_app.pages.not_found import not_found_page
from todo_app.pages.settings import settings_page
from todo_app.pages.tasks import (
    completed_page,
    inbox_page,
    project_page,
    project_page_title,
    task_page,
    task_page_title,
    tasks_page_title,
    today_page,
    upcoming_page,
)
from todo_app.pages.trash import trash_page
from todo_app.periodic import deliver_reminders_periodically, purge_trash_periodically
from todo_app.services.changes import add_listener
from todo_app.settings import get_secret_key
from todo_app.state.auth import PAGE_LOADERS, AuthState, unexpected_error_notice
from todo_app.state.live import hub
from todo_app.state.settings import SettingsState
from todo_app.state.tasks import TaskState
from todo_app.state.throttle import EventRateLimit
from todo_app.state.trash import TrashState

# Refuse to start with a short TODO_SECRET_KEY, and create the key file before serving.
get_secret_key()
redaction.install()


def live_updates(app: rx.App) -> contextlib.AbstractAsyncContextManager[None]:
    """Refresh users' open task pages when their tasks change, while the app runs."""
    return hub.running(app, TaskState)


api = create_api_app()

# The fast list's rendered pages in this worker. Dropped by owner right after a commit in
# this process (so a write is never followed by its stale page here), and by the live hub
# for every change it hears of, other workers' ones included.
page_cache = PageCache()
compiled_pages = CompiledPages()
add_listener(page_cache.changed)
hub.on_change(page_cache.changed)


@contextlib.asynccontextmanager
async def api_lifespan() -> AsyncIterator[None]:
    """The mounted API's own lifespan (the MCP endpoint), which Reflex does not run itself."""
    async with api.router.lifespan_context(api):
        yield


class TodoApp(rx.App):
    """The Reflex app, served with the fast task list around it (issue #16)."""

    def __call__(self) -> ASGIApp:
        """The app Granian serves: Reflex's, behind the fast list's outermost layer."""
        served = super().__call__()
        # The CORS layers Reflex puts around what it serves: its own app's, then the API's
        # (its own and the one Reflex added when mounting it).
        reflex_cors = Starlette()
        rx.App._add_cors(reflex_cors)
        return FastTaskList.around_the_app(
            served,
            cors=[*reflex_cors.user_middleware, *api.user_middleware],
            pages=compiled_pages,
            cache=page_cache,
        )


# Indigo rather than Radix's default blue: white on blue-9 and blue-11 on blue-3 miss the 4.5:1
# contrast of WCAG AA; indigo's steps pass in both themes.
app = TodoApp(
    # The API is mounted around the Reflex app; the fast task list answers before it (its
    # happy path only) the cross-origin requests the outermost layer leaves to it; the
    # security headers wrap them all.
    api_transformer=[
        api,
        functools.partial(FastTaskList, pages=compiled_pages, cache=page_cache),
        SecurityHeadersMiddleware,
    ],
    theme=rx.theme(accent_color="indigo"),
    stylesheets=["/app.css"],
    backend_exception_handler=unexpected_error_notice,
    # Replaces Reflex's default "Overlay" wrap (same key): a calm offline banner instead of
    # a toast naming the websocket URL.
    extra_app_wraps={(5, "Overlay"): connection_overlay},
    head_components=[
        rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml"),
        rx.el.link(rel="icon", href="/favicon.ico", sizes="32x32"),
        rx.el.link(rel="apple-touch-icon", href="/apple-touch-icon.png"),
        rx.el.script(src="/typed_task.js", defer=True),
        rx.el.script(src="/shortcuts.js", defer=True),
        rx.el.script(src="/notifications.js", defer=True),
    ],
)
app.add_middleware(EventRateLimit())
app.register_lifespan_task(upgrade_to_head)
# Every worker's pool together must fit into PostgreSQL's max_connections (README).
app.register_lifespan_task(check_pool_capacity)
app.register_lifespan_task(live_updates)
app.register_lifespan_task(api_lifespan)
# Every worker checks; one of them purges per interval (a lease in the database).
app.register_lifespan_task(purge_trash_periodically)
# Every worker claims due reminders; the database hands each to exactly one of them.
app.register_lifespan_task(deliver_reminders_periodically)


def add_private_page(
    component: Callable[[], rx.Component],
    *,
    route: str,
    title: str | rx.Var[str],
    loader: EventHandler,
) -> None:
    """A page for signed-in people: `loader` runs on load, or once the tab resumed its session."""
    PAGE_LOADERS[route] = loader
    app.add_page(
        component,
        route=route,
        title=title,
        on_load=[AuthState.dismiss_stale_notice, loader],
    )


# "/" is the Inbox (or Today, as the browser's preference says: TaskState.load_page).
for route, page, title in (
    ("/", inbox_page, tasks_page_title("Todo")),
    ("/inbox", inbox_page, tasks_page_title("Inbox")),
    ("/today", today_page, tasks_page_title("Today")),
    ("/upcoming", upcoming_page, tasks_page_title("Upcoming")),
    # History: how many are left elsewhere is not its business.
    ("/completed", completed_page, "Completed · Todo"),
    ("/projects/[project_ref]", project_page, project_page_title()),
    ("/tasks/[task_ref]", task_page, task_page_title()),
):
    add_private_page(page, route=route, title=title, loader=TaskState.load_page)
add_private_page(
    settings_page,
    route="/settings",
    title="Settings · Todo",
    loader=SettingsState.load_settings,
)
add_private_page(
    trash_page, route="/trash", title="Trash · Todo", loader=TrashState.load_trash
)
# The account pages check a browser's stored session themselves (components.layout.auth_card).
app.add_page(login_page, route="/login", title="Log in · Todo")
app.add_page(register_page, route="/register", title="Create account · Todo")
app.add_page(not_found_page, route="404", title="Page not found · Todo")
