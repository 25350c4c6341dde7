"""The production build starts and answers on its port."""

from __future__ import annotations

import httpx

from bench.server import RunningApp


def test_ping_answers_pong(live_app: RunningApp) -> None:
    response = httpx.get(f"{live_app.url}/ping")
    assert response.status_code == 200
    assert response.json() == "pong"


def test_root_serves_the_html_page(live_app: RunningApp) -> None:
    response = httpx.get(live_app.url)
    assert response.status_code == 200
    assert "<html" in response.text.lower()


def test_api_is_mounted_on_the_same_port(live_app: RunningApp) -> None:
    response = httpx.get(f"{live_app.url}/api/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_production_app_does_not_reflect_a_foreign_origin(live_app: RunningApp) -> None:
    evil = {"Origin": "https://evil.example"}
    for path in ("/api/health", "/ping", "/"):
        response = httpx.get(f"{live_app.url}{path}", headers=evil)
        assert "access-control-allow-origin" not in response.headers, path
    preflight = httpx.options(
        f"{live_app.url}/api/tasks",
        headers={**evil, "Access-Control-Request-Method": "GET"},
    )
    assert (
        preflight.headers.get("access-control-allow-origin") != "https://evil.example"
    )


def test_production_app_allows_its_own_origin(live_app: RunningApp) -> None:
    own = f"http://localhost:{live_app.port}"
    response = httpx.get(f"{live_app.url}/api/health", headers={"Origin": own})
    assert response.headers.get("access-control-allow-origin") == own


def test_production_app_serves_api_docs_without_external_hosts(
    live_app: RunningApp,
) -> None:
    for path in ("/docs", "/redoc"):
        page = httpx.get(f"{live_app.url}{path}")
        assert page.status_code == 200, path
        assert "cdn." not in page.text and "https://" not in page.text, path
    spec = httpx.get(f"{live_app.url}/openapi.json").json()
    assert "/api/tasks" in spec["paths"]


def test_the_icons_are_served(live_app: RunningApp) -> None:
    svg = httpx.get(f"{live_app.url}/favicon.svg")
    assert svg.status_code == 200
    assert svg.headers["content-type"].startswith("image/svg+xml")
    for path in ("/favicon.ico", "/apple-touch-icon.png"):
        assert httpx.get(f"{live_app.url}{path}").status_code == 200, path


def test_every_page_links_the_icon(live_app: RunningApp) -> None:
    for path in ("/", "/login"):
        html = httpx.get(f"{live_app.url}{path}", follow_redirects=True).text
        assert 'href="/favicon.svg"' in html, path


def test_an_unknown_address_answers_404(live_app: RunningApp) -> None:
    assert httpx.get(f"{live_app.url}/no-such-page").status_code == 404
