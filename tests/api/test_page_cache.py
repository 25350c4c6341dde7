"""The fast list's per-worker cache of rendered pages (todo_app.api.page_cache).

A kept page is served only after the session check in the database, is dropped by the
owner's next commit in this process (read-your-writes), and is never kept when a write
commits while it is being read. On SQLite the API answers everything and nothing is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.conftest import api_as_reflex_mounts_it, bearer, on_postgresql
from tests.builders import make_project, make_task, make_user
from todo_app.api import fast_list
from todo_app.api.headers import SecurityHeadersMiddleware
from todo_app.api.page_cache import Page, PageCache
from todo_app.db import session_scope
from todo_app.models import TaskCreate, User, UserSession
from todo_app.services import tasks
from todo_app.services.changes import add_listener


@dataclass
class Stacks:
    fast: TestClient
    normal: TestClient
    layer: fast_list.FastTaskList
    cache: PageCache


@pytest.fixture
def stacks(database_url: str) -> Iterator[Stacks]:
    """The API behind the fast layer with a cache (wired as todo_app.py wires it), and alone.

    The cache's clock stands still: a slow machine must not age its pages between requests.
    """
    cache = PageCache(clock=lambda: 0.0)
    remove = add_listener(cache.changed)
    layer = fast_list.FastTaskList(
        api_as_reflex_mounts_it(),
        pages=fast_list.CompiledPages(compile_on=1),
        cache=cache,
    )
    try:
        with (
            TestClient(SecurityHeadersMiddleware(layer)) as fast,
            TestClient(SecurityHeadersMiddleware(api_as_reflex_mounts_it())) as normal,
        ):
            yield Stacks(fast=fast, normal=normal, layer=layer, cache=cache)
    finally:
        remove()


@pytest.fixture
def ada(session: Session) -> User:
    user = make_user(session, email="ada@example.com")
    make_task(session, user, title="Buy milk", tags=["home"])
    make_task(session, user, title="Write report")
    session.commit()
    return user


def _list(client: TestClient, headers: dict[str, str], query: str = "") -> Any:
    response = client.get(f"/api/tasks{query}", headers=headers)
    return response.status_code, response.content, response.headers.get("x-total-count")


def test_second_identical_request_is_served_from_the_cache(
    stacks: Stacks, session: Session, ada: User, database_url: str
) -> None:
    headers = bearer(session, ada)
    first = _list(stacks.fast, headers, "?sort=title")
    second = _list(stacks.fast, headers, "?sort=title")
    assert first == second == _list(stacks.normal, headers, "?sort=title")
    assert first[0] == 200 and b"Buy milk" in first[1]
    pg = on_postgresql(database_url)
    assert (stacks.cache.hits, stacks.cache.stored) == ((1, 1) if pg else (0, 0))
    assert stacks.layer.served == (2 if pg else 0)


def test_a_date_view_is_kept_for_the_owners_day_only(
    stacks: Stacks,
    session: Session,
    ada: User,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    headers = bearer(session, ada)
    evening = datetime(2030, 6, 1, 23, 30, tzinfo=UTC)
    due_tomorrow = make_task(session, ada, title="Tomorrow", due_date=date(2030, 6, 2))
    session.commit()
    clock = [evening]
    monkeypatch.setattr(tasks, "utcnow", lambda: clock[0])
    for _ in range(2):  # kept, then served from the cache
        today = _list(stacks.fast, headers, "?due=today")
    assert due_tomorrow.title.encode() not in today[1]
    pg = on_postgresql(database_url)
    assert stacks.cache.hits == (1 if pg else 0)
    clock[0] = evening + timedelta(hours=1)  # midnight passed: June 2 in UTC
    next_day = _list(stacks.fast, headers, "?due=today")
    assert next_day == _list(stacks.normal, headers, "?due=today")
    assert due_tomorrow.title.encode() in next_day[1]
    # A zone change moves her date too (back to June 1), though no task changed.
    session.exec(sa.update(User).values(timezone="America/New_York"))
    session.commit()
    in_new_york = _list(stacks.fast, headers, "?due=today")
    assert in_new_york == _list(stacks.normal, headers, "?due=today")
    assert due_tomorrow.title.encode() not in in_new_york[1]
    assert stacks.cache.hits == (3 if pg else 0)  # each found kept, and each refused
    assert stacks.layer.served == (4 if pg else 0)


def _create(client: TestClient, headers: dict[str, str], ids: dict[str, int]) -> None:
    client.post("/api/tasks", headers=headers, json={"title": "New one"})


def _patch(client: TestClient, headers: dict[str, str], ids: dict[str, int]) -> None:
    client.patch(f"/api/tasks/{ids['task']}", headers=headers, json={"title": "Oat"})


def _delete(client: TestClient, headers: dict[str, str], ids: dict[str, int]) -> None:
    client.delete(f"/api/tasks/{ids['task']}", headers=headers)


def _complete(client: TestClient, headers: dict[str, str], ids: dict[str, int]) -> None:
    client.patch(f"/api/tasks/{ids['task']}/complete", headers=headers)


def _delete_project(
    client: TestClient, headers: dict[str, str], ids: dict[str, int]
) -> None:
    client.delete(f"/api/projects/{ids['project']}", headers=headers)


def _move(client: TestClient, headers: dict[str, str], ids: dict[str, int]) -> None:
    client.post(f"/api/tasks/{ids['task']}/move", headers=headers, json={})


_LIST = "?sort=manual"
_THE_TASK = "/{task}"


@pytest.mark.parametrize(
    ("read", "write"),
    [
        *[(_LIST, write) for write in (_create, _patch, _delete, _complete, _move)],
        (_LIST, _delete_project),
        *[(_THE_TASK, write) for write in (_patch, _delete, _complete)],
        (_THE_TASK, _delete_project),
    ],
)
def test_a_write_through_the_api_shows_in_the_next_read(
    stacks: Stacks,
    session: Session,
    ada: User,
    database_url: str,
    read: str,
    write: Callable[[TestClient, dict[str, str], dict[str, int]], None],
) -> None:
    project = make_project(session, ada, name="Home")
    task = make_task(session, ada, title="In a project", project_id=project.id)
    ids = {"task": task.id, "project": project.id}
    session.commit()
    headers = bearer(session, ada)
    query = read.format(task=task.id)  # the list, or the one task
    for _ in range(2):  # kept, then served from the cache
        before = _list(stacks.fast, headers, query)
    write(stacks.fast, headers, ids)
    after = _list(stacks.fast, headers, query)
    assert after == _list(stacks.normal, headers, query)
    assert after != before and before[0] == 200
    assert stacks.cache.hits == (1 if on_postgresql(database_url) else 0)


def test_a_logged_out_session_is_refused_though_its_page_is_cached(
    stacks: Stacks, session: Session, ada: User, database_url: str
) -> None:
    headers = bearer(session, ada)
    for _ in range(2):
        assert _list(stacks.fast, headers)[0] == 200
    # Logged out where this worker hears nothing of it (another worker, news in flight):
    # the page stays kept, and only the session check can refuse it.
    session.exec(sa.delete(UserSession).where(UserSession.user_id == ada.id))
    session.commit()
    assert len(stacks.cache) == (1 if on_postgresql(database_url) else 0)
    served = stacks.layer.served
    refused = _list(stacks.fast, headers)
    assert refused == _list(stacks.normal, headers)
    assert refused[0] == 401
    assert stacks.layer.served == served
    assert stacks.cache.hits == (2 if on_postgresql(database_url) else 0)


def test_another_user_never_gets_the_first_users_cached_page(
    stacks: Stacks, session: Session, ada: User
) -> None:
    bob = make_user(session, email="bob@example.com")
    make_task(session, bob, title="Bob's own")
    session.commit()
    adas, bobs = bearer(session, ada), bearer(session, bob)
    for _ in range(2):
        assert b"Buy milk" in _list(stacks.fast, adas)[1]
    answer = _list(stacks.fast, bobs)
    assert answer == _list(stacks.normal, bobs)
    assert b"Bob's own" in answer[1] and b"Buy milk" not in answer[1]


def test_a_page_read_while_a_write_commits_is_not_kept(
    stacks: Stacks,
    session: Session,
    ada: User,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_read_page = fast_list.read_page
    writes: list[str] = []

    def read_then_write(*args: Any) -> Any:
        page = real_read_page(*args)
        if not writes:  # another request's write commits before this page is stored
            writes.append("done")
            with session_scope() as other:
                tasks.create_task(
                    other, owner_id=ada.id, data=TaskCreate(title="Meanwhile")
                )
        return page

    monkeypatch.setattr(fast_list, "read_page", read_then_write)
    headers = bearer(session, ada)
    stale = _list(stacks.fast, headers)
    assert b"Meanwhile" not in stale[1]
    assert (stacks.cache.stored, len(stacks.cache)) == (0, 0)
    pg = on_postgresql(database_url)
    assert writes == (["done"] if pg else [])  # SQLite: the API answered, no page read
    fresh = _list(stacks.fast, headers)
    assert (b"Meanwhile" in fresh[1]) == pg
    assert fresh == _list(stacks.normal, headers)
    assert stacks.cache.stored == (1 if pg else 0)


# --- the cache alone ---------------------------------------------------------------------------


def _page(text: str) -> Page:
    return Page(body=text.encode(), headers=())


def test_cache_drops_only_the_changed_owners_pages() -> None:
    cache = PageCache()
    for owner in (1, 2):
        cache.store((owner, ()), _page("x"), cache.generation(owner))
    cache.invalidate({1})
    assert cache.get((1, ())) is None
    assert cache.get((2, ())) == _page("x")


def test_cache_is_bounded_by_pages_and_bytes() -> None:
    cache = PageCache(max_pages=2, max_bytes=10)
    for index in range(3):
        cache.store((1, (("q", str(index)),)), _page("abc"), cache.generation(1))
    assert len(cache) == 2 and cache.get((1, (("q", "0"),))) is None
    cache.store((2, ()), _page("a" * 8), cache.generation(2))
    assert len(cache) == 1  # 8 + 3 bytes is over the cap: the oldest went
    assert not cache.store((3, ()), _page("a" * 11), cache.generation(3))


def test_cache_refuses_a_page_read_before_its_owner_was_forgotten() -> None:
    cache = PageCache(max_owners=1)
    generation = cache.generation(1)
    cache.invalidate({1})
    cache.invalidate({2})  # owner 1's generation is forgotten
    assert not cache.store((1, ()), _page("stale"), generation)
    assert cache.store((1, ()), _page("fresh"), cache.generation(1))


def test_cache_clear_refuses_pages_being_read() -> None:
    cache = PageCache()
    generation = cache.generation(1)
    cache.changed(None)
    assert not cache.store((1, ()), _page("stale"), generation)


def test_cache_keeps_a_page_for_at_most_its_max_age() -> None:
    # Writes that reach no bus (the stdio MCP server, a script) show within max_age.
    now = [100.0]
    cache = PageCache(max_age=1.0, clock=lambda: now[0])
    cache.store((1, ()), _page("x"), cache.generation(1))
    now[0] += 1.0
    assert cache.get((1, ())) == _page("x")
    now[0] += 0.01
    assert cache.get((1, ())) is None
    assert len(cache) == 0
