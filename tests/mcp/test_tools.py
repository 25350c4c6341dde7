"""The MCP tools over the app's streamable HTTP endpoint, through the SDK's own client."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from sqlmodel import Session

from tests.builders import make_task, token_for
from tests.mcp.conftest import McpHttp, error_text
from todo_app.api.deps import Caller
from todo_app.errors import ServiceUnavailable
from todo_app.mcp.tools import build_server
from todo_app.models import Priority, Recurrence, User
from todo_app.services import access_tokens, changes, tasks

TOOLS = {
    "list_tasks",
    "get_task",
    "list_tags",
    "list_projects",
    "add_task",
    "add_task_from_text",
    "update_task",
    "complete_task",
    "delete_task",
}
WRITING_TOOLS = {
    "add_task": {"title": "Sneak in"},
    "add_task_from_text": {"text": "Sneak in tomorrow"},
    "update_task": {"task_id": 0, "title": "Renamed"},
    "complete_task": {"task_id": 0},
    "delete_task": {"task_id": 0},
}


def test_list_tools_offers_every_tool_with_described_arguments(
    mcp_http: McpHttp, write_token: str
) -> None:
    async def scenario() -> list:
        async with mcp_http.connect(write_token) as client:
            return (await client.list_tools()).tools

    listed = mcp_http.run(scenario)
    assert {tool.name for tool in listed} == TOOLS
    for tool in listed:
        assert tool.description, tool.name
        for name, schema in tool.input_schema["properties"].items():
            assert schema.get("description"), (tool.name, name)
    hints = {tool.name: tool.annotations for tool in listed}
    assert hints["list_tasks"].read_only_hint is True
    assert hints["delete_task"].destructive_hint is True


def test_add_task_creates_the_task_for_the_token_owner(
    mcp_http: McpHttp, session: Session, user: User, write_token: str
) -> None:
    result = mcp_http.call(
        write_token,
        "add_task",
        title="Buy milk",
        description="Two litres",
        due_date="2030-01-02",
        due_time="18:00",
        priority="high",
        tags=["#Errands"],
        recurrence="weekly",
    )
    assert not result.is_error, result.content
    added = result.structured_content
    stored = tasks.get_task(session, owner_id=user.id, task_id=added["id"])
    assert (stored.title, stored.description) == ("Buy milk", "Two litres")
    assert (stored.due_date, stored.due_time) == (date(2030, 1, 2), "18:00")
    assert (stored.priority, stored.recurrence) == (Priority.high, Recurrence.weekly)
    assert added["tags"] == ["errands"]
    assert added["version"] == 1


def test_add_task_from_text_reads_the_line_as_the_app_does(
    mcp_http: McpHttp, write_token: str
) -> None:
    result = mcp_http.call(
        write_token, "add_task_from_text", text="Water plants #home !high"
    )
    assert not result.is_error, result.content
    added = result.structured_content
    assert (added["title"], added["tags"], added["priority"]) == (
        "Water plants",
        ["home"],
        "high",
    )


def test_list_tasks_filters_pages_and_counts(
    mcp_http: McpHttp, session: Session, user: User, write_token: str
) -> None:
    make_task(session, user, title="Call the bank", tags=["money"])
    make_task(session, user, title="Pay rent", tags=["money"])
    make_task(session, user, title="Walk the dog")
    done = make_task(session, user, title="Old money task", tags=["money"])
    tasks.toggle_task(session, owner_id=user.id, task_id=done.id)
    session.commit()

    page = mcp_http.call(write_token, "list_tasks", tag="money", limit=1)
    assert page.structured_content["total"] == 2  # pending by default
    assert len(page.structured_content["items"]) == 1
    found = mcp_http.call(write_token, "list_tasks", q="dog", status="all")
    assert [task["title"] for task in found.structured_content["items"]] == [
        "Walk the dog"
    ]
    completed = mcp_http.call(write_token, "list_tasks", status="completed")
    assert [t["title"] for t in completed.structured_content["items"]] == [
        "Old money task"
    ]


def test_get_task_and_list_tags_read_the_owners_data(
    mcp_http: McpHttp, session: Session, user: User, read_token: str
) -> None:
    task = make_task(session, user, title="Read", tags=["books", "evening"])
    got = mcp_http.call(read_token, "get_task", task_id=task.id)
    assert got.structured_content["title"] == "Read"
    tags = mcp_http.call(read_token, "list_tags")
    assert tags.structured_content == {"result": ["books", "evening"]}


def test_update_task_changes_only_the_fields_sent_and_null_removes(
    mcp_http: McpHttp, session: Session, user: User, write_token: str
) -> None:
    task = make_task(
        session,
        user,
        title="Dentist",
        description="Bring the card",
        due_date=date(2030, 3, 1),
        tags=["health"],
    )
    result = mcp_http.call(
        write_token, "update_task", task_id=task.id, title="Dentist at 9", due_date=None
    )
    assert not result.is_error, result.content
    updated = result.structured_content
    assert updated["title"] == "Dentist at 9"
    assert updated["due_date"] is None
    assert updated["description"] == "Bring the card"
    assert updated["tags"] == ["health"]
    assert updated["version"] == task.version + 1


def test_complete_task_completes_and_a_repeating_task_comes_again(
    mcp_http: McpHttp, session: Session, user: User, write_token: str
) -> None:
    task = make_task(
        session, user, title="Bins", due_date=date(2030, 3, 1), recurrence="weekly"
    )
    result = mcp_http.call(write_token, "complete_task", task_id=task.id)
    assert result.structured_content["completed"] is True
    again = mcp_http.call(write_token, "complete_task", task_id=task.id)
    # completing twice is no toggle
    assert again.structured_content["completed"] is True
    pending = mcp_http.call(write_token, "list_tasks")
    assert [t["due_date"] for t in pending.structured_content["items"]] == [
        "2030-03-08"
    ]


def test_delete_task_moves_it_to_the_trash(
    mcp_http: McpHttp, session: Session, user: User, write_token: str
) -> None:
    task_id = make_task(session, user, title="Old idea").id
    result = mcp_http.call(write_token, "delete_task", task_id=task_id)
    assert not result.is_error, result.content
    assert "trash" in result.content[0].text
    assert "Task not found" in error_text(
        mcp_http.call(write_token, "get_task", task_id=task_id)
    )
    trash = tasks.list_trash(session, owner_id=user.id)
    assert [trashed.id for trashed in trash.items] == [task_id]


def test_bad_arguments_come_back_as_readable_tool_errors(
    mcp_http: McpHttp, session: Session, user: User, write_token: str
) -> None:
    task = make_task(session, user, title="Keep me")

    async def scenario() -> list[str]:
        async with mcp_http.connect(write_token) as client:
            calls = [
                ("add_task", {"title": ""}),
                ("add_task", {"title": "x" * 201}),
                ("add_task", {"title": "Late", "due_time": "25:00"}),
                ("add_task", {"title": "Tagged", "tags": ["a,b"]}),
                ("add_task", {"title": "Due", "due_date": "next tuesday"}),
                ("update_task", {"task_id": "abc"}),
                ("update_task", {"task_id": task.id, "title": None}),
                ("list_tasks", {"limit": 0}),
                ("list_tasks", {"status": "someday"}),
                ("add_task_from_text", {"text": "#only #tags"}),
                ("get_task", {}),
            ]
            return [error_text(await client.call_tool(*call)) for call in calls]

    messages = mcp_http.run(scenario)
    assert "at least 1 character" in messages[0]
    assert "at most 200 characters" in messages[1]
    assert "HH:MM" in messages[2]
    assert "commas" in messages[3]
    assert "due_date" in messages[4]
    assert "task_id" in messages[5]
    assert "title may not be null" in messages[6]
    assert "limit" in messages[7]
    assert "status" in messages[8]
    assert "title" in messages[9]
    assert "task_id" in messages[10]
    # and the server is still serving, the task untouched
    assert mcp_http.call(write_token, "get_task", task_id=task.id).structured_content[
        "title"
    ] == ("Keep me")


def test_another_users_task_is_not_found_by_any_tool(
    mcp_http: McpHttp, session: Session, other_user: User, write_token: str
) -> None:
    theirs = make_task(session, other_user, title="Private", tags=["secret"])

    async def scenario() -> tuple[list[str], dict, dict]:
        async with mcp_http.connect(write_token) as client:
            refused = [
                error_text(await client.call_tool(tool, {"task_id": theirs.id}))
                for tool in ("get_task", "complete_task", "delete_task")
            ]
            refused.append(
                error_text(
                    await client.call_tool(
                        "update_task", {"task_id": theirs.id, "title": "Mine now"}
                    )
                )
            )
            listed = await client.call_tool("list_tasks", {"status": "all"})
            tags = await client.call_tool("list_tags", {})
            return refused, listed.structured_content, tags.structured_content

    refused, listed, tags = mcp_http.run(scenario)
    assert all(message.endswith(": Task not found") for message in refused), refused
    assert listed == {"items": [], "total": 0}
    assert tags == {"result": []}
    stored = tasks.get_task(session, owner_id=other_user.id, task_id=theirs.id)
    assert (stored.title, stored.completed, stored.version) == ("Private", False, 1)


def test_a_read_token_reads_but_every_writing_tool_refuses_it(
    mcp_http: McpHttp, session: Session, user: User, read_token: str
) -> None:
    task = make_task(session, user, title="Untouched")
    calls = {
        tool: {**arguments, "task_id": task.id} if "task_id" in arguments else arguments
        for tool, arguments in WRITING_TOOLS.items()
    }

    async def scenario() -> list[str]:
        async with mcp_http.connect(read_token) as client:
            return [
                error_text(await client.call_tool(tool, arguments))
                for tool, arguments in calls.items()
            ]

    refused = mcp_http.run(scenario)
    assert all(message.endswith(access_tokens.READ_ONLY) for message in refused), (
        refused
    )
    listed = mcp_http.call(read_token, "list_tasks", status="all")
    assert [t["title"] for t in listed.structured_content["items"]] == ["Untouched"]


def test_a_session_token_from_logging_in_works_too(
    mcp_http: McpHttp, session: Session, user: User
) -> None:
    token = token_for(session, user)
    result = mcp_http.call(token, "add_task", title="From a session")
    assert not result.is_error, result.content


def test_no_bad_or_revoked_token_is_refused_with_401(
    mcp_http: McpHttp, session: Session, user: User, write_token: str
) -> None:
    (row,) = access_tokens.list_tokens(session, owner_id=user.id)
    access_tokens.revoke_token(session, owner_id=user.id, token_id=row.id)
    session.commit()
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}

    async def scenario() -> list[tuple[int, str, str]]:
        answers = []
        for token in (None, "todo_pat_not-a-real-token", "not.a.jwt", write_token):
            async with mcp_http.http(token) as http:
                response = await http.post(
                    "/mcp",
                    json=initialize,
                    headers={"Accept": "application/json, text/event-stream"},
                )
            answers.append(
                (
                    response.status_code,
                    response.headers.get("www-authenticate", ""),
                    response.json()["detail"],
                )
            )
        return answers

    answers = mcp_http.run(scenario)
    assert [(status, scheme) for status, scheme, _ in answers] == [(401, "Bearer")] * 4
    assert answers[0][2] == "Not authenticated"
    assert answers[3][2] == access_tokens.INVALID_TOKEN


def test_a_tool_change_is_announced_to_the_live_updates(
    mcp_http: McpHttp, user: User, write_token: str
) -> None:
    heard: list[frozenset[int]] = []
    remove = changes.add_listener(heard.append)
    try:
        mcp_http.call(write_token, "add_task", title="Seen in the open tab")
    finally:
        remove()
    assert heard == [frozenset({user.id})]


def test_building_the_server_leaves_the_apps_logging_alone() -> None:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    root.handlers.clear()  # as in a fresh process, where basicConfig would act
    try:
        build_server(lambda ctx: None)
        assert root.handlers == []
        assert root.level == level
    finally:
        root.handlers[:] = handlers


def test_an_unreachable_database_is_503_not_a_crash(
    mcp_http: McpHttp, write_token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def unavailable(self: Caller, work: object, **_: object) -> None:
        raise ServiceUnavailable("The database is unavailable")

    monkeypatch.setattr(Caller, "run", unavailable)

    async def scenario() -> tuple[int, str]:
        async with mcp_http.http(write_token) as http:
            response = await http.post(
                "/mcp",
                json={"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}},
            )
        return response.status_code, response.json()["detail"]

    assert mcp_http.run(scenario) == (503, "The database is unavailable")
