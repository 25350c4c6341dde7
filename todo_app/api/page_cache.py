"""Rendered task-list pages (and single tasks) kept per worker process, for the fast list
(issue #16).

Once Python is lean, PostgreSQL building the same page's JSON again is the list's ceiling.
A page depends only on its owner's tasks and projects and on the query string (a date view,
Today or Upcoming, also on the owner's date: it is served only on the date it was read for),
so it can be kept until that owner changes something. Sessions are never kept: the fast list still
checks the session in the database on every request, a hit included.

Invalidation, by owner: in-process right after the commit (`services.changes` listeners,
so this worker never answers its own write with a stale page) and from the live hub's bus
for writes committed by other workers. A page is also kept for at most `max_age` seconds
(1 s): writes that reach no bus (the stdio MCP server, a script, a lost Redis message) show
within that time too, and under load a page still serves hundreds of requests.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

# (owner id, the query parameters as the request gave them); a single task's
# answer under (owner id, (fast_list.TASK_KEY, its id)), which no list's parameters can be.
PageKey = tuple[int, tuple[tuple[str, str], ...]]


@dataclass(frozen=True)
class Page:
    """One rendered answer: its body and its response headers, as the API sends them."""

    body: bytes
    headers: tuple[tuple[bytes, bytes], ...]
    # A date view's (Today, Upcoming...): the owner's date it was read for, which it depends on.
    today: date | None = None
    # 201 for a created task's (never kept in the cache).
    status: int = 200


class PageCache:
    """An LRU of rendered pages, bounded by count and bytes, dropped by owner.

    A miss reads `generation(owner)` before its statement and passes it to `store`: a write
    committed in between bumps the generation, and the page read before it is not kept.
    Generations come from one counter that only grows, so a value once read never comes
    back; forgotten owners read the highest generation forgotten (`_floor`).
    """

    def __init__(
        self,
        max_pages: int = 4096,
        max_bytes: int = 64 * 1024 * 1024,
        max_owners: int = 100_000,
        max_age: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_pages = max_pages
        self.max_age = max_age
        self._clock = clock
        self.max_bytes = max_bytes
        self.max_owners = max_owners
        self.hits = 0
        self.misses = 0
        self.stored = 0
        # Invalidation runs on whatever thread committed; lookups on the event loop.
        self._lock = threading.Lock()
        self._pages: OrderedDict[PageKey, Page] = OrderedDict()
        self._stored_at: dict[PageKey, float] = {}
        self._keys_of: dict[int, set[PageKey]] = {}
        self._bytes = 0
        self._generations: OrderedDict[int, int] = OrderedDict()
        self._counter = 0
        self._floor = 0

    def __len__(self) -> int:
        return len(self._pages)

    def __contains__(self, key: object) -> bool:
        return key in self._pages

    def get(self, key: PageKey) -> Page | None:
        """The page kept for `key`, or None (counted as a hit or a miss)."""
        with self._lock:
            page = self._pages.get(key)
            if page is not None and self._clock() - self._stored_at[key] > self.max_age:
                self._drop(key)
                page = None
            if page is None:
                self.misses += 1
                return None
            self._pages.move_to_end(key)
            self.hits += 1
            return page

    def generation(self, owner_id: int) -> int:
        """The owner's generation, to read before the statement whose page may be stored."""
        with self._lock:
            return self._generations.get(owner_id, self._floor)

    def store(self, key: PageKey, page: Page, generation: int) -> bool:
        """Keep `page` unless its owner changed since `generation` was read; whether kept."""
        owner_id = key[0]
        size = len(page.body)
        with self._lock:
            if self._generations.get(owner_id, self._floor) != generation:
                return False
            if size > self.max_bytes:
                return False
            self._drop(key)
            self._pages[key] = page
            self._stored_at[key] = self._clock()
            self._keys_of.setdefault(owner_id, set()).add(key)
            self._bytes += size
            while len(self._pages) > self.max_pages or self._bytes > self.max_bytes:
                self._drop(next(iter(self._pages)))
            self.stored += 1
            return True

    def invalidate(self, owner_ids: Iterable[int]) -> None:
        """Drop these owners' pages and refuse pages read before now (a change committed)."""
        with self._lock:
            for owner_id in owner_ids:
                self._counter += 1
                self._generations[owner_id] = self._counter
                self._generations.move_to_end(owner_id)
                for key in list(self._keys_of.get(owner_id, ())):
                    self._drop(key)
            while len(self._generations) > self.max_owners:
                _, forgotten = self._generations.popitem(last=False)
                self._floor = max(self._floor, forgotten)

    def changed(self, owner_ids: Iterable[int] | None) -> None:
        """A change listener: these owners changed; None when anyone may have (missed news)."""
        if owner_ids is None:
            self.clear()
        else:
            self.invalidate(owner_ids)

    def clear(self) -> None:
        """Drop every page and refuse every page being read (changes may have been missed)."""
        with self._lock:
            self._pages.clear()
            self._stored_at.clear()
            self._keys_of.clear()
            self._bytes = 0
            self._counter += 1
            self._generations.clear()
            self._floor = self._counter

    def _drop(self, key: PageKey) -> None:
        page = self._pages.pop(key, None)
        if page is None:
            return
        del self._stored_at[key]
        self._bytes -= len(page.body)
        keys = self._keys_of[key[0]]
        keys.discard(key)
        if not keys:
            del self._keys_of[key[0]]
