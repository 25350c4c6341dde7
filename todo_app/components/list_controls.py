"""What steers the list: search, filters and sorting above it; toggle-all, pager, footer around it."""

from __future__ import annotations

import reflex as rx

from todo_app.components.forms import enum_options
from todo_app.components.layout import app_link
from todo_app.components.shortcuts import SEARCH_INPUT_ID
from todo_app.models import Priority, SortField
from todo_app.state.task_view import STATUS_BY_FILTER
from todo_app.state.tasks import TaskState


def _filter_link(name: str) -> rx.Component:
    selected = TaskState.filter == name
    return app_link(
        name.capitalize(),
        href=TaskState.filter_hrefs[name],
        aria_current=rx.cond(selected, "page", "false"),
        weight=rx.cond(selected, "bold", "regular"),
        underline=rx.cond(selected, "always", "hover"),
        padding_x="0.4rem",
    )


def status_filters() -> rx.Component:
    """The All / Active / Completed links (kept in the URL as ?filter=...)."""
    return rx.el.nav(
        rx.hstack(*[_filter_link(name) for name in STATUS_BY_FILTER], spacing="2"),
        aria_label="Status filter",
    )


def _any_or(value: rx.Var[str]) -> rx.Var[str]:
    # Radix selects cannot hold "": "any" stands for no filter.
    return rx.cond(value == "", "any", value)


def list_controls(sortable: bool = True) -> rx.Component:
    """Search, priority and tag filters, and sorting (not in the lists that keep their own
    order: `sortable` False)."""
    return rx.flex(
        rx.input(
            rx.input.slot(rx.icon("search", size=16)),
            placeholder="Search",
            aria_label="Search",
            id=SEARCH_INPUT_ID,
            type="search",
            value=TaskState.search,
            on_change=TaskState.set_search,
            debounce_timeout=300,
            flex="2",
            min_width=["0", "0", "10rem"],
        ),
        # Desktop: the filters in the row; a phone keeps one row, filters behind a button.
        rx.hstack(*_filters(sortable), spacing="2", display=["none", "none", "flex"]),
        rx.box(
            rx.popover.root(
                rx.popover.trigger(
                    rx.button(
                        rx.icon("sliders_horizontal", size=16, aria_hidden="true"),
                        "Filters",
                        variant="soft",
                    )
                ),
                rx.popover.content(
                    rx.vstack(*_filters(sortable), spacing="2"),
                    aria_label="Filters",
                ),
            ),
            display=["block", "block", "none"],
        ),
        wrap=rx.breakpoints(initial="nowrap", sm="wrap"),
        spacing="2",
        width="100%",
    )


def _filters(sortable: bool) -> list[rx.Component]:
    """The priority and tag filters and, if `sortable`, the sort order."""
    filters = [
        rx.select.root(
            rx.select.trigger(aria_label="Filter by priority"),
            rx.select.content(
                rx.select.item("Any priority", value="any"),
                *[
                    rx.select.item(text, value=value)
                    for value, text in enum_options(Priority)
                ],
            ),
            value=_any_or(TaskState.priority),
            on_change=TaskState.set_priority_filter,
        ),
        rx.select.root(
            rx.select.trigger(aria_label="Filter by tag"),
            rx.select.content(
                rx.select.item("Any tag", value="any"),
                rx.foreach(
                    TaskState.tags, lambda tag: rx.select.item("#" + tag, value=tag)
                ),
            ),
            value=_any_or(TaskState.tag),
            on_change=TaskState.set_tag_filter,
        ),
    ]
    return [*filters, _sort_menu()] if sortable else filters


def _sort_menu() -> rx.Component:
    ascending = TaskState.order == "asc"
    return rx.hstack(
        rx.select.root(
            rx.select.trigger(aria_label="Sort by"),
            rx.select.content(
                *[
                    rx.select.item(f"Sort: {text}", value=value)
                    for value, text in enum_options(SortField)
                ]
            ),
            value=TaskState.sort,
            on_change=TaskState.set_sort,
        ),
        rx.icon_button(
            rx.cond(
                ascending,
                rx.icon("arrow_up_narrow_wide", size=16),
                rx.icon("arrow_down_wide_narrow", size=16),
            ),
            variant="soft",
            aria_label=rx.cond(ascending, "Sort ascending", "Sort descending"),
            title=rx.cond(ascending, "Ascending", "Descending"),
            on_click=TaskState.toggle_order,
        ),
        spacing="1",
    )


def toggle_all_control() -> rx.Component:
    """Complete every task the view matches, on every page (or reopen them all when they are
    all done); shown while the view matches any task it may act on."""
    return rx.cond(
        TaskState.can_toggle_all,
        rx.el.label(
            rx.hstack(
                rx.checkbox(
                    checked=TaskState.all_completed,
                    on_change=lambda _checked: TaskState.toggle_all(),
                    aria_label="Mark all as complete",
                ),
                rx.text("Mark all as complete", size="2"),
                spacing="2",
                align="center",
            ),
        ),
    )


def pager() -> rx.Component:
    """Previous / next page links when the list has more than one page."""
    return rx.cond(
        TaskState.page_count > 1,
        rx.hstack(
            rx.cond(
                TaskState.page > 1,
                app_link("Previous page", href=TaskState.previous_page_href),
            ),
            rx.text(
                "Page ",
                TaskState.page,
                " of ",
                TaskState.page_count,
                size="2",
            ),
            rx.cond(
                TaskState.page < TaskState.page_count,
                app_link("Next page", href=TaskState.next_page_href),
            ),
            spacing="4",
            justify="center",
            width="100%",
        ),
    )


def list_footer(statuses: bool = True) -> rx.Component:
    """Items left, the status filters (unless the list shows open tasks only: `statuses`
    False), and "Clear completed (N)" while the view (every page) has N completed tasks:
    the count says how many the click deletes."""
    return rx.cond(
        TaskState.has_tasks,
        rx.flex(
            rx.text(TaskState.items_left_label, size="2", role="status"),
            status_filters() if statuses else rx.fragment(),
            rx.cond(
                TaskState.view_completed_count > 0,
                rx.button(
                    "Clear completed (",
                    TaskState.view_completed_count,
                    ")",
                    variant="ghost",
                    on_click=TaskState.clear_completed,
                ),
                rx.box(),
            ),
            justify="between",
            align="center",
            wrap="wrap",
            spacing="3",
            width="100%",
        ),
    )
