"""Tables and the schemas that go in and out of the service layer, side by side.

The input schemas hold every field rule, so the REST API and the Reflex UI validate the same way.
No `from __future__ import annotations` here: SQLModel resolves relationship annotations at class
creation and cannot see postponed ones.
"""

import enum
import functools
import zoneinfo
from datetime import UTC, date, datetime
from typing import Annotated, Any, get_type_hints

import sqlalchemy as sa
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    create_model,
    model_validator,
)
from pydantic import (
    Field as PydanticField,
)
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, Relationship, SQLModel

TITLE_MAX = 200
DESCRIPTION_MAX = 5000
TAG_MAX = 30
TAGS_PER_TASK_MAX = 20
EMAIL_MAX = 254
NAME_MAX = 100
PASSWORD_MIN = 8
PASSWORD_MAX = 128
PAGE_LIMIT_MAX = 500
DUE_TIME_MAX = 5
OPEN_TASKS_MAX = 10_000
TAGS_PER_USER_MAX = 500
SESSION_ID_MAX = 64
USER_AGENT_MAX = 200
CLIENT_MAX = 64
TIMEZONE_MAX = 64
ACCESS_TOKEN_NAME_MAX = 100
ACCESS_TOKENS_PER_USER_MAX = 20
# Ten years: a longer lifetime is "never" in practice, and far dates overflow on some clients.
ACCESS_TOKEN_DAYS_MAX = 3650
DEFAULT_TIMEZONE = "UTC"
REMINDERS_PER_TASK_MAX = 5
PROJECT_NAME_MAX = 60
PROJECTS_PER_USER_MAX = 300
# Manual order: a task's position leaves this gap to its neighbours, so a move writes one row.
POSITION_STEP = 1024
UPCOMING_DAYS_DEFAULT = 14
UPCOMING_DAYS_MAX = 60
STATS_DAYS_DEFAULT = 30
STATS_DAYS_MAX = 365
MAX_ID = 2**31 - 1  # the id columns are 32-bit integers on PostgreSQL
REMINDER_MINUTES_MAX = (
    60 * 24 * 28
)  # "4 weeks before" is the furthest a reminder reaches


def utcnow() -> datetime:
    """The one clock of the app; services take `now` so tests can pass their own."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite forgets the zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: datetime | None, dialect: sa.Dialect
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(
                "naive datetimes are not stored; pass an aware UTC datetime"
            )
        return value.astimezone(UTC)

    def process_result_value(
        self, value: datetime | None, dialect: sa.Dialect
    ) -> datetime | None:
        if value is None:
            return None
        return (
            value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        )


class EnumString(TypeDecorator[enum.Enum]):
    """An enum stored as its string value and read back as the enum member."""

    impl = sa.String
    cache_ok = True

    def __init__(self, enum_class: type[enum.Enum], length: int = 10) -> None:
        super().__init__(length=length)
        self.enum_class = enum_class
        # A dict lookup per value read: calling the enum class costs several times more, on
        # every row of a list (two enums per task).
        self._members: dict[Any, enum.Enum] = {
            member.value: member for member in enum_class
        }

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> str | None:
        if value is None:
            return None
        return self.enum_class(value).value

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> Any:
        if value is None:
            return None
        member = self._members.get(value)
        # An unknown value still fails as the enum class would fail on it.
        return member if member is not None else self.enum_class(value)


class Priority(str, enum.Enum):
    none = "none"
    low = "low"
    medium = "medium"
    high = "high"


PRIORITY_RANK = {
    Priority.none: 0,
    Priority.low: 1,
    Priority.medium: 2,
    Priority.high: 3,
}


class Recurrence(str, enum.Enum):
    none = "none"
    daily = "daily"
    weekly = "weekly"
    monthly = "monthly"
    yearly = "yearly"


class TaskStatus(str, enum.Enum):
    all = "all"
    pending = "pending"
    completed = "completed"


class SortField(str, enum.Enum):
    created = "created"
    title = "title"
    due_date = "due_date"
    priority = "priority"
    manual = "manual"  # the owner's own order (`position`), first to last by default


class DueFilter(str, enum.Enum):
    """Which open tasks a date view shows, by the owner's today (see `TaskFilter.due`)."""

    today = "today"  # due today or earlier
    overdue = "overdue"  # due before today
    upcoming = "upcoming"  # due today to today + days - 1
    none = "none"  # no due date (open or not: `status` decides)


class ProjectColor(str, enum.Enum):
    """The colours a project may have; the UI maps each to a tone readable in both themes."""

    berry = "berry"
    red = "red"
    orange = "orange"
    yellow = "yellow"
    olive = "olive"
    green = "green"
    teal = "teal"
    sky = "sky"
    blue = "blue"
    grape = "grape"
    violet = "violet"
    charcoal = "charcoal"


class SortOrder(str, enum.Enum):
    asc = "asc"
    desc = "desc"


# --- tables -----------------------------------------------------------------------------------


class User(SQLModel, table=True):
    # AUTOINCREMENT: SQLite would otherwise give a deleted account's id to the next one.
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=EMAIL_MAX, unique=True)
    name: str | None = Field(default=None, max_length=NAME_MAX)
    password_hash: str = Field(max_length=100)
    # IANA name; every date-relative rule ("today", the next occurrence) uses this zone.
    timezone: str = Field(
        default=DEFAULT_TIMEZONE,
        max_length=TIMEZONE_MAX,
        sa_column_kwargs={"server_default": DEFAULT_TIMEZONE},
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class UserSession(SQLModel, table=True):
    """One signed-in browser or API client; logging out deletes the row.

    An API client holds a bearer token (a JWT naming the row). A browser holds a random key in
    its localStorage instead, stored here only as its SHA-256: the server's UI state never
    keeps a credential, and the key opens nothing but this session.
    """

    __tablename__ = "user_session"

    id: str = Field(primary_key=True, max_length=SESSION_ID_MAX)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE", index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_seen_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    user_agent: str = Field(default="", max_length=USER_AGENT_MAX)
    client: str = Field(default="", max_length=CLIENT_MAX)
    browser_key_hash: str | None = Field(
        default=None, max_length=64, unique=True, index=False
    )


class TokenScope(str, enum.Enum):
    """What a personal access token may do with the owner's tasks."""

    read = "read"
    write = "write"


class AccessToken(SQLModel, table=True):
    """A personal access token for scripts and agents; the secret is stored as its SHA-256.

    It acts for its owner on the task routes only, within its scope; never on tokens,
    sessions, the password or the account.
    """

    __tablename__ = "access_token"
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=ACCESS_TOKEN_NAME_MAX)
    scope: TokenScope = Field(sa_type=EnumString(TokenScope))
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class TaskTag(SQLModel, table=True):
    """One tag of one task: a row per tag so "tasks with tag X" is an index lookup."""

    __tablename__ = "task_tag"
    __table_args__ = (sa.Index("ix_task_tag_user_tag", "user_id", "tag"),)

    task_id: int = Field(foreign_key="task.id", ondelete="CASCADE", primary_key=True)
    tag: str = Field(max_length=TAG_MAX, primary_key=True)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE")

    task: "Task" = Relationship(back_populates="tag_rows")


class Project(SQLModel, table=True):
    """A list of tasks of one user, shown in the sidebar at `position` (0-based)."""

    __table_args__ = (
        # One name per user, whatever its case: `name_key` is the name casefolded.
        sa.UniqueConstraint("owner_id", "name_key", name="uq_project_owner_name_key"),
        sa.Index("ix_project_owner_position", "owner_id", "position"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="user.id", ondelete="CASCADE")
    name: str = Field(max_length=PROJECT_NAME_MAX)
    # Casefolding may lengthen a name ("ß" -> "ss"): room for that.
    name_key: str = Field(max_length=PROJECT_NAME_MAX * 3)
    color: ProjectColor = Field(
        default=ProjectColor.charcoal, sa_type=EnumString(ProjectColor)
    )
    position: int = Field(default=0)
    archived: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Bumped by every change of this project (rename, colour, archive, its own move), not
    # when another project's move or deletion shifts its position: the ETag If-Match compares.
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})


class Task(SQLModel, table=True):
    __table_args__ = (
        sa.Index("ix_task_user_completed", "user_id", "completed"),
        # Manual order ("sort=manual", moves, the end of the list for a new task).
        sa.Index("ix_task_user_position", "user_id", "position"),
        # A project's tasks and its open count; also what deleting a project looks up.
        sa.Index("ix_task_project_completed", "project_id", "completed"),
        sa.Index("ix_task_user_due_date", "user_id", "due_date"),
        sa.Index("ix_task_user_created_at", "user_id", "created_at"),
        # Only trashed rows: one user's trash by date, and the purge of old trash across users.
        # Live rows (deleted_at NULL, nearly all of them) are left out, so both stay small.
        sa.Index(
            "ix_task_user_deleted_at",
            "user_id",
            "deleted_at",
            sqlite_where=sa.text("deleted_at IS NOT NULL"),
            postgresql_where=sa.text("deleted_at IS NOT NULL"),
        ),
        sa.Index(
            "ix_task_deleted_at",
            "deleted_at",
            sqlite_where=sa.text("deleted_at IS NOT NULL"),
            postgresql_where=sa.text("deleted_at IS NOT NULL"),
        ),
        # Open, live tasks only: the open-task quota counts them from the index alone.
        # (Each dialect's spelling of the quota query's own condition, so it is matched.)
        sa.Index(
            "ix_task_user_open",
            "user_id",
            sqlite_where=sa.text("completed IS 0 AND deleted_at IS NULL"),
            postgresql_where=sa.text("completed IS false AND deleted_at IS NULL"),
        ),
        # A deleted task's id never comes back: ETags, undo and live sync rely on it.
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE", index=True)
    title: str = Field(max_length=TITLE_MAX)
    description: str = Field(default="", sa_type=sa.Text)
    completed: bool = Field(default=False)
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    priority: Priority = Field(default=Priority.none, sa_type=EnumString(Priority))
    due_date: date | None = Field(default=None)
    # "HH:MM" in the owner's zone; sorts as text.
    due_time: str | None = Field(default=None, max_length=DUE_TIME_MAX)
    recurrence: Recurrence = Field(
        default=Recurrence.none, sa_type=EnumString(Recurrence)
    )
    # The day of the month a monthly or yearly repeat keeps (Jan 31 -> Feb 28 -> Mar 31): the
    # day of the due date the owner last chose, which the clamped dates in between forget.
    anchor_day: int | None = Field(default=None)
    # Set once the next occurrence exists, so completing again after un-completing adds no copy.
    next_occurrence_created: bool = Field(default=False)
    # The task whose completion created this one, while this one is untouched: reopening that
    # task removes this one. Any change to this task clears it. No foreign key: ids are never
    # reused while this task exists (they only grow), and SQLite could not drop the column again.
    previous_occurrence_id: int | None = Field(default=None, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Bumped by every change (the owner's, completion, bulk actions): the task's ETag, which
    # If-Match compares so that an edit made from a stale copy is refused, not applied.
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    # Set while the task is in the trash: hidden everywhere but the trash, purged after
    # TODO_TRASH_DAYS.
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # None: the task is in the Inbox.
    project_id: int | None = Field(
        default=None, foreign_key="project.id", ondelete="SET NULL"
    )
    # The owner's manual order, ascending, with gaps of POSITION_STEP (services/tasks.py).
    position: int = Field(default=0, sa_column_kwargs={"server_default": "0"})

    tag_rows: list[TaskTag] = Relationship(
        back_populates="task",
        sa_relationship_kwargs={
            "lazy": "selectin",
            "cascade": "all, delete-orphan",
            "order_by": "TaskTag.tag",
        },
    )

    @property
    def tags(self) -> list[str]:
        return [row.tag for row in self.tag_rows]


class JobRun(SQLModel, table=True):
    """When a periodic job last ran, on any worker: the lease that lets one worker run it."""

    __tablename__ = "job_run"

    name: str = Field(primary_key=True, max_length=50)
    last_run: datetime = Field(sa_type=UTCDateTime)


class CalendarFeed(SQLModel, table=True):
    """The user's private calendar feed link, one per user.

    The link's secret is derived (HMAC of the server's secret key, the user id and `nonce`),
    so nothing that opens the feed is stored: `secret_hash` (its SHA-256) finds the owner of
    a presented secret, and rotating the link draws a new `nonce`.
    """

    __tablename__ = "calendar_feed"

    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE", primary_key=True)
    nonce: str = Field(max_length=32)
    secret_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime)


class ReminderType(str, enum.Enum):
    """When a reminder fires: at the task's due time, some minutes before it, or at a moment."""

    due = "due"
    before = "before"
    at = "at"


class ReminderStatus(str, enum.Enum):
    pending = "pending"
    sent = "sent"
    missed = "missed"
    cancelled = "cancelled"


class CancelReason(str, enum.Enum):
    """Why a reminder will not fire."""

    completed = (
        "completed"  # the task was completed; reopening it brings the reminder back
    )
    no_due_date = "no_due_date"  # a relative reminder of a task whose date was removed
    passed = "passed"  # the task's new date put a relative reminder in the past
    trashed = "trashed"  # it fell due while its task was in the trash


class Reminder(SQLModel, table=True):
    """A reminder of a task, fired once at `fire_at` (UTC)."""

    __table_args__ = (
        # What the delivery loop asks: the pending reminders that are due.
        sa.Index("ix_reminder_status_fire_at", "status", "fire_at"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", ondelete="CASCADE", index=True)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE", index=True)
    type: ReminderType = Field(sa_type=EnumString(ReminderType))
    minutes: int | None = Field(default=None)
    at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    fire_at: datetime = Field(sa_type=UTCDateTime)
    # The owner's zone when the reminder was set: what its due time meant then.
    timezone: str = Field(max_length=TIMEZONE_MAX)
    status: ReminderStatus = Field(
        default=ReminderStatus.pending, sa_type=EnumString(ReminderStatus)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Why a cancelled reminder was cancelled: what may bring it back (reopening the task,
    # moving its date into the future) depends on it. None unless cancelled.
    cancel_reason: CancelReason | None = Field(
        default=None, sa_type=EnumString(CancelReason, length=20)
    )
    # When the owner opened the bell after it fired: fired reminders not seen are unread.
    seen_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ThrottleKind(str, enum.Enum):
    """What a throttle event counts."""

    failed_password = "failed_password"
    sign_up = "sign_up"


class ThrottleEvent(SQLModel, table=True):
    """A counted attempt (a wrong password, a sign-up) of an account from a client address.

    Kept in the database so the limits hold across worker processes; rows older than the
    longest window are pruned.
    """

    __tablename__ = "throttle_event"
    __table_args__ = (
        sa.Index("ix_throttle_event_kind_account_at", "kind", "account", "at"),
        sa.Index("ix_throttle_event_kind_client_at", "kind", "client", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: ThrottleKind = Field(sa_type=EnumString(ThrottleKind, length=20))
    account: str = Field(default="", max_length=EMAIL_MAX)
    client: str = Field(default="", max_length=CLIENT_MAX)
    at: datetime = Field(sa_type=UTCDateTime)


# --- field rules shared by every input schema -------------------------------------------------


def _require_storable_text(value: str) -> str:
    """Refuse what no database driver stores: NUL characters and lone surrogates."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    if not value.isascii():
        # JSON may carry lone surrogates ("\\ud800"), which no database driver can encode.
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError("must be valid Unicode text") from exc
    return value


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def normalise_tag(raw: str) -> str:
    """A tag as stored: "#Home" and " home " are "home", "To  do" is "to-do" ("" when blank)."""
    # A leading "#" is how people type tags elsewhere; it is not part of the tag's name.
    return "-".join(raw.strip().lstrip("#").lower().split())


def _normalise_tags(value: list[str]) -> list[str]:
    tags: list[str] = []
    for raw in value:
        tag = _require_storable_text(normalise_tag(raw))
        if not tag:
            raise ValueError("tags must not be empty")
        if len(tag) > TAG_MAX:
            raise ValueError(f"each tag must be at most {TAG_MAX} characters")
        if "," in tag:
            raise ValueError("tags must not contain commas")
        if tag not in tags:
            tags.append(tag)
    if len(tags) > TAGS_PER_TASK_MAX:
        raise ValueError(f"a task can have at most {TAGS_PER_TASK_MAX} tags")
    return sorted(tags)


def _empty_to_none(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _lower_email(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


# Length rules sit on an inner `str`, so they are checked as text ("at most 200 characters")
# after the outer BeforeValidator, not as a generic length ("200 items after validation").
Title = Annotated[
    Annotated[str, PydanticField(min_length=1, max_length=TITLE_MAX)],
    BeforeValidator(_strip),
    PydanticField(examples=["Buy milk"]),
    AfterValidator(_require_storable_text),
]
Description = Annotated[
    str,
    PydanticField(max_length=DESCRIPTION_MAX, examples=["Two litres, semi-skimmed"]),
    AfterValidator(_require_storable_text),
]
Tags = Annotated[
    list[Annotated[str, PydanticField(max_length=200)]],
    PydanticField(max_length=200, examples=[["errands", "home"]]),
    AfterValidator(_normalise_tags),
]
Email = Annotated[
    Annotated[EmailStr, PydanticField(max_length=EMAIL_MAX)],
    BeforeValidator(_lower_email),
    PydanticField(examples=["ada@example.com"]),
]
Name = Annotated[
    Annotated[
        str, PydanticField(max_length=NAME_MAX), AfterValidator(_require_storable_text)
    ]
    | None,
    BeforeValidator(_empty_to_none),
    PydanticField(examples=["Ada Lovelace"]),
]
Password = Annotated[
    str,
    PydanticField(
        min_length=PASSWORD_MIN,
        max_length=PASSWORD_MAX,
        examples=["correct horse battery"],
    ),
]


def optional_text(max_length: int) -> Any:
    """Trimmed text of at most `max_length` characters, where empty means "not given"."""
    return Annotated[
        Annotated[
            str,
            PydanticField(max_length=max_length),
            AfterValidator(_require_storable_text),
        ]
        | None,
        BeforeValidator(_empty_to_none),
    ]


def _tag_or_none(value: Any) -> Any:
    if isinstance(value, str):
        return normalise_tag(value) or None
    return value


# A tag to filter by, written as a tag is written ("#Home" finds "home"); blank means no filter.
TagFilter = Annotated[
    Annotated[
        str, PydanticField(max_length=TAG_MAX), AfterValidator(_require_storable_text)
    ]
    | None,
    BeforeValidator(_tag_or_none),
]

DueDate = Annotated[date | None, PydanticField(examples=["2026-12-24"])]
ProjectId = Annotated[
    int | None,
    PydanticField(
        ge=1,
        le=MAX_ID,
        description="The project the task is in (one of yours); null: the Inbox",
        examples=[3],
    ),
]


def _time_of_day(value: str) -> str:
    hours, separator, minutes = value.partition(":")
    if (
        separator
        and hours.isascii()
        and hours.isdigit()
        and minutes.isascii()
        and minutes.isdigit()
        and len(hours) in (1, 2)
        and len(minutes) == 2
        and int(hours) < 24
        and int(minutes) < 60
    ):
        return f"{int(hours):02d}:{minutes}"
    raise ValueError("must be a time of day as HH:MM (24-hour clock), e.g. 18:00")


DueTime = Annotated[
    Annotated[str, PydanticField(max_length=DUE_TIME_MAX), AfterValidator(_time_of_day)]
    | None,
    BeforeValidator(_empty_to_none),
    PydanticField(
        description="Time of day (HH:MM, the user's time zone); needs a due date",
        examples=["18:00"],
    ),
]

# Entries of the zone database that are not places: "localtime" is the server's own zone,
# which no rule may depend on; the other two are placeholders.
_NOT_PLACES = frozenset({"localtime", "Factory", "posixrules"})


@functools.cache
def _timezones_by_folded_name() -> dict[str, str]:
    # Read once: listing the zone database takes ~0.1 s.
    return {
        name.casefold(): name for name in zoneinfo.available_timezones() - _NOT_PLACES
    }


def known_timezones() -> list[str]:
    """Every IANA time zone name a user may choose, sorted."""
    return sorted(_timezones_by_folded_name().values())


def canonical_timezone(name: str) -> str | None:
    """The IANA zone named `name` in any case ("europe/paris" -> "Europe/Paris"), or None."""
    return _timezones_by_folded_name().get(name.strip().casefold())


def _known_timezone(value: str) -> str:
    canonical = canonical_timezone(value)
    if canonical is None:
        raise ValueError("must be an IANA time zone name such as Europe/Paris")
    return canonical


TimeZoneName = Annotated[
    str,
    PydanticField(max_length=TIMEZONE_MAX, examples=["Europe/Paris"]),
    AfterValidator(_known_timezone),
]


class InputSchema(BaseModel):
    """Inputs refuse unknown fields: no mass assignment of id, user_id, timestamps..."""

    model_config = ConfigDict(extra="forbid")


# --- account schemas ---------------------------------------------------------------------------


class UserCreate(InputSchema):
    email: Email
    password: Password
    name: Name = None
    timezone: TimeZoneName = DEFAULT_TIMEZONE


class UserLogin(InputSchema):
    email: Annotated[
        Annotated[str, PydanticField(max_length=EMAIL_MAX)],
        BeforeValidator(_lower_email),
    ]
    password: Annotated[str, PydanticField(max_length=1024)]


class UserUpdate(InputSchema):
    """A partial update: only the fields sent change (`model_fields_set`)."""

    name: Name = None
    timezone: TimeZoneName = DEFAULT_TIMEZONE


class PasswordChange(InputSchema):
    current_password: Annotated[str, PydanticField(max_length=1024)]
    new_password: Password


class AccountDeletion(InputSchema):
    """Deleting the account asks for its password again."""

    password: Annotated[str, PydanticField(max_length=1024)]


class SessionPublic(BaseModel):
    """One signed-in browser or API client of the user."""

    id: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    user_agent: str
    client: str
    current: bool = PydanticField(
        description="Whether this is the session of the token making the request"
    )


TokenName = Annotated[
    Annotated[str, PydanticField(min_length=1, max_length=ACCESS_TOKEN_NAME_MAX)],
    BeforeValidator(_strip),
    PydanticField(examples=["Backup script"]),
    AfterValidator(_require_storable_text),
]


class AccessTokenCreate(InputSchema):
    """A new personal access token: its name, scope and lifetime (null: never expires)."""

    name: TokenName
    scope: TokenScope = PydanticField(examples=[TokenScope.read])
    expires_in_days: Annotated[
        int | None,
        PydanticField(ge=1, le=ACCESS_TOKEN_DAYS_MAX, examples=[90]),
    ] = None


class AccessTokenPublic(BaseModel):
    """A personal access token as listed: never the token itself."""

    id: int
    name: str
    scope: TokenScope
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None


class AccessTokenCreated(BaseModel):
    """A personal access token just made: the only time `token` is shown."""

    id: int
    name: str
    scope: TokenScope
    created_at: datetime
    expires_at: datetime | None
    token: str = PydanticField(
        description="Send as `Authorization: Bearer <token>`; shown only this once",
        examples=["todo_pat_3q2-7wP1UQhKzM2cM3wJ4N0n8b6Vf1xYtZk9aL5sRcE"],
    )


class UserPublic(BaseModel):
    id: int
    email: str
    name: str | None
    timezone: str
    created_at: datetime


# --- task schemas ------------------------------------------------------------------------------
#
# `TaskFields` declares a task's editable fields once, with their rules. Create and replace use
# it as it is, a patch is the same fields made optional, and the public view adds what the
# server keeps. A new editable field is declared here (and as a column of `Task`), nowhere else.


class TaskFields(InputSchema):
    """The fields a task's owner edits, with every rule they follow."""

    title: Title
    description: Description = ""
    due_date: DueDate = None
    due_time: DueTime = None
    priority: Priority = Priority.none
    tags: Tags = PydanticField(default_factory=list)
    recurrence: Recurrence = Recurrence.none
    project_id: ProjectId = None


EDITABLE_FIELDS: tuple[str, ...] = tuple(TaskFields.model_fields)
# Columns of `Task` that never leave the server; every other column is in `TaskPublic`.
# `deleted_at` is shown by the trash only (`TrashedTaskPublic`).
PRIVATE_TASK_COLUMNS = frozenset(
    {
        "user_id",
        "anchor_day",
        "next_occurrence_created",
        "previous_occurrence_id",
        "deleted_at",
    }
)


class TaskCreate(TaskFields):
    """A new task; also the full replacement of a task's editable fields (PUT)."""


TaskReplace = TaskCreate


def _all_optional(fields: type[BaseModel]) -> dict[str, Any]:
    # Each field keeps its type as declared, rules included, and may be left out or be null.
    declared = get_type_hints(fields, include_extras=True)
    return {name: (declared[name] | None, None) for name in fields.model_fields}


class _TaskPatchFields(InputSchema):
    completed: bool | None = None


TaskPatch = create_model(
    "TaskPatch",
    __base__=_TaskPatchFields,
    __doc__="A partial update: only the fields sent change (`model_fields_set`).",
    **_all_optional(TaskFields),
)


class TaskPublic(TaskFields):
    """A task as the API and the UI show it: the editable fields and what the server keeps."""

    id: int
    completed: bool
    completed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int = PydanticField(
        description="Bumped by every change; the ETag, for If-Match", examples=[3]
    )
    position: int = PydanticField(
        description="The task's place in your manual order (sort=manual), ascending; "
        "changed by POST /api/tasks/{id}/move only",
        examples=[4096],
    )

    @classmethod
    def of(cls, task: Task) -> "TaskPublic":
        """The public view of a task row (its values passed the rules when they were written)."""
        return cls.model_construct(
            **{name: getattr(task, name) for name in cls.model_fields}
        )


class TrashedTaskPublic(TaskPublic):
    """A task in the trash: the task as it will come back, and when it was deleted."""

    deleted_at: datetime


PageLimit = Annotated[int, PydanticField(ge=1, le=PAGE_LIMIT_MAX)]
PageOffset = Annotated[int, PydanticField(ge=0, le=2**31 - 1)]


class ReminderCreate(InputSchema):
    """A new reminder: `{"type": "due"}`, `{"type": "before", "minutes": 60}` or
    `{"type": "at", "at": "2026-12-01T09:00:00Z"}`."""

    type: ReminderType
    minutes: Annotated[
        int | None,
        PydanticField(ge=1, le=REMINDER_MINUTES_MAX, examples=[60]),
    ] = None
    at: Annotated[
        AwareDatetime | None, PydanticField(examples=["2026-12-01T09:00:00Z"])
    ] = None

    @model_validator(mode="after")
    def _fields_of_its_type(self) -> "ReminderCreate":
        if self.type == ReminderType.before and self.minutes is None:
            raise ValueError('a "before" reminder needs "minutes"')
        if self.type != ReminderType.before and self.minutes is not None:
            raise ValueError('only a "before" reminder has "minutes"')
        if self.type == ReminderType.at and self.at is None:
            raise ValueError('an "at" reminder needs "at", a date-time with its offset')
        if self.type != ReminderType.at and self.at is not None:
            raise ValueError('only an "at" reminder has "at"')
        return self


class ReminderPublic(BaseModel):
    """A reminder as the API shows it; `fire_at` is when it fires, in UTC."""

    id: int
    type: ReminderType
    minutes: int | None
    at: datetime | None
    fire_at: datetime
    status: ReminderStatus

    @classmethod
    def of(cls, reminder: Reminder) -> "ReminderPublic":
        """The public view of a reminder row."""
        return cls.model_validate(reminder, from_attributes=True)


class TaskFilter(InputSchema):
    """Which tasks a view shows: what bulk actions act on, whatever the page."""

    status: TaskStatus = TaskStatus.all
    priority: Priority | None = None
    tag: TagFilter = None
    q: optional_text(TITLE_MAX) = None
    due_before: date | None = None
    due_after: date | None = None
    project_id: Annotated[
        int | None,
        PydanticField(ge=1, le=MAX_ID, description="Only the tasks of this project"),
    ] = None
    inbox: bool = PydanticField(
        default=False, description="Only the tasks without a project"
    )
    due: DueFilter | None = PydanticField(
        default=None,
        description="today: open tasks due today or earlier; overdue: before today; "
        "upcoming: due today to today + days - 1; none: without a due date. "
        "Dates are in your time zone; archived projects' tasks are left out of the first three",
    )
    days: Annotated[int, PydanticField(ge=1, le=UPCOMING_DAYS_MAX)] = PydanticField(
        default=UPCOMING_DAYS_DEFAULT, description="How many days due=upcoming covers"
    )

    @model_validator(mode="after")
    def _one_place(self) -> "TaskFilter":
        if self.inbox and self.project_id is not None:
            raise ValueError("project_id and inbox=true exclude each other")
        return self


class TaskQuery(TaskFilter):
    """Filter, sort and page of a task list."""

    sort: SortField = SortField.created
    order: SortOrder = SortOrder.desc
    limit: PageLimit = 100
    offset: PageOffset = 0


class TrashQuery(InputSchema):
    """One page of the trash, newest first."""

    limit: PageLimit = 100
    offset: PageOffset = 0


class TaskPage(BaseModel):
    """One page of a filtered list and how many tasks matched before paging."""

    items: list[TaskPublic]
    total: int


class TrashPage(BaseModel):
    """One page of the trash and how many tasks it holds."""

    items: list[TrashedTaskPublic]
    total: int


# --- project schemas ---------------------------------------------------------------------------

ProjectName = Annotated[
    Annotated[str, PydanticField(min_length=1, max_length=PROJECT_NAME_MAX)],
    BeforeValidator(_strip),
    PydanticField(examples=["Groceries"]),
    AfterValidator(_require_storable_text),
]


class ProjectCreate(InputSchema):
    """A new project: its name (unique among yours, ignoring case) and colour."""

    name: ProjectName
    color: ProjectColor = ProjectColor.charcoal


class ProjectUpdate(InputSchema):
    """A partial update: only the fields sent change (`model_fields_set`); null is refused."""

    name: ProjectName | None = None
    color: ProjectColor | None = None
    archived: bool | None = None


class ProjectQuery(InputSchema):
    """Which projects a list shows: archived ones only on request."""

    archived: bool = False


class ProjectMove(InputSchema):
    """Where a project goes in the sidebar (0-based; past the end means last)."""

    position: Annotated[int, PydanticField(ge=0, le=MAX_ID, examples=[0])]


class ProjectPublic(BaseModel):
    """A project as the API and the UI show it, with how many open tasks it holds."""

    id: int
    name: str
    color: ProjectColor
    position: int
    archived: bool
    created_at: datetime
    updated_at: datetime
    version: int = PydanticField(
        description="Bumped by every change of the project (name, colour, archived, its "
        "own move; not a shift caused by another project's move); the ETag, for If-Match",
        examples=[3],
    )
    open_count: int = PydanticField(
        description="Open tasks in the project (not completed, not in the trash)",
        examples=[4],
    )


class TaskMove(InputSchema):
    """Put a task right before another one of your tasks in the manual order."""

    before_id: Annotated[
        int | None,
        PydanticField(
            ge=1,
            le=MAX_ID,
            description="The task it goes before; null: the end of the list",
            examples=[12],
        ),
    ] = None


class StatsQuery(InputSchema):
    """How many days of history the stats cover, ending with your today."""

    days: Annotated[int, PydanticField(ge=1, le=STATS_DAYS_MAX)] = STATS_DAYS_DEFAULT


class DayCompletions(BaseModel):
    """How many tasks were completed on one day of your calendar."""

    date: date
    completed: int


class TaskStats(BaseModel):
    """Completions per day (oldest first, ending today), the streak, and what is open."""

    days: list[DayCompletions]
    streak: int = PydanticField(
        description="Days in a row up to today (or yesterday, if none yet today) with "
        "at least one completion",
        examples=[3],
    )
    overdue: int = PydanticField(
        description="Open tasks due before today", examples=[2]
    )
    open: int = PydanticField(description="Open tasks", examples=[17])
