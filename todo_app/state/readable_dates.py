"""Dates as people read them in a list: "Today", "Fri", "3 Dec", "2 days overdue".

Every function takes the user's `today` (their calendar, `services.tasks.local_today`), never
the server's. English names are spelled here rather than taken from the server's locale.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAYS_LONG = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
MONTHS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
MONTHS_LONG = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Beyond tomorrow, a weekday name stays unambiguous for the coming six days.
WEEKDAY_HORIZON = 6


def readable_date(day: date, today: date) -> str:
    """ "Today", "Tomorrow", "Yesterday", "Fri" (within 6 days), "3 Dec" (this year), "3 Dec 2027"."""
    offset = (day - today).days
    if offset == 0:
        return "Today"
    if offset == 1:
        return "Tomorrow"
    if offset == -1:
        return "Yesterday"
    if 1 < offset <= WEEKDAY_HORIZON:
        return WEEKDAYS[day.weekday()]
    short = f"{day.day} {MONTHS[day.month - 1]}"
    return short if day.year == today.year else f"{short} {day.year}"


def when_past(day: date, today: date) -> str:
    """How long ago a past day was: "today", "yesterday", "3 days ago" (within 6 days), then
    "on 3 Dec" (this year) or "on 3 Dec 2025"."""
    days = (today - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days <= WEEKDAY_HORIZON:
        return f"{days} days ago"
    return "on " + readable_date(day, today)


def overdue_label(day: date, today: date) -> str:
    """ "1 day overdue", "3 days overdue": how long ago an open task was due."""
    days = (today - day).days
    return f"{days} day{'' if days == 1 else 's'} overdue"


def full_date(day: date) -> str:
    """The unabbreviated date, for a title or accessible description: "Friday, 3 December 2027"."""
    return (
        f"{WEEKDAYS_LONG[day.weekday()]}, {day.day} {MONTHS_LONG[day.month - 1]} "
        f"{day.year}"
    )


def day_heading(day: date, today: date) -> str:
    """A day's heading in a list grouped by day: "Today", "Tomorrow", "Yesterday", "Wed 3 Dec"
    (with the year when it is not this year's)."""
    offset = (day - today).days
    if offset in (-1, 0, 1):
        return readable_date(day, today)
    heading = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"
    return heading if day.year == today.year else f"{heading} {day.year}"


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}{'' if number == 1 else 's'} ago"


def time_ago(moment: datetime, now: datetime, timezone: str) -> str:
    """How long ago `moment` was: "just now", "5 minutes ago", "3 hours ago", "2 days ago";
    from a week on, its date in the user's zone ("3 Dec", "3 Dec 2025")."""
    elapsed = max(now - moment, timedelta(0))
    if elapsed < timedelta(minutes=1):
        return "just now"
    if elapsed < timedelta(hours=1):
        return _count(elapsed // timedelta(minutes=1), "minute")
    if elapsed < timedelta(days=1):
        return _count(elapsed // timedelta(hours=1), "hour")
    if elapsed < timedelta(days=7):
        return _count(elapsed.days, "day")
    zone = ZoneInfo(timezone)
    day, today = moment.astimezone(zone).date(), now.astimezone(zone).date()
    return readable_date(day, today)
