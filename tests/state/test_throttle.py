"""Events of one tab are rate-limited: a burst waits its turn, a flood is dropped."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from todo_app.state.throttle import (
    BURST,
    EVENTS_PER_SECOND,
    MAX_WAIT_SECONDS,
    EventRateLimit,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _admit_many(limit: EventRateLimit, count: int, tab: str = "tab-a") -> list[Any]:
    return [limit.admit(tab) for _ in range(count)]


def test_a_flood_of_300_events_gets_the_burst_and_a_short_backlog_through() -> None:
    waits = _admit_many(EventRateLimit(clock=FakeClock()), 300)
    immediate = [wait for wait in waits if wait == 0]
    queued = [wait for wait in waits if wait is not None and wait > 0]
    assert len(immediate) == BURST
    assert len(queued) == int(MAX_WAIT_SECONDS * EVENTS_PER_SECOND)
    assert max(queued) <= MAX_WAIT_SECONDS
    assert waits.count(None) == 300 - len(immediate) - len(queued)


def test_events_beyond_the_burst_wait_in_turn_at_the_sustained_rate() -> None:
    limit = EventRateLimit(clock=FakeClock())
    _admit_many(limit, BURST)
    waits = _admit_many(limit, 3)
    assert waits == pytest.approx([n / EVENTS_PER_SECOND for n in (1, 2, 3)])


def test_quick_navigation_is_slowed_never_dropped() -> None:
    # Five pages opened at once cost Reflex's hydrate, on_load, the loader and more each:
    # twice the burst in one go still gets through, within the wait.
    waits = _admit_many(EventRateLimit(clock=FakeClock()), BURST * 2)
    assert None not in waits


def test_the_bucket_refills_at_the_sustained_rate() -> None:
    clock = FakeClock()
    limit = EventRateLimit(clock=clock)
    _admit_many(limit, BURST)
    clock.now += 1.0
    waits = _admit_many(limit, int(EVENTS_PER_SECOND) + 1)
    assert waits[:-1] == [0.0] * int(EVENTS_PER_SECOND)
    assert waits[-1] > 0


def test_normal_use_is_never_throttled() -> None:
    clock = FakeClock()
    limit = EventRateLimit(clock=clock)
    waits = []
    for _ in range(600):  # two events a second for five minutes
        clock.now += 0.5
        waits.append(limit.admit("tab-a"))
    assert waits == [0.0] * 600


def test_tabs_have_their_own_buckets() -> None:
    limit = EventRateLimit(clock=FakeClock())
    _admit_many(limit, 300, tab="flooding-tab")
    assert limit.admit("quiet-tab") == 0


def _event_of(tab: str) -> tuple[Any, Any]:
    state = SimpleNamespace(
        router=SimpleNamespace(session=SimpleNamespace(client_token=tab))
    )
    return state, SimpleNamespace(name="some_event")


def test_preprocess_lets_an_event_run_after_its_wait_and_answers_a_flood_with_nothing() -> (
    None
):
    limit = EventRateLimit(burst=1, rate=50.0, max_wait=0.02, clock=FakeClock())
    state, event = _event_of("tab-a")

    async def three() -> list[Any]:
        return [await limit.preprocess(None, state, event) for _ in range(3)]  # type: ignore[arg-type]

    first, waited, dropped = asyncio.run(three())
    assert first is None and waited is None
    assert dropped is not None and dropped.delta == {}
