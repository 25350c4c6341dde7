"""The fast `POST /api/tasks` (todo_app.api.fast_create) creates and answers as the API does.

Two stacks side by side on the same database, as in test_fast_list: the API behind the fast
layer and the API alone. A create is answered by the fast layer only on PostgreSQL; every
refusal is the API's, with the body the client sent and nothing written before it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

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
from todo_app.api import fast_create, fast_list
from todo_app.api.headers import SecurityHeadersMiddleware
from todo_app.api.page_cache import PageCache
from todo_app.models import (
    POSITION_STEP,
    Project,
    Task,
    TaskPublic,
    TaskTag,
    TokenScope,
    User,
    UserSession,
)
from todo_app.services import changes, quick_add, sessions, tasks
from todo_app.settings import get_settings

# The fields the server chooses, which differ between two creates of the same body.
_CHOSEN = ("id", "position")


@pytest.fixture
def stacks(
    database_url: str, monkeypatch: pytest.MonkeyPatch, frozen_now: datetime
) -> Iterator[Stacks]:
    """The API with and without the fast layer (and its page cache, told of changes as in
    todo_app.py), allowing ORIGIN; the tasks' clock stands still."""
    monkeypatch.setenv("TODO_CORS_ORIGINS", ORIGIN)
    monkeypatch.setattr(quick_add, "utcnow", lambda: frozen_now)  # the API's text form
    get_settings.cache_clear()
    cache = PageCache()
    layer = fast_list.FastTaskList(api_as_reflex_mounts_it(), cache=cache)
    remove = changes.add_listener(cache.changed)
    with (
        TestClient(SecurityHeadersMiddleware(layer)) as fast,
        TestClient(SecurityHeadersMiddleware(api_as_reflex_mounts_it())) as normal,
    ):
        yield Stacks(fast=fast, normal=normal, layer=layer)
    remove()


@pytest.fixture
def owner(session: Session) -> User:
    """A user with a project, a task tagged "home", and another user with a project."""
    ada = make_user(session, email="ada@example.com")
    make_project(session, ada, name="Home")
    make_task(session, ada, title="Earlier", tags=["home"])
    make_project(session, make_user(session, email="bob@example.com"), name="Bob's")
    session.commit()
    return ada


def _project_id(session: Session, name: str) -> int:
    project_id = session.scalars(
        sa.select(Project.id).where(Project.name == name)
    ).one()
    session.commit()
    return project_id


def _post(
    client: TestClient, body: Any, headers: dict[str, str], **kwargs: Any
) -> tuple[int, dict[str, Any] | str, list[tuple[str, str]]]:
    """Status, body (the chosen fields left out) and headers (the id left out) of a create."""
    content = body if isinstance(body, bytes | str) else json.dumps(body)
    response = client.post(
        "/api/tasks",
        content=content,
        headers={"Content-Type": "application/json", **headers},
        **kwargs,
    )
    answer: dict[str, Any] | str
    try:
        answer = response.json()
    except ValueError:
        answer = response.text
    listed = response.headers.multi_items()
    if response.status_code == 201:
        assert isinstance(answer, dict)
        task_id = answer["id"]
        assert ("location", f"/api/tasks/{task_id}") in listed
        # The same keys in the same order, whoever wrote them.
        assert list(answer) == list(TaskPublic.model_fields)
        answer = {name: value for name, value in answer.items() if name not in _CHOSEN}
        # Only the id's digits may change the length.
        listed = [
            (name, "-") if name in ("location", "content-length") else (name, value)
            for name, value in listed
        ]
    return response.status_code, answer, listed


def _tasks_of(session: Session, user: User) -> int:
    count = session.scalar(
        sa.select(sa.func.count()).select_from(Task).where(Task.user_id == user.id)
    )
    session.commit()
    return count or 0


def _bodies(session: Session) -> list[dict[str, Any]]:
    home = _project_id(session, "Home")
    return [
        {"title": "Buy milk"},
        {
            "title": 'Say "hi" \\ to <Bob> & é 🎉',
            "description": "line one\nline two\ttabbed",
            "priority": "high",
            "due_date": "2030-01-31",
            "due_time": "09:30",
            "tags": ["Home", "new-tag", "Älg", "home"],
            "project_id": home,
        },
        {"title": "Pay rent", "due_date": "2030-01-31", "recurrence": "monthly"},
        {"title": "  padded  ", "tags": [], "project_id": None, "due_date": None},
    ]


def test_fast_create_answers_as_the_api_does(
    stacks: Stacks,
    session: Session,
    owner: User,
    database_url: str,
    frozen_now: datetime,
) -> None:
    headers = bearer(session, owner)
    bodies = _bodies(session)
    for body in bodies:
        fast = _post(stacks.fast, body, headers)
        assert fast == _post(stacks.normal, body, headers), body
        assert fast[0] == 201
    assert stacks.layer.served == (len(bodies) if on_postgresql(database_url) else 0)
    # Both wrote each task: the one before them, two per body.
    assert _tasks_of(session, owner) == 1 + 2 * len(bodies)


def test_fast_create_writes_the_task_it_answers(
    stacks: Stacks, session: Session, owner: User, frozen_now: datetime
) -> None:
    headers = bearer(session, owner)
    body = _bodies(session)[1]
    created = stacks.fast.post("/api/tasks", json=body, headers=headers)
    assert created.status_code == 201
    assert created.headers["etag"] == '"1"'
    # The answer is the task as stored: the API reads back the same bytes.
    stored = stacks.normal.get(created.headers["location"], headers=headers)
    assert stored.content == created.content
    task = created.json()
    assert task["tags"] == ["home", "new-tag", "älg"]
    assert task["created_at"] == task["updated_at"] == "2030-06-01T10:30:00Z"
    assert (task["completed"], task["completed_at"], task["version"]) == (
        False,
        None,
        1,
    )
    row = session.get(Task, task["id"])
    assert row is not None and row.anchor_day == 31  # a monthly repeat keeps the 31st
    tag_owners = session.scalars(
        sa.select(TaskTag.user_id).where(TaskTag.task_id == task["id"])
    ).all()
    assert tag_owners == [owner.id] * 3


def test_fast_create_puts_each_new_task_at_the_end(
    stacks: Stacks, session: Session, owner: User
) -> None:
    headers = bearer(session, owner)
    last = session.scalar(
        sa.select(sa.func.max(Task.position)).where(Task.user_id == owner.id)
    )
    session.commit()
    first = stacks.fast.post("/api/tasks", json={"title": "a"}, headers=headers)
    second = stacks.fast.post("/api/tasks", json={"title": "b"}, headers=headers)
    assert first.json()["position"] == last + POSITION_STEP
    assert second.json()["position"] == last + 2 * POSITION_STEP


def test_fast_create_is_seen_by_the_next_read(
    stacks: Stacks, session: Session, owner: User
) -> None:
    # The owner's kept pages are dropped at the commit, before the answer leaves.
    headers = bearer(session, owner)
    heard: list[frozenset[int]] = []
    remove = changes.add_listener(heard.append)
    try:
        for _ in range(2):  # the second read may come from the page cache
            assert len(stacks.fast.get("/api/tasks", headers=headers).json()) == 1
        stacks.fast.post("/api/tasks", json={"title": "new"}, headers=headers)
        titles = [
            t["title"] for t in stacks.fast.get("/api/tasks", headers=headers).json()
        ]
        assert titles == ["new", "Earlier"]
    finally:
        remove()
    assert heard == [frozenset({owner.id})]


def _refused_as_by_the_api(
    stacks: Stacks,
    session: Session,
    owner: User,
    body: Any,
    status: int,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any, list[tuple[str, str]]]:
    """Posted to both stacks: the same answer, given by the API, `status`."""
    headers = headers if headers is not None else bearer(session, owner)
    before = _tasks_of(session, owner)
    fast = _post(stacks.fast, body, headers)
    written = _tasks_of(session, owner) - before
    assert fast == _post(stacks.normal, body, headers)
    assert fast[0] == status, fast
    assert stacks.layer.served == 0
    # The fast layer wrote nothing: only the API's create, if it made one.
    assert written == (1 if status == 201 else 0)
    return fast


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"description": "no title"}, 422),
        ({"title": ""}, 422),
        ({"title": "x", "id": 5}, 422),
        ({"title": "x", "due_time": "09:00"}, 422),  # a time needs a date
        ({"title": "x", "project_id": 999_999}, 422),
        ({"title": "x", "tags": ["a,b"]}, 422),
        ({"text": "Call mom tomorrow #family"}, 201),  # quick add's, read by the API
        ({"title": "Water plants", "recurrence": "weekly"}, 201),  # dated today
        ('{"title": "x",', 422),
        ('["title"]', 422),
        ("", 422),
    ],
)
def test_fast_create_leaves_what_it_does_not_write_to_the_api(
    stacks: Stacks, session: Session, owner: User, body: Any, status: int
) -> None:
    _refused_as_by_the_api(stacks, session, owner, body, status)


def test_fast_create_refuses_someone_elses_project_as_the_api_does(
    stacks: Stacks, session: Session, owner: User
) -> None:
    body = {"title": "x", "project_id": _project_id(session, "Bob's")}
    answer = _refused_as_by_the_api(stacks, session, owner, body, 422)
    assert "Project not found" in json.dumps(answer[1])


def _archive(session: Session, name: str) -> int:
    project_id = _project_id(session, name)
    session.exec(
        sa.update(Project).where(Project.id == project_id).values(archived=True)
    )
    session.commit()
    return project_id


def test_fast_create_refuses_an_archived_project_as_the_api_does(
    stacks: Stacks, session: Session, owner: User, database_url: str
) -> None:
    body = {"title": "x", "project_id": _archive(session, "Home")}
    answer = _refused_as_by_the_api(stacks, session, owner, body, 422)
    assert "Project “Home” is archived" in answer[1]["detail"][0]["msg"]
    # Unarchived, it takes tasks again, through the fast layer.
    session.exec(sa.update(Project).values(archived=False))
    session.commit()
    created = stacks.fast.post("/api/tasks", json=body, headers=bearer(session, owner))
    assert created.status_code == 201
    assert stacks.layer.served == (1 if on_postgresql(database_url) else 0)


def test_fast_create_refuses_someone_elses_archived_project_as_not_found(
    stacks: Stacks, session: Session, owner: User
) -> None:
    body = {"title": "x", "project_id": _archive(session, "Bob's")}
    answer = _refused_as_by_the_api(stacks, session, owner, body, 422)
    assert "Project not found" in json.dumps(answer[1])


def test_fast_create_leaves_a_full_account_to_the_api(
    session: Session, owner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The quota is compiled into the statement: a layer made after the patch compiles anew.
    monkeypatch.setattr(tasks, "OPEN_TASKS_MAX", 1)
    with _fresh_stacks() as stacks:
        answer = _refused_as_by_the_api(stacks, session, owner, {"title": "x"}, 422)
    assert "open tasks" in json.dumps(answer[1])


def test_fast_create_leaves_a_new_tag_beyond_the_quota_to_the_api(
    session: Session, owner: User, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    monkeypatch.setattr(tasks, "TAGS_PER_USER_MAX", 1)  # "home" is in use
    with _fresh_stacks() as stacks:
        _refused_as_by_the_api(
            stacks, session, owner, {"title": "x", "tags": ["new"]}, 422
        )
        # A tag already in use still fits.
        known = {"title": "x", "tags": ["home"]}
        assert (
            stacks.fast.post(
                "/api/tasks", json=known, headers=bearer(session, owner)
            ).status_code
            == 201
        )
        assert stacks.layer.served == (1 if on_postgresql(database_url) else 0)


class _fresh_stacks:
    """Stacks with a layer of their own (its statements compiled on first use)."""

    def __enter__(self) -> Stacks:
        layer = fast_list.FastTaskList(api_as_reflex_mounts_it())
        self._fast = TestClient(layer)
        self._normal = TestClient(api_as_reflex_mounts_it())
        return Stacks(
            fast=self._fast.__enter__(), normal=self._normal.__enter__(), layer=layer
        )

    def __exit__(self, *exc: object) -> None:
        self._normal.__exit__(*exc)
        self._fast.__exit__(*exc)


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer not-a-jwt", "Basic abc"],
)
def test_fast_create_leaves_missing_and_bad_tokens_to_the_api(
    stacks: Stacks, session: Session, owner: User, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    _refused_as_by_the_api(stacks, session, owner, {"title": "x"}, 401, headers)


def test_fast_create_refuses_a_logged_out_session(
    stacks: Stacks, session: Session, owner: User
) -> None:
    headers = bearer(session, owner)
    sessions.log_out(session, token=headers["Authorization"].removeprefix("Bearer "))
    session.commit()
    _refused_as_by_the_api(stacks, session, owner, {"title": "x"}, 401, headers)


def test_fast_create_leaves_personal_tokens_to_the_api(
    stacks: Stacks, session: Session, owner: User
) -> None:
    for scope, status in ((TokenScope.read, 403), (TokenScope.write, 201)):
        token = make_access_token(session, owner, scope=scope)
        headers = {"Authorization": f"Bearer {token}"}
        _refused_as_by_the_api(stacks, session, owner, {"title": "x"}, status, headers)


def test_fast_create_leaves_the_last_seen_write_to_the_api(
    stacks: Stacks, session: Session, owner: User, database_url: str
) -> None:
    headers = bearer(session, owner)
    long_ago = sessions.utcnow() - sessions.LAST_SEEN_RESOLUTION * 2
    session.exec(sa.update(UserSession).values(last_seen_at=long_ago))
    session.commit()
    _refused_as_by_the_api(stacks, session, owner, {"title": "x"}, 201, headers)
    assert (
        stacks.fast.post("/api/tasks", json={"title": "y"}, headers=headers).status_code
        == 201
    )
    assert stacks.layer.served == (1 if on_postgresql(database_url) else 0)


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", None]
)
def test_fast_create_leaves_other_content_types_to_the_api(
    stacks: Stacks, session: Session, owner: User, content_type: str | None
) -> None:
    headers = {**bearer(session, owner)}
    body = json.dumps({"title": "x"})
    fast = stacks.fast.post(
        "/api/tasks",
        content=body,
        headers={**headers, **({"Content-Type": content_type} if content_type else {})},
    )
    normal = stacks.normal.post(
        "/api/tasks",
        content=body,
        headers={**headers, **({"Content-Type": content_type} if content_type else {})},
    )
    assert (fast.status_code, fast.json().keys()) == (
        normal.status_code,
        normal.json().keys(),
    )
    assert stacks.layer.served == 0


def test_fast_create_leaves_large_and_streamed_bodies_to_the_api(
    stacks: Stacks, session: Session, owner: User
) -> None:
    headers = bearer(session, owner)
    large = {"title": "x", "description": "d" * (fast_create.BODY_MAX + 1)}
    assert _post(stacks.fast, large, headers) == _post(stacks.normal, large, headers)

    def streamed() -> Iterator[bytes]:
        yield b'{"title": '
        yield b'"streamed"}'

    response = stacks.fast.post(
        "/api/tasks",
        content=streamed(),
        headers={**headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 201
    assert response.json()["title"] == "streamed"
    assert stacks.layer.served == 0


def test_fast_create_headers_match_the_api_cross_origin(
    stacks: Stacks, session: Session, owner: User, database_url: str
) -> None:
    headers = {**bearer(session, owner), "Origin": ORIGIN}
    fast = _post(stacks.fast, {"title": "x"}, headers)
    assert fast == _post(stacks.normal, {"title": "x"}, headers)
    assert ("access-control-allow-origin", ORIGIN) in fast[2]
    assert ("x-content-type-options", "nosniff") in fast[2]
    assert stacks.layer.served == (1 if on_postgresql(database_url) else 0)


def test_fast_create_leaves_database_errors_to_the_api(
    stacks: Stacks, session: Session, owner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def unavailable(work: object) -> None:
        raise sa.exc.OperationalError("EXECUTE", {}, Exception("connection refused"))

    monkeypatch.setattr(fast_list, "run_on_dbapi_connection", unavailable)
    # The API reads the body the fast layer read first, and creates the task once.
    _refused_as_by_the_api(stacks, session, owner, {"title": "x"}, 201)


def test_fast_create_writes_only_for_its_owner(
    stacks: Stacks, session: Session, owner: User
) -> None:
    bob = session.scalars(sa.select(User).where(User.email == "bob@example.com")).one()
    headers = bearer(session, owner)
    created = stacks.fast.post("/api/tasks", json={"title": "mine"}, headers=headers)
    bob_headers = bearer(session, bob)
    assert (
        stacks.fast.get(created.headers["location"], headers=bob_headers).status_code
        == 404
    )
    assert stacks.fast.get("/api/tasks", headers=bob_headers).json() == []


def test_around_the_app_creates_as_the_app_does(
    served: Stacks,
    session: Session,
    owner: User,
    database_url: str,
    frozen_now: datetime,
) -> None:
    headers = bearer(session, owner)
    fast = _post(served.fast, {"title": "x", "tags": ["home"]}, headers)
    assert fast == _post(served.normal, {"title": "x", "tags": ["home"]}, headers)
    assert fast[0] == 201
    assert ("x-frame-options", "DENY") in fast[2]
    assert served.layer.served == (1 if on_postgresql(database_url) else 0)
    # With an Origin the layer inside the app answers (with CORS), as for the reads.
    cross = {**headers, "Origin": ORIGIN}
    assert _post(served.fast, {"title": "y"}, cross) == _post(
        served.normal, {"title": "y"}, cross
    )
    assert served.layer.served == (1 if on_postgresql(database_url) else 0)
