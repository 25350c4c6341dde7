"""Security headers on API, docs and compiled pages; the UI's policy allows its inline scripts."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from todo_app.api.app import create_api_app
from todo_app.api.headers import (
    COMMON_HEADERS,
    SecurityHeadersMiddleware,
    app_policy,
    inline_script_hashes,
)


@pytest.fixture
def guarded(database_url: str) -> Iterator[TestClient]:
    """The API wrapped as the app wraps it."""
    with TestClient(SecurityHeadersMiddleware(create_api_app())) as client:
        yield client


@pytest.mark.parametrize(
    "path", ["/api/health", "/api/tasks", "/openapi.json", "/api/no-such-route"]
)
def test_every_api_response_carries_the_security_headers(
    guarded: TestClient, path: str
) -> None:
    response = guarded.get(path)
    for name, value in COMMON_HEADERS.items():
        assert response.headers[name] == value
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-eval" not in policy


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_get_their_own_policy_without_eval(guarded: TestClient, path: str) -> None:
    policy = guarded.get(path).headers["content-security-policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_ui_policy_allows_exactly_the_inline_scripts_of_the_build(
    tmp_path: Path,
) -> None:
    (tmp_path / "index.html").write_text(
        '<html><script>window.a = 1;</script><script src="/x.js"></script>'
        '<script type="module">import "/y.js";</script></html>'
    )
    expected = {
        "'sha256-"
        + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        + "'"
        for body in ("window.a = 1;", 'import "/y.js";')
    }
    assert set(inline_script_hashes(tmp_path)) == expected
    policy = app_policy(tmp_path)
    assert all(source in policy for source in expected)
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
