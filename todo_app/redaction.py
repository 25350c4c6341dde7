"""Keep secrets out of the logs: bearer tokens, passwords and the payloads of events.

Installed once per process as a log record factory, so every record - ours, Reflex's, the
server's - is cleaned where it is made, before any handler formats it. A failed event's
payload may hold a password (the login form) or a token; Reflex's own messages quote it
("Event data: ...", "with value '...'"), so those parts are cut.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Callable
from typing import Any

REDACTED = "[redacted]"

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # JWTs (ours start with the base64 of '{"alg":...').
    (re.compile(r"eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*"), REDACTED),
    # Personal access tokens and bearer headers.
    (re.compile(r"todo_pat_[\w-]+"), REDACTED),
    (re.compile(r"(?i)(bearer\s+)[\w.\-~+/=]+"), rf"\g<1>{REDACTED}"),
    # The secret of a calendar feed's URL (an access log line, an error naming the path).
    (re.compile(r"(/api/calendar/)[\w-]+(\.ics)"), rf"\g<1>{REDACTED}\g<2>"),
    # "password": "...", 'token': '...', password=...
    (
        re.compile(
            r"""(?ix)
            (["']?[\w-]*(?:password|token|secret)[\w-]*["']?\s*[:=]\s*)
            (?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s,}\]]+)
            """
        ),
        rf"\g<1>{REDACTED}",
    ),
    # Reflex quoting the event it could not process.
    (re.compile(r"(?is)(event data:?\s*).*"), rf"\g<1>{REDACTED}"),
    (
        re.compile(r"(?is)(with value\s*).*?(\s+and type hint)"),
        rf"\g<1>{REDACTED}\g<2>",
    ),
    (re.compile(r"(?is)(received\s+).*?(\s+of type)"), rf"\g<1>{REDACTED}\g<2>"),
)


def redact(text: str) -> str:
    """The text with tokens, passwords and event payloads replaced by [redacted]."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _redacting_factory(
    make_record: Callable[..., logging.LogRecord],
) -> Callable[..., logging.LogRecord]:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            record.msg = redact(record.getMessage())
            record.args = None
            if record.exc_info and record.exc_info[1] is not None:
                record.exc_text = redact(
                    "".join(traceback.format_exception(*record.exc_info))
                ).rstrip("\n")
        except (TypeError, ValueError):  # a record with bad arguments is still logged
            record.msg, record.args = REDACTED, None
        return record

    factory.redacting = True  # type: ignore[attr-defined]
    return factory


def install() -> None:
    """Redact every log record of this process from now on (idempotent)."""
    current = logging.getLogRecordFactory()
    if not getattr(current, "redacting", False):
        logging.setLogRecordFactory(_redacting_factory(current))
