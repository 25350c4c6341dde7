"""Bearer tokens over HTTP: every kind of bad token gets 401 with WWW-Authenticate: Bearer."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.builders import token_for
from tests.conftest import SECRET_KEY
from todo_app.models import User

IN_AN_HOUR = 3600


def _sign(claims: dict[str, Any], key: str = SECRET_KEY, alg: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=alg)


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _me(client: TestClient, authorization: str | bytes) -> Any:
    return client.get("/api/auth/me", headers={"Authorization": authorization})


def _assert_rejected(response: Any) -> None:
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {"detail": "Invalid or expired token"}


def test_handmade_token_without_a_session_is_refused(
    client: TestClient, user: User
) -> None:
    token = _sign({"sub": str(user.id), "exp": int(time.time()) + IN_AN_HOUR})
    assert _me(client, f"Bearer {token}").status_code == 401


def test_bearer_scheme_is_case_insensitive(
    client: TestClient, session: Session, user: User
) -> None:
    assert _me(client, f"bearer {token_for(session, user)}").status_code == 200


def test_missing_authorization_returns_401(client: TestClient) -> None:
    response = client.get("/api/auth/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {"detail": "Not authenticated"}


@pytest.mark.parametrize(
    "authorization",
    ["Bearer", "Bearer ", "Basic YWRhOnB3", "Token abc", "abc.def.ghi"],
    ids=["no-token", "empty-token", "basic-scheme", "other-scheme", "no-scheme"],
)
def test_authorization_without_bearer_token_returns_401(
    client: TestClient, authorization: str
) -> None:
    response = _me(client, authorization)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "token",
    [b"garbage", b"a.b.c", b"a.b", b"....", b"\xff\xfe.\xff.\xff", b"x" * 5000],
    ids=["garbage", "three-parts", "two-parts", "dots", "non-ascii", "huge"],
)
def test_malformed_token_returns_401(client: TestClient, token: bytes) -> None:
    _assert_rejected(_me(client, b"Bearer " + token))


def test_expired_token_returns_401(client: TestClient, user: User) -> None:
    token = _sign({"sub": str(user.id), "exp": int(time.time()) - 10})
    _assert_rejected(_me(client, f"Bearer {token}"))


def test_token_signed_with_other_key_returns_401(
    client: TestClient, user: User
) -> None:
    claims = {"sub": str(user.id), "exp": int(time.time()) + IN_AN_HOUR}
    token = _sign(claims, key="another-secret-key-that-is-long-enough-000")
    _assert_rejected(_me(client, f"Bearer {token}"))


def test_alg_none_token_returns_401(client: TestClient, user: User) -> None:
    claims = {"sub": str(user.id), "exp": int(time.time()) + IN_AN_HOUR}
    token = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
    _assert_rejected(_me(client, f"Bearer {token}"))


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_hs512_token_with_right_key_returns_401(client: TestClient, user: User) -> None:
    claims = {"sub": str(user.id), "exp": int(time.time()) + IN_AN_HOUR}
    _assert_rejected(_me(client, f"Bearer {_sign(claims, alg='HS512')}"))


def test_token_without_exp_returns_401(client: TestClient, user: User) -> None:
    _assert_rejected(_me(client, f"Bearer {_sign({'sub': str(user.id)})}"))


def test_token_without_sub_returns_401(client: TestClient, user: User) -> None:
    token = _sign({"exp": int(time.time()) + IN_AN_HOUR})
    _assert_rejected(_me(client, f"Bearer {token}"))


@pytest.mark.parametrize(
    "sub",
    ["abc", "-1", "1.0", "9" * 40, ""],
    ids=["letters", "negative", "float", "huge", "empty"],
)
def test_token_with_invalid_sub_returns_401(client: TestClient, sub: str) -> None:
    token = _sign({"sub": sub, "exp": int(time.time()) + IN_AN_HOUR})
    _assert_rejected(_me(client, f"Bearer {token}"))


def test_token_of_unknown_user_returns_401(client: TestClient, user: User) -> None:
    token = _sign({"sub": str(user.id + 1000), "exp": int(time.time()) + IN_AN_HOUR})
    _assert_rejected(_me(client, f"Bearer {token}"))


def test_token_with_tampered_payload_returns_401(
    client: TestClient, user: User, other_user: User
) -> None:
    token = _sign({"sub": str(user.id), "exp": int(time.time()) + IN_AN_HOUR})
    header, _payload, signature = token.split(".")
    forged_payload = _b64({"sub": str(other_user.id), "exp": int(time.time()) + 60})
    _assert_rejected(_me(client, f"Bearer {header}.{forged_payload}.{signature}"))


def test_revoked_token_returns_401(client: TestClient, headers: dict[str, str]) -> None:
    client.post("/api/auth/logout", headers=headers)
    _assert_rejected(client.get("/api/auth/me", headers=headers))


def test_token_rejected_on_task_endpoints_too(client: TestClient) -> None:
    response = client.get("/api/tasks", headers={"Authorization": "Bearer garbage"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
