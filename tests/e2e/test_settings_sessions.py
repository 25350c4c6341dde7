"""Settings: the signed-in sessions, ending another one, and deleting the account by password."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from bench.server import RunningApp
from tests.e2e.helpers import (
    log_in,
    login_url_pattern,
    register,
    unique_email,
    url_pattern,
)


def test_logging_out_another_browser_from_settings_sends_it_to_login(
    live_app: RunningApp, browser: Browser, page: Page
) -> None:
    base = live_app.url
    email = unique_email("sessions")
    register(page, base, name="Sam", email=email, password="pw-123456")
    other = browser.new_context()
    try:
        other_page = other.new_page()
        log_in(other_page, base, email=email, password="pw-123456")
        expect(other_page.get_by_placeholder("What needs to be done?")).to_be_visible()

        page.get_by_role("link", name="Settings").click()
        sessions = page.get_by_role("list", name="Signed-in sessions")
        expect(sessions.get_by_role("listitem")).to_have_count(2)
        expect(sessions.get_by_text("This browser")).to_have_count(1)
        other_item = sessions.get_by_role("listitem").filter(
            has_not=page.get_by_text("This browser")
        )
        other_item.get_by_role("button").click()

        expect(sessions.get_by_role("listitem")).to_have_count(1)
        expect(other_page).to_have_url(login_url_pattern(base))
    finally:
        other.close()


def test_deleting_the_account_asks_for_the_password(
    live_app: RunningApp, page: Page
) -> None:
    base = live_app.url
    register(page, base, name="Del", email=unique_email("delete"), password="pw-123456")
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("button", name="Delete account").click()
    dialog = page.get_by_role("alertdialog")
    dialog.get_by_label("Password").fill("not-my-password")
    dialog.get_by_role("button", name="Delete my account").click()
    expect(dialog.get_by_role("alert")).to_have_text("The password is incorrect")

    dialog.get_by_label("Password").fill("pw-123456")
    dialog.get_by_role("button", name="Delete my account").click()
    expect(page).to_have_url(url_pattern(base, "/register"))


def test_text_typed_in_a_browser_logged_out_elsewhere_is_there_after_logging_in(
    live_app: RunningApp, browser: Browser, page: Page
) -> None:
    base = live_app.url
    email = unique_email("typed")
    register(page, base, name="Tia", email=email, password="pw-123456")
    other = browser.new_context()
    try:
        other_page = other.new_page()
        log_in(other_page, base, email=email, password="pw-123456")
        other_page.get_by_placeholder("What needs to be done?").fill("Half typed")

        page.get_by_role("link", name="Settings").click()
        sessions = page.get_by_role("list", name="Signed-in sessions")
        expect(sessions.get_by_role("listitem")).to_have_count(2)
        sessions.get_by_role("listitem").filter(
            has_not=page.get_by_text("This browser")
        ).get_by_role("button").click()

        expect(other_page).to_have_url(login_url_pattern(base))
        other_page.get_by_label("Email").fill(email)
        other_page.get_by_label("Password").fill("pw-123456")
        other_page.get_by_role("button", name="Log in").click()
        expect(other_page.get_by_placeholder("What needs to be done?")).to_have_value(
            "Half typed"
        )
    finally:
        other.close()


def test_two_sign_ins_are_told_apart_this_browser_first(
    live_app: RunningApp, browser: Browser, page: Page
) -> None:
    base = live_app.url
    email = unique_email("apart")
    register(page, base, name="Ann", email=email, password="pw-123456")
    other = browser.new_context()
    try:
        log_in(other.new_page(), base, email=email, password="pw-123456")
        page.get_by_role("link", name="Settings").click()
        rows = page.get_by_role("list", name="Signed-in sessions").get_by_role(
            "listitem"
        )
        expect(rows).to_have_count(2)
        expect(rows.first.get_by_text("This browser")).to_be_visible()
        for row in (rows.first, rows.nth(1)):
            expect(row).to_contain_text(
                re.compile(r"Active now · Signed in (just now|\d+ minutes? ago)")
            )
    finally:
        other.close()
