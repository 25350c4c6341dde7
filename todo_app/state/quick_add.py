"""The new-task input read as one line while the person types: the recognised parts as chips.

Each chip names the words that set a field ("tomorrow" -> due date); removing a chip puts
those words back into the title. `TaskState.add_task` creates the task with exactly what the
chips say, through `literal_spans`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping

import reflex as rx
from sqlmodel import Session

from todo_app.models import Priority, ProjectPublic, User
from todo_app.services import projects, quick_add, tasks
from todo_app.services.quick_add import TEXT_MAX, Part, PartKind
from todo_app.state.auth import AuthState


@dataclasses.dataclass
class Chip:
    """One recognised part of the typed line, as the chip under the input shows it."""

    index: int
    kind: str
    words: str
    meaning: str
    # The words will not set what they name as typed: a repeat the model cannot store, an
    # archived project (the add would be refused).
    warning: bool = False


def _archived_project(part: Part, archived: Collection[int]) -> bool:
    return part.kind == PartKind.project and part.value in archived


def _meaning(
    part: Part, project_names: Mapping[int, str], archived: Collection[int]
) -> str:
    value = part.value
    if part.kind == PartKind.date and value is not None:
        return "Due " + value.strftime("%a %-d %b %Y")  # type: ignore[union-attr]
    if part.kind == PartKind.time:
        return f"At {value}"
    if part.kind == PartKind.recurrence:
        return f"Repeats {getattr(value, 'value', value)}"
    if part.kind == PartKind.tag:
        return f"Tag {value}"
    if part.kind == PartKind.priority:
        if value == Priority.none:  # Todoist's p4
            return "No priority"
        return f"{str(getattr(value, 'value', value)).capitalize()} priority"
    if part.kind == PartKind.project and isinstance(value, int):
        name = project_names.get(value, part.words.lstrip("/"))
        if value in archived:  # what the add would answer
            return tasks.archived_project_message(name)
        return f"In {name}"
    return part.note or "Stays in the title"


def chips_of(
    parts: tuple[Part, ...],
    project_names: Mapping[int, str] | None = None,
    archived: Collection[int] = (),
) -> list[Chip]:
    """The chips for a parsed line's parts, in the order they were typed (a project's chip
    names it as the sidebar does, from `project_names` by id, and warns when its id is in
    `archived`)."""
    return [
        Chip(
            index=index,
            kind=part.kind.value,
            words=part.words,
            meaning=_meaning(part, project_names or {}, archived),
            warning=part.kind == PartKind.unsupported
            or _archived_project(part, archived),
        )
        for index, part in enumerate(parts)
    ]


class QuickAddState(AuthState):
    """What the line in the new-task input sets, read again as the person types."""

    chips: list[Chip] = rx.field(default_factory=list)
    # Backend only: the line last read, and the parts the person put back into the title,
    # as (start, end, words), kept while those words stay where they were.
    _line: str = ""
    _put_back: list[tuple[int, int, str]] = rx.field(default_factory=list)
    _shown: list[tuple[int, int, str]] = rx.field(default_factory=list)  # by chip index

    def literal_spans(self, line: str) -> list[tuple[int, int]]:
        """The spans of `line` the person put back into the title (chips they removed)."""
        return [
            (start, end)
            for start, end, words in self._put_back
            if line[start:end] == words
        ]

    async def _read(self) -> None:
        line, spans = self._line, self.literal_spans(self._line)
        self._put_back = [entry for entry in self._put_back if entry[:2] in spans]

        def read(
            session: Session, user: User
        ) -> tuple[tuple[Part, ...], list[ProjectPublic]]:
            parts = quick_add.parse_for_owner(
                session, owner_id=user.id, text=line, keep_literal=spans
            ).parts
            named: list[ProjectPublic] = []
            if any(part.kind == PartKind.project for part in parts):
                named = projects.list_projects(
                    session, owner_id=user.id, include_archived=True
                )
            return parts, named

        read_back = await self._as_user(read) if line.strip() else None
        parts, named = read_back if read_back is not None else ((), [])
        self._shown = [(part.start, part.end, part.words) for part in parts]
        self.chips = chips_of(
            parts,
            {project.id: project.name for project in named},
            {project.id for project in named if project.archived},
        )

    @rx.event
    async def read_line(self, text: str, key: str = "") -> None:
        """Typing paused in the input (its last key): show what the line sets.

        Not on Enter: that key submitted the line, which is being added (or was), and the
        input is starting afresh.
        """
        if key == "Enter":
            return
        self._line = text[:TEXT_MAX] if isinstance(text, str) else ""
        await self._read()

    @rx.event
    async def put_back(self, index: int) -> None:
        """ "Remove <words>": those words stay in the title instead of setting a field."""
        if isinstance(index, int) and 0 <= index < len(self._shown):
            self._put_back.append(self._shown[index])
        await self._read()

    def clear(self) -> None:
        """Forget the line once its task was added (the input starts empty again)."""
        self._line, self._put_back, self._shown, self.chips = "", [], [], []
