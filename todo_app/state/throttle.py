"""Events per browser tab are rate-limited, so a flood of events cannot occupy the server.

A token bucket per tab (Reflex client token), kept per worker: a tab's websocket is served by
one worker. Normal use stays below the rate, but quick navigation spends several events per
page (Reflex's hydrate, on_load and the page's loader), so an event beyond the burst first
waits for its turn, up to MAX_WAIT_SECONDS of backlog: a fast person is slowed a little, never
left with a page that does not load. Only events beyond that backlog - a flood - are dropped
before their handler runs, and the tab gets no reply for them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reflex.middleware import Middleware

if TYPE_CHECKING:
    from reflex.app import App
    from reflex.state import BaseState, StateUpdate
    from reflex_base.event import Event

logger = logging.getLogger(__name__)

BURST = 30
EVENTS_PER_SECOND = 10.0
MAX_WAIT_SECONDS = 3.0
IDLE_SECONDS = 300.0


@dataclass
class _Bucket:
    tokens: float
    updated: float
    dropped: int = 0


class EventRateLimit(Middleware):
    """Lets BURST events of a tab through at once and EVENTS_PER_SECOND sustained.

    Beyond that an event waits for its turn, as long as the tab's backlog stays within
    `max_wait` seconds; later ones are dropped.
    """

    def __init__(
        self,
        *,
        burst: int = BURST,
        rate: float = EVENTS_PER_SECOND,
        max_wait: float = MAX_WAIT_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.burst = burst
        self.rate = rate
        self.max_wait = max_wait
        self.clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._last_sweep = clock()

    def admit(self, tab: str) -> float | None:
        """Take one event from the tab's bucket: the seconds it must wait first, or None to drop.

        The bucket may go below zero by what `max_wait` seconds refill: those are the events
        waiting for their turn.
        """
        now = self.clock()
        self._sweep(now)
        bucket = self._buckets.get(tab)
        if bucket is None:
            bucket = self._buckets[tab] = _Bucket(tokens=float(self.burst), updated=now)
        bucket.tokens = min(
            float(self.burst), bucket.tokens + (now - bucket.updated) * self.rate
        )
        bucket.updated = now
        if bucket.tokens - 1 < -self.max_wait * self.rate:
            bucket.dropped += 1
            if bucket.dropped == 1:
                logger.warning(
                    "events of tab %s are arriving too fast; dropping", tab[:8]
                )
            return None
        bucket.tokens -= 1
        bucket.dropped = 0
        return max(0.0, -bucket.tokens / self.rate)

    def _sweep(self, now: float) -> None:
        if now - self._last_sweep < IDLE_SECONDS:
            return
        self._last_sweep = now
        for tab in [
            t for t, b in self._buckets.items() if now - b.updated > IDLE_SECONDS
        ]:
            del self._buckets[tab]

    async def preprocess(
        self, app: App, state: BaseState, event: Event
    ) -> StateUpdate | None:
        """Let the event through (after its wait), or answer it with nothing: a flood."""
        from reflex.state import StateUpdate

        wait = self.admit(state.router.session.client_token)
        if wait is None:
            return StateUpdate()
        if wait > 0:
            await asyncio.sleep(wait)  # the tab's turn, by the sustained rate
        return None
