"""The trash page: the signed-in user's deleted tasks, to restore or remove for good."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime

import reflex as rx
from pydantic import ValidationError
from sqlmodel import Session

from todo_app.errors import DomainError
from todo_app.models import TrashedTaskPublic, TrashQuery, User, utcnow
from todo_app.services import tasks
from todo_app.settings import get_settings
from todo_app.state.auth import AuthState
from todo_app.state.common import error_message
from todo_app.state.live import hub
from todo_app.state.readable_dates import full_date, when_past
from todo_app.state.task_view import PAGE_SIZE
from todo_app.state.tasks import TaskState


@dataclasses.dataclass
class TrashRow:
    """A deleted task as the trash shows it."""

    id: int
    title: str
    # When it was deleted, on the user's calendar: "Deleted 2 days ago", "Deleted on 3 Nov".
    deleted: str
    # The same day in full, for a hover or a screen reader: "Friday, 3 November 2026".
    deleted_on: str


def trash_row(item: TrashedTaskPublic, timezone: str, today: date) -> TrashRow:
    """The row of one deleted task; the day is read in the user's time zone."""
    day = tasks.local_today(timezone, item.deleted_at)
    return TrashRow(
        id=item.id,
        title=item.title,
        deleted="Deleted " + when_past(day, today),
        deleted_on=full_date(day),
    )


@dataclasses.dataclass(frozen=True)
class LoadedTrash:
    """What the trash page shows: its newest page of rows and how many tasks it holds."""

    owner_id: int
    rows: list[TrashRow]
    total: int


def read_trash(
    session: Session, user: User, now: datetime | None = None
) -> LoadedTrash:
    """The newest page of `user`'s trash."""
    page = tasks.list_trash(
        session, owner_id=user.id, query=TrashQuery(limit=PAGE_SIZE)
    )
    today = tasks.local_today(user.timezone, now or utcnow())
    rows = [trash_row(item, user.timezone, today) for item in page.items]
    return LoadedTrash(owner_id=user.id, rows=rows, total=page.total)


class TrashState(AuthState):
    """The trash's rows and the "Delete forever" confirmation; loaded after the user check."""

    rows: list[TrashRow] = rx.field(default_factory=list)
    total: int = 0
    loading: bool = True
    confirm_forever_id: int = 0
    confirm_forever_title: str = ""
    confirm_empty: bool = False
    # TODO_TRASH_DAYS, for the empty trash's explanation.
    keep_days: int = 30

    @rx.var
    def more_label(self) -> str:
        """How many older deleted tasks the page does not show ("" when none)."""
        hidden = self.total - len(self.rows)
        return f"and {hidden} older" if hidden > 0 else ""

    def _show(self, loaded: LoadedTrash) -> None:
        self.rows, self.total, self.loading = loaded.rows, loaded.total, False
        self.keep_days = get_settings().trash_days

    async def _reload(self) -> LoadedTrash | None:
        loaded = await self._as_user(read_trash)
        if loaded is not None:
            self._show(loaded)
        return loaded

    @rx.event
    async def load_trash(self) -> None:
        """On load: check the user, show the trash and follow its changes live."""
        self.confirm_forever_id, self.confirm_forever_title = 0, ""
        self.confirm_empty = False
        try:
            loaded = await self._reload()
        except DomainError as error:
            self.loading = False
            self._notify(error_message(error), "error")
            return
        if loaded is not None:
            hub.watch(loaded.owner_id, self.router.session.client_token, TrashState)

    async def _apply_live_change(self, user_id: int) -> None:
        """Reload after the user's tasks changed elsewhere (called by the live hub only)."""
        if await self._reload() is None:
            self.reset()
            hub.forget(self.router.session.client_token)
            return
        # The sidebar beside the trash: a project renamed or added elsewhere shows here too.
        await (await self.get_state(TaskState))._load_projects()

    async def _change(self, change: Callable[[Session, int], object]) -> bool:
        """Run `change(session, owner_id)` and show the trash after it, in one hop.

        Whether it was done (False after an error, which is shown).
        """

        def work(session: Session, user: User) -> LoadedTrash:
            change(session, user.id)
            return read_trash(session, user)

        try:
            loaded = await self._as_user(work)
        except (ValidationError, DomainError) as error:
            # Over a limit, or already gone elsewhere: say so and show the trash as it is.
            self._notify(error_message(error), "error")
            await self._reload()
            return False
        if loaded is None:
            return False
        self._show(loaded)
        return True

    @rx.event
    async def restore(self, task_id: int) -> None:
        """Put a deleted task back in the list, as it was."""
        await self._change(
            lambda session, owner_id: tasks.restore_task(
                session, owner_id=owner_id, task_id=task_id
            )
        )

    @rx.event
    def ask_delete_forever(self, task_id: int) -> None:
        """Ask before removing a task of the trash for good."""
        row = next((row for row in self.rows if row.id == task_id), None)
        if row is not None:
            self.confirm_forever_id, self.confirm_forever_title = row.id, row.title

    @rx.event
    def cancel_delete_forever(self) -> None:
        """Keep the task in the trash."""
        self.confirm_forever_id, self.confirm_forever_title = 0, ""

    @rx.event
    async def confirm_delete_forever(self) -> None:
        """Remove the task the confirmation is about for good."""
        task_id = self.confirm_forever_id
        self.confirm_forever_id, self.confirm_forever_title = 0, ""
        if task_id:
            await self._change(
                lambda session, owner_id: tasks.delete_forever(
                    session, owner_id=owner_id, task_id=task_id
                )
            )

    @rx.event
    def ask_empty_trash(self) -> None:
        """Ask before removing every task of the trash for good."""
        self.confirm_empty = True

    @rx.event
    def cancel_empty_trash(self) -> None:
        """Keep the trash as it is."""
        self.confirm_empty = False

    @rx.event
    async def confirm_empty_trash(self) -> None:
        """Remove every task of the user's trash for good, and say how many went."""
        if not self.confirm_empty:
            return
        self.confirm_empty = False
        removed: list[int] = []
        if await self._change(
            lambda session, owner_id: removed.append(
                tasks.empty_trash(session, owner_id=owner_id)
            )
        ):
            count = removed[0]
            self._notify(
                f"{count} task{'' if count == 1 else 's'} deleted forever", "success"
            )
