"""The private calendar feed: a secret link per user, and the iCalendar document behind it.

The link's secret is derived, not stored: HMAC-SHA256(server secret key, user id + nonce),
256 bits written as URL-safe base64. The table keeps the nonce and the SHA-256 of the secret:
the owner can be shown the same link again (it is derived anew), rotating draws a new nonce
(the old link stops working), and a copy of the database opens no feed without the key.
A presented secret is found by its hash (an index lookup on a value the caller cannot aim
at, so nothing is compared byte by byte with a stored secret), then checked against the
secret derived with the current key, so changing TODO_SECRET_KEY retires every old link.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from icalendar import Calendar, Event, vDuration
from sqlmodel import Session, select

from todo_app.errors import NotFound
from todo_app.models import CalendarFeed, Priority, Recurrence, Task, User, utcnow
from todo_app.settings import get_secret_key, get_settings

FEED_PATH = "/api/calendar"
SECRET_LENGTH = 43  # 32 bytes of HMAC-SHA256 in URL-safe base64, without padding
# How long calendar apps and proxies may keep a copy: changes show within 15 minutes.
CACHE_SECONDS = 900
# A task with a time of day is shown as a short event starting then, not as a bare instant
# that some calendar apps hide.
TIMED_EVENT_MINUTES = 30
# VTIMEZONE rules are written from the first timed event to this long after the last one,
# so repeating events keep their local time across daylight saving changes.
TIMEZONE_RULES_YEARS = 10
PRODID = "-//todo_app//Calendar feed//EN"
# Calendar PRIORITY: 1 is the highest, 9 the lowest, 0 (left out) undefined.
_ICAL_PRIORITY = {Priority.high: 1, Priority.medium: 5, Priority.low: 9}
_SECRET_ALPHABET = frozenset(string.ascii_letters + string.digits + "-_")
# The answer for any secret that opens nothing: the same as for a path that does not exist.
FEED_NOT_FOUND = "Not Found"


# --- the link ----------------------------------------------------------------------------------


def _derive_secret(user_id: int, nonce: str) -> str:
    message = f"calendar-feed:{user_id}:{nonce}".encode()
    digest = hmac.new(get_secret_key(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def feed_url(secret: str) -> str:
    """The public URL of the feed a secret opens."""
    return f"{get_settings().public_url}{FEED_PATH}/{secret}.ics"


def _store(
    session: Session, feed: CalendarFeed | None, user_id: int, now: datetime
) -> str:
    """Give the user's feed a new nonce (a new link) and return its secret."""
    nonce = secrets.token_hex(16)
    secret = _derive_secret(user_id, nonce)
    feed = feed or CalendarFeed(user_id=user_id)
    feed.nonce, feed.secret_hash, feed.created_at = nonce, _secret_hash(secret), now
    session.add(feed)
    session.flush()
    return secret


def _feed_row(session: Session, user_id: int) -> CalendarFeed | None:
    # Locked, so two first requests or a request and a rotation do not interleave.
    return session.exec(
        select(CalendarFeed).where(CalendarFeed.user_id == user_id).with_for_update()
    ).first()


def _create_or_read(session: Session, user_id: int, now: datetime) -> CalendarFeed:
    try:
        with session.begin_nested():
            _store(session, None, user_id, now)
    except sa.exc.IntegrityError:  # a concurrent first request made the row
        pass
    feed = _feed_row(session, user_id)
    assert feed is not None
    return feed


def calendar_url(session: Session, *, user_id: int, now: datetime | None = None) -> str:
    """The user's feed URL, made on first use; the same URL on every later call."""
    feed = _feed_row(session, user_id) or _create_or_read(
        session, user_id, now or utcnow()
    )
    secret = _derive_secret(user_id, feed.nonce)
    if feed.secret_hash != _secret_hash(secret):
        # The server's secret key changed: the shown link is the one that works now.
        feed.secret_hash = _secret_hash(secret)
        session.add(feed)
        session.flush()
    return feed_url(secret)


def rotate_calendar_url(
    session: Session, *, user_id: int, now: datetime | None = None
) -> str:
    """A new feed URL for the user; the previous one opens nothing from now on."""
    now = now or utcnow()
    # The row first (made if need be), so a rotation racing a first request waits on its lock.
    feed = _feed_row(session, user_id) or _create_or_read(session, user_id, now)
    return feed_url(_store(session, feed, user_id, now))


def feed_owner(session: Session, *, secret: str) -> User:
    """The user whose feed this secret opens; NotFound (saying nothing more) otherwise."""
    if len(secret) != SECRET_LENGTH or not set(secret) <= _SECRET_ALPHABET:
        raise NotFound(FEED_NOT_FOUND)
    found = session.exec(
        select(User, CalendarFeed)
        .join(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(CalendarFeed.secret_hash == _secret_hash(secret))
    ).first()
    if found is None:
        raise NotFound(FEED_NOT_FOUND)
    user, feed = found
    # A secret made with a key the server no longer has matches its hash, not the key.
    if not hmac.compare_digest(_derive_secret(user.id, feed.nonce), secret):
        raise NotFound(FEED_NOT_FOUND)
    return user


# --- the feed ----------------------------------------------------------------------------------


def _open_dated_tasks(session: Session, owner_id: int) -> list[Task]:
    return list(
        session.exec(
            select(Task)
            .where(
                Task.user_id == owner_id,
                Task.completed.is_(False),
                Task.deleted_at.is_(None),  # the trash is not on the calendar
                Task.due_date.is_not(None),
            )
            .order_by(Task.due_date, Task.due_time, Task.id)
        ).all()
    )


def _rrule(task: Task) -> dict[str, object] | None:
    """The RRULE of a repeating task, following the app's own rule for short months."""
    due = task.due_date
    assert due is not None
    day = task.anchor_day or due.day
    if task.recurrence == Recurrence.daily:
        return {"FREQ": "DAILY"}
    if task.recurrence == Recurrence.weekly:
        return {"FREQ": "WEEKLY"}
    if task.recurrence == Recurrence.monthly:
        if day <= 28:
            return {"FREQ": "MONTHLY", "BYMONTHDAY": [day]}
        # Day 29-31 falls on the month's last day when the month is shorter (Jan 31 ->
        # Feb 28 -> Mar 31): the last of the days 28..day that the month has.
        return {
            "FREQ": "MONTHLY",
            "BYMONTHDAY": list(range(28, day + 1)),
            "BYSETPOS": [-1],
        }
    if task.recurrence == Recurrence.yearly:
        if due.month == 2 and day >= 29:
            # Feb 29 in leap years, Feb 28 in the others.
            return {
                "FREQ": "YEARLY",
                "BYMONTH": [2],
                "BYMONTHDAY": [28, 29],
                "BYSETPOS": [-1],
            }
        return {"FREQ": "YEARLY", "BYMONTH": [due.month], "BYMONTHDAY": [day]}
    return None


def task_url(task_id: int) -> str:
    """The app's page of a task."""
    return f"{get_settings().public_url}/tasks/{task_id}"


def _description(task: Task, url: str) -> str:
    # Google Calendar shows no URL property: the link is in the text too.
    lines = [task.description.strip()] if task.description.strip() else []
    if task.priority != Priority.none:
        lines.append(f"Priority: {task.priority.value}")
    if task.tags:
        lines.append("Tags: " + " ".join(f"#{tag}" for tag in task.tags))
    lines.append(url)
    return "\n".join(lines)


def _event(task: Task, zone: ZoneInfo, uid_domain: str) -> Event:
    assert task.id is not None and task.due_date is not None
    url = task_url(task.id)
    event = Event()
    event.add("uid", f"task-{task.id}@{uid_domain}")
    # Without METHOD, DTSTAMP is when the event's information last changed (RFC 5545).
    event.add("dtstamp", task.updated_at)
    event.add("created", task.created_at)
    event.add("last-modified", task.updated_at)
    event.add("summary", task.title)
    event.add("description", _description(task, url))
    event.add("url", url)
    if task.due_time:
        hours, minutes = (int(part) for part in task.due_time.split(":"))
        start = datetime.combine(task.due_date, time(hours, minutes), tzinfo=zone)
        event.add("dtstart", start)
        event.add("duration", timedelta(minutes=TIMED_EVENT_MINUTES))
    else:
        event.add("dtstart", task.due_date)
        event.add("dtend", task.due_date + timedelta(days=1))
    rule = _rrule(task)
    if rule is not None:
        event.add("rrule", rule)
    if task.tags:
        event.add("categories", task.tags)
    if task.priority in _ICAL_PRIORITY:
        event.add("priority", _ICAL_PRIORITY[task.priority])
    # A deadline, not an appointment: it does not make the person busy.
    event.add("transp", "TRANSPARENT")
    return event


def build_calendar(user: User, tasks: Sequence[Task]) -> Calendar:
    """The iCalendar document of these tasks of `user`: one event per task with a due date."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Todo: {user.name or user.email}")
    calendar.add("x-wr-timezone", user.timezone)
    # How often subscribers should fetch it again (RFC 7986, and Apple's older name).
    refresh = timedelta(seconds=CACHE_SECONDS)
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    # An X- property has no known type: without vDuration it would be written "0:15:00".
    calendar.add("x-published-ttl", vDuration(refresh))
    zone = ZoneInfo(user.timezone)
    uid_domain = urlsplit(get_settings().public_url).hostname or "todo-app"
    for task in tasks:
        if task.due_date is not None and not task.completed:
            calendar.add_component(_event(task, zone, uid_domain))
    timed = [task.due_date for task in tasks if task.due_date and task.due_time]
    if timed:
        first, last = min(timed), max(timed)
        calendar.add_missing_timezones(
            first_date=first - timedelta(days=1),
            last_date=_years_later(last, TIMEZONE_RULES_YEARS),
        )
    return calendar


def _years_later(day: date, years: int) -> date:
    return date(min(day.year + years, 9999), day.month, min(day.day, 28))


def calendar_feed(session: Session, *, secret: str) -> bytes:
    """The iCalendar feed a secret opens: the owner's open tasks that have a due date."""
    owner = feed_owner(session, secret=secret)
    return build_calendar(owner, _open_dated_tasks(session, owner.id)).to_ical()
