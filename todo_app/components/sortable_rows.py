"""The manual order's drag and drop: dnd-kit's sortable list, wrapped from assets/sortable_rows.jsx.

`sortable_rows` holds the rows of the Tasks list; `SortableRow` is a row's <li> and `DragHandle`
its handle, the only place a drag starts from (pointer, touch, or Space on the focused handle).
A drop fires `on_move(task_id, before_id)`: before_id is the row it now goes before, or None
for the end. Outside `sortable_rows` (the completed section) both are a plain <li> and button.
"""

from __future__ import annotations

import reflex as rx
from reflex_components_core.el.elements.forms import Button
from reflex_components_core.el.elements.typography import Li

# Served from .web/public, where the build copies assets/.
_MODULE = "$/public/sortable_rows.jsx"


def _moved(
    task_id: rx.Var[int], before_id: rx.Var[int | None]
) -> tuple[rx.Var[int], rx.Var[int | None]]:
    return task_id, before_id


class SortableRows(rx.Component):
    """dnd-kit's DndContext and SortableContext around the rows: no element of its own."""

    library = _MODULE
    tag = "SortableRows"
    # Pinned: the build installs these into reflex.lock/ beside Reflex's own.
    lib_dependencies: list[str] = [  # noqa: RUF012 - a Reflex prop default, as in its own
        "@dnd-kit/core@6.3.1",
        "@dnd-kit/sortable@10.0.0",
        "@dnd-kit/utilities@3.2.2",
    ]

    # The ids of the sortable rows, in their order.
    items: rx.Var[list[int]]
    # Off: the rows render as plain <li> and nothing drags.
    enabled: rx.Var[bool]
    on_move: rx.EventHandler[_moved]


class SortableRow(Li):
    """A row's <li>, which moves with the drag when the list is sortable."""

    library = _MODULE
    tag = "SortableRow"

    # The task's id: what `on_move` names.
    sort_id: rx.Var[int]


class DragHandle(Button):
    """A row's drag handle: a button dnd-kit listens on (a plain button outside a sortable row)."""

    library = _MODULE
    tag = "DragHandle"


sortable_rows = SortableRows.create
sortable_row = SortableRow.create
drag_handle = DragHandle.create
