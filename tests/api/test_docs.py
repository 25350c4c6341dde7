"""The OpenAPI document, and /docs and /redoc working without the internet."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from todo_app.models import ProjectPublic, TaskPublic

ENDPOINTS = {
    ("post", "/api/auth/register"),
    ("post", "/api/auth/login"),
    ("post", "/api/auth/token"),
    ("get", "/api/auth/me"),
    ("patch", "/api/auth/me"),
    ("delete", "/api/auth/me"),
    ("post", "/api/auth/password"),
    ("post", "/api/auth/logout"),
    ("get", "/api/auth/sessions"),
    ("delete", "/api/auth/sessions/{session_id}"),
    ("get", "/api/tasks"),
    ("post", "/api/tasks"),
    ("post", "/api/tasks/parse"),
    ("post", "/api/tasks/complete-all"),
    ("post", "/api/tasks/clear-completed"),
    ("get", "/api/tasks/{task_id}"),
    ("put", "/api/tasks/{task_id}"),
    ("patch", "/api/tasks/{task_id}"),
    ("delete", "/api/tasks/{task_id}"),
    ("patch", "/api/tasks/{task_id}/complete"),
    ("post", "/api/tasks/{task_id}/move"),
    ("get", "/api/projects"),
    ("post", "/api/projects"),
    ("get", "/api/projects/{project_id}"),
    ("patch", "/api/projects/{project_id}"),
    ("delete", "/api/projects/{project_id}"),
    ("post", "/api/projects/{project_id}/move"),
    ("get", "/api/stats"),
    ("post", "/api/tokens"),
    ("get", "/api/tokens"),
    ("delete", "/api/tokens/{token_id}"),
    ("get", "/api/tasks/{task_id}/reminders"),
    ("post", "/api/tasks/{task_id}/reminders"),
    ("delete", "/api/tasks/{task_id}/reminders/{reminder_id}"),
    ("get", "/api/calendar"),
    ("post", "/api/calendar/rotate"),
    ("get", "/api/calendar/{secret}.ics"),
    ("get", "/api/health"),
    ("get", "/api/export"),
    ("post", "/api/import"),
    ("get", "/api/trash"),
    ("delete", "/api/trash"),
    ("post", "/api/trash/{task_id}/restore"),
    ("delete", "/api/trash/{task_id}"),
}
PROTECTED = {
    e
    for e in ENDPOINTS
    if e[1].startswith(
        ("/api/tasks", "/api/tokens", "/api/trash", "/api/projects", "/api/stats")
    )
} | {
    ("get", "/api/auth/me"),
    ("patch", "/api/auth/me"),
    ("delete", "/api/auth/me"),
    ("post", "/api/auth/password"),
    ("post", "/api/auth/logout"),
    ("get", "/api/auth/sessions"),
    ("delete", "/api/auth/sessions/{session_id}"),
    ("get", "/api/calendar"),
    ("post", "/api/calendar/rotate"),
    ("get", "/api/export"),
    ("post", "/api/import"),
}
EXTERNAL_URL = re.compile(r"""(?:https?:)?//[a-z0-9.-]+""", re.IGNORECASE)
ASSET_URL = re.compile(r"""(?:src|href)=["']([^"']+)["']""")


@pytest.fixture
def openapi(client: TestClient) -> dict[str, Any]:
    """The served OpenAPI document."""
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(openapi: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method, path): operation
        for path, methods in openapi["paths"].items()
        for method, operation in methods.items()
    }


def test_openapi_lists_every_endpoint(openapi: dict[str, Any]) -> None:
    assert set(_operations(openapi)) == ENDPOINTS


def test_openapi_every_endpoint_has_summary_and_description(
    openapi: dict[str, Any],
) -> None:
    for key, operation in _operations(openapi).items():
        assert operation.get("summary"), key
        assert operation.get("description"), key


def test_openapi_protected_endpoints_document_401_and_security(
    openapi: dict[str, Any],
) -> None:
    operations = _operations(openapi)
    for key in PROTECTED:
        assert "401" in operations[key]["responses"], key
        assert operations[key].get("security"), key


def test_openapi_task_item_endpoints_document_404(openapi: dict[str, Any]) -> None:
    for (method, path), operation in _operations(openapi).items():
        if "{task_id}" in path:
            assert "404" in operation["responses"], (method, path)


def test_openapi_documents_409_and_429(openapi: dict[str, Any]) -> None:
    operations = _operations(openapi)
    assert "409" in operations[("post", "/api/auth/register")]["responses"]
    login_429 = operations[("post", "/api/auth/login")]["responses"]["429"]
    assert "Retry-After" in login_429["headers"]


def test_openapi_request_bodies_have_schemas_with_examples(
    openapi: dict[str, Any],
) -> None:
    schemas = openapi["components"]["schemas"]
    assert schemas["TaskCreate"]["properties"]["title"]["examples"] == ["Buy milk"]
    assert schemas["UserCreate"]["additionalProperties"] is False
    assert "ErrorResponse" in schemas


def test_openapi_list_documents_query_parameters(openapi: dict[str, Any]) -> None:
    operation = _operations(openapi)[("get", "/api/tasks")]
    names = {p["name"] for p in operation["parameters"]}
    assert {
        "status",
        "priority",
        "tag",
        "q",
        "sort",
        "order",
        "limit",
        "offset",
    } <= names
    assert "X-Total-Count" in operation["responses"]["200"]["headers"]


def test_openapi_password_flow_points_at_token_endpoint(
    openapi: dict[str, Any],
) -> None:
    schemes = openapi["components"]["securitySchemes"]
    flows = next(iter(schemes.values()))["flows"]
    assert flows["password"]["tokenUrl"] == "/api/auth/token"


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_page_references_no_external_host(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert EXTERNAL_URL.findall(response.text) == []


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_page_assets_are_served(client: TestClient, page: str) -> None:
    assets = ASSET_URL.findall(client.get(page).text)
    assert assets, "the page should load scripts or styles"
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert len(response.content) > 1000, asset


def test_docs_oauth2_redirect_page_is_served(client: TestClient) -> None:
    assert client.get("/docs/oauth2-redirect").status_code == 200


def test_redoc_script_loads_its_logo_from_the_app_not_a_cdn(client: TestClient) -> None:
    page = client.get("/redoc").text
    (script_url,) = [url for url in ASSET_URL.findall(page) if url.endswith(".js")]
    script = client.get(script_url)
    assert script.headers["content-type"].startswith("text/javascript")
    assert "cdn.redoc.ly" not in script.text
    assert "/api/static-docs/favicon.png" in script.text
    assert client.get("/api/static-docs/favicon.png").status_code == 200


def _example_of(response: dict[str, Any]) -> Any:
    content = response.get("content", {}).get("application/json", {})
    if "example" in content:
        return content["example"]
    examples = content.get("examples", {})
    return next(iter(examples.values()), {}).get("value") if examples else None


def test_openapi_every_route_documents_its_errors_with_examples(
    openapi: dict[str, Any],
) -> None:
    for key, operation in _operations(openapi).items():
        errors = {
            code: response
            for code, response in operation["responses"].items()
            if code.startswith(("4", "5"))
        }
        assert errors, f"{key} documents no error response"
        for code, response in errors.items():
            example = _example_of(response)
            assert example is not None, (key, code)
            if code == "412":  # the thing as it is now, as the ETag names it
                current = ProjectPublic if "/api/projects" in key[1] else TaskPublic
                current.model_validate(example)
            else:
                assert example.get("detail"), (key, code)
