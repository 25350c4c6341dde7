"""The Completed chart's value axis: whole, evenly spaced, at most five labels."""

from __future__ import annotations

import itertools

import pytest

from todo_app.state.chart_scale import AXIS_STEPS_MAX, axis_ticks


@pytest.mark.parametrize(
    ("highest", "ticks"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (4, [0, 1, 2, 3, 4]),
        (5, [0, 2, 4, 6]),
        (7, [0, 2, 4, 6, 8]),
        (9, [0, 5, 10]),
        (23, [0, 10, 20, 30]),
        (160, [0, 50, 100, 150, 200]),
    ],
)
def test_axis_ticks_are_whole_even_steps_reaching_the_highest(
    highest: int, ticks: list[int]
) -> None:
    assert axis_ticks(highest) == ticks


def test_axis_ticks_never_crowd_and_always_show_the_highest() -> None:
    for highest in range(1001):
        ticks = axis_ticks(highest)
        steps = {after - before for before, after in itertools.pairwise(ticks)}
        assert len(steps) == 1, highest
        assert len(ticks) - 1 <= AXIS_STEPS_MAX, highest
        assert ticks[0] == 0 and ticks[-1] >= highest, highest
