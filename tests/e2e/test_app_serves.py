"""The production build starts and answers on its port."""

from __future__ import annotations

import httpx

from tests.e2e.conftest import LiveApp


def test_ping_answers_pong(live_app: LiveApp) -> None:
    response = httpx.get(f"{live_app.url}/ping")
    assert response.status_code == 200
    assert response.json() == "pong"


def test_root_serves_the_html_page(live_app: LiveApp) -> None:
    response = httpx.get(live_app.url)
    assert response.status_code == 200
    assert "<html" in response.text.lower()


def test_api_is_mounted_on_the_same_port(live_app: LiveApp) -> None:
    response = httpx.get(f"{live_app.url}/api/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
