"""Quick add: one typed line, such as "Pay rent every month on the 1st #home !high", read as a
new task's fields.

`parse` is a pure function of the text and the user's wall clock: it finds the parts it
recognises (a date, a time, a repeat, tags, a priority, a project) with their character spans,
so a UI can show each as a chip and put its words back into the title (`keep_literal`). The
token rules are ours; what a date or time phrase means is left to `dateparser`, restricted to
English. The service functions around it read the owner's time zone and create the task.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from dateparser.date import DateDataParser
from pydantic import BaseModel, ValidationError, model_validator
from pydantic import Field as PydanticField
from sqlmodel import Session, select

from todo_app.errors import InvalidInput, NotFound
from todo_app.models import (
    TAG_MAX,
    TAGS_PER_TASK_MAX,
    Description,
    InputSchema,
    Priority,
    Project,
    Recurrence,
    Task,
    TaskCreate,
    User,
    normalise_tag,
    utcnow,
)
from todo_app.services import tasks

# Room for a full title (200) plus the words that become the other fields.
TEXT_MAX = 1000
# A line of invalid date-looking phrases ("feb 30 feb 31 ...") must not cost a library call
# each: past this many, further phrases stay in the title. A real line needs one or two.
LIBRARY_CALLS_MAX = 8


# --- what a parse returns ----------------------------------------------------------------------


class PartKind(str, enum.Enum):
    """What a recognised part of the line sets."""

    date = "date"
    time = "time"
    recurrence = "recurrence"
    tag = "tag"
    priority = "priority"
    project = "project"
    # Words that look like a repeat the model cannot store ("every weekday"): they stay in the
    # title, and the part says why, so nothing is silently dropped or stored wrong.
    unsupported = "unsupported"


PartValue = date | str | int | Priority | Recurrence | None


@dataclass(frozen=True)
class Part:
    """A recognised part of the line: `text[start:end] == words`.

    `value` is a `date` (date), "HH:MM" (time), a `Recurrence`, a tag as stored (tag), a
    `Priority`, a project id, or None (unsupported, with `note` saying why).
    """

    kind: PartKind
    words: str
    start: int
    end: int
    value: PartValue
    note: str = ""

    @property
    def span(self) -> tuple[int, int]:
        """(start, end) in the text: what `keep_literal` takes to put these words back."""
        return (self.start, self.end)


@dataclass(frozen=True)
class QuickAdd:
    """A line read as a task: the title left over, the fields set, and the parts that set them.

    Exactly what the parts say: a field no part sets keeps a new task's default. Two derived
    dates, as the task service would set them: a time without a date is today at that time, or
    tomorrow once it has passed; a repeat without a date starts today.
    """

    title: str
    parts: tuple[Part, ...] = ()
    due_date: date | None = None
    due_time: str | None = None
    priority: Priority = Priority.none
    tags: tuple[str, ...] = ()
    recurrence: Recurrence = Recurrence.none
    project_id: int | None = None

    def task_fields(self) -> dict[str, Any]:
        """The values for `TaskCreate` (not yet checked by its rules: see `task_create`)."""
        return {
            "title": self.title,
            "due_date": self.due_date,
            "due_time": self.due_time,
            "priority": self.priority,
            "tags": list(self.tags),
            "recurrence": self.recurrence,
            "project_id": self.project_id,
        }


# --- the vocabulary ----------------------------------------------------------------------------

_WEEKDAYS = {
    name: full
    for full, names in {
        "monday": ("monday", "mon"),
        "tuesday": ("tuesday", "tue", "tues"),
        "wednesday": ("wednesday", "wed"),
        "thursday": ("thursday", "thu", "thur", "thurs"),
        "friday": ("friday", "fri"),
        "saturday": ("saturday", "sat"),
        "sunday": ("sunday", "sun"),
    }.items()
    for name in names
}
# English words as well as abbreviations ("sun cream", "sat down"): a weekday only after
# "next", "on" or "every".
_WORDLIKE_WEEKDAYS = frozenset({"wed", "sat", "sun"})
_MONTHS = frozenset(
    {
        *("january", "jan", "february", "feb", "march", "mar", "april", "apr", "may"),
        *("june", "jun", "july", "jul", "august", "aug", "september", "sep", "sept"),
        *("october", "oct", "november", "nov", "december", "dec"),
    }
)
_RELATIVE_DAYS = frozenset({"today", "tomorrow"})
_UNITS = {"day": Recurrence.daily, "week": Recurrence.weekly}
_UNITS |= {"month": Recurrence.monthly, "year": Recurrence.yearly}
_COUNT_WORDS = frozenset(
    {"a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
)
_AM_PM = frozenset({"am", "pm", "a.m.", "p.m."})

# [0-9], not \d: \d also matches other scripts' digits, which the library does not read.
_DAY = re.compile(r"(0?[1-9]|[12][0-9]|3[01])(st|nd|rd|th)?")
_DAY_COMMA = re.compile(r"(0?[1-9]|[12][0-9]|3[01])(st|nd|rd|th)?,")
_YEAR = re.compile(r"[12][0-9]{3}")
_COUNT = re.compile(r"[0-9]{1,3}")
_UNIT = re.compile(r"(day|week|month|year)s?")
_ISO_DATE = re.compile(r"[12][0-9]{3}-[01][0-9]-[0-3][0-9]")
# A bare "3:16" may be a verse or a score; a bare time needs two hour digits or am/pm.
_CLOCK_24 = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
_CLOCK_24_AFTER_AT = re.compile(r"([01]?[0-9]|2[0-3]):[0-5][0-9]")
_CLOCK_12 = re.compile(r"(0?[1-9]|1[0-2])(:[0-5][0-9])?(am|pm|a\.m\.|p\.m\.)")
_HOUR_12 = re.compile(r"(0?[1-9]|1[0-2])(:[0-5][0-9])?")
# Tags as people type them; "#123" is an issue number, not a tag.
_TAG = re.compile(r"#(?![0-9]+$)[\w-]*\w[\w-]*")
_PRIORITIES = {
    "!high": Priority.high,
    "!medium": Priority.medium,
    "!low": Priority.low,
    # Todoist's p1 is its highest, so !1 is high.
    "!1": Priority.high,
    "!2": Priority.medium,
    "!3": Priority.low,
    # Todoist's own words, so its users' habit works; its p4 is its default, our none.
    "p1": Priority.high,
    "p2": Priority.medium,
    "p3": Priority.low,
    "p4": Priority.none,
}
# After "every": repeats the model cannot store, said so rather than stored wrong.
_UNSUPPORTED_AFTER_EVERY = frozenset(
    {
        *("weekday", "weekdays", "workday", "workdays", "weekend", "weekends"),
        *("hour", "hours", "minute", "minutes", "morning", "afternoon", "evening"),
        *("night", "fortnight", "quarter"),
    }
)
_QUOTES = {'"': '"', "\u201c": "\u201d"}  # "..." and the typographic pair


# --- tokens ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    word: str  # lower case, for matching
    title_text: str  # what the title keeps: the token without its paired quote marks
    literal: bool  # inside quotes or kept literal: never recognised


def _quote_marks(text: str) -> set[int]:
    """Positions of paired quote marks; an unpaired mark is an ordinary character."""
    marks: set[int] = set()
    position = 0
    while position < len(text):
        closing = _QUOTES.get(text[position])
        end = text.find(closing, position + 1) if closing else -1
        if end == -1:
            position += 1
            continue
        marks.update((position, end))
        position = end + 1
    return marks


def _tokens(text: str, keep_literal: Collection[tuple[int, int]]) -> list[_Token]:
    marks = _quote_marks(text)
    quoted: list[tuple[int, int]] = []
    ordered = sorted(marks)
    for opening, closing in zip(ordered[::2], ordered[1::2], strict=True):
        quoted.append((opening, closing + 1))
    literal_spans = [*quoted, *keep_literal]
    tokens: list[_Token] = []
    for match in re.finditer(r"\S+", text):
        start, end = match.span()
        tokens.append(
            _Token(
                start=start,
                end=end,
                word=match.group().lower(),
                title_text="".join(
                    char
                    for position, char in enumerate(match.group(), start)
                    if position not in marks
                ),
                literal=any(
                    start < span_end and span_start < end
                    for span_start, span_end in literal_spans
                ),
            )
        )
    return tokens


# --- the library -------------------------------------------------------------------------------


def _library(relative_base: datetime, parser: str) -> DateDataParser:
    # Naive wall-clock times in the user's zone throughout: "UTC" here only stops the library
    # from converting anything, and so from ever using the server's own zone. One parser, the
    # one the phrase's shape needs, halves the library's time.
    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": relative_base,
            "PREFER_DATES_FROM": "future",
            "TIMEZONE": "UTC",
            "RETURN_AS_TIMEZONE_AWARE": False,
            "PARSERS": [parser],
        },
    )


# Cached: the UI parses the line again at every keystroke, mostly with the same phrases. The
# answer depends only on the phrase and the day (date phrases have no unit finer than a day).
@functools.lru_cache(maxsize=4096)
def _library_date(phrase: str, today: date) -> date | None:
    relative = phrase in _RELATIVE_DAYS or phrase.startswith("in ")
    parser = "relative-time" if relative else "absolute-time"
    found = _library(datetime.combine(today, time(12)), parser).get_date_data(phrase)
    return found.date_obj.date() if found.date_obj else None


@functools.lru_cache(maxsize=1024)
def _library_time(phrase: str) -> str | None:
    found = _library(datetime(2000, 1, 1, 12), "absolute-time").get_date_data(phrase)
    return found.date_obj.strftime("%H:%M") if found.date_obj else None


def warm_up() -> None:
    """Load the library's English data (~0.25 s, once per process) before a user waits for it."""
    _library_date("tomorrow", date(2000, 1, 1))
    _library_time("6pm")


# --- reading the line --------------------------------------------------------------------------


@dataclass
class _Reading:
    """What the line has set so far: the first phrase that sets a field wins."""

    today: date
    projects: Mapping[str, int]
    due_date: date | None = None
    due_time: str | None = None
    priority: Priority | None = None
    tags: list[str] = field(default_factory=list)
    recurrence: Recurrence | None = None
    project_id: int | None = None
    library_calls: int = 0

    @property
    def project_words_max(self) -> int:
        """The most words in one of the owner's project names: how far `/Name` may reach."""
        return max((key.count(" ") + 1 for key in self.projects), default=1)

    def library_date(self, phrase: str) -> date | None:
        if self.library_calls >= LIBRARY_CALLS_MAX:
            return None
        self.library_calls += 1
        return _library_date(phrase, self.today)

    def library_time(self, phrase: str) -> str | None:
        if self.library_calls >= LIBRARY_CALLS_MAX:
            return None
        self.library_calls += 1
        return _library_time(phrase)


@dataclass(frozen=True)
class _Found:
    length: int  # tokens
    kind: PartKind
    value: PartValue


def _word(tokens: list[_Token], index: int) -> str | None:
    """The token's word, or None past the end or for a literal token (never matched)."""
    if index >= len(tokens) or tokens[index].literal:
        return None
    return tokens[index].word


def _is(pattern: re.Pattern[str], word: str | None) -> bool:
    return word is not None and pattern.fullmatch(word) is not None


def _first_after(today: date, weekday: int) -> date:
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _first_on_or_after(today: date, month: int, day: int) -> date | None:
    """The first `day` of `month` on or after today (Feb 29: up to eight years on)."""
    for year in range(today.year, today.year + 9):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    return None


def _first_day_of_month(today: date, day: int) -> date | None:
    """The first date on or after today that is the `day`th of its month (31: a long month)."""
    month_start = today.replace(day=1)
    for months_on in range(13):
        year, month = divmod(month_start.month - 1 + months_on, 12)
        try:
            candidate = date(month_start.year + year, month + 1, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    return None


def _date_phrase(
    tokens: list[_Token], at: int, after_on: bool
) -> tuple[int, str, bool]:
    """The longest date phrase the token rules see at `at`: (tokens, phrase, has no year).

    (0, "", False) when there is none. Only that phrase is tried: when the library refuses
    "feb 30 2031", a shorter "feb 30" is not tried in its place.
    """
    a, b, c, d = (_word(tokens, at + offset) for offset in range(4))
    if a in _RELATIVE_DAYS:
        return 1, a, False
    # The library misreads some abbreviations after "next" ("next wed"): it gets the full name.
    # With or without "next", a weekday is its first occurrence after today.
    if a == "next" and b in _WEEKDAYS:
        return 2, _WEEKDAYS[b], False
    if a in _WEEKDAYS and (a not in _WORDLIKE_WEEKDAYS or after_on):
        return 1, _WEEKDAYS[a], False
    if a in _MONTHS and (_is(_DAY, b) or _is(_DAY_COMMA, b)):
        if _is(_YEAR, c):
            return 3, f"{a} {b} {c}", False
        if _is(_DAY, b):  # "dec 3," needs its year
            return 2, f"{a} {b}", True
    if _is(_DAY, a):
        if b == "of" and c in _MONTHS:
            if _is(_YEAR, d):
                return 4, f"{a} of {c} {d}", False
            return 3, f"{a} of {c}", True
        if b in _MONTHS:
            if _is(_YEAR, c):
                return 3, f"{a} {b} {c}", False
            return 2, f"{a} {b}", True
    if a == "in" and (_is(_COUNT, b) or b in _COUNT_WORDS) and _is(_UNIT, c):
        return 3, f"in {b} {c}", False
    if _is(_ISO_DATE, a):
        return 1, a, False
    return 0, "", False


def _date_at(tokens: list[_Token], at: int, reading: _Reading) -> _Found | None:
    if reading.due_date is not None:
        return None
    prefix = 1 if _word(tokens, at) == "on" else 0
    length, phrase, yearless = _date_phrase(tokens, at + prefix, after_on=prefix == 1)
    if not length:
        return None
    resolved = reading.library_date(phrase)
    if resolved is None:
        return None
    if yearless:
        # The library prefers the future strictly (today's "jun 3" is next year's); a day and
        # month without a year mean the first one on or after today.
        resolved = _first_on_or_after(reading.today, resolved.month, resolved.day)
        if resolved is None:
            return None
    reading.due_date = resolved
    return _Found(prefix + length, PartKind.date, resolved)


def _time_phrase(tokens: list[_Token], at: int, after_at: bool) -> tuple[int, str]:
    a, b = _word(tokens, at), _word(tokens, at + 1)
    if _is(_HOUR_12, a) and b in _AM_PM:  # the longest first: "6:30 pm", not "6:30"
        return 2, f"{a} {b}"
    if _is(_CLOCK_24, a) or _is(_CLOCK_12, a):
        return 1, a or ""
    if after_at and (_is(_CLOCK_24_AFTER_AT, a) or a == "noon"):
        return 1, a or ""
    return 0, ""


def _time_at(tokens: list[_Token], at: int, reading: _Reading) -> _Found | None:
    if reading.due_time is not None:
        return None
    prefix = 1 if _word(tokens, at) == "at" else 0
    length, phrase = _time_phrase(tokens, at + prefix, after_at=prefix == 1)
    if not length:
        return None
    resolved = reading.library_time(phrase)
    if resolved is None:
        return None
    reading.due_time = resolved
    return _Found(prefix + length, PartKind.time, resolved)


def _unsupported(length: int) -> _Found:
    return _Found(length, PartKind.unsupported, None)


def _weekday_list_length(tokens: list[_Token], at: int) -> int:
    """How many tokens from `at` list two or more weekdays ("mon, wed and fri"); else 0."""
    index, weekdays, end = at, 0, at
    while (word := _word(tokens, index)) is not None:
        if word.rstrip(",") in _WEEKDAYS:
            weekdays += 1
            index += 1
            end = index
        elif word in ("and", "&") and weekdays:
            index += 1
        else:
            break
    return end - at if weekdays >= 2 else 0


def _recurrence_at(tokens: list[_Token], at: int, reading: _Reading) -> _Found | None:
    if _word(tokens, at) != "every":
        return None
    following = [_word(tokens, at + offset) for offset in (1, 2, 3, 4)]
    if listed := _weekday_list_length(tokens, at + 1):
        return _unsupported(1 + listed)
    first, second = following[0], following[1]
    counted = _is(_COUNT, first) or first in _COUNT_WORDS or first in ("other", "few")
    if counted or first in _UNSUPPORTED_AFTER_EVERY:
        # "every other week", "every 2 days": the unit belongs to the phrase too.
        with_unit = counted and (_is(_UNIT, second) or second in _WEEKDAYS)
        return _unsupported(3 if with_unit else 2)
    if reading.recurrence is not None:
        return None
    if first in _WEEKDAYS:
        return _repeat_on_weekday(reading, 2, first)
    if first not in _UNITS:
        return None
    recurrence = _UNITS[first]
    if recurrence == Recurrence.weekly and following[1] == "on":
        weekday = following[2]
        if weekday in _WEEKDAYS and reading.due_date is None:
            return _repeat_on_weekday(reading, 4, weekday)
    if recurrence == Recurrence.monthly and following[1] == "on":
        found = _monthly_on_day(reading, following[2:])
        if found is not None:
            return found
    reading.recurrence = recurrence
    return _Found(2, PartKind.recurrence, recurrence)


def _repeat_on_weekday(reading: _Reading, length: int, weekday: str) -> _Found | None:
    """Weekly from the weekday's first occurrence after today, unless a date is set already."""
    if reading.due_date is not None:
        return None
    due = reading.library_date(_WEEKDAYS[weekday])
    if due is None:
        return None
    reading.due_date = due
    reading.recurrence = Recurrence.weekly
    return _Found(length, PartKind.recurrence, Recurrence.weekly)


def _monthly_on_day(reading: _Reading, words: list[str | None]) -> _Found | None:
    """ "every month on [the] 1st": monthly from the first such day on or after today."""
    with_the = words[0] == "the"
    day_word = words[1] if with_the else words[0]
    if reading.due_date is not None or not _is(_DAY, day_word):
        return None
    match = _DAY.fullmatch(day_word or "")
    due = _first_day_of_month(reading.today, int(match.group(1))) if match else None
    if due is None:
        return None
    reading.due_date = due
    reading.recurrence = Recurrence.monthly
    return _Found(4 + with_the, PartKind.recurrence, Recurrence.monthly)


def _project_key(name: str) -> str:
    """A project name as `/Name` is matched: casefolded, words joined by one space."""
    return " ".join(name.casefold().split())


def _tag_at(tokens: list[_Token], at: int, reading: _Reading) -> _Found | None:
    word = _word(tokens, at)
    if not _is(_TAG, word):
        return None
    tag = normalise_tag(word or "")
    if len(tag) > TAG_MAX:
        return None
    if tag not in reading.tags:
        if len(reading.tags) >= TAGS_PER_TASK_MAX:
            return None
        reading.tags.append(tag)
    return _Found(1, PartKind.tag, tag)


def _priority_at(tokens: list[_Token], at: int, reading: _Reading) -> _Found | None:
    priority = _PRIORITIES.get(_word(tokens, at) or "")
    if priority is None or reading.priority is not None:
        return None
    reading.priority = priority
    return _Found(1, PartKind.priority, priority)


def _project_at(tokens: list[_Token], at: int, reading: _Reading) -> _Found | None:
    first = _word(tokens, at)
    if not first or not first.startswith("/") or reading.project_id is not None:
        return None
    # The longest run of words naming one of the owner's projects wins ("/Home Repairs" over
    # "/Home"); an unknown name stays in the title ("/Family" before projects exist).
    words = [first[1:]]
    longest: tuple[int, int] | None = None  # (words, project id)
    reach = reading.project_words_max
    while True:
        project_id = reading.projects.get(" ".join(words))
        if project_id is not None:
            longest = (len(words), project_id)
        next_word = _word(tokens, at + len(words))
        if next_word is None or len(words) >= reach:
            break
        words.append(next_word)
    if longest is None:
        return None
    length, reading.project_id = longest
    return _Found(length, PartKind.project, reading.project_id)


_RECOGNISERS = (
    _tag_at,
    _priority_at,
    _project_at,
    _recurrence_at,
    _date_at,
    _time_at,
)


def _parts(tokens: list[_Token], text: str, reading: _Reading) -> Iterator[Part]:
    index = 0
    while index < len(tokens):
        found = next(
            (
                found
                for recognise in _RECOGNISERS
                if (found := recognise(tokens, index, reading)) is not None
            ),
            None,
        )
        if found is None:
            index += 1
            continue
        start, end = tokens[index].start, tokens[index + found.length - 1].end
        words = text[start:end]
        note = ""
        if found.kind == PartKind.unsupported:
            note = (
                f'Repeating "{words}" is not supported yet: the words stay in the title'
            )
        yield Part(found.kind, words, start, end, found.value, note)
        index += found.length


def parse(
    text: str,
    *,
    now_local: datetime,
    keep_literal: Collection[tuple[int, int]] = (),
    projects: Mapping[str, int] | None = None,
) -> QuickAdd:
    """Read one line as a task's fields; never raises, and every word it does not use stays.

    `now_local` is the wall-clock time in the user's zone (see `local_now`): it decides
    "today". `keep_literal` holds spans of parts the user removed: words overlapping them are
    never recognised. `projects` maps a project's name to its id (case and runs of spaces do
    not matter); a `/Name` not in it stays in the title.
    """
    reading = _Reading(
        today=now_local.date(),
        projects={_project_key(name): id_ for name, id_ in (projects or {}).items()},
    )
    tokens = _tokens(text, keep_literal)
    parts = tuple(_parts(tokens, text, reading))
    used = [
        (part.start, part.end) for part in parts if part.kind != PartKind.unsupported
    ]
    title = " ".join(
        token.title_text
        for token in tokens
        if token.title_text
        and not any(start <= token.start < end for start, end in used)
    )
    due_date, due_time = reading.due_date, reading.due_time
    if due_date is None and due_time is not None:
        passed = due_time < now_local.strftime("%H:%M")
        due_date = reading.today + timedelta(days=1) if passed else reading.today
    if due_date is None and reading.recurrence is not None:
        due_date = reading.today  # as the task service would set it
    return QuickAdd(
        title=title,
        parts=parts,
        due_date=due_date,
        due_time=due_time,
        priority=reading.priority or Priority.none,
        tags=tuple(sorted(reading.tags)),
        recurrence=reading.recurrence or Recurrence.none,
        project_id=reading.project_id,
    )


def local_now(timezone: str, now: datetime) -> datetime:
    """The wall-clock time in the IANA zone `timezone` at the instant `now` (aware)."""
    return now.astimezone(ZoneInfo(timezone))


# --- the API's shapes --------------------------------------------------------------------------

Line = Annotated[
    str,
    PydanticField(
        min_length=1,
        max_length=TEXT_MAX,
        description="One line as typed in the new-task input",
        examples=["Pay rent every month on the 1st #home !high"],
    ),
]


class QuickAddText(InputSchema):
    """One line to read as a task, without creating it."""

    text: Line


class TaskFromText(QuickAddText):
    """A new task from one line, instead of `title` and the other fields."""

    description: Description = ""

    @model_validator(mode="before")
    @classmethod
    def _not_with_title(cls, data: Any) -> Any:
        if isinstance(data, dict) and "title" in data:
            raise ValueError("send either `text` or `title`, not both")
        return data


class RecognisedPart(BaseModel):
    """Words of the line that set a field, at `text[start:end]` (Unicode code points)."""

    kind: PartKind = PydanticField(examples=["tag"])
    text: str = PydanticField(examples=["#home"])
    start: int = PydanticField(examples=[34])
    end: int = PydanticField(examples=[39])


class QuickAddPreview(BaseModel):
    """The fields a line would create, as a task shows them, and the words that set them."""

    title: str = PydanticField(examples=["Pay rent"])
    due_date: date | None = PydanticField(examples=["2030-07-01"])
    due_time: str | None = PydanticField(examples=[None])
    tags: list[str] = PydanticField(examples=[["home"]])
    priority: Priority = PydanticField(examples=["high"])
    recurrence: Recurrence = PydanticField(examples=["monthly"])
    project_id: int | None = PydanticField(
        description="The project a `/Name` of yours names", examples=[None]
    )
    recognised: list[RecognisedPart] = PydanticField(
        description="Recognised parts in the order of the line; an `unsupported` part's "
        "words stay in the title"
    )


# --- the service -------------------------------------------------------------------------------


def _owner_now(session: Session, owner_id: int, now: datetime) -> datetime:
    # The API and the UI load the owner with the token check: usually no query at all.
    owner = session.get(User, owner_id)
    if owner is None:
        raise NotFound("User not found")
    return local_now(owner.timezone, now)


def parse_for_owner(
    session: Session,
    *,
    owner_id: int,
    text: str,
    keep_literal: Collection[tuple[int, int]] = (),
    now: datetime | None = None,
) -> QuickAdd:
    """`parse` with the owner's time zone deciding "today" and their projects' names."""
    now_local = _owner_now(session, owner_id, now or utcnow())
    project_ids = dict(
        session.exec(
            select(Project.name, Project.id).where(Project.owner_id == owner_id)
        ).all()
    )
    return parse(
        text, now_local=now_local, keep_literal=keep_literal, projects=project_ids
    )


def task_create(quick: QuickAdd, *, description: str = "") -> TaskCreate:
    """The new task a parsed line stands for, checked by a task's rules (else InvalidInput)."""
    if not quick.title:
        raise InvalidInput(
            "Nothing is left for the title once the date, repeat, tags and priority are "
            'taken out: add a title, or put words in "double quotes" to keep them as typed',
            field="text",
        )
    try:
        return TaskCreate(**quick.task_fields(), description=description)
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "text"
        raise InvalidInput(f"{name}: {first['msg']}", field="text") from error


def preview_task(
    session: Session, *, owner_id: int, text: str, now: datetime | None = None
) -> QuickAddPreview:
    """What `create_from_text` would create from this line, without creating anything;
    InvalidInput where it would refuse the line (no title left, an archived project)."""
    quick = parse_for_owner(session, owner_id=owner_id, text=text, now=now)
    fields = task_create(quick)
    if quick.project_id is not None:
        # `/Name` matches archived projects too: the words say where the task should go,
        # and the owner learns the project is archived rather than finding "/Old" in a
        # title in the Inbox.
        tasks.check_project(session, owner_id=owner_id, project_id=quick.project_id)
    return QuickAddPreview(
        **fields.model_dump(exclude={"description"}),
        recognised=[
            RecognisedPart(
                kind=part.kind, text=part.words, start=part.start, end=part.end
            )
            for part in quick.parts
        ],
    )


def create_from_text(
    session: Session,
    *,
    owner_id: int,
    data: TaskFromText,
    keep_literal: Collection[tuple[int, int]] = (),
    now: datetime | None = None,
) -> Task:
    """Add the task one line describes for the owner (without the parts in `keep_literal`)."""
    now = now or utcnow()
    quick = parse_for_owner(
        session, owner_id=owner_id, text=data.text, keep_literal=keep_literal, now=now
    )
    return tasks.create_task(
        session,
        owner_id=owner_id,
        data=task_create(quick, description=data.description),
        now=now,
    )


def apply_line(
    session: Session,
    *,
    owner_id: int,
    data: TaskCreate,
    keep_literal: Collection[tuple[int, int]] = (),
    now: datetime | None = None,
) -> TaskCreate:
    """A task from the UI's new-task form: its title read as one line, as the chips showed it.

    What the line sets wins over the form's other inputs for those fields (tags add up);
    the rest of the form stays. Without a recognised part the task is the form as sent.
    """
    quick = parse_for_owner(
        session, owner_id=owner_id, text=data.title, keep_literal=keep_literal, now=now
    )
    kinds = {part.kind for part in quick.parts} - {PartKind.unsupported}
    if not kinds:
        return data
    line = task_create(quick, description=data.description)
    fields = data.model_dump()
    fields["title"] = line.title
    if PartKind.date in kinds or (PartKind.time in kinds and data.due_date is None):
        fields["due_date"] = line.due_date
    if PartKind.time in kinds:
        fields["due_time"] = line.due_time
    if PartKind.recurrence in kinds:
        fields["recurrence"] = line.recurrence
        fields["due_date"] = fields["due_date"] or line.due_date
    if PartKind.priority in kinds:
        fields["priority"] = line.priority
    if PartKind.project in kinds:
        fields["project_id"] = line.project_id
    fields["tags"] = [*data.tags, *(tag for tag in line.tags if tag not in data.tags)]
    try:
        return TaskCreate(**fields)
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "title"
        raise InvalidInput(f"{name}: {first['msg']}", field=name) from error
