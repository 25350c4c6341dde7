"""Quick add: one line read as a task's fields, at a pinned clock in a pinned zone.

The clock is Monday 3 June 2030, 09:00 in Auckland (21:00 on Sunday in UTC), so a parser that
used UTC or the server's zone for "today" would be a day off.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlmodel import Session

from tests.builders import make_user
from todo_app.errors import InvalidInput
from todo_app.models import EDITABLE_FIELDS, Priority, Recurrence
from todo_app.services import quick_add, tasks
from todo_app.services.quick_add import (
    LIBRARY_CALLS_MAX,
    PartKind,
    QuickAdd,
    TaskFromText,
    local_now,
    parse,
)

ZONE = "Pacific/Auckland"
NOW = datetime(2030, 6, 2, 21, 0, tzinfo=UTC)  # Monday 2030-06-03 09:00 in Auckland
NOW_LOCAL = local_now(ZONE, NOW)
TODAY = date(2030, 6, 3)
TOMORROW = date(2030, 6, 4)


def _parse(text: str, **options: Any) -> QuickAdd:
    return parse(text, now_local=NOW_LOCAL, **options)


def _fields(title: str, **fields: Any) -> dict[str, Any]:
    """What a line sets: `title` and `fields`; the rest as a new task has them."""
    return {
        "title": title,
        "due_date": None,
        "due_time": None,
        "priority": Priority.none,
        "tags": [],
        "recurrence": Recurrence.none,
        "project_id": None,
        **fields,
    }


def _on(month: int, day: int, year: int = 2030) -> date:
    return date(year, month, day)


PHRASES: list[tuple[str, dict[str, Any]]] = [
    # the examples
    (
        "Pay rent every month on the 1st #home !high",
        _fields(
            "Pay rent",
            due_date=_on(7, 1),
            recurrence=Recurrence.monthly,
            tags=["home"],
            priority=Priority.high,
        ),
    ),
    (
        "Call mom tomorrow at 6pm /Family",
        _fields("Call mom /Family", due_date=TOMORROW, due_time="18:00"),
    ),
    # relative days
    ("Buy milk today", _fields("Buy milk", due_date=TODAY)),
    ("Buy milk tomorrow", _fields("Buy milk", due_date=TOMORROW)),
    ("Buy milk Tomorrow", _fields("Buy milk", due_date=TOMORROW)),
    ("Plan trip tomorrow tomorrow", _fields("Plan trip tomorrow", due_date=TOMORROW)),
    # weekdays: the first occurrence after today (a Monday), with or without "next"
    ("Dentist next fri", _fields("Dentist", due_date=_on(6, 7))),
    ("Dentist next friday", _fields("Dentist", due_date=_on(6, 7))),
    ("Dentist friday", _fields("Dentist", due_date=_on(6, 7))),
    ("Dentist fri", _fields("Dentist", due_date=_on(6, 7))),
    ("Standup monday", _fields("Standup", due_date=_on(6, 10))),
    ("Standup next Monday", _fields("Standup", due_date=_on(6, 10))),
    ("Gym tuesday", _fields("Gym", due_date=TOMORROW)),
    ("Gym tue", _fields("Gym", due_date=TOMORROW)),
    ("Gym tues", _fields("Gym", due_date=TOMORROW)),
    ("Gym next wed", _fields("Gym", due_date=_on(6, 5))),
    ("Gym on wed", _fields("Gym", due_date=_on(6, 5))),
    ("Gym thurs", _fields("Gym", due_date=_on(6, 6))),
    ("Party on sat", _fields("Party", due_date=_on(6, 8))),
    ("Party next sun", _fields("Party", due_date=_on(6, 9))),
    # abbreviations that are English words need "next" or "on"
    ("Buy sun cream", _fields("Buy sun cream")),
    ("Sat down with Bob", _fields("Sat down with Bob")),
    # in N days, weeks, months, years
    ("Renew passport in 3 days", _fields("Renew passport", due_date=_on(6, 6))),
    ("Renew passport in 2 weeks", _fields("Renew passport", due_date=_on(6, 17))),
    ("Renew passport in a week", _fields("Renew passport", due_date=_on(6, 10))),
    ("Renew passport in two weeks", _fields("Renew passport", due_date=_on(6, 17))),
    ("Renew passport in 1 month", _fields("Renew passport", due_date=_on(7, 3))),
    ("Renew passport in 1 year", _fields("Renew passport", due_date=_on(6, 3, 2031))),
    # a day and a month: the first one on or after today, unless a year is given
    ("Party dec 3", _fields("Party", due_date=_on(12, 3))),
    ("Party Dec 3rd", _fields("Party", due_date=_on(12, 3))),
    ("Party 3 dec", _fields("Party", due_date=_on(12, 3))),
    ("Party 3rd of December", _fields("Party", due_date=_on(12, 3))),
    ("Party on December 3", _fields("Party", due_date=_on(12, 3))),
    ("Party 3 December 2027", _fields("Party", due_date=_on(12, 3, 2027))),
    ("Party dec 3, 2031", _fields("Party", due_date=_on(12, 3, 2031))),
    ("Party june 3", _fields("Party", due_date=TODAY)),
    ("Party june 2", _fields("Party", due_date=_on(6, 2, 2031))),
    ("Party jan 1", _fields("Party", due_date=_on(1, 1, 2031))),
    ("Leap day feb 29", _fields("Leap day", due_date=_on(2, 29, 2032))),
    ("Party feb 30", _fields("Party feb 30")),
    ("Party feb 30 2031", _fields("Party feb 30 2031")),
    ("Party 2030-12-03", _fields("Party", due_date=_on(12, 3))),
    # times: today, or tomorrow once the time has passed (it is 09:00)
    ("Call at 18:00", _fields("Call", due_date=TODAY, due_time="18:00")),
    ("Call 6pm", _fields("Call", due_date=TODAY, due_time="18:00")),
    ("Call at 6:30 pm", _fields("Call", due_date=TODAY, due_time="18:30")),
    ("Call at 9:05", _fields("Call", due_date=TODAY, due_time="09:05")),
    ("Call at 7am", _fields("Call", due_date=TOMORROW, due_time="07:00")),
    ("Call 08:30", _fields("Call", due_date=TOMORROW, due_time="08:30")),
    ("Lunch at noon", _fields("Lunch", due_date=TODAY, due_time="12:00")),
    ("Call dec 3 at 18:00", _fields("Call", due_date=_on(12, 3), due_time="18:00")),
    ("Call at 6pm tomorrow", _fields("Call", due_date=TOMORROW, due_time="18:00")),
    # numbers that are not times
    ("Read John 3:16", _fields("Read John 3:16")),
    ("Meet at 6", _fields("Meet at 6")),
    # repeats
    (
        "Water plants every day",
        _fields("Water plants", due_date=TODAY, recurrence="daily"),
    ),
    ("Review every week", _fields("Review", due_date=TODAY, recurrence="weekly")),
    (
        "Pay bills every month",
        _fields("Pay bills", due_date=TODAY, recurrence="monthly"),
    ),
    ("Birthday every year", _fields("Birthday", due_date=TODAY, recurrence="yearly")),
    ("Sync every monday", _fields("Sync", due_date=_on(6, 10), recurrence="weekly")),
    (
        "Sync every fri at 10am",
        _fields("Sync", due_date=_on(6, 7), due_time="10:00", recurrence="weekly"),
    ),
    (
        "Stretch every day at 8am",
        _fields("Stretch", due_date=TOMORROW, due_time="08:00", recurrence="daily"),
    ),
    (
        "Pay rent every month on the 31st",
        _fields("Pay rent", due_date=_on(7, 31), recurrence="monthly"),
    ),
    (
        "Pay rent every month on 3",
        _fields("Pay rent", due_date=TODAY, recurrence="monthly"),
    ),
    (
        "Standup every week on tuesday",
        _fields("Standup", due_date=TOMORROW, recurrence="weekly"),
    ),
    (
        "Birthday every year on dec 3",
        _fields("Birthday", due_date=_on(12, 3), recurrence="yearly"),
    ),
    ("Report monthly", _fields("Report monthly")),
    # repeats the model cannot store stay in the title
    ("Standup every weekday", _fields("Standup every weekday")),
    ("Yoga every mon and thu", _fields("Yoga every mon and thu")),
    ("Yoga every other week", _fields("Yoga every other week")),
    ("Yoga every 2 days", _fields("Yoga every 2 days")),
    ("Yoga every weekday monday", _fields("Yoga every weekday", due_date=_on(6, 10))),
    # a repeat on a weekday after another date: the first date wins, the repeat stays
    ("Plan tomorrow every monday", _fields("Plan every monday", due_date=TOMORROW)),
    # tags, priorities, projects
    ("Shop #errands #Home", _fields("Shop", tags=["errands", "home"])),
    ("Shop #errands #errands", _fields("Shop", tags=["errands"])),
    ("Fix bug #123", _fields("Fix bug #123")),
    ("Shop !high", _fields("Shop", priority=Priority.high)),
    ("Shop !medium", _fields("Shop", priority=Priority.medium)),
    ("Shop !LOW", _fields("Shop", priority=Priority.low)),
    ("Shop !1", _fields("Shop", priority=Priority.high)),
    ("Shop !2", _fields("Shop", priority=Priority.medium)),
    ("Shop !3", _fields("Shop", priority=Priority.low)),
    ("Shop !4", _fields("Shop !4")),
    ("Shop !high !low", _fields("Shop !low", priority=Priority.high)),
    # Todoist's p1 (its highest) .. p4 (its default, our none), as whole words in any case
    ("Shop p1", _fields("Shop", priority=Priority.high)),
    ("Shop p2", _fields("Shop", priority=Priority.medium)),
    ("Shop P3", _fields("Shop", priority=Priority.low)),
    ("Shop p4", _fields("Shop", priority=Priority.none)),
    ("Shop p1 p3", _fields("Shop p3", priority=Priority.high)),
    ("Shop p4 !high", _fields("Shop !high", priority=Priority.none)),
    ("Shop !low p1", _fields("Shop p1", priority=Priority.low)),
    ("Shop p1x mp3 p10 p0 p5", _fields("Shop p1x mp3 p10 p0 p5")),
    (
        "Buy milk tomorrow p1 #home",
        _fields("Buy milk", due_date=TOMORROW, priority=Priority.high, tags=["home"]),
    ),
    ("Call mom /Family", _fields("Call mom /Family")),
    # double quotes keep their words as typed
    ('Watch "Next Friday" tomorrow', _fields("Watch Next Friday", due_date=TOMORROW)),
    ('"Today" show #tv', _fields("Today show", tags=["tv"])),
    ('Say "hi', _fields('Say "hi')),
    # nothing recognised
    ("Buy milk", _fields("Buy milk")),
]


@pytest.mark.parametrize(("text", "expected"), PHRASES, ids=[t for t, _ in PHRASES])
def test_parse_reads_the_phrase_as_its_fields(
    text: str, expected: dict[str, Any]
) -> None:
    assert _parse(text).task_fields() == expected


def test_phrase_table_has_at_least_sixty_phrases() -> None:
    assert len(PHRASES) >= 60


def test_task_fields_cover_every_editable_field_but_the_description() -> None:
    assert set(_parse("x").task_fields()) == set(EDITABLE_FIELDS) - {"description"}


# --- weekdays over a whole week ----------------------------------------------------------------

WEEKDAY_NAMES = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)


@pytest.mark.parametrize("days_on", range(7))
@pytest.mark.parametrize("weekday", range(7))
@pytest.mark.parametrize("form", ["{}", "next {}", "on {}", "next {:.3}", "on {:.3}"])
def test_parse_weekday_is_its_first_occurrence_after_today(
    days_on: int, weekday: int, form: str
) -> None:
    today = date(2030, 6, 3 + days_on)
    now_local = datetime(today.year, today.month, today.day, 9)
    phrase = form.format(WEEKDAY_NAMES[weekday])
    due = parse(f"Gym {phrase}", now_local=now_local).due_date
    assert due is not None
    assert due.weekday() == weekday
    assert 1 <= (due - today).days <= 7


# --- parts, spans and removed parts ------------------------------------------------------------


def test_parse_gives_each_part_with_its_words_and_span() -> None:
    text = "Call mom tomorrow at 6pm #family !2"
    parts = [(p.kind, p.words, p.span) for p in _parse(text).parts]
    assert parts == [
        (PartKind.date, "tomorrow", (9, 17)),
        (PartKind.time, "at 6pm", (18, 24)),
        (PartKind.tag, "#family", (25, 32)),
        (PartKind.priority, "!2", (33, 35)),
    ]


def test_parse_gives_a_todoist_priority_its_part_and_span() -> None:
    parts = [(p.kind, p.words, p.span, p.value) for p in _parse("Buy milk P1").parts]
    assert parts == [(PartKind.priority, "P1", (9, 11), Priority.high)]


def test_parse_gives_p4_a_part_even_though_it_sets_no_priority() -> None:
    (part,) = _parse("Buy milk p4").parts
    assert (part.kind, part.words, part.value) == (
        PartKind.priority,
        "p4",
        Priority.none,
    )


def test_parse_keep_literal_puts_a_removed_todoist_priority_back() -> None:
    text = "Buy milk p1 #home"
    priority_part = _parse(text).parts[0]
    again = _parse(text, keep_literal=[priority_part.span])
    assert (again.title, again.priority) == ("Buy milk p1", Priority.none)
    assert [p.kind for p in again.parts] == [PartKind.tag]


def test_parse_gives_each_part_its_value() -> None:
    text = "Pay rent every month on the 1st #Home !high at 9am"
    values = [p.value for p in _parse(text).parts]
    assert values == [Recurrence.monthly, "home", Priority.high, "09:00"]


def test_parse_keep_literal_puts_a_removed_part_back_into_the_title() -> None:
    text = "Call mom tomorrow #family"
    date_part = _parse(text).parts[0]
    again = _parse(text, keep_literal=[date_part.span])
    assert (again.title, again.due_date) == ("Call mom tomorrow", None)
    assert [p.kind for p in again.parts] == [PartKind.tag]


def test_parse_keep_literal_leaves_the_other_parts_recognised() -> None:
    removed_date = _parse("Call tomorrow at 6pm").parts[0].span
    quick = _parse("Call tomorrow at 6pm", keep_literal=[removed_date])
    assert quick.task_fields() == _fields(
        "Call tomorrow", due_date=TODAY, due_time="18:00"
    )


def test_parse_unsupported_repeat_is_a_part_that_says_so() -> None:
    (part,) = _parse("Standup every weekday").parts
    assert (part.kind, part.words, part.value) == (
        PartKind.unsupported,
        "every weekday",
        None,
    )
    assert "not supported" in part.note


def test_parse_recognises_a_known_project_by_name_in_any_case() -> None:
    quick = _parse("Call mom /family", projects={"Family": 7})
    assert (quick.title, quick.project_id) == ("Call mom", 7)


def test_parse_leaves_an_unknown_project_in_the_title() -> None:
    quick = _parse("Call mom /Work", projects={"Family": 7})
    assert (quick.title, quick.project_id, quick.parts) == ("Call mom /Work", None, ())


def test_parse_of_a_line_of_only_parts_leaves_an_empty_title() -> None:
    assert _parse("tomorrow #home !high").title == ""


def test_parse_keeps_the_twenty_first_tag_in_the_title() -> None:
    text = " ".join(f"#t{n}" for n in range(21))
    quick = _parse(text)
    assert (len(quick.tags), quick.title) == (20, "#t20")


def test_parse_keeps_a_tag_longer_than_tags_may_be_in_the_title() -> None:
    long_tag = "#" + "a" * 31
    assert _parse(f"Shop {long_tag}").title == f"Shop {long_tag}"


# --- the clock, the zone, the library's cost ---------------------------------------------------


def test_parse_today_is_the_date_of_now_local() -> None:
    late_in_honolulu = local_now("Pacific/Honolulu", NOW)  # 11:00 on Sunday June 2
    assert parse("x today", now_local=late_in_honolulu).due_date == date(2030, 6, 2)


def test_parse_ignores_the_servers_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _parse("Call tomorrow at 6pm").task_fields()
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    try:
        assert _parse("Call tomorrow at 6pm").task_fields() == expected
    finally:
        monkeypatch.undo()
        time.tzset()


def test_parse_stops_asking_the_library_after_too_many_phrases() -> None:
    refused = " ".join(["feb 30"] * LIBRARY_CALLS_MAX)
    quick = _parse(f"{refused} tomorrow")
    assert (quick.due_date, quick.title) == (None, f"{refused} tomorrow")


def test_warm_up_loads_the_library() -> None:
    quick_add.warm_up()
    assert quick_add._library_date.cache_info().currsize >= 1


# --- the service -------------------------------------------------------------------------------


def test_parse_for_owner_reads_dates_in_the_owners_zone(session: Session) -> None:
    owner = make_user(session, timezone=ZONE)
    quick = quick_add.parse_for_owner(
        session, owner_id=owner.id, text="Call today", now=NOW
    )
    assert quick.due_date == TODAY  # still June 2 in UTC


def test_create_from_text_creates_the_task_the_line_describes(
    session: Session,
) -> None:
    owner = make_user(session, timezone=ZONE)
    task = quick_add.create_from_text(
        session,
        owner_id=owner.id,
        data=TaskFromText(
            text="Pay rent every month on the 1st #home !high",
            description="Standing order",
        ),
        now=NOW,
    )
    stored = tasks.get_task(session, owner_id=owner.id, task_id=task.id)
    assert (stored.title, stored.description, stored.due_date) == (
        "Pay rent",
        "Standing order",
        _on(7, 1),
    )
    assert (stored.recurrence, stored.priority, stored.tags) == (
        Recurrence.monthly,
        Priority.high,
        ["home"],
    )


def test_create_from_text_stores_a_todoist_priority(session: Session) -> None:
    owner = make_user(session, timezone=ZONE)
    task = quick_add.create_from_text(
        session,
        owner_id=owner.id,
        data=TaskFromText(text="Buy milk tomorrow p1 #home"),
        now=NOW,
    )
    stored = tasks.get_task(session, owner_id=owner.id, task_id=task.id)
    assert (stored.title, stored.due_date, stored.priority, stored.tags) == (
        "Buy milk",
        TOMORROW,
        Priority.high,
        ["home"],
    )


def test_create_from_text_keeps_the_removed_parts_in_the_title(
    session: Session,
) -> None:
    owner = make_user(session, timezone=ZONE)
    text = "Call mom tomorrow #family"
    removed = _parse(text).parts[0].span
    task = quick_add.create_from_text(
        session,
        owner_id=owner.id,
        data=TaskFromText(text=text),
        keep_literal=[removed],
        now=NOW,
    )
    assert (task.title, task.due_date, task.tags) == (
        "Call mom tomorrow",
        None,
        ["family"],
    )


def test_create_from_text_with_nothing_left_for_the_title_raises_invalid_input(
    session: Session,
) -> None:
    owner = make_user(session)
    with pytest.raises(InvalidInput, match="Nothing is left for the title") as error:
        quick_add.create_from_text(
            session, owner_id=owner.id, data=TaskFromText(text="tomorrow #home")
        )
    assert error.value.field == "text"


def test_task_create_with_a_title_too_long_raises_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="title: String should have at most 200"):
        quick_add.task_create(_parse("x" * 201 + " tomorrow"))


def test_task_from_text_with_a_title_too_is_refused() -> None:
    with pytest.raises(ValueError, match="either `text` or `title`, not both"):
        TaskFromText.model_validate({"text": "Buy milk", "title": "Buy milk"})
