"""`python -m todo_app.mcp`: the same tools over stdio, spawned as a desktop assistant does."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp_types import CallToolResult
from sqlmodel import Session

from tests.builders import make_task
from tests.mcp.conftest import error_text
from todo_app.models import User
from todo_app.services import access_tokens

ROOT = Path(__file__).resolve().parents[2]
# What the server needs to reach the app's database and check its tokens.
PASSED_ON = ("DATABASE_URL", "TODO_SECRET_KEY", "TODO_DATA_DIR", "BCRYPT_ROUNDS")


def _environment(token: str | None) -> dict[str, str]:
    env = {name: os.environ[name] for name in PASSED_ON}
    env["REFLEX_TELEMETRY_ENABLED"] = "false"
    if token is not None:
        env["TODO_TOKEN"] = token
    return env


def _server(token: str | None) -> StdioServerParameters:
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "todo_app.mcp"],
        env=_environment(token),
        cwd=ROOT,
    )


def _calls(token: str, *calls: tuple[str, dict]) -> list[CallToolResult]:
    async def scenario() -> list[CallToolResult]:
        async with Client(_server(token)) as client:
            return [
                await client.call_tool(name, arguments) for name, arguments in calls
            ]

    return asyncio.run(scenario())


def test_stdio_server_runs_every_tool_for_the_token_owner(
    database_url: str, session: Session, user: User, other_user: User, write_token: str
) -> None:
    theirs = make_task(session, other_user, title="Not yours").id
    mine = make_task(session, user, title="Tidy up", tags=["home"]).id
    results = _calls(
        write_token,
        ("add_task", {"title": "Buy milk", "due_date": "2030-01-02"}),
        ("add_task_from_text", {"text": "Call mom #family"}),
        ("update_task", {"task_id": mine, "priority": "high"}),
        ("get_task", {"task_id": mine}),
        ("complete_task", {"task_id": mine}),
        ("list_tasks", {"status": "all", "sort": "title", "order": "asc"}),
        ("list_tags", {}),
        ("delete_task", {"task_id": mine}),
        ("get_task", {"task_id": theirs}),
        ("add_task", {"title": ""}),
    )
    *done, not_theirs, bad = results
    assert [result.is_error for result in done] == [False] * 8
    added, from_text, updated, got, completed, listed, tags, deleted = done
    assert added.structured_content["due_date"] == "2030-01-02"
    assert from_text.structured_content["tags"] == ["family"]
    assert updated.structured_content["priority"] == "high"
    assert got.structured_content["title"] == "Tidy up"
    assert completed.structured_content["completed"] is True
    assert [t["title"] for t in listed.structured_content["items"]] == [
        "Buy milk",
        "Call mom",
        "Tidy up",
    ]
    assert tags.structured_content == {"result": ["family", "home"]}
    assert "trash" in deleted.content[0].text
    assert error_text(not_theirs).endswith("Task not found")
    assert "at least 1 character" in error_text(bad)


def test_stdio_server_refuses_writes_with_a_read_token(
    database_url: str, session: Session, user: User, read_token: str
) -> None:
    make_task(session, user, title="Read me")
    listed, refused = _calls(
        read_token,
        ("list_tasks", {}),
        ("add_task", {"title": "Sneak in"}),
    )
    assert [t["title"] for t in listed.structured_content["items"]] == ["Read me"]
    assert error_text(refused).endswith(access_tokens.READ_ONLY)


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (None, "Set TODO_TOKEN"),
        ("todo_pat_wrong", f"TODO_TOKEN was refused: {access_tokens.INVALID_TOKEN}"),
    ],
)
def test_stdio_server_stops_with_a_message_without_a_valid_token(
    database_url: str, token: str | None, message: str
) -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "todo_app.mcp"],
        check=False,
        env={**_environment(token), "PATH": os.environ.get("PATH", "")},
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 1
    assert message in finished.stderr
    assert finished.stdout == ""
