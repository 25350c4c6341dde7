"""GET /api/calendar, POST /api/calendar/rotate and the feed GET /api/calendar/<secret>.ics."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlmodel import Session

from tests.api.conftest import PASSWORD
from tests.builders import make_task
from todo_app.api.app import create_api_app
from todo_app.api.headers import COMMON_HEADERS, SecurityHeadersMiddleware
from todo_app.models import User
from todo_app.settings import get_settings

FEED_URL = re.compile(r"^(?P<base>.+)(?P<path>/api/calendar/[A-Za-z0-9_-]{43}\.ics)$")


def _feed_path(
    client: TestClient, headers: dict[str, str], *, rotate: bool = False
) -> str:
    response = (
        client.post("/api/calendar/rotate", headers=headers)
        if rotate
        else client.get("/api/calendar", headers=headers)
    )
    assert response.status_code == 200, response.text
    match = FEED_URL.match(response.json()["url"])
    assert match is not None, response.json()
    assert match["base"] == get_settings().public_url
    return match["path"]


def _summaries(body: bytes) -> set[str]:
    return {str(event["SUMMARY"]) for event in Calendar.from_ical(body).walk("VEVENT")}


@pytest.fixture
def guarded(database_url: str) -> Iterator[TestClient]:
    """The API wrapped in the security headers, as the app serves it."""
    with TestClient(SecurityHeadersMiddleware(create_api_app())) as client:
        yield client


def test_read_calendar_link_without_token_is_401(client: TestClient) -> None:
    response = client.get("/api/calendar")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_rotate_calendar_link_without_token_is_401(client: TestClient) -> None:
    assert client.post("/api/calendar/rotate").status_code == 401


def test_read_calendar_link_returns_the_same_url_every_time(
    client: TestClient, headers: dict[str, str]
) -> None:
    assert _feed_path(client, headers) == _feed_path(client, headers)


def test_rotate_calendar_link_makes_the_old_url_404(
    client: TestClient, headers: dict[str, str]
) -> None:
    old = _feed_path(client, headers)
    assert client.get(old).status_code == 200
    new = _feed_path(client, headers, rotate=True)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert _feed_path(client, headers) == new


def test_feed_is_icalendar_cached_privately_for_5_to_60_minutes(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.get(_feed_path(client, headers))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    cache = response.headers["cache-control"]
    match = re.fullmatch(r"private, max-age=(\d+)", cache)
    assert match is not None, cache
    assert 300 <= int(match[1]) <= 3600


def test_feed_answers_head_like_get_without_a_body(
    client: TestClient, headers: dict[str, str]
) -> None:
    path = _feed_path(client, headers)
    response = client.head(path)
    assert (response.status_code, response.content) == (200, b"")
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert client.head(path.replace(path[-10:-4], "AAAAAA")).status_code == 404


def test_feed_keeps_the_security_headers(
    guarded: TestClient, headers: dict[str, str]
) -> None:
    response = guarded.get(_feed_path(guarded, headers))
    assert response.status_code == 200
    for name, value in COMMON_HEADERS.items():
        assert response.headers[name] == value
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_feed_shows_the_callers_open_dated_tasks_made_through_the_api(
    client: TestClient, headers: dict[str, str]
) -> None:
    for body in (
        {"title": "Pay rent", "due_date": "2030-01-31", "recurrence": "monthly"},
        {"title": "Call mom", "due_date": "2030-01-02", "due_time": "18:00"},
        {"title": "Buy milk"},
    ):
        assert client.post("/api/tasks", json=body, headers=headers).status_code == 201
    done = client.post(
        "/api/tasks", json={"title": "Done", "due_date": "2030-01-03"}, headers=headers
    ).json()
    client.patch(f"/api/tasks/{done['id']}/complete", headers=headers)
    calendar = Calendar.from_ical(client.get(_feed_path(client, headers)).content)
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {"Pay rent", "Call mom"}
    assert events["Pay rent"].decoded("DTSTART") == date(2030, 1, 31)
    assert events["Pay rent"]["RRULE"]["FREQ"] == ["MONTHLY"]
    assert events["Call mom"].decoded("DTSTART").strftime("%H:%M") == "18:00"


def test_feed_of_each_user_shows_only_their_tasks(
    client: TestClient,
    session: Session,
    user: User,
    other_user: User,
    headers: dict[str, str],
    other_headers: dict[str, str],
) -> None:
    make_task(session, user, title="Ada's", due_date=date(2030, 6, 3))
    make_task(session, other_user, title="Bob's", due_date=date(2030, 6, 3))
    ada_feed, bob_feed = _feed_path(client, headers), _feed_path(client, other_headers)
    assert ada_feed != bob_feed
    assert _summaries(client.get(ada_feed).content) == {"Ada's"}
    assert _summaries(client.get(bob_feed).content) == {"Bob's"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/calendar/" + "A" * 43 + ".ics",
        "/api/calendar/short.ics",
        "/api/calendar/" + "A" * 5000 + ".ics",
        "/api/calendar/%00%00.ics",
        "/api/calendar/%C3%A9" * 3 + ".ics",
        "/api/calendar/.ics",
    ],
)
def test_feed_of_a_wrong_secret_is_404_like_a_missing_path(
    lenient_client: TestClient, headers: dict[str, str], path: str
) -> None:
    _feed_path(lenient_client, headers)  # a feed exists, just not this one
    response = lenient_client.get(path)
    missing = lenient_client.get("/api/no-such-path")
    assert (response.status_code, response.json()) == (404, missing.json())


def test_feed_of_the_callers_secret_with_a_changed_letter_is_404(
    client: TestClient, headers: dict[str, str]
) -> None:
    path = _feed_path(client, headers)
    secret_start = len("/api/calendar/")
    changed = "B" if path[secret_start] != "B" else "C"
    wrong = path[:secret_start] + changed + path[secret_start + 1 :]
    assert client.get(wrong).status_code == 404


def test_feed_of_a_deleted_account_is_404(
    client: TestClient, headers: dict[str, str]
) -> None:
    path = _feed_path(client, headers)
    deleted = client.request(
        "DELETE", "/api/auth/me", json={"password": PASSWORD}, headers=headers
    )
    assert deleted.status_code == 204
    assert client.get(path).status_code == 404
