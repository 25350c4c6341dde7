"""The task page's view logic without Reflex: due states, the URL's view, focus after a delete."""

from __future__ import annotations

from datetime import date

import pytest

from todo_app.models import TaskFilter, TaskQuery, TaskStatus
from todo_app.state.task_view import (
    NATURAL_ORDER,
    NEW_TASK_INPUT_ID,
    due_state,
    focus_after_delete,
    parse_view,
    row_id,
    shows_everything,
)

TODAY = date(2030, 6, 2)


@pytest.mark.parametrize(
    "due,state",
    [
        (None, ""),
        (date(2030, 6, 1), "overdue"),
        (date(2030, 6, 2), "today"),
        (date(2030, 6, 3), "tomorrow"),
        (date(2030, 6, 4), "upcoming"),
    ],
)
def test_due_state_is_judged_against_the_given_today(
    due: date | None, state: str
) -> None:
    assert due_state(due, TODAY) == state


@pytest.mark.parametrize("written", ["#Home", "  home ", "HOME"])
def test_the_urls_tag_is_written_as_tags_are_stored(written: str) -> None:
    assert parse_view({"tag": written})["tag"] == "home"


def test_the_urls_tag_folds_inner_spaces_into_one_dash() -> None:
    assert parse_view({"tag": "To  do"})["tag"] == "to-do"


@pytest.mark.parametrize(
    "field,order",
    [
        ("title", "asc"),
        ("due_date", "asc"),
        ("priority", "desc"),
        ("created", "desc"),
        ("manual", "asc"),
    ],
)
def test_each_sort_field_has_its_natural_direction(field: str, order: str) -> None:
    assert NATURAL_ORDER[field] == order


def test_shows_everything_only_without_filters() -> None:
    assert shows_everything(TaskQuery(sort="title", order="asc", offset=50))
    assert not shows_everything(TaskFilter(status=TaskStatus.pending))
    assert not shows_everything(TaskFilter(tag="home"))
    assert not shows_everything(TaskFilter(q="milk"))


def test_focus_after_delete_goes_to_the_row_that_took_its_place() -> None:
    assert focus_after_delete([1, 2, 3], 2, [1, 3]) == row_id(3)


def test_focus_after_deleting_the_last_row_goes_to_the_row_above() -> None:
    assert focus_after_delete([1, 2, 3], 3, [1, 2]) == row_id(2)


def test_focus_after_deleting_the_only_row_goes_to_the_new_task_input() -> None:
    assert focus_after_delete([7], 7, []) == NEW_TASK_INPUT_ID


def test_focus_after_delete_follows_the_reloaded_page() -> None:
    # A live change added a row meanwhile: the focus lands where the deleted row was.
    assert focus_after_delete([1, 2, 3], 2, [9, 1, 3]) == row_id(1)


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
