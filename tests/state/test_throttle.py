"""Events of one tab are rate-limited: a flood is dropped, normal use is not."""

from __future__ import annotations

from todo_app.state.throttle import BURST, EVENTS_PER_SECOND, EventRateLimit


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_flood_of_300_events_gets_only_the_burst_through() -> None:
    limit = EventRateLimit(clock=FakeClock())
    allowed = sum(limit.allow("tab-a") for _ in range(300))
    assert allowed == BURST


def test_the_bucket_refills_at_the_sustained_rate() -> None:
    clock = FakeClock()
    limit = EventRateLimit(clock=clock)
    for _ in range(BURST):
        limit.allow("tab-a")
    clock.now += 1.0
    allowed = sum(limit.allow("tab-a") for _ in range(100))
    assert allowed == int(EVENTS_PER_SECOND)


def test_normal_use_is_never_throttled() -> None:
    clock = FakeClock()
    limit = EventRateLimit(clock=clock)
    results = []
    for _ in range(600):  # two events a second for five minutes
        clock.now += 0.5
        results.append(limit.allow("tab-a"))
    assert all(results)


def test_tabs_have_their_own_buckets() -> None:
    limit = EventRateLimit(clock=FakeClock())
    for _ in range(300):
        limit.allow("flooding-tab")
    assert limit.allow("quiet-tab")
