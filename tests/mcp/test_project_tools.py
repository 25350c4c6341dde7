"""The project side of the MCP tools: list_projects, and project_id and due on the task tools,
with the API's rules (another user's project is not the caller's to use or to see)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session

from tests.builders import make_project, make_task
from tests.mcp.conftest import McpHttp, error_text
from todo_app.models import ProjectColor, ProjectUpdate, TaskQuery, User
from todo_app.services import projects, tasks


def _titles(result: object) -> list[str]:
    content = result.structured_content  # type: ignore[attr-defined]
    assert content is not None, result
    return sorted(task["title"] for task in content["items"])


def _utc_today() -> date:
    # The users of these tests keep the default time zone, UTC.
    return datetime.now(UTC).date()


def test_list_projects_lists_the_owners_projects_in_sidebar_order(
    mcp_http: McpHttp,
    session: Session,
    user: User,
    other_user: User,
    read_token: str,
) -> None:
    work = make_project(session, user, name="Work", color=ProjectColor.teal)
    home = make_project(session, user, name="Home")
    old = make_project(session, user, name="Old")
    make_project(session, other_user, name="Bob's")
    make_task(session, user, title="Report", project_id=work.id)
    projects.move_project(session, owner_id=user.id, project_id=home.id, position=0)
    projects.update_project(
        session, owner_id=user.id, project_id=old.id, data=ProjectUpdate(archived=True)
    )
    session.commit()

    listed = mcp_http.call(read_token, "list_projects").structured_content["result"]
    assert [(p["name"], p["position"], p["open_count"]) for p in listed] == [
        ("Home", 0, 0),
        ("Work", 1, 1),
    ]
    assert (listed[1]["color"], listed[0]["version"]) == ("teal", 2)
    everything = mcp_http.call(read_token, "list_projects", include_archived=True)
    assert [p["name"] for p in everything.structured_content["result"]] == [
        "Home",
        "Work",
        "Old",
    ]


def test_add_task_puts_it_in_the_project(
    mcp_http: McpHttp, session: Session, user: User, write_token: str
) -> None:
    work = make_project(session, user, name="Work")
    result = mcp_http.call(write_token, "add_task", title="Report", project_id=work.id)
    assert not result.is_error, result.content
    stored = tasks.get_task(
        session, owner_id=user.id, task_id=result.structured_content["id"]
    )
    assert (result.structured_content["project_id"], stored.project_id) == (
        work.id,
        work.id,
    )


def test_add_task_from_text_reads_the_project_name(
    mcp_http: McpHttp, session: Session, user: User, write_token: str
) -> None:
    work = make_project(session, user, name="Work")
    result = mcp_http.call(write_token, "add_task_from_text", text="Report /Work")
    assert (
        result.structured_content["title"],
        result.structured_content["project_id"],
    ) == (
        "Report",
        work.id,
    )


def test_update_task_moves_it_to_a_project_and_null_back_to_the_inbox(
    mcp_http: McpHttp, session: Session, user: User, write_token: str
) -> None:
    work = make_project(session, user, name="Work")
    task = make_task(session, user, title="Report")
    moved = mcp_http.call(
        write_token, "update_task", task_id=task.id, project_id=work.id
    )
    assert moved.structured_content["project_id"] == work.id
    untouched = mcp_http.call(
        write_token, "update_task", task_id=task.id, title="Report 2"
    )
    assert untouched.structured_content["project_id"] == work.id
    back = mcp_http.call(write_token, "update_task", task_id=task.id, project_id=None)
    assert back.structured_content["project_id"] is None


def test_another_users_project_is_a_tool_error_naming_project_id(
    mcp_http: McpHttp,
    session: Session,
    user: User,
    other_user: User,
    write_token: str,
) -> None:
    theirs = make_project(session, other_user, name="Bob's")
    task = make_task(session, user, title="Mine")

    async def scenario() -> list[str]:
        async with mcp_http.connect(write_token) as client:
            calls = [
                ("add_task", {"title": "Sneak in", "project_id": theirs.id}),
                ("add_task", {"title": "Nowhere", "project_id": 987654}),
                ("update_task", {"task_id": task.id, "project_id": theirs.id}),
            ]
            return [error_text(await client.call_tool(*call)) for call in calls]

    messages = mcp_http.run(scenario)
    assert all(m.endswith("project_id: Project not found") for m in messages), messages
    everything = tasks.list_tasks(session, owner_id=user.id, query=TaskQuery())
    assert [t.title for t in everything.items] == ["Mine"]  # nothing was added
    mine = tasks.get_task(session, owner_id=user.id, task_id=task.id)
    assert mine.project_id is None
    assert (
        projects.get_project(
            session, owner_id=other_user.id, project_id=theirs.id
        ).open_count
        == 0
    )


def test_list_tasks_filters_by_project_and_by_inbox(
    mcp_http: McpHttp, session: Session, user: User, read_token: str
) -> None:
    work = make_project(session, user, name="Work")
    home = make_project(session, user, name="Home")
    make_task(session, user, title="Report", project_id=work.id)
    make_task(session, user, title="Slides", project_id=work.id)
    make_task(session, user, title="Bins", project_id=home.id)
    make_task(session, user, title="Loose")

    assert _titles(mcp_http.call(read_token, "list_tasks", project_id=work.id)) == [
        "Report",
        "Slides",
    ]
    assert _titles(mcp_http.call(read_token, "list_tasks", inbox=True)) == ["Loose"]


def test_list_tasks_with_another_users_project_matches_nothing(
    mcp_http: McpHttp,
    session: Session,
    user: User,
    other_user: User,
    read_token: str,
) -> None:
    theirs = make_project(session, other_user, name="Bob's")
    make_task(session, other_user, title="Private", project_id=theirs.id)
    make_task(session, user, title="Mine")
    result = mcp_http.call(read_token, "list_tasks", project_id=theirs.id, status="all")
    assert result.structured_content == {"items": [], "total": 0}


def test_list_tasks_due_views_as_the_api_has_them(
    mcp_http: McpHttp, session: Session, user: User, read_token: str
) -> None:
    today = _utc_today()
    make_task(session, user, title="Late", due_date=today - timedelta(days=2))
    make_task(session, user, title="Now", due_date=today)
    make_task(session, user, title="Soon", due_date=today + timedelta(days=3))
    make_task(session, user, title="Later", due_date=today + timedelta(days=30))
    make_task(session, user, title="Someday")
    archived = make_project(session, user, name="Shelved")
    make_task(session, user, title="Shelved", due_date=today, project_id=archived.id)
    projects.update_project(
        session,
        owner_id=user.id,
        project_id=archived.id,
        data=ProjectUpdate(archived=True),
    )
    session.commit()

    def due(view: str, **more: object) -> list[str]:
        return _titles(mcp_http.call(read_token, "list_tasks", due=view, **more))

    assert due("today") == ["Late", "Now"]
    assert due("overdue") == ["Late"]
    assert due("upcoming") == ["Now", "Soon"]
    assert due("upcoming", days=31) == ["Later", "Now", "Soon"]
    assert due("none") == ["Someday"]


def test_bad_project_and_due_arguments_are_readable_tool_errors(
    mcp_http: McpHttp, write_token: str
) -> None:
    async def scenario() -> list[str]:
        async with mcp_http.connect(write_token) as client:
            calls = [
                ("list_tasks", {"due": "someday"}),
                ("list_tasks", {"due": "upcoming", "days": 0}),
                ("list_tasks", {"project_id": 3, "inbox": True}),
                ("list_tasks", {"project_id": 0}),
                ("add_task", {"title": "x", "project_id": "work"}),
                ("list_projects", {"include_archived": "maybe"}),
            ]
            return [error_text(await client.call_tool(*call)) for call in calls]

    messages = mcp_http.run(scenario)
    assert "due" in messages[0]
    assert "days" in messages[1]
    assert "project_id and inbox=true exclude each other" in messages[2]
    assert "project_id" in messages[3]
    assert "project_id" in messages[4]
    assert "include_archived" in messages[5]


def test_an_archived_project_is_a_tool_error_naming_it(
    mcp_http: McpHttp, session: Session, user: User, write_token: str
) -> None:
    old = make_project(session, user, name="Old")
    projects.update_project(
        session, owner_id=user.id, project_id=old.id, data=ProjectUpdate(archived=True)
    )
    session.commit()
    task = make_task(session, user, title="Mine")

    async def scenario() -> list[str]:
        async with mcp_http.connect(write_token) as client:
            calls = [
                ("add_task", {"title": "Dust off", "project_id": old.id}),
                ("add_task_from_text", {"text": "Dust off /old"}),
                ("update_task", {"task_id": task.id, "project_id": old.id}),
            ]
            return [error_text(await client.call_tool(*call)) for call in calls]

    messages = mcp_http.run(scenario)
    refusal = "project_id: Project “Old” is archived: unarchive it to add tasks"
    assert all(m.endswith(refusal) for m in messages), messages
