"""What a quick-add parse costs: the UI parses the line again at every keystroke.

Run in a fresh process, `.venv/bin/python -m bench.quick_add`, so the first figures include
loading the date library and its English data. Prints milliseconds per line.
"""

from __future__ import annotations

import importlib
import statistics
import time
from collections.abc import Callable
from datetime import datetime

LINES = (
    "Buy milk",
    "Pay rent every month on the 1st #home !high",
    "Call mom tomorrow at 6pm /Family",
    "Dentist next fri at 9:30 am",
    "Party 3 December 2027 #friends",
    "Renew passport in 3 days !1",
    "Standup every weekday at 09:15",
)
# A line of phrases the rules send to the library and the library refuses: the worst case.
WORST = " ".join(["feb 30"] * 12)
ROUNDS = 50


def _ms(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    """Print the cold, uncached and cached cost of parsing a line."""
    # The app has imported the task services already; what quick add adds is dateparser.
    importlib.import_module("todo_app.services.tasks")
    imported = _ms(lambda: importlib.import_module("todo_app.services.quick_add"))
    print(f"import quick_add (and dateparser): {imported:.0f} ms")
    from todo_app.services import quick_add

    now = datetime(2030, 6, 3, 9, 0)
    first = _ms(lambda: quick_add.parse(LINES[2], now_local=now))
    print(f"first parse (loads English data): {first:.0f} ms")

    def parse_ms(line: str, *, cached: bool) -> float:
        if not cached:
            quick_add._library_date.cache_clear()
            quick_add._library_time.cache_clear()
        started = time.perf_counter()
        quick_add.parse(line, now_local=now)
        return (time.perf_counter() - started) * 1000

    for line in (*LINES, WORST):
        cold = [parse_ms(line, cached=False) for _ in range(ROUNDS)]
        warm = [parse_ms(line, cached=True) for _ in range(ROUNDS)]
        print(
            f"{line[:45]:47} uncached median {statistics.median(cold):5.2f} ms"
            f" (max {max(cold):5.2f}), cached median {statistics.median(warm):5.2f} ms"
        )


if __name__ == "__main__":
    main()
