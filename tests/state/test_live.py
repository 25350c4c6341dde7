"""Live updates in the state layer: who gets refreshed, and who never does."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from typing import Any, ClassVar

import pytest
import redis
import redis.asyncio
import reflex as rx
from reflex.istate.data import RouterData
from sqlmodel import Session

from tests.builders import make_project, make_task, make_user
from tests.state.conftest import call, sign_in, substate
from todo_app.api.page_cache import Page, PageCache
from todo_app.models import ProjectUpdate, TaskCreate, TaskPatch, User
from todo_app.services import projects, tasks
from todo_app.state.auth import AuthState
from todo_app.state.live import LiveHub, _channel_name, hub
from todo_app.state.tasks import TaskState


def open_tab(root: rx.State, client_token: str) -> None:
    """Give the state tree the Reflex client token of one browser tab."""
    root.router = RouterData.from_router_data(
        {"pathname": "/", "asPath": "/", "ip": "203.0.113.7", "token": client_token}
    )


def loaded_tab(user: User, client_token: str) -> TaskState:
    """A task page of `user` in tab `client_token`, loaded as on_load would."""
    root = rx.State(_reflex_internal_init=True)
    open_tab(root, client_token)
    sign_in(root, user)
    state = substate(root, TaskState)
    assert call(state, TaskState.load_page) == []
    return state


def test_load_page_watches_the_tab_for_its_verified_user(user: User) -> None:
    loaded_tab(user, "tab-ada")
    assert hub.watched_pages(user.id) == {"tab-ada"}


def test_a_made_up_browser_key_watches_nothing(user: User) -> None:
    root = rx.State(_reflex_internal_init=True)
    open_tab(root, "tab-mallory")
    call(substate(root, AuthState), AuthState.resume, "ab" * 32)
    call(substate(root, TaskState), TaskState.load_page)
    assert hub.watched_pages(user.id) == frozenset()


def test_no_event_handler_takes_a_user_or_channel_from_the_browser() -> None:
    handlers = {name for name in TaskState.event_handlers}
    assert not {
        name
        for name in handlers
        if "watch" in name or "subscribe" in name or "live" in name
    }


def test_live_change_of_another_user_leaves_the_page_untouched(
    user: User, db: Session
) -> None:
    other = make_user(db, email="bob@example.com")
    bobs_tab = loaded_tab(other, "tab-bob")
    make_task(db, user, title="Ada's secret")
    before = list(bobs_tab.tasks)
    asyncio.run(bobs_tab._apply_live_change(user.id))
    assert bobs_tab.tasks == before
    assert bobs_tab.get_delta() == {} or "Ada's secret" not in str(bobs_tab.get_delta())


def test_live_change_reloads_the_users_page(user: User, db: Session) -> None:
    tab = loaded_tab(user, "tab-ada")
    make_task(db, user, title="Added through the API")
    asyncio.run(tab._apply_live_change(user.id))
    assert [task.title for task in tab.tasks] == ["Added through the API"]


def test_live_change_while_editing_keeps_the_edit_and_says_so(
    user: User, db: Session
) -> None:
    task = make_task(db, user, title="Draft")
    tab = loaded_tab(user, "tab-ada")
    call(tab, TaskState.start_edit, task.id)
    tasks.update_task(
        db, owner_id=user.id, task_id=task.id, data=TaskPatch(title="Changed elsewhere")
    )
    db.commit()
    asyncio.run(tab._apply_live_change(user.id))
    assert tab.editing_id == task.id
    assert "changed elsewhere" in tab.edit_notice


def test_live_delete_while_editing_keeps_the_row_on_screen(
    user: User, db: Session
) -> None:
    task = make_task(db, user, title="Draft")
    tab = loaded_tab(user, "tab-ada")
    call(tab, TaskState.start_edit, task.id)
    tasks.delete_task(db, owner_id=user.id, task_id=task.id)
    db.commit()
    asyncio.run(tab._apply_live_change(user.id))
    assert [row.id for row in tab.tasks] == [task.id]
    assert "deleted elsewhere" in tab.edit_notice


def test_logout_stops_watching_the_tab(user: User) -> None:
    tab = loaded_tab(user, "tab-ada")
    call(tab, TaskState.logout)
    assert hub.watched_pages(user.id) == frozenset()


# --- the hub's bus, with a stand-in for the Reflex app ------------------------------------------


class FakePage:
    """Records the live changes a page was asked to apply."""

    applied: ClassVar[list[tuple[str, int]]] = []

    def __init__(self, client_token: str) -> None:
        self.client_token = client_token

    async def _apply_live_change(self, user_id: int) -> None:
        FakePage.applied.append((self.client_token, user_id))


class FakeApp:
    """Just enough of rx.App for LiveHub: modify_state on a client token."""

    event_namespace = None

    @contextlib.asynccontextmanager
    async def modify_state(self, token: Any) -> AsyncIterator[FakePage]:
        yield FakePage(token.ident)


async def _until(condition: Any, timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(
                0.01
            )  # yields to the hub's tasks; bounded by the timeout


async def _commit_task_in_a_thread(owner_id: int) -> None:
    def work() -> None:
        from todo_app.db import session_scope

        with session_scope() as session:
            tasks.create_task(
                session, owner_id=owner_id, data=TaskCreate(title="From elsewhere")
            )

    await asyncio.to_thread(work)


def test_hub_refreshes_only_the_pages_of_the_changed_user(
    user: User, db: Session
) -> None:
    other = make_user(db, email="bob@example.com")
    FakePage.applied = []
    local_hub = LiveHub()

    async def scenario() -> None:
        async with local_hub.running(FakeApp(), FakePage):  # type: ignore[arg-type]
            local_hub.watch(user.id, "ada-1")
            local_hub.watch(user.id, "ada-2")
            local_hub.watch(other.id, "bob-1")
            await _commit_task_in_a_thread(user.id)
            await _until(lambda: len(FakePage.applied) >= 2)

    asyncio.run(scenario())
    assert sorted(FakePage.applied) == [("ada-1", user.id), ("ada-2", user.id)]


def test_hub_refreshes_the_users_pages_when_a_project_is_renamed(
    user: User, db: Session
) -> None:
    project = make_project(db, user, name="Work")
    FakePage.applied = []
    local_hub = LiveHub()

    def rename() -> None:
        from todo_app.db import session_scope

        with session_scope() as session:
            projects.update_project(
                session,
                owner_id=user.id,
                project_id=project.id,
                data=ProjectUpdate(name="Job"),
            )

    async def scenario() -> None:
        async with local_hub.running(FakeApp(), FakePage):  # type: ignore[arg-type]
            local_hub.watch(user.id, "ada-1")
            await asyncio.to_thread(rename)
            await _until(lambda: len(FakePage.applied) >= 1)

    asyncio.run(scenario())
    assert FakePage.applied == [("ada-1", user.id)]


def _redis_url() -> str | None:
    url = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("TEST_REDIS_URL"):
            raise
        return None
    return url


def _bus_on_redis(monkeypatch: pytest.MonkeyPatch) -> str:
    """Make the app's REDIS_URL a reachable Redis (CI sets TEST_REDIS_URL: never skipped there)."""
    redis_url = _redis_url()
    if redis_url is None:
        pytest.skip(
            "no Redis at 127.0.0.1:6379 and TEST_REDIS_URL unset: the cross-worker bus needs Redis"
        )
    monkeypatch.setenv("REDIS_URL", redis_url)
    from todo_app.settings import get_settings

    get_settings.cache_clear()
    return redis_url


async def _until_subscribed(redis_url: str, count: int) -> None:
    client = redis.asyncio.from_url(redis_url)
    channel = _channel_name()
    try:
        async with asyncio.timeout(5):
            while (await client.pubsub_numsub(channel))[0][1] < count:
                await asyncio.sleep(0.01)  # polls Redis until both hubs listen; bounded
    finally:
        await client.aclose()


def test_change_published_by_one_worker_reaches_pages_on_another(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    redis_url = _bus_on_redis(monkeypatch)
    FakePage.applied = []
    publisher, subscriber = LiveHub(), LiveHub()

    async def scenario() -> None:
        async with (
            publisher.running(FakeApp(), FakePage),
            subscriber.running(FakeApp(), FakePage),
        ):  # type: ignore[arg-type]
            subscriber.watch(user.id, "on-the-other-worker")
            await _until_subscribed(redis_url, 2)  # both hubs listen before publishing
            assert publisher._publish is not None
            await publisher._publish(frozenset({user.id}))
            await _until(lambda: FakePage.applied)

    asyncio.run(scenario())
    assert FakePage.applied == [("on-the-other-worker", user.id)]


# --- per-worker caches told of changes (the fast list's pages) ----------------------------------


def test_hub_tells_change_callbacks_of_local_commits(user: User) -> None:
    heard: list[frozenset[int] | None] = []
    local_hub = LiveHub()
    local_hub.on_change(heard.append)

    async def scenario() -> None:
        async with local_hub.running(FakeApp(), FakePage):  # type: ignore[arg-type]
            await _commit_task_in_a_thread(user.id)
            await _until(lambda: heard)

    asyncio.run(scenario())
    assert heard == [frozenset({user.id})]


def test_change_on_another_worker_drops_cached_pages_within_a_second(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    redis_url = _bus_on_redis(monkeypatch)
    publisher, subscriber = LiveHub(), LiveHub()
    cache = PageCache()
    subscriber.on_change(cache.changed)
    told: list[frozenset[int] | None] = []
    subscriber.on_change(told.append)
    users_page, others_page = (user.id, ()), (user.id + 1, ())

    async def scenario() -> None:
        async with (
            publisher.running(FakeApp(), FakePage),
            subscriber.running(FakeApp(), FakePage),
        ):  # type: ignore[arg-type]
            await _until_subscribed(redis_url, 2)
            await _until(lambda: None in told)  # its "start over" came before the pages
            for key in (users_page, others_page):
                cache.store(key, Page(body=b"[]", headers=()), cache.generation(key[0]))
            assert publisher._publish is not None
            await publisher._publish(frozenset({user.id}))
            await _until(lambda: users_page not in cache, timeout=1.0)

    asyncio.run(scenario())
    assert users_page not in cache and others_page in cache


def test_hub_tells_change_callbacks_when_it_subscribes_to_redis(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # After a lost subscription, changes published meanwhile were missed: caches start over.
    _bus_on_redis(monkeypatch)
    local_hub = LiveHub()
    heard: list[frozenset[int] | None] = []
    local_hub.on_change(heard.append)

    async def scenario() -> None:
        async with local_hub.running(FakeApp(), FakePage):  # type: ignore[arg-type]
            await _until(lambda: heard)

    asyncio.run(scenario())
    assert heard == [None]
