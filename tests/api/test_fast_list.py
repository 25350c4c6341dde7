"""The fast `GET /api/tasks` (todo_app.api.fast_list) answers exactly as the API does.

Two stacks side by side on the same database: the API behind the fast layer and the API
alone, both behind the security headers as in todo_app.py. Every answer must be the same
bytes and headers; `FastTaskList.served` tells which answers the fast layer gave itself.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.conftest import (
    ORIGIN,
    Stacks,
    api_as_reflex_mounts_it,
    bearer,
    on_postgresql,
)
from tests.builders import make_access_token, make_project, make_task, make_user
from todo_app.api import fast_list, prepared
from todo_app.api.app import create_api_app
from todo_app.api.headers import SecurityHeadersMiddleware
from todo_app.db import get_engine
from todo_app.models import (
    ProjectUpdate,
    Task,
    TaskPatch,
    TokenScope,
    User,
    UserSession,
)
from todo_app.services import projects, sessions, tasks
from todo_app.settings import get_settings


@pytest.fixture
def stacks(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stacks]:
    """The API with and without the fast layer, allowing ORIGIN cross-origin."""
    monkeypatch.setenv("TODO_CORS_ORIGINS", ORIGIN)
    get_settings.cache_clear()
    # Compiling on a query string's first request, so each request below tries the fast way.
    pages = fast_list.CompiledPages(compile_on=1)
    layer = fast_list.FastTaskList(api_as_reflex_mounts_it(), pages=pages)
    with (
        TestClient(SecurityHeadersMiddleware(layer)) as fast,
        TestClient(SecurityHeadersMiddleware(api_as_reflex_mounts_it())) as normal,
    ):
        yield Stacks(fast=fast, normal=normal, layer=layer)


@pytest.fixture
def owner(session: Session) -> User:
    """A user with varied tasks (and another user with tasks of their own)."""
    # Already June 2 there at FROZEN_NOW (June 1, 10:30 UTC): the date views use her zone.
    ada = make_user(session, email="ada@example.com", timezone="Pacific/Kiritimati")
    home = make_project(session, ada, name="Home")
    work = make_project(session, ada, name="Work")
    base = datetime(2030, 6, 1, 10, 30, tzinfo=UTC)
    made = [
        make_task(
            session, ada, title="Buy milk", tags=["home", "Zed", "älg"], now=base
        ),
        make_task(
            session,
            ada,
            title='Say "hi" \\ to <Bob> & é 🎉',
            description="line one\nline two\ttabbed",
            priority="high",
            due_date=date(2030, 6, 1),
            due_time="09:30",
            project_id=home.id,
            now=base + timedelta(microseconds=100_000),
        ),
        make_task(
            session,
            ada,
            title="apple 100% _done_",
            priority="low",
            due_date=date(2030, 5, 20),
            tags=["work"],
            project_id=work.id,
            recurrence="weekly",
            now=base + timedelta(seconds=1, microseconds=123),
        ),
        make_task(
            session,
            ada,
            title="Zebra",
            priority="medium",
            due_date=date(2030, 7, 1),
            tags=["home"],
            project_id=work.id,
        ),
        make_task(session, ada, title="Quarterly report", due_date=date(2030, 6, 3)),
        make_task(session, ada, title="trashed", tags=["home"]),
        make_task(session, ada, title="done", priority="high", tags=["work"]),
        make_task(session, ada, title="Same time", now=base),
    ]
    tasks.toggle_task(session, owner_id=ada.id, task_id=made[6].id)
    tasks.toggle_task(session, owner_id=ada.id, task_id=made[2].id)  # adds its next one
    tasks.delete_task(session, owner_id=ada.id, task_id=made[5].id)
    tasks.move_task(session, owner_id=ada.id, task_id=made[4].id, before_id=made[0].id)
    session.commit()
    bob = make_user(session, email="bob@example.com")
    make_task(session, bob, title="Bob's milk", tags=["home"])
    projects.update_project(
        session, owner_id=ada.id, project_id=work.id, data=ProjectUpdate(archived=True)
    )
    session.commit()
    return ada


def _queries(project_id: int) -> list[dict[str, str]]:
    """Every sort, order and status, each with every filter and a few pages."""
    filters = [
        {},
        {"priority": "high"},
        {"priority": "none"},
        {"tag": "#Home"},
        {"tag": ""},
        {"q": "MILK"},
        {"q": "100%"},
        {"q": "_"},
        {"due_before": "2030-06-02"},
        {"due_after": "2030-05-31", "due_before": "2030-07-01"},
        {"project_id": str(project_id)},
        {"project_id": "999"},
        {"inbox": "true"},
        {"inbox": "0"},
        {"due": "none"},
        {"days": "3"},
        {"due": "today"},
        {"due": "overdue"},
        {"due": "upcoming"},
        {"due": "upcoming", "days": "3"},
    ]
    pages = [{}, {"limit": "2"}, {"limit": "1", "offset": "2"}, {"offset": "100"}]
    orders = [{}, {"order": "asc"}, {"order": "desc"}]
    sorts = [{}] + [
        {"sort": sort}
        for sort in ("created", "title", "due_date", "priority", "manual")
    ]
    statuses = [{}, {"status": "all"}, {"status": "pending"}, {"status": "completed"}]
    combos = itertools.product(sorts, orders, filters)
    # Statuses and pages in turn: each meets every sort, and every filter several times.
    return [
        {
            **sort,
            **order,
            **filter_,
            **statuses[index % len(statuses)],
            **pages[index // len(statuses) % len(pages)],
        }
        for index, (sort, order, filter_) in enumerate(combos)
    ]


def _task_answer(
    client: TestClient, path: str, headers: dict[str, str]
) -> tuple[int, bytes, list[tuple[str, str]]]:
    """Status, body and sorted headers of a GET of `path` (redirects not followed)."""
    response = client.get(path, headers=headers, follow_redirects=False)
    return (
        response.status_code,
        response.content,
        sorted(response.headers.multi_items()),
    )


def _answer(
    client: TestClient, params: dict[str, str] | str, headers: dict[str, str]
) -> tuple[int, bytes, list[tuple[str, str]]]:
    query = params if isinstance(params, str) else urlencode(params)
    return _task_answer(client, f"/api/tasks?{query}", headers)


def _left_to_the_api(stacks: Stacks, headers: dict[str, str], status: int) -> None:
    """The list answered by the API, exactly as without the fast layer."""
    fast = _answer(stacks.fast, {}, headers)
    assert fast == _answer(stacks.normal, {}, headers)
    assert fast[0] == status
    assert stacks.layer.served == 0


def test_fast_list_matches_the_api_for_every_query(
    stacks: Stacks,
    session: Session,
    owner: User,
    database_url: str,
    frozen_now: datetime,
) -> None:
    headers = bearer(session, owner)
    project_id = projects.list_projects(session, owner_id=owner.id)[0].id  # Home
    session.commit()  # SQLite: the app's requests wait for this session's lock
    queries = _queries(project_id)
    for params in queries:
        fast = _answer(stacks.fast, params, headers)
        assert fast == _answer(stacks.normal, params, headers), params
        assert fast[0] == 200
    # On PostgreSQL the fast layer gave every one of these answers; on SQLite none.
    expected = len(queries) if on_postgresql(database_url) else 0
    assert stacks.layer.served == expected


def test_fast_list_pages_hold_tasks(
    stacks: Stacks, session: Session, owner: User
) -> None:
    # The comparison above would also pass if both answered nothing.
    response = stacks.fast.get("/api/tasks", headers=bearer(session, owner))
    assert response.headers["x-total-count"] == "8"
    by_title = {task["title"]: task for task in response.json()}
    assert (
        len(by_title) == 7
    )  # the repeating task and its next occurrence share a title
    assert "trashed" not in by_title and "Bob's milk" not in by_title
    assert by_title["Buy milk"]["tags"] == ["home", "zed", "älg"]
    assert by_title["Zebra"]["completed_at"] is None


def test_fast_list_headers_match_the_api_cross_origin(
    stacks: Stacks, session: Session, owner: User
) -> None:
    headers = {**bearer(session, owner), "Origin": ORIGIN}
    fast = _answer(stacks.fast, {}, headers)
    assert fast == _answer(stacks.normal, {}, headers)
    assert ("access-control-allow-origin", ORIGIN) in fast[2]
    # Reflex's own CORS layer (the API's allows no credentials) answered too.
    assert ("access-control-allow-credentials", "true") in fast[2]
    assert ("x-content-type-options", "nosniff") in fast[2]
    assert ("x-total-count", "8") in fast[2]


@pytest.mark.parametrize(
    "query",
    [
        "status=later",
        "limit=0",
        "colour=red",
        "inbox=true&project_id=1",
        "status=pending&status=completed",
        "due=someday",
    ],
)
def test_fast_list_leaves_bad_parameters_to_the_api(
    stacks: Stacks, session: Session, owner: User, query: str
) -> None:
    headers = bearer(session, owner)
    fast = _answer(stacks.fast, query, headers)
    assert fast == _answer(stacks.normal, query, headers)
    assert fast[0] == 422 or "status=pending&status" in query
    assert stacks.layer.served == 0


def test_fast_list_date_views_read_the_owners_today(
    stacks: Stacks, session: Session, owner: User, frozen_now: datetime
) -> None:
    headers = bearer(session, owner)
    overdue = stacks.fast.get("/api/tasks?due=overdue", headers=headers).json()
    # Due June 1: overdue on June 2 in Kiritimati, though still June 1 in UTC.
    assert [task["title"] for task in overdue] == ['Say "hi" \\ to <Bob> & é 🎉']


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer not-a-jwt", "Basic abc", "bearer  two-spaces"],
)
def test_fast_list_leaves_missing_and_bad_tokens_to_the_api(
    stacks: Stacks, owner: User, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    _left_to_the_api(stacks, headers, 401)


def test_fast_list_refuses_a_logged_out_session(
    stacks: Stacks, session: Session, owner: User
) -> None:
    headers = bearer(session, owner)
    token = headers["Authorization"].removeprefix("Bearer ")
    sessions.log_out(session, token=token)
    session.commit()
    _left_to_the_api(stacks, headers, 401)


def test_fast_list_leaves_the_last_seen_write_to_the_api(
    stacks: Stacks, session: Session, owner: User, database_url: str
) -> None:
    headers = bearer(session, owner)
    long_ago = datetime.now(UTC) - sessions.LAST_SEEN_RESOLUTION - timedelta(minutes=1)
    session.exec(sa.update(UserSession).values(last_seen_at=long_ago))
    session.commit()
    assert stacks.fast.get("/api/tasks", headers=headers).status_code == 200
    assert stacks.layer.served == 0  # the API answered, and wrote "last seen"
    assert stacks.fast.get("/api/tasks", headers=headers).status_code == 200
    assert stacks.layer.served == (1 if on_postgresql(database_url) else 0)


def test_fast_list_leaves_personal_tokens_to_the_api(
    stacks: Stacks, session: Session, owner: User
) -> None:
    token = make_access_token(session, owner, scope=TokenScope.read)
    headers = {"Authorization": f"Bearer {token}"}
    _left_to_the_api(stacks, headers, 200)


def test_fast_list_leaves_other_routes_to_the_api(
    stacks: Stacks, session: Session, owner: User
) -> None:
    headers = bearer(session, owner)
    slash = stacks.fast.get("/api/tasks/", headers=headers, follow_redirects=False)
    assert slash.status_code == 307
    parsed = stacks.fast.post("/api/tasks/parse", headers=headers, json={"text": "x"})
    assert parsed.status_code == 200
    completed = stacks.fast.post("/api/tasks/complete-all", headers=headers)
    assert completed.status_code == 200
    fast_schema = stacks.fast.get("/openapi.json").content
    assert fast_schema == stacks.normal.get("/openapi.json").content
    assert stacks.layer.served == 0


def test_fast_list_compiles_a_query_string_on_its_second_request(
    session: Session, owner: User, database_url: str
) -> None:
    layer = fast_list.FastTaskList(create_api_app())
    headers = bearer(session, owner)
    with TestClient(layer) as client:
        assert client.get("/api/tasks?q=milk", headers=headers).status_code == 200
        assert layer.served == 0  # the API answered
        assert client.get("/api/tasks?q=milk", headers=headers).status_code == 200
        assert client.get("/api/tasks?q=bread", headers=headers).status_code == 200
    assert layer.served == (1 if on_postgresql(database_url) else 0)


def test_fast_list_leaves_database_errors_to_the_api(
    stacks: Stacks,
    session: Session,
    owner: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def unavailable(work: object) -> None:
        raise sa.exc.OperationalError("EXECUTE", {}, Exception("connection refused"))

    monkeypatch.setattr(fast_list, "run_on_dbapi_connection", unavailable)
    headers = bearer(session, owner)
    _left_to_the_api(stacks, headers, 200)


def test_fast_list_steps_aside_for_a_while_after_a_database_error(
    database_url: str,
    session: Session,
    owner: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    attempts: list[object] = []

    async def unavailable(work: object) -> None:
        attempts.append(work)
        raise sa.exc.OperationalError("EXECUTE", {}, Exception("connection refused"))

    monkeypatch.setattr(fast_list, "run_on_dbapi_connection", unavailable)
    now = [1000.0]
    layer = fast_list.FastTaskList(
        api_as_reflex_mounts_it(),
        pages=fast_list.CompiledPages(compile_on=1),
        clock=lambda: now[0],
    )
    headers = bearer(session, owner)
    tries = 1 if on_postgresql(database_url) else 0
    with TestClient(layer) as client:
        for _ in range(3):
            assert _answer(client, {}, headers)[0] == 200
        # One request paid for the error; the next ones went straight to the API.
        assert len(attempts) == tries
        now[0] += fast_list.REST_AFTER_ERROR_SECONDS + 1
        _answer(client, {}, headers)
        assert len(attempts) == 2 * tries


def test_fast_list_recovers_when_a_pooler_moved_its_prepared_statement(
    session: Session, owner: User, database_url: str
) -> None:
    # PgBouncer in transaction mode: the server connection of the next transaction may lack
    # the statement this client prepared (26000), or hold one another client prepared (42P05).
    headers = bearer(session, owner)
    user_id, session_id = sessions.token_claims(
        headers["Authorization"].removeprefix("Bearer ")
    )
    engine = get_engine(database_url)
    if engine.dialect.name != "postgresql":
        layer = fast_list.FastTaskList(
            create_api_app(), pages=fast_list.CompiledPages(compile_on=1)
        )
        with TestClient(layer) as client:
            assert client.get("/api/tasks", headers=headers).status_code == 200
        assert layer.served == 0  # nothing is prepared on SQLite: the API answers
        return
    compiled = fast_list.compiled_page((), engine.dialect)
    assert compiled is not None
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("DEALLOCATE ALL")
        raw.commit()
        raw.info[prepared.PREPARED] = {compiled.name}  # believed prepared, but missing
        missing = fast_list.read_page(raw, compiled, user_id, session_id)
        raw.commit()
        raw.info[prepared.PREPARED] = set()  # believed missing, but there
        present = fast_list.read_page(raw, compiled, user_id, session_id)
        raw.commit()
        assert missing is not None and missing == present
        total = dict(missing.headers)[b"x-total-count"]
        assert len(json.loads(missing.body)) == int(total) > 0
    finally:
        raw.rollback()
        raw.cursor().execute("DEALLOCATE ALL")
        raw.commit()
        raw.close()


# --- one task: GET /api/tasks/{id} ----------------------------------------------------------


def test_fast_task_matches_the_api_for_every_task(
    stacks: Stacks, session: Session, owner: User, database_url: str
) -> None:
    headers = bearer(session, owner)
    every_id = session.exec(sa.select(Task.id).order_by(Task.id)).scalars().all()
    live = (
        session.exec(
            sa.select(Task.id).where(
                Task.user_id == owner.id, Task.deleted_at.is_(None)
            )
        )
        .scalars()
        .all()
    )
    session.commit()
    for task_id in [*every_id, max(every_id) + 1]:  # trashed, Bob's and missing too
        for extra in ({}, {"Origin": ORIGIN}):
            path = f"/api/tasks/{task_id}"
            fast = _task_answer(stacks.fast, path, {**headers, **extra})
            assert fast == _task_answer(stacks.normal, path, {**headers, **extra})
            assert fast[0] == (200 if task_id in live else 404), task_id
    # On PostgreSQL the fast layer gave each owned, live task's answers; the API the 404s.
    assert stacks.layer.served == (2 * len(live) if on_postgresql(database_url) else 0)


def test_fast_task_answers_with_the_task_and_its_etag(
    stacks: Stacks, session: Session, owner: User
) -> None:
    task = make_task(session, owner, title="Tea", tags=["b", "a"], priority="high")
    tasks.update_task(
        session, owner_id=owner.id, task_id=task.id, data=TaskPatch(title="Green tea")
    )
    session.commit()
    response = stacks.fast.get(f"/api/tasks/{task.id}", headers=bearer(session, owner))
    assert response.headers["etag"] == '"2"'
    assert response.json() | {"title": "Green tea", "tags": ["a", "b"]} == (
        response.json()
    )


@pytest.mark.parametrize(
    "path",
    [
        "/api/tasks/0",
        "/api/tasks/007",
        "/api/tasks/+7",
        "/api/tasks/abc",
        "/api/tasks/99999999999",
        "/api/tasks/2147483648",
        "/api/tasks/1?x=1",
        "/api/tasks/1/",
    ],
)
def test_fast_task_leaves_ids_it_does_not_read_as_the_api_to_the_api(
    stacks: Stacks, session: Session, owner: User, path: str
) -> None:
    headers = bearer(session, owner)
    assert _task_answer(stacks.fast, path, headers) == _task_answer(
        stacks.normal, path, headers
    )
    assert stacks.layer.served == 0


def test_fast_task_refuses_a_logged_out_session(
    stacks: Stacks, session: Session, owner: User
) -> None:
    headers = bearer(session, owner)
    task_id = session.scalars(
        sa.select(Task.id).where(Task.user_id == owner.id)
    ).first()
    sessions.log_out(session, token=headers["Authorization"].removeprefix("Bearer "))
    session.commit()
    path = f"/api/tasks/{task_id}"
    fast = _task_answer(stacks.fast, path, headers)
    assert fast == _task_answer(stacks.normal, path, headers)
    assert fast[0] == 401 and stacks.layer.served == 0


# --- around the whole app, before Reflex's own Starlette app ---------------------------------


def test_around_the_app_answers_as_the_app_does(
    served: Stacks, session: Session, owner: User, database_url: str
) -> None:
    headers = bearer(session, owner)
    task_id = session.scalars(
        sa.select(Task.id).where(Task.user_id == owner.id)
    ).first()
    session.commit()
    for path in ("/api/tasks?sort=title", f"/api/tasks/{task_id}"):
        fast = _task_answer(served.fast, path, headers)
        assert fast == _task_answer(served.normal, path, headers)
        assert fast[0] == 200
        assert ("content-security-policy" in dict(fast[2])) and (
            "x-frame-options",
            "DENY",
        ) in fast[2]
    assert served.layer.served == (2 if on_postgresql(database_url) else 0)


def test_around_the_app_leaves_cross_origin_requests_to_the_app(
    served: Stacks, session: Session, owner: User
) -> None:
    headers = {**bearer(session, owner), "Origin": ORIGIN}
    fast = _task_answer(served.fast, "/api/tasks", headers)
    assert fast == _task_answer(served.normal, "/api/tasks", headers)
    assert ("access-control-allow-origin", ORIGIN) in fast[2]
    assert served.layer.served == 0  # the layer inside the app answered, with CORS
