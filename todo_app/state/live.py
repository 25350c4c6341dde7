"""Live updates: a change to a user's tasks refreshes every open page of that user, on any worker.

How a change travels:
1. A service records the owner (`services.changes.record_change`); after the commit the
   owner id is announced to `LiveHub.announce`, on whatever thread committed.
2. The hub publishes the id on a bus: Redis pub/sub when REDIS_URL is set (several workers),
   otherwise straight to itself (one worker, in memory).
3. Every worker hears it and refreshes the open pages *it* serves for that user, through
   `app.modify_state`, which pushes the small delta over the page's websocket.

Pages are registered only by the server after it has verified the session (`watch`), under the
page's own Reflex client token, so nobody can subscribe to another user's changes: there is no
channel a browser can name. Pages of other users are never touched, not even with a signal.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Protocol

import reflex as rx

from todo_app.services.changes import add_listener
from todo_app.settings import get_settings

logger = logging.getLogger(__name__)


class LivePage(Protocol):
    """A state class whose instances can refresh themselves for a change of `user_id`."""

    async def _apply_live_change(self, user_id: int) -> None: ...


class LiveHub:
    """Per worker: which open pages belong to which user, and the bus that tells of changes."""

    def __init__(self) -> None:
        self._pages: dict[int, set[str]] = defaultdict(set)
        self._owner_of: dict[str, int] = {}
        # The page state a tab shows when it is not the default one (the trash).
        self._state_of: dict[str, type[Any]] = {}
        self._pending: set[int] = set()
        self._wakeup = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._publish: Callable[[frozenset[int]], Awaitable[None]] | None = None
        self.pushes = (
            0  # refreshes pushed by this worker (tests and benchmarks read it)
        )
        # Called with every delivered set of owners, and (with None) after a gap in the bus.
        self._change_callbacks: list[Callable[[frozenset[int] | None], None]] = []

    # --- registry (called by the state after it has verified the session) --------------------

    def watch(
        self, user_id: int, client_token: str, page_state: type[Any] | None = None
    ) -> None:
        """Refresh this page (the state class it shows, else the hub's) on `user_id`'s changes."""
        previous = self._owner_of.get(client_token)
        if previous is not None and previous != user_id:
            self._pages[previous].discard(client_token)
        self._owner_of[client_token] = user_id
        self._pages[user_id].add(client_token)
        # A tab shows one page at a time: the latest one it loaded is the one to refresh.
        if page_state is None:
            self._state_of.pop(client_token, None)
        else:
            self._state_of[client_token] = page_state

    def forget(self, client_token: str) -> None:
        """Stop refreshing this page (logged out, or gone)."""
        user_id = self._owner_of.pop(client_token, None)
        self._state_of.pop(client_token, None)
        if user_id is not None:
            self._pages[user_id].discard(client_token)
            if not self._pages[user_id]:
                del self._pages[user_id]

    def watched_pages(self, user_id: int) -> frozenset[str]:
        """The client tokens of `user_id`'s pages this worker refreshes."""
        return frozenset(self._pages.get(user_id, ()))

    # --- the bus --------------------------------------------------------------------------------

    def announce(self, owner_ids: frozenset[int]) -> None:
        """Called after a commit, from any thread: publish the changed owners."""
        loop, publish = self._loop, self._publish
        if loop is None or publish is None or loop.is_closed():
            return  # no app running in this process (a script, a test without the hub)
        loop.call_soon_threadsafe(lambda: loop.create_task(publish(owner_ids)))

    def on_change(
        self, callback: Callable[[frozenset[int] | None], None]
    ) -> Callable[[], None]:
        """Call `callback(owner_ids)` for every change this worker hears of (its own and, over
        Redis, other workers'), on the event loop; `callback(None)` when changes may have
        been missed (the Redis subscription was lost). Returns the remover.

        For per-worker caches of users' data (the fast list's pages).
        """
        self._change_callbacks.append(callback)
        return lambda: (
            self._change_callbacks.remove(callback)
            if callback in self._change_callbacks
            else None
        )

    def _tell(self, owner_ids: frozenset[int] | None) -> None:
        for callback in self._change_callbacks:
            try:
                callback(owner_ids)
            except Exception:  # one failing cache must not stop the pages' refresh
                logger.exception("live updates: change callback %r failed", callback)

    def _deliver(self, owner_ids: frozenset[int]) -> None:
        self._tell(owner_ids)
        local = {owner for owner in owner_ids if owner in self._pages}
        if local:
            self._pending |= local
            self._wakeup.set()

    async def _publish_locally(self, owner_ids: frozenset[int]) -> None:
        self._deliver(owner_ids)

    @contextlib.asynccontextmanager
    async def running(self, app: rx.App, page_state: type[Any]) -> AsyncIterator[None]:
        """Run the hub for the app's lifetime (a lifespan context)."""
        self._loop = asyncio.get_running_loop()
        remove_listener = add_listener(self.announce)
        redis_url = get_settings().redis_url
        tasks = [
            asyncio.create_task(self._push_forever(app, page_state), name="live-push")
        ]
        redis_client = None
        if redis_url:
            import redis.asyncio as redis_asyncio

            redis_client = redis_asyncio.from_url(redis_url)
            channel = _channel_name()

            async def publish(owner_ids: frozenset[int]) -> None:
                for owner in owner_ids:
                    await redis_client.publish(channel, str(owner))

            self._publish = publish
            tasks.append(
                asyncio.create_task(
                    self._listen(redis_client, channel), name="live-listen"
                )
            )
        else:
            self._publish = self._publish_locally
        try:
            yield
        finally:
            remove_listener()
            self._publish = None
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if redis_client is not None:
                await redis_client.aclose()

    async def _listen(self, redis_client: Any, channel: str) -> None:
        while True:
            try:
                async with redis_client.pubsub() as pubsub:
                    await pubsub.subscribe(channel)
                    # Changes published while not subscribed were missed (harmless the
                    # first time: nothing was kept before).
                    self._tell(None)
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self._deliver(frozenset({int(message["data"])}))
            except asyncio.CancelledError:
                raise
            except Exception:
                # Pages reload everything when their socket reconnects, so a gap here heals.
                logger.exception(
                    "live updates: lost the Redis subscription, subscribing again"
                )
                await asyncio.sleep(1)

    async def _push_forever(self, app: rx.App, page_state: type[Any]) -> None:
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            # Changes that arrive while pushing are coalesced into the next round.
            owners, self._pending = self._pending, set()
            for owner in owners:
                for client_token in self.watched_pages(owner):
                    await self._push(app, page_state, client_token, owner)

    async def _push(
        self, app: rx.App, page_state: type[Any], client_token: str, owner: int
    ) -> None:
        page_state = self._state_of.get(client_token, page_state)
        try:
            if not await _is_connected(app, client_token):
                self.forget(client_token)
                return
            async with app.modify_state(
                rx.BaseStateToken(ident=client_token, cls=page_state)
            ) as state:
                page = (
                    state
                    if isinstance(state, page_state)
                    else await state.get_state(page_state)
                )
                await page._apply_live_change(owner)
            self.pushes += 1
        except Exception:
            logger.exception(
                "live updates: could not refresh page %s of user %s",
                client_token[:8],
                owner,
            )


async def _is_connected(app: rx.App, client_token: str) -> bool:
    """Whether a page's websocket is still open on any worker.

    Reflex has no public API for this; its event namespace keeps a private token manager
    (local or Redis-backed) that knows. Without one we assume the page is there: pushing to a
    closed page is harmless, and `forget` runs when it logs out.
    """
    token_manager = getattr(app.event_namespace, "_token_manager", None)
    if token_manager is None:
        return True
    return bool(await token_manager.is_token_connected(client_token))


def _channel_name() -> str:
    # Redis channels ignore the database number: name the channel after the app's database so
    # that two installations sharing one Redis do not hear each other.
    database = hashlib.sha256(get_settings().database_url.encode()).hexdigest()[:16]
    return f"todo_app:{database}:tasks-changed"


hub = LiveHub()
