"""services.transfer: the export document and CSV, our JSON read back, Todoist's CSV read."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from tests.builders import make_task, make_user
from todo_app.errors import InvalidFile, InvalidInput, UnsupportedFormat
from todo_app.models import (
    OPEN_TASKS_MAX,
    TAGS_PER_USER_MAX,
    ReminderCreate,
    Task,
    User,
)
from todo_app.services import changes, reminders, tasks, transfer

NOW = datetime(2030, 6, 1, 10, 30, tzinfo=UTC)
# Times that differ in every round trip: ids, versions and the server's timestamps.
VOLATILE = {"id", "version", "created_at", "updated_at", "completed_at", "deleted_at"}
TODOIST_HEADER = (
    "TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE,"
    "DURATION,DURATION_UNIT"
)


def _export(session: Session, owner: User) -> dict[str, Any]:
    return transfer.export_document(session, owner_id=owner.id, now=NOW)


def _import(
    session: Session, owner: User, body: bytes | str, content_type: str
) -> transfer.ImportResult:
    result = transfer.import_file(
        session,
        owner_id=owner.id,
        body=body.encode() if isinstance(body, str) else body,
        content_type=content_type,
        now=NOW,
    )
    session.commit()
    return result


def _todoist(*rows: str) -> str:
    return "\r\n".join([TODOIST_HEADER, *rows]) + "\r\n"


def _comparable(document: dict[str, Any]) -> dict[str, Any]:
    """The document without what an import may change: ids, versions, timestamps."""
    return {
        **{k: v for k, v in document.items() if k != "exported_at"},
        "tasks": [
            {
                **{k: v for k, v in task.items() if k not in VOLATILE},
                "trashed": task["deleted_at"] is not None,
                "has_completed_at": task["completed_at"] is not None,
            }
            for task in document["tasks"]
        ],
    }


def _titles(session: Session, owner: User) -> list[str]:
    return list(
        session.exec(
            select(Task.title).where(Task.user_id == owner.id).order_by(Task.id)
        ).all()
    )


@pytest.fixture
def owner(session: Session) -> User:
    """A user in Paris (so dates and reminders depend on the zone)."""
    return make_user(session, timezone="Europe/Paris")


@pytest.fixture
def full_account(session: Session, owner: User) -> User:
    """An account with one task of each kind: open, completed, trashed, with reminders."""
    make_task(
        session,
        owner,
        title="Pay rent",
        description="By transfer",
        due_date=date(2030, 7, 1),
        due_time="09:00",
        priority="high",
        tags=["home", "money"],
        recurrence="monthly",
    )
    done = make_task(session, owner, title="Done thing", tags=["home"])
    tasks.toggle_task(session, owner_id=owner.id, task_id=done.id)
    trashed = make_task(session, owner, title="Thrown away")
    tasks.delete_task(session, owner_id=owner.id, task_id=trashed.id)
    reminded = make_task(session, owner, title="Call mum", due_date=date(2030, 6, 3))
    session.commit()
    for body in ({"type": "due"}, {"type": "before", "minutes": 30}):
        reminders.create_reminder(
            session,
            owner_id=owner.id,
            task_id=reminded.id,
            data=ReminderCreate(**body),
            now=NOW,
        )
    reminders.create_reminder(
        session,
        owner_id=owner.id,
        task_id=reminded.id,
        data=ReminderCreate(type="at", at=datetime(2030, 6, 2, 8, tzinfo=UTC)),
        now=NOW,
    )
    session.commit()
    return owner


@pytest.fixture
def announced() -> Iterator[list[frozenset[int]]]:
    """Every change announced during the test."""
    heard: list[frozenset[int]] = []
    remove = changes.add_listener(heard.append)
    yield heard
    remove()


# --- export ------------------------------------------------------------------------------------


def test_export_holds_every_task_with_tags_reminders_and_trash(
    session: Session, full_account: User
) -> None:
    document = _export(session, full_account)
    assert (document["format"], document["version"], document["projects"]) == (
        "todo_app.export",
        1,
        [],
    )
    by_title = {task["title"]: task for task in document["tasks"]}
    assert list(by_title) == ["Pay rent", "Done thing", "Thrown away", "Call mum"]
    rent = by_title["Pay rent"]
    assert (rent["tags"], rent["priority"], rent["due_date"], rent["due_time"]) == (
        ["home", "money"],
        "high",
        "2030-07-01",
        "09:00",
    )
    assert rent["recurrence"] == "monthly" and rent["deleted_at"] is None
    assert by_title["Done thing"]["completed"] is True
    assert by_title["Done thing"]["completed_at"] is not None
    assert by_title["Thrown away"]["deleted_at"] is not None
    assert [
        (r["type"], r["minutes"], r["status"])
        for r in by_title["Call mum"]["reminders"]
    ] == [("at", None, "pending"), ("before", 30, "pending"), ("due", None, "pending")]


def test_export_shows_only_the_owners_tasks(
    session: Session, full_account: User
) -> None:
    stranger = make_user(session)
    make_task(session, stranger, title="Not yours")
    assert "Not yours" not in [
        t["title"] for t in _export(session, full_account)["tasks"]
    ]
    assert [t["title"] for t in _export(session, stranger)["tasks"]] == ["Not yours"]


def test_export_csv_has_the_header_and_one_row_per_task_outside_the_trash(
    session: Session, full_account: User
) -> None:
    rows = list(
        csv.reader(io.StringIO(transfer.export_csv(session, owner_id=full_account.id)))
    )
    assert rows[0] == list(transfer.CSV_COLUMNS)
    by_title = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(by_title) == {"Pay rent", "Done thing", "Call mum"}
    assert by_title["Pay rent"]["tags"] == "home money"
    assert by_title["Pay rent"]["completed"] == "false"
    assert by_title["Done thing"]["completed_at"] != ""
    assert by_title["Pay rent"]["project"] == ""


def test_export_csv_keeps_a_formula_like_title_from_being_run_by_a_spreadsheet(
    session: Session,
) -> None:
    owner = make_user(session)
    make_task(session, owner, title='=HYPERLINK("http://evil.example","x")')
    make_task(session, owner, title="-5 degrees", description="@risk")
    make_task(session, owner, title="Plain")
    rows = list(
        csv.reader(io.StringIO(transfer.export_csv(session, owner_id=owner.id)))
    )
    cells = {(row[1], row[2]) for row in rows[1:]}
    assert cells == {
        ('\'=HYPERLINK("http://evil.example","x")', ""),
        ("'-5 degrees", "'@risk"),
        ("Plain", ""),
    }


# --- our JSON back -----------------------------------------------------------------------------


def test_round_trip_into_an_empty_account_gives_the_same_document(
    session: Session, full_account: User
) -> None:
    exported = _export(session, full_account)
    newcomer = make_user(session, timezone="Europe/Paris")
    result = _import(session, newcomer, json.dumps(exported), "application/json")
    assert (result.tasks, result.projects, result.skipped) == (4, 0, [])
    assert _comparable(_export(session, newcomer)) == _comparable(exported)


def test_import_never_touches_another_user(
    session: Session, full_account: User
) -> None:
    stranger = make_user(session)
    make_task(session, stranger, title="Theirs")
    _import(
        session,
        full_account,
        json.dumps(_export(session, full_account)),
        "application/json",
    )
    assert _titles(session, stranger) == ["Theirs"]


def test_import_announces_the_change_after_commit(
    session: Session, owner: User, announced: list[frozenset[int]]
) -> None:
    document = {"format": "todo_app.export", "version": 1, "tasks": [{"title": "A"}]}
    _import(session, owner, json.dumps(document), "application/json")
    assert frozenset({owner.id}) in announced


@pytest.mark.parametrize(
    ("body", "line", "reason"),
    [
        ("{not json", 1, "not valid JSON"),
        ('{"format": "other", "tasks": []}', 1, "todo_app.export"),
        ('{"format": "todo_app.export", "version": 2, "tasks": []}', 1, "version 2"),
        ('{"format": "todo_app.export", "version": 1}', 1, "tasks"),
        ("[1, 2]", 1, "todo_app.export"),
        ("\xff\xfe", 1, "JSON"),
        ("[" * 100_000, 1, "JSON"),
    ],
)
def test_unreadable_json_is_refused_with_its_line(
    session: Session, owner: User, body: str, line: int, reason: str
) -> None:
    with pytest.raises(InvalidFile) as refused:
        _import(session, owner, body.encode("latin-1"), "application/json")
    assert refused.value.problems[0]["line"] == line
    assert reason in refused.value.problems[0]["reason"]


def test_one_broken_task_imports_nothing(session: Session, owner: User) -> None:
    document = {
        "format": "todo_app.export",
        "version": 1,
        "tasks": [
            {"title": "Fine"},
            {"title": ""},
            "not a task",
            {"title": "x", "due_time": "9:00"},
        ],
    }
    with pytest.raises(InvalidFile) as refused:
        _import(session, owner, json.dumps(document), "application/json")
    assert [p["line"] for p in refused.value.problems] == [2, 3, 4]
    session.rollback()
    assert _titles(session, owner) == []


def test_more_than_10000_tasks_are_refused(session: Session, owner: User) -> None:
    document = {
        "format": "todo_app.export",
        "version": 1,
        "tasks": [{"title": "t"}] * (transfer.IMPORT_TASKS_MAX + 1),
    }
    with pytest.raises(InvalidFile) as refused:
        _import(session, owner, json.dumps(document), "application/json")
    assert refused.value.problems == [
        {"line": 10_001, "reason": "more than 10,000 tasks: split the file"}
    ]


def test_import_keeps_the_open_task_quota(
    session: Session, owner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tasks, "OPEN_TASKS_MAX", 3)
    make_task(session, owner, title="Already here")
    document = {
        "format": "todo_app.export",
        "version": 1,
        "tasks": [{"title": "a"}, {"title": "b"}, {"title": "c", "completed": True}],
    }
    _import(session, owner, json.dumps(document), "application/json")  # 3 open: fits
    with pytest.raises(InvalidInput, match="at most 3"):
        _import(session, owner, json.dumps(document), "application/json")
    session.rollback()
    assert len(_titles(session, owner)) == 4
    assert OPEN_TASKS_MAX == 10_000


def test_import_keeps_the_tag_quota(session: Session, owner: User) -> None:
    document = {
        "format": "todo_app.export",
        "version": 1,
        "tasks": [
            {"title": f"t{n}", "tags": [f"tag{n}"]}
            for n in range(TAGS_PER_USER_MAX + 1)
        ],
    }
    with pytest.raises(InvalidInput, match="different tags"):
        _import(session, owner, json.dumps(document), "application/json")
    session.rollback()
    assert _titles(session, owner) == []


def test_reminder_that_cannot_be_set_is_skipped_with_a_reason(
    session: Session, owner: User
) -> None:
    document = {
        "format": "todo_app.export",
        "version": 1,
        "tasks": [{"title": "No date", "reminders": [{"type": "due"}]}],
    }
    result = _import(session, owner, json.dumps(document), "application/json")
    assert result.tasks == 1
    assert result.skipped[0]["line"] == 1
    assert "due date" in result.skipped[0]["reason"]


def test_other_media_types_are_unsupported(session: Session, owner: User) -> None:
    with pytest.raises(UnsupportedFormat):
        _import(session, owner, "<xml/>", "application/xml")


# --- Todoist's CSV -----------------------------------------------------------------------------


def test_todoist_tasks_map_priority_labels_description_and_date(
    session: Session, owner: User
) -> None:
    body = _todoist(
        "task,Buy milk @errands @Home,Semi-skimmed,4,1,Ada,,2030-06-05,en,Europe/Paris,,",
        "",
        "task,Water plants,,3,1,Ada,,every monday,en,Europe/Paris,,",
        "task,Plain,,1,1,Ada,,,en,Europe/Paris,,",
        "task,Low one,,2,1,Ada,,tomorrow 6pm,en,Europe/Paris,,",
    )
    result = _import(session, owner, body, "text/csv")
    assert (result.tasks, result.skipped) == (4, [])
    stored = {
        task.title: task
        for task in session.exec(select(Task).where(Task.user_id == owner.id)).all()
    }
    milk = stored["Buy milk"]
    assert (milk.priority, milk.description, milk.due_date) == (
        "high",
        "Semi-skimmed",
        date(2030, 6, 5),
    )
    assert sorted(row.tag for row in milk.tag_rows) == ["errands", "home"]
    assert (stored["Water plants"].priority, stored["Water plants"].recurrence) == (
        "medium",
        "weekly",
    )
    assert stored["Water plants"].due_date.weekday() == 0
    assert stored["Plain"].priority == "none"
    low = stored["Low one"]
    assert (low.priority, low.due_date, low.due_time) == (
        "low",
        NOW.date() + timedelta(days=1),
        "18:00",
    )


def test_todoist_rows_that_do_not_map_are_skipped_with_their_line(
    session: Session, owner: User
) -> None:
    body = _todoist(
        "meta,view_style=list,,,,,,,,,,",
        "section,Groceries,,,,,,,,,,",
        "task,@only-a-label,,4,1,,,,,,,",
        "note,A comment,,,,,,,,,,",
        "task,Kept,,4,1,,,someday maybe,en,,,",
        "task,Odd priority,,9,1,,,,,,,",
    )
    result = _import(session, owner, body, "text/csv")
    assert result.tasks == 2
    lines = {entry["line"]: entry["reason"] for entry in result.skipped}
    assert set(lines) == {3, 4, 5, 6, 7}
    assert "not imported" in lines[3]
    assert "without a title" in lines[4]
    assert "imported without a due date" in lines[6]
    assert "without a priority" in lines[7]
    assert sorted(_titles(session, owner)) == ["Kept", "Odd priority"]


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("title,notes\r\nBuy milk,x\r\n", 1),
        (_todoist('task,"Broken quote,,4,1,,,,,,,'), 2),
        (_todoist("task,Fine,,4,1,,,,,,,", 'task,"Bad" quote,,4'), 3),
        (_todoist("task,Too,many,cells,1,2,3,4,5,6,7,8,9,10"), 2),
        ("", 1),
    ],
)
def test_unreadable_csv_imports_nothing(
    session: Session, owner: User, body: str, line: int
) -> None:
    with pytest.raises(InvalidFile) as refused:
        _import(session, owner, body, "text/csv")
    assert refused.value.problems[0]["line"] == line
    session.rollback()
    assert _titles(session, owner) == []


def test_csv_that_is_not_utf8_is_refused(session: Session, owner: User) -> None:
    body = _todoist("task,Fine,,4,1,,,,,,,").encode() + b"task,Caf\xe9,,4\r\n"
    with pytest.raises(InvalidFile) as refused:
        _import(session, owner, body, "text/csv; charset=utf-8")
    assert refused.value.problems == [{"line": 3, "reason": "not UTF-8 text"}]


def test_more_than_10000_todoist_tasks_are_refused(
    session: Session, owner: User
) -> None:
    body = _todoist(*["task,t,,1,1,,,,,,,"] * (transfer.IMPORT_TASKS_MAX + 1))
    with pytest.raises(InvalidFile) as refused:
        _import(session, owner, body, "text/csv")
    assert refused.value.problems[0]["line"] == 10_002
    session.rollback()
    assert _titles(session, owner) == []
