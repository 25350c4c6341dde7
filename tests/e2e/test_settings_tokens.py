"""Settings: make a personal access token, see it once, copy it, use it, revoke it."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Page, expect

from bench.server import RunningApp
from tests.e2e.helpers import register, unique_email


def test_a_token_made_in_settings_works_until_it_is_revoked(
    live_app: RunningApp, page: Page
) -> None:
    base = live_app.url
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    register(page, base, name="Tok", email=unique_email("tokens"), password="pw-123456")
    page.get_by_role("link", name="Settings").click()

    page.get_by_label("Token label").fill("Backup script")
    page.get_by_role("combobox", name="Scope").click()
    page.get_by_role("option", name="Read and write").click()
    page.get_by_role("combobox", name="Expires").click()
    page.get_by_role("option", name="Never").click()
    page.get_by_role("button", name="Create token").click()

    shown = page.get_by_label("New token")
    expect(shown).to_have_value(re.compile(r"^todo_pat_[A-Za-z0-9_-]{43}$"))
    token = shown.input_value()
    assert token.startswith("todo_pat_")
    tokens = page.get_by_role("list", name="Personal access tokens")
    expect(tokens.get_by_role("listitem")).to_have_count(1)
    expect(tokens.get_by_role("listitem")).to_contain_text("Backup script")
    expect(tokens.get_by_role("listitem")).to_contain_text("write")

    page.get_by_role("button", name="Copy token").click()
    expect(page.get_by_text("Token copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == token

    bearer = {"Authorization": f"Bearer {token}"}
    created = httpx.post(
        f"{base}/api/tasks", json={"title": "Via token"}, headers=bearer
    )
    assert created.status_code == 201

    page.get_by_role("button", name="Done").click()
    expect(page.get_by_label("New token")).to_be_hidden()
    expect(page.get_by_label("New token")).to_have_value("")

    page.get_by_role("button", name="Revoke Backup script").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Backup script")
    dialog.get_by_role("button", name="Revoke token").click()
    # Said once the revocation is committed (an empty list alone may be a re-render).
    expect(page.get_by_text("Token “Backup script” revoked")).to_be_visible()
    expect(tokens.get_by_role("listitem")).to_have_count(0)
    assert httpx.get(f"{base}/api/tasks", headers=bearer).status_code == 401


def test_a_new_token_is_not_hidden_under_an_earlier_message(
    live_app: RunningApp, page: Page
) -> None:
    base = live_app.url
    register(
        page, base, name="Tok", email=unique_email("tokens-toast"), password="pw-123456"
    )
    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Time zone").fill("Europe/Paris")
    page.get_by_role("button", name="Save time zone").click()
    message = page.get_by_role("status").filter(has_text="Time zone set to")
    expect(message).to_be_visible()

    page.get_by_label("Token label").fill("Backup script")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_label("New token")).to_have_value(re.compile("^todo_pat_"))
    # The message goes with the same update that opens the box (checked at once: left
    # alone it would fade out a few seconds later), so it never sits over its buttons.
    assert message.count() == 0
    for name in ("Copy token", "Done"):
        button = page.get_by_role("button", name=name)
        button.scroll_into_view_if_needed()
        assert button.evaluate(
            """(button) => {
                const box = button.getBoundingClientRect();
                const x = box.left + box.width / 2, y = box.top + box.height / 2;
                return button.contains(document.elementFromPoint(x, y));
            }"""
        ), f"{name} is covered"
