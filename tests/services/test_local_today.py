"""The user's calendar date: the same instant is a different day in different zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from todo_app.services import tasks

# 10:30 UTC on June 1: June 2 in Kiritimati (UTC+14), May 31 in Pago Pago (UTC-11).
INSTANT = datetime(2030, 6, 1, 10, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "today"),
    [
        ("Pacific/Kiritimati", date(2030, 6, 2)),
        ("Pacific/Pago_Pago", date(2030, 5, 31)),
        ("UTC", date(2030, 6, 1)),
    ],
)
def test_local_today_is_the_date_in_the_users_zone(zone: str, today: date) -> None:
    assert tasks.local_today(zone, INSTANT) == today


def test_local_today_in_kiritimati_one_minute_before_its_midnight_is_that_day() -> None:
    assert tasks.local_today(
        "Pacific/Kiritimati", datetime(2030, 6, 1, 9, 59, tzinfo=UTC)
    ) == date(2030, 6, 1)


def test_local_today_in_pago_pago_after_utc_midnight_is_the_day_before() -> None:
    assert tasks.local_today(
        "Pacific/Pago_Pago", datetime(2030, 6, 2, 0, 30, tzinfo=UTC)
    ) == date(2030, 6, 1)


def test_local_today_ignores_the_offset_the_instant_is_written_in() -> None:
    written_in_tokyo = INSTANT.astimezone(timezone(timedelta(hours=9)))
    assert tasks.local_today("Pacific/Pago_Pago", written_in_tokyo) == date(2030, 5, 31)
