"""GET /api/health with the database up and down, and the CORS policy of the API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from todo_app.api.app import create_api_app
from todo_app.settings import get_settings

UNREACHABLE_DATABASE = "postgresql+psycopg2://postgres@127.0.0.1:1/x"
EVIL_ORIGIN = "https://evil.example"


@pytest.fixture
def unreachable_database_client(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    """An API app whose DATABASE_URL points at a port where no PostgreSQL listens."""
    monkeypatch.setenv("DATABASE_URL", UNREACHABLE_DATABASE)
    get_settings.cache_clear()
    with TestClient(create_api_app(), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def cors_client(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    """An API app allowing two origins through TODO_CORS_ORIGINS."""
    monkeypatch.setenv(
        "TODO_CORS_ORIGINS", "https://todo.example, http://localhost:3000/"
    )
    get_settings.cache_clear()
    with TestClient(create_api_app()) as test_client:
        yield test_client


def test_health_returns_ok_with_database(client: TestClient) -> None:
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_returns_503_without_database(
    unreachable_database_client: TestClient,
) -> None:
    response = unreachable_database_client.get("/api/health")
    assert response.status_code == 503
    assert response.json() == {"detail": "The database is unavailable"}


def test_login_returns_503_without_database(
    unreachable_database_client: TestClient,
) -> None:
    response = unreachable_database_client.post(
        "/api/auth/login", json={"email": "a@example.com", "password": "password123"}
    )
    assert response.status_code == 503
    assert "retry-after" in response.headers


def test_cors_allowed_origin_gets_allow_origin(cors_client: TestClient) -> None:
    response = cors_client.get(
        "/api/health", headers={"Origin": "https://todo.example"}
    )
    assert response.headers["access-control-allow-origin"] == "https://todo.example"
    assert "x-total-count" in response.headers["access-control-expose-headers"].lower()


def test_cors_evil_origin_gets_no_allow_origin(cors_client: TestClient) -> None:
    response = cors_client.get("/api/health", headers={"Origin": EVIL_ORIGIN})
    assert "access-control-allow-origin" not in response.headers
    assert "access-control-allow-credentials" not in response.headers


def test_cors_preflight_from_allowed_origin_is_allowed(cors_client: TestClient) -> None:
    response = cors_client.options(
        "/api/tasks",
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "http://localhost:3000"


def test_cors_preflight_from_evil_origin_is_refused(cors_client: TestClient) -> None:
    response = cors_client.options(
        "/api/tasks",
        headers={"Origin": EVIL_ORIGIN, "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


def test_cors_default_allows_only_own_origin(client: TestClient) -> None:
    own = f"http://localhost:{get_settings().port}"
    allowed = client.get("/api/health", headers={"Origin": own})
    refused = client.get("/api/health", headers={"Origin": EVIL_ORIGIN})
    assert allowed.headers["access-control-allow-origin"] == own
    assert "access-control-allow-origin" not in refused.headers
