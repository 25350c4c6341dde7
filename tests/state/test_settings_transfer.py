"""SettingsState's import and export: the download built server-side, the import summary."""

from __future__ import annotations

import asyncio
import base64
import io
from pathlib import Path
from typing import Any

import reflex as rx
from sqlmodel import Session, select

from tests.builders import make_task, make_user
from tests.state.conftest import call, fetch, sign_in, substate
from todo_app.errors import InvalidFile
from todo_app.models import Task, User
from todo_app.services import transfer
from todo_app.state.settings import (
    SettingsState,
    file_problems,
    import_summary,
)

TODOIST = (
    "TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE\r\n"
    "task,Buy milk @errands,,4,1,,,,en,UTC\r\n"
    "section,Later,,,,,,,,\r\n"
)


def _signed_in(root: rx.State, user: User) -> SettingsState:
    sign_in(root, user)
    return substate(root, SettingsState)


def _upload(name: str, body: bytes) -> Any:
    return rx.UploadFile(file=io.BytesIO(body), path=Path(name))


def _run_generator(state: SettingsState, files: list[Any]) -> None:
    async def drain() -> None:
        async for _ in SettingsState.import_tasks.fn(state, files):
            pass

    asyncio.run(drain())


def test_export_sends_a_download_of_the_users_tasks(
    root: rx.State, user: User, db: Session
) -> None:
    make_task(db, user, title="Mine")
    make_task(db, make_user(db), title="Not mine")
    state = _signed_in(root, user)
    (download,) = call(state, SettingsState.export_tasks, "csv")
    url, filename = (value._var_value for _, value in download.args)
    prefix, _, data = url.partition(",")
    assert prefix == "data:text/csv;base64"
    rows = base64.b64decode(data).decode().splitlines()
    assert rows[0].startswith("id,title,") and [r.split(",")[1] for r in rows[1:]] == [
        "Mine"
    ]
    assert filename.startswith("todo_app-export-") and filename.endswith(".csv")


def test_export_of_an_unknown_format_does_nothing(root: rx.State, user: User) -> None:
    state = _signed_in(root, user)
    assert call(state, SettingsState.export_tasks, "xml") == []


def test_import_adds_the_files_tasks_and_summarises(
    root: rx.State, user: User, db: Session
) -> None:
    state = _signed_in(root, user)
    _run_generator(state, [_upload("Groceries.csv", TODOIST.encode())])
    assert state.transfer_error == ""
    assert state.import_summary.startswith("1 task imported; 1 line skipped: line 3:")
    assert fetch(db, select(Task.title).where(Task.user_id == user.id)) == ["Buy milk"]
    assert not state.importing


def test_import_of_a_broken_file_shows_its_lines_and_adds_nothing(
    root: rx.State, user: User, db: Session
) -> None:
    state = _signed_in(root, user)
    _run_generator(state, [_upload("export.json", b"{broken")])
    assert state.transfer_error.startswith(
        "Nothing was imported. line 1: not valid JSON"
    )
    assert state.import_summary == ""
    assert fetch(db, select(Task.title)) == []


def test_import_without_a_file_asks_for_one(root: rx.State, user: User) -> None:
    state = _signed_in(root, user)
    _run_generator(state, [])
    assert state.transfer_error == "Choose a file to import first"


def test_summary_names_three_skipped_lines_and_counts_the_rest() -> None:
    result = transfer.ImportResult(
        tasks=312,
        skipped=[{"line": n, "reason": "a task without a title"} for n in range(2, 7)],
    )
    assert import_summary(result) == (
        "312 tasks imported; 5 lines skipped: line 2: a task without a title; "
        "line 3: a task without a title; line 4: a task without a title; and 2 more"
    )
    assert file_problems(InvalidFile("x", [{"line": 9, "reason": "bad"}])) == (
        "Nothing was imported. line 9: bad"
    )
