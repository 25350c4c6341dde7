"""The private calendar feed: its secret link (made once, rotated, stored hashed) and the
iCalendar document it opens, parsed back and checked against the tasks."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar, Event, vRecur
from sqlmodel import Session, select

from tests.builders import make_task, make_user
from todo_app.errors import NotFound
from todo_app.models import CalendarFeed, Recurrence, Task, TaskPatch, User
from todo_app.services import accounts, calendar_feed, tasks
from todo_app.settings import get_secret_key, get_settings

NOW = datetime(2030, 6, 1, 10, 30, tzinfo=UTC)
URL = re.compile(r"^(?P<base>.+)/api/calendar/(?P<secret>[A-Za-z0-9_-]{43})\.ics$")


def _secret(url: str) -> str:
    match = URL.match(url)
    assert match is not None, url
    return match["secret"]


def _feed(session: Session, user: User) -> Calendar:
    session.commit()
    secret = _secret(calendar_feed.calendar_url(session, user_id=user.id))
    return Calendar.from_ical(calendar_feed.calendar_feed(session, secret=secret))


def _events_by_summary(calendar: Calendar) -> dict[str, Event]:
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


# --- the link ----------------------------------------------------------------------------------


def test_calendar_url_is_the_app_url_with_a_256_bit_secret(session: Session) -> None:
    owner = make_user(session)
    url = calendar_feed.calendar_url(session, user_id=owner.id, now=NOW)
    match = URL.match(url)
    assert match is not None
    assert match["base"] == get_settings().public_url
    # 43 URL-safe base64 characters carry 258 bits: the 256 of the HMAC.
    assert len(match["secret"]) == calendar_feed.SECRET_LENGTH == 43


def test_calendar_url_uses_the_configured_public_url(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFLEX_API_URL", "https://todo.example.com/")
    get_settings.cache_clear()
    owner = make_user(session)
    url = calendar_feed.calendar_url(session, user_id=owner.id)
    assert url.startswith("https://todo.example.com/api/calendar/")


def test_calendar_url_is_the_same_on_every_call(session: Session) -> None:
    owner = make_user(session)
    first = calendar_feed.calendar_url(session, user_id=owner.id)
    session.commit()
    assert calendar_feed.calendar_url(session, user_id=owner.id) == first


def test_calendar_url_differs_between_users(session: Session) -> None:
    ada, bob = make_user(session), make_user(session)
    assert calendar_feed.calendar_url(
        session, user_id=ada.id
    ) != calendar_feed.calendar_url(session, user_id=bob.id)


def test_calendar_url_stores_only_the_sha256_of_the_secret(session: Session) -> None:
    owner = make_user(session)
    secret = _secret(calendar_feed.calendar_url(session, user_id=owner.id))
    session.commit()
    row = session.exec(
        select(CalendarFeed).where(CalendarFeed.user_id == owner.id)
    ).one()
    assert row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in (row.nonce, row.secret_hash)


def test_rotate_calendar_url_gives_a_new_url_and_the_old_one_opens_nothing(
    session: Session,
) -> None:
    owner = make_user(session)
    old = _secret(calendar_feed.calendar_url(session, user_id=owner.id))
    new = _secret(calendar_feed.rotate_calendar_url(session, user_id=owner.id))
    session.commit()
    assert new != old
    assert calendar_feed.feed_owner(session, secret=new).id == owner.id
    with pytest.raises(NotFound):
        calendar_feed.feed_owner(session, secret=old)
    assert _secret(calendar_feed.calendar_url(session, user_id=owner.id)) == new


def test_rotate_calendar_url_before_any_link_makes_one(session: Session) -> None:
    owner = make_user(session)
    secret = _secret(calendar_feed.rotate_calendar_url(session, user_id=owner.id))
    assert calendar_feed.feed_owner(session, secret=secret).id == owner.id


@pytest.mark.parametrize(
    "secret",
    [
        "",
        "A" * 43,
        "A" * 42,
        "A" * 44,
        "A" * 10_000,
        "é" * 43,
        "A" * 42 + "\x00",
        "A" * 42 + "/",
        "A" * 42 + "=",
    ],
)
def test_feed_owner_of_an_unknown_or_malformed_secret_is_not_found(
    session: Session, secret: str
) -> None:
    owner = make_user(session)
    calendar_feed.calendar_url(session, user_id=owner.id)
    session.commit()
    with pytest.raises(NotFound, match="^Not Found$"):
        calendar_feed.feed_owner(session, secret=secret)


def test_a_new_secret_key_retires_old_links_and_shows_a_working_one(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = make_user(session)
    old = _secret(calendar_feed.calendar_url(session, user_id=owner.id))
    session.commit()
    monkeypatch.setenv("TODO_SECRET_KEY", "another-secret-key-that-is-long-enough-9876")
    get_secret_key.cache_clear()
    with pytest.raises(NotFound):
        calendar_feed.feed_owner(session, secret=old)
    new = _secret(calendar_feed.calendar_url(session, user_id=owner.id))
    session.commit()
    assert new != old
    assert calendar_feed.feed_owner(session, secret=new).id == owner.id


def test_delete_account_deletes_the_calendar_link(session: Session) -> None:
    owner = make_user(session)
    secret = _secret(calendar_feed.calendar_url(session, user_id=owner.id))
    session.commit()
    accounts.delete_account(session, user_id=owner.id)
    session.commit()
    assert session.exec(select(CalendarFeed)).all() == []
    with pytest.raises(NotFound):
        calendar_feed.feed_owner(session, secret=secret)


# --- the feed ----------------------------------------------------------------------------------


def test_feed_has_the_properties_rfc_5545_requires(session: Session) -> None:
    owner = make_user(session, name="Ada")
    make_task(session, owner, title="Pay rent", due_date=date(2030, 6, 30))
    make_task(session, owner, title="Call", due_date=date(2030, 6, 2), due_time="18:00")
    calendar = _feed(session, owner)
    assert calendar.name == "VCALENDAR"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == calendar_feed.PRODID
    assert str(calendar["X-WR-CALNAME"]) == "Todo: Ada"
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    for event in events:
        for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY", "DESCRIPTION", "URL"):
            assert required in event, required


def test_feed_asks_calendar_apps_to_refresh_as_often_as_it_may_be_cached(
    session: Session,
) -> None:
    owner = make_user(session)
    calendar = _feed(session, owner)
    refresh = timedelta(seconds=calendar_feed.CACHE_SECONDS)
    assert calendar.decoded("REFRESH-INTERVAL") == refresh
    assert calendar["X-PUBLISHED-TTL"].to_ical() == b"PT15M"


def test_feed_task_without_time_is_an_all_day_event(session: Session) -> None:
    owner = make_user(session)
    make_task(session, owner, title="Pay rent", due_date=date(2030, 6, 30))
    event = _events_by_summary(_feed(session, owner))["Pay rent"]
    assert event["DTSTART"].params.get("VALUE") == "DATE"
    assert event.decoded("DTSTART") == date(2030, 6, 30)
    assert event.decoded("DTEND") == date(2030, 7, 1)
    assert b"DTSTART;VALUE=DATE:20300630" in event.to_ical()


def test_feed_task_with_time_starts_then_in_the_users_zone(session: Session) -> None:
    owner = make_user(session, timezone="Europe/Paris")
    make_task(session, owner, title="Call", due_date=date(2030, 6, 2), due_time="18:00")
    calendar = _feed(session, owner)
    event = _events_by_summary(calendar)["Call"]
    start = event.decoded("DTSTART")
    assert start == datetime(2030, 6, 2, 18, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert start.astimezone(UTC) == datetime(2030, 6, 2, 16, 0, tzinfo=UTC)
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert event.decoded("DURATION") == timedelta(
        minutes=calendar_feed.TIMED_EVENT_MINUTES
    )


def test_feed_timed_event_of_a_utc_user_is_in_utc(session: Session) -> None:
    owner = make_user(session, timezone="UTC")
    make_task(session, owner, title="Call", due_date=date(2030, 6, 2), due_time="07:05")
    event = _events_by_summary(_feed(session, owner))["Call"]
    assert event.decoded("DTSTART") == datetime(2030, 6, 2, 7, 5, tzinfo=UTC)


def test_feed_leaves_out_completed_and_undated_tasks(session: Session) -> None:
    owner = make_user(session)
    make_task(session, owner, title="Open", due_date=date(2030, 6, 3))
    make_task(session, owner, title="No date")
    done = make_task(session, owner, title="Done", due_date=date(2030, 6, 3))
    tasks.update_task(
        session, owner_id=owner.id, task_id=done.id, data=TaskPatch(completed=True)
    )
    assert set(_events_by_summary(_feed(session, owner))) == {"Open"}


def test_feed_leaves_out_tasks_in_the_trash(session: Session) -> None:
    owner = make_user(session)
    make_task(session, owner, title="Kept", due_date=date(2030, 6, 3))
    gone = make_task(session, owner, title="Deleted", due_date=date(2030, 6, 3))
    tasks.delete_task(session, owner_id=owner.id, task_id=gone.id)
    assert set(_events_by_summary(_feed(session, owner))) == {"Kept"}
    tasks.restore_task(session, owner_id=owner.id, task_id=gone.id)
    assert set(_events_by_summary(_feed(session, owner))) == {"Kept", "Deleted"}


def test_feed_never_shows_another_users_tasks(session: Session) -> None:
    ada, bob = make_user(session), make_user(session)
    make_task(session, ada, title="Ada's", due_date=date(2030, 6, 3))
    make_task(session, bob, title="Bob's", due_date=date(2030, 6, 3))
    assert set(_events_by_summary(_feed(session, ada))) == {"Ada's"}
    assert set(_events_by_summary(_feed(session, bob))) == {"Bob's"}


def test_feed_event_has_the_tasks_url_text_and_a_stable_uid(session: Session) -> None:
    owner = make_user(session)
    task = make_task(
        session,
        owner,
        title="Pay rent",
        description="Standing order",
        due_date=date(2030, 6, 30),
        priority="high",
        tags=["home", "money"],
    )
    other = make_task(session, owner, title="Other", due_date=date(2030, 6, 30))
    first = _events_by_summary(_feed(session, owner))
    again = _events_by_summary(_feed(session, owner))
    event = first["Pay rent"]
    task_url = f"{get_settings().public_url}/tasks/{task.id}"
    assert str(event["URL"]) == task_url
    description = str(event["DESCRIPTION"])
    assert "Standing order" in description and task_url in description
    assert "#home #money" in description
    assert event["UID"] == again["Pay rent"]["UID"]
    assert event["UID"] != first["Other"]["UID"]
    assert str(task.id) in event["UID"] and str(other.id) in first["Other"]["UID"]
    # iCalendar times have whole seconds.
    updated_at = session.get(Task, task.id).updated_at.replace(microsecond=0)
    assert event.decoded("DTSTAMP") == updated_at
    assert int(event["PRIORITY"]) == 1


@pytest.mark.parametrize(
    ("recurrence", "due", "rule"),
    [
        ("daily", date(2030, 6, 3), "FREQ=DAILY"),
        ("weekly", date(2030, 6, 3), "FREQ=WEEKLY"),
        ("monthly", date(2030, 6, 3), "FREQ=MONTHLY;BYMONTHDAY=3"),
        (
            "monthly",
            date(2030, 1, 31),
            "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
        ),
        ("yearly", date(2030, 6, 3), "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=3"),
        (
            "yearly",
            date(2032, 2, 29),
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1",
        ),
    ],
)
def test_feed_repeating_task_has_an_rrule(
    session: Session, recurrence: str, due: date, rule: str
) -> None:
    owner = make_user(session)
    make_task(session, owner, title="Repeat", due_date=due, recurrence=recurrence)
    event = _events_by_summary(_feed(session, owner))["Repeat"]
    assert dict(event["RRULE"]) == dict(vRecur.from_ical(rule))


def test_feed_task_that_does_not_repeat_has_no_rrule(session: Session) -> None:
    owner = make_user(session)
    make_task(session, owner, title="Once", due_date=date(2030, 6, 3))
    assert "RRULE" not in _events_by_summary(_feed(session, owner))["Once"]


@pytest.mark.parametrize(
    ("recurrence", "due", "anchor_day"),
    [
        (Recurrence.daily, date(2030, 2, 27), None),
        (Recurrence.weekly, date(2030, 6, 3), None),
        (Recurrence.monthly, date(2030, 1, 31), None),
        (Recurrence.monthly, date(2030, 1, 30), None),
        (Recurrence.monthly, date(2030, 1, 29), None),
        (Recurrence.monthly, date(2030, 2, 28), 31),  # clamped from the 31st
        (Recurrence.monthly, date(2030, 6, 15), None),
        (Recurrence.yearly, date(2032, 2, 29), None),
        (Recurrence.yearly, date(2030, 2, 28), 29),  # clamped from Feb 29
        (Recurrence.yearly, date(2030, 12, 31), None),
    ],
)
def test_feed_rrule_repeats_on_the_dates_the_app_repeats_on(
    recurrence: Recurrence, due: date, anchor_day: int | None
) -> None:
    user = User(id=1, email="a@example.com", password_hash="x", timezone="UTC")
    task = Task(
        id=7,
        user_id=1,
        title="Repeat",
        due_date=due,
        recurrence=recurrence,
        anchor_day=anchor_day,
        created_at=NOW,
        updated_at=NOW,
    )
    event = Calendar.from_ical(calendar_feed.build_calendar(user, [task]).to_ical())
    (parsed,) = event.walk("VEVENT")
    rule = rrulestr(
        parsed["RRULE"].to_ical().decode(), dtstart=datetime.combine(due, time())
    )
    from_calendar = [moment.date() for moment in rule[:15]]
    expected = [due]
    while len(expected) < 15:
        expected.append(
            tasks.next_due_date(
                expected[-1], recurrence, anchor_day=anchor_day or due.day
            )
        )
    assert from_calendar == expected


def test_feed_of_a_user_without_dated_tasks_is_an_empty_calendar(
    session: Session,
) -> None:
    owner = make_user(session)
    make_task(session, owner, title="No date")
    calendar = _feed(session, owner)
    assert calendar.walk("VEVENT") == []
    assert str(calendar["VERSION"]) == "2.0"
