"""Property-based: requests generated from /openapi.json by schemathesis never get a 5xx."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from sqlmodel import Session

from tests.builders import make_task, make_user, token_for
from todo_app.api.app import create_api_app
from todo_app.models import TaskQuery
from todo_app.services import accounts, tasks

FUZZ_EMAIL = "fuzz@example.com"
FUZZ_PASSWORD = "password123"
# Operations whose every input may be any text: there is no invalid request to generate
# (a wrong calendar secret is 404, see test_calendar.py).
ANY_TEXT_IS_VALID = {"/api/calendar/{secret}.ics"}
# 12 per operation and mode: with ~50 operations on two databases this is already ~2,400
# requests per run, and the suite must stay within its time (derandomized, so CI repeats it).
FUZZ_SETTINGS = settings(
    max_examples=12,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def _fuzz_account(session: Session) -> tuple[dict[str, str], int]:
    """Bearer headers valid right now, and the id of one of the user's tasks."""
    # Generated requests may delete the account or its tasks, change the password or log out
    # everywhere, so every example starts from an existing user, task and fresh token.
    session.rollback()
    # Rows the requests deleted may come back under the same id (SQLite reuses the highest
    # one), which objects this long-lived session still holds would conflict with.
    session.expunge_all()
    user = accounts.get_user_by_email(session, email=FUZZ_EMAIL) or make_user(
        session, email=FUZZ_EMAIL, password=FUZZ_PASSWORD
    )
    owned = tasks.list_tasks(session, owner_id=user.id, query=TaskQuery(limit=1)).items
    task_id = owned[0].id if owned else make_task(session, user, tags=["a"]).id
    session.commit()
    return {"Authorization": f"Bearer {token_for(session, user)}"}, task_id


def _run(session: Session, mode: GenerationMode) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_api_app())
    for result in schema.get_all_operations():
        operation = result.ok()
        has_input = operation.body or operation.query or operation.path_parameters
        if mode == GenerationMode.NEGATIVE and not has_input:
            continue  # nothing to make invalid (the token is covered by test_tokens.py)
        if mode == GenerationMode.NEGATIVE and operation.path in ANY_TEXT_IS_VALID:
            continue
        # Operation by operation, so each endpoint gets its share of the examples.
        _check_operation(session, operation.as_strategy(generation_mode=mode))


def _check_operation(session: Session, cases: st.SearchStrategy[Case]) -> None:
    @FUZZ_SETTINGS
    @given(case=cases, data=st.data())
    def request_gets_no_server_error(case: Case, data: st.DataObject) -> None:
        headers: dict[str, str] = {}
        if data.draw(st.booleans(), label="authenticated"):
            headers, task_id = _fuzz_account(session)
            if "task_id" in (case.path_parameters or {}) and data.draw(
                st.booleans(), label="own task"
            ):
                case.path_parameters["task_id"] = task_id
        response = case.call(headers=headers)
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} -> {response.status_code}"
        )

    request_gets_no_server_error()


def test_generated_valid_requests_get_no_server_error(session: Session) -> None:
    _run(session, GenerationMode.POSITIVE)


def test_generated_invalid_requests_get_no_server_error(session: Session) -> None:
    _run(session, GenerationMode.NEGATIVE)
