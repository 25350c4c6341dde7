"""Every page's component tree builds: a wrong prop or trigger fails here, not in the build."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import reflex as rx

from todo_app.pages.auth import login_page, register_page
from todo_app.pages.settings import settings_page
from todo_app.pages.tasks import (
    completed_page,
    inbox_page,
    project_page,
    today_page,
    upcoming_page,
)
from todo_app.pages.trash import trash_page


@pytest.mark.parametrize(
    "page",
    [
        inbox_page,
        today_page,
        upcoming_page,
        completed_page,
        project_page,
        trash_page,
        settings_page,
        login_page,
        register_page,
    ],
    ids=lambda p: p.__name__,
)
def test_page_builds(page: Callable[[], rx.Component]) -> None:
    assert isinstance(page(), rx.Component)
