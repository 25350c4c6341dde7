"""Log records never carry tokens, passwords or the payloads of events."""

from __future__ import annotations

import logging

import pytest

from todo_app import redaction

TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIiwic2lkIjoieCJ9.c2lnbmF0dXJl"


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (f"Authorization: Bearer {TOKEN}", TOKEN),
        (f"token was {TOKEN}", TOKEN),
        ('{"email": "a@example.com", "password": "hunter2-secret"}', "hunter2-secret"),
        ("{'current_password': 'old-secret-1', 'x': 1}", "old-secret-1"),
        ("password=plain-secret next", "plain-secret"),
        ("todo_pat_AbCdEf123_-x leaked", "todo_pat_AbCdEf123_-x"),
        (
            '"GET /api/calendar/q3Zx-_0123456789abcdefABCDEFghijklmnopqrstu.ics" 200',
            "q3Zx-_0123456789abcdefABCDEFghijklmnopqrstu",
        ),
        (
            (
                "Received event from session s1 with no associated token. Event data: "
                "{'payload': {'form_data': {'password': 'in-a-payload'}}}"
            ),
            "in-a-payload",
        ),
        (
            (
                "Error transforming event argument 'form_data' with value "
                "'['in-a-list']' and type hint 'dict'"
            ),
            "in-a-list",
        ),
    ],
)
def test_redact_removes_the_secret(text: str, secret: str) -> None:
    assert secret not in redaction.redact(text)
    assert redaction.REDACTED in redaction.redact(text)


def test_redact_leaves_ordinary_messages_alone() -> None:
    text = "database pool: 1 worker(s) x 15 connections = 15 of 97 PostgreSQL accepts"
    assert redaction.redact(text) == text


def test_installed_factory_redacts_messages_arguments_and_tracebacks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    previous = logging.getLogRecordFactory()
    redaction.install()
    redaction.install()  # idempotent: one layer only
    try:
        logger = logging.getLogger("todo_app.test_redaction")
        with caplog.at_level(logging.INFO, logger="todo_app.test_redaction"):
            logger.info("login with %s", {"password": "arg-secret"})
            try:
                raise ValueError(f"with value '{TOKEN}' and type hint 'dict'")
            except ValueError:
                logger.exception("event failed")
        text = caplog.text
    finally:
        logging.setLogRecordFactory(previous)
    assert "arg-secret" not in text
    assert TOKEN not in text
    assert "event failed" in text
