"""Preferences this browser keeps for its person, in localStorage (no server column needed)."""

from __future__ import annotations

import reflex as rx

from todo_app.state.task_view import START_VIEWS


class PreferencesState(rx.State):
    """Where "/" starts: the Inbox, or Today. Kept per browser, synced between its tabs."""

    start_view: str = rx.LocalStorage("inbox", name="todo_start_view", sync=True)

    @rx.event
    def set_start_view(self, value: str) -> None:
        """Start in the Inbox or in Today; anything else is ignored."""
        if value in START_VIEWS:
            self.start_view = value

    def _start(self) -> str:
        """The validated start view (localStorage can hold anything the browser put there)."""
        return self.start_view if self.start_view in START_VIEWS else "inbox"
