"""Attacks in a real browser against the production build: each must fail.

- the app works under its Content-Security-Policy (no violation while a person uses it);
- a tab's Reflex state token replayed in another browser without the session key gets the
  login page, not the tab's data;
- HTML typed into a task is shown as text;
- the app answers at http://127.0.0.1 too (its websocket accepts that origin);
- what the server writes to disk is owner-only, and its log holds no password or credential.
"""

from __future__ import annotations

import stat
import uuid

import httpx
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from bench.server import RunningApp
from tests.e2e.helpers import (
    add_task,
    log_in,
    login_url_pattern,
    register,
    unique_email,
)


def _watch_policy_violations(page: Page) -> list[str]:
    """Every Content-Security-Policy violation the page reports, as it happens."""
    violations: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", on_console)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', (event) => "
        "console.error('Content Security Policy: ' + event.violatedDirective + ' ' "
        "+ event.blockedURI));"
    )
    return violations


def test_the_app_works_under_its_content_security_policy(
    live_app: RunningApp, page: Page
) -> None:
    violations = _watch_policy_violations(page)
    base = live_app.url
    response = page.goto(f"{base}/register")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-frame-options"] == "DENY"
    register(page, base, name="Csp", email=unique_email("csp"), password="password123")
    add_task(page, "Under the policy")
    page.get_by_role("checkbox", name="Under the policy").click()
    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Name").fill("Csp Renamed")
    page.get_by_role("button", name="Save name").click()
    expect(page.get_by_role("status").filter(has_text="Name saved")).to_be_visible()
    assert violations == []


def test_the_api_docs_work_offline_under_their_own_policy(
    live_app: RunningApp, page: Page
) -> None:
    violations = _watch_policy_violations(page)
    page.goto(f"{live_app.url}/docs")
    expect(page.get_by_text("todo_app API").first).to_be_visible()
    page.goto(f"{live_app.url}/redoc")
    expect(page.get_by_text("todo_app API").first).to_be_visible()
    assert violations == []


def test_a_replayed_state_token_without_the_session_key_gets_the_login_page(
    live_app: RunningApp, browser: Browser, page: Page
) -> None:
    base = live_app.url
    register(page, base, name="Vic", email=unique_email("victim"), password="pw-123456")
    add_task(page, "Victim's secret plan")
    state_token = page.evaluate("window.sessionStorage.getItem('token')")
    assert state_token

    attacker = browser.new_context()
    try:
        # The attacker's tab claims the victim's Reflex state token, but has no session key.
        attacker.add_init_script(
            f"window.sessionStorage.setItem('token', {state_token!r});"
        )
        tab = attacker.new_page()
        tab.goto(f"{base}/")
        expect(tab).to_have_url(login_url_pattern(base))
        expect(tab.get_by_text("Victim's secret plan")).to_have_count(0)
    finally:
        attacker.close()
    # The victim's own tab is unaffected.
    page.reload()
    expect(page.get_by_role("checkbox", name="Victim's secret plan")).to_be_visible()


def test_html_in_a_title_is_shown_as_text(live_app: RunningApp, page: Page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    register(
        page, live_app.url, name="X", email=unique_email("xss"), password="pw-123456"
    )
    payload = '<img src=x onerror="alert(1)"><b>bold</b>'
    add_task(page, payload)
    expect(page.get_by_text(payload, exact=True)).to_be_visible()
    assert page.locator("img[src=x]").count() == 0
    assert dialogs == []


def test_the_app_works_when_opened_at_127_0_0_1(
    live_app: RunningApp, page: Page
) -> None:
    base = f"http://127.0.0.1:{live_app.port}"
    register(
        page, base, name="Lo", email=unique_email("loopback"), password="pw-123456"
    )
    add_task(page, "Reached through 127.0.0.1")


def test_files_are_owner_only_and_the_log_holds_no_secret(
    live_app: RunningApp, page: Page
) -> None:
    base = live_app.url
    email, password = unique_email("logs"), f"Very-secret-{uuid.uuid4().hex[:8]}"
    register(page, base, name="Lou", email=email, password=password)
    browser_key = page.evaluate("window.localStorage.getItem('todo_browser_key')")
    # Attacks that make the server log: wrong passwords, a forged token, a login flood.
    log_in_attempt = {"email": email, "password": f"{password}-wrong"}
    for _ in range(3):
        httpx.post(f"{base}/api/auth/login", json=log_in_attempt)
    token = httpx.post(
        f"{base}/api/auth/login", json={"email": email, "password": password}
    ).json()["access_token"]
    httpx.get(f"{base}/api/tasks", headers={"Authorization": f"Bearer {token}x"})
    page.get_by_role("button", name="Log out", exact=True).click()
    expect(page).to_have_url(login_url_pattern(base))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(f"{password}-wrong")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("Incorrect email or password")
    log_in(page, base, email=email, password=password)

    log = live_app.log_path.read_text(errors="replace")
    for secret in (password, f"{password}-wrong", token, browser_key):
        assert secret not in log
    database = live_app.data_dir / "todo.db"
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    for extra in live_app.data_dir.glob("todo.db-*"):
        assert stat.S_IMODE(extra.stat().st_mode) == 0o600, extra.name
