"""Many clients at once: no 5xx, no lost update, nothing lost, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import sqlalchemy as sa

from tests.reliability.conftest import ApiServer, auth_headers
from todo_app.db import get_engine

CLIENT_TIMEOUT_SECONDS = 60


def _all_at_once(
    count: int, send: Callable[[httpx.Client, int], httpx.Response]
) -> list[httpx.Response]:
    """Send `count` requests from `count` threads released together by a barrier."""
    barrier = threading.Barrier(count)
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    with httpx.Client(timeout=CLIENT_TIMEOUT_SECONDS, limits=limits) as client:

        def one(index: int) -> httpx.Response:
            barrier.wait()
            return send(client, index)

        with ThreadPoolExecutor(max_workers=count) as pool:
            return list(pool.map(one, range(count)))


def _server_errors(responses: list[httpx.Response]) -> list[str]:
    return [
        f"{r.status_code}: {r.text[:200]}" for r in responses if r.status_code >= 500
    ]


def test_concurrent_toggles_keep_the_parity_of_successful_toggles(
    api_server: ApiServer,
) -> None:
    headers = auth_headers(api_server.database_url)
    created = httpx.post(
        f"{api_server.url}/api/tasks", headers=headers, json={"title": "Flip me"}
    )
    assert created.status_code == 201
    task_id = created.json()["id"]

    responses = _all_at_once(
        50,
        lambda client, _: client.patch(
            f"{api_server.url}/api/tasks/{task_id}/complete", headers=headers
        ),
    )

    assert _server_errors(responses) == []
    succeeded = sum(1 for r in responses if r.status_code == 200)
    assert succeeded == 50
    final = httpx.get(f"{api_server.url}/api/tasks/{task_id}", headers=headers).json()
    assert final["completed"] is (succeeded % 2 == 1)


def test_concurrent_creates_are_all_stored_with_unique_ids(
    api_server: ApiServer,
) -> None:
    headers = auth_headers(api_server.database_url)

    responses = _all_at_once(
        200,
        lambda client, index: client.post(
            f"{api_server.url}/api/tasks",
            headers=headers,
            json={"title": f"Task {index}", "tags": ["load", f"t{index % 7}"]},
        ),
    )

    assert _server_errors(responses) == []
    assert [r.status_code for r in responses] == [201] * 200
    ids = [r.json()["id"] for r in responses]
    assert len(set(ids)) == 200
    listed = httpx.get(
        f"{api_server.url}/api/tasks", headers=headers, params={"limit": 500}
    )
    assert sorted(task["id"] for task in listed.json()) == sorted(ids)
    assert sorted(task["title"] for task in listed.json()) == sorted(
        f"Task {index}" for index in range(200)
    )


def test_fifty_concurrent_writers_lose_nothing_and_never_see_a_locked_database(
    api_server: ApiServer,
) -> None:
    # Each writer creates, renames and completes its own task: three writes per client, so on
    # SQLite the single write lock is contended the whole time.
    writers = [auth_headers(api_server.database_url) for _ in range(5)]

    def write(client: httpx.Client, index: int) -> httpx.Response:
        headers = writers[index % len(writers)]
        created = client.post(
            f"{api_server.url}/api/tasks", headers=headers, json={"title": f"W{index}"}
        )
        if created.status_code != 201:
            return created
        task_url = f"{api_server.url}/api/tasks/{created.json()['id']}"
        renamed = client.patch(
            task_url, headers=headers, json={"title": f"W{index} renamed"}
        )
        if renamed.status_code != 200:
            return renamed
        return client.patch(f"{task_url}/complete", headers=headers)

    responses = _all_at_once(50, write)

    assert _server_errors(responses) == []
    assert not [r.text for r in responses if "locked" in r.text.lower()]
    assert [r.status_code for r in responses] == [200] * 50
    with get_engine(api_server.database_url).connect() as connection:
        stored = connection.execute(
            sa.text(
                "SELECT title, completed FROM task WHERE title LIKE 'W% renamed' ORDER BY id"
            )
        ).all()
    assert sorted(title for title, _ in stored) == sorted(
        f"W{index} renamed" for index in range(50)
    )
    assert all(completed for _, completed in stored)
