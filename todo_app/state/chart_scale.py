"""The value axis of the Completed view's chart: whole numbers, evenly spaced, few enough to
read on a phone."""

from __future__ import annotations

# At most this many steps above zero: the chart is 160 px tall, and its labels must not touch.
AXIS_STEPS_MAX = 4
# Steps people read easily: 1, 2, 5, 10, 20, 50, ...
_NICE_STEPS = (1, 2, 5)


def _nice_step(at_least: float) -> int:
    scale = 1
    while True:
        for step in _NICE_STEPS:
            if step * scale >= at_least:
                return step * scale
        scale *= 10


def axis_ticks(highest: int) -> list[int]:
    """The ticks of an axis from 0 that shows `highest`: [0, 1, 2, 3] for 3, [0, 2, 4, 6, 8]
    for 7; never fractions (a task is done or not), never fewer than [0, 1]."""
    step = _nice_step(max(highest, 1) / AXIS_STEPS_MAX)
    top = -(-max(highest, 1) // step) * step
    return list(range(0, top + 1, step))
