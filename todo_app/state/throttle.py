"""Events per browser tab are rate-limited, so a flood of events cannot occupy the server.

A token bucket per tab (Reflex client token), kept per worker: a tab's websocket is served by
one worker. Normal use (clicks, typing with a debounce) stays far below the rate; events
beyond it are dropped before their handler runs, and the tab gets no reply for them.
"""

from __future__ import annotations

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
IDLE_SECONDS = 300.0


@dataclass
class _Bucket:
    tokens: float
    updated: float
    dropped: int = 0


class EventRateLimit(Middleware):
    """Drops a tab's events beyond BURST at once and EVENTS_PER_SECOND sustained."""

    def __init__(
        self,
        *,
        burst: int = BURST,
        rate: float = EVENTS_PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.burst = burst
        self.rate = rate
        self.clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._last_sweep = clock()

    def allow(self, tab: str) -> bool:
        """Take one event from the tab's bucket; False when it is empty."""
        now = self.clock()
        self._sweep(now)
        bucket = self._buckets.get(tab)
        if bucket is None:
            bucket = self._buckets[tab] = _Bucket(tokens=float(self.burst), updated=now)
        bucket.tokens = min(
            float(self.burst), bucket.tokens + (now - bucket.updated) * self.rate
        )
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.dropped = 0
            return True
        bucket.dropped += 1
        if bucket.dropped == 1:
            logger.warning("events of tab %s are arriving too fast; dropping", tab[:8])
        return False

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
        """Let the event through, or answer it with nothing when the tab is over its rate."""
        from reflex.state import StateUpdate

        if self.allow(state.router.session.client_token):
            return None
        return StateUpdate()
