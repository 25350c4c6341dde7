"""The list view read from the URL: anything crafted falls back to the default, never an error."""

from __future__ import annotations

import pytest

from todo_app.state.task_view import parse_view


@pytest.mark.parametrize(
    "page",
    ["١٢", "²", "9" * 5000, "-1", "0", "1.5", " ", "1e3", "0x10", "\x00"],
    ids=[
        "arabic-indic",
        "superscript",
        "thousands-of-digits",
        "negative",
        "zero",
        "decimal",
        "blank",
        "exponent",
        "hex",
        "nul",
    ],
)
def test_parse_view_crafted_page_falls_back_to_page_one(page: str) -> None:
    assert parse_view({"page": page})["page"] == "1"


def test_parse_view_page_is_capped() -> None:
    assert parse_view({"page": "999999999"})["page"] == "100000"


def test_parse_view_ordinary_page_is_kept() -> None:
    assert parse_view({"page": "3"})["page"] == "3"
