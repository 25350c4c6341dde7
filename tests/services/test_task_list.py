"""Listing tasks: filters, sorting, paging, counts and tags, always scoped to the owner."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlmodel import Session

from tests.builders import make_task, make_user
from todo_app.models import Task, TaskCreate, TaskQuery, User
from todo_app.services import tasks

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)


def _titles(session: Session, owner: User, **query: Any) -> list[str]:
    page = tasks.list_tasks(session, owner_id=owner.id, query=TaskQuery(**query))
    return [item.title for item in page.items]


def _completed(session: Session, task: Task) -> None:
    tasks.toggle_task(session, owner_id=task.user_id, task_id=task.id)
    session.commit()


def test_list_tasks_excludes_other_users_tasks(session: Session) -> None:
    owner, other = make_user(session), make_user(session)
    make_task(session, owner, title="Mine")
    make_task(session, other, title="Theirs")
    assert _titles(session, owner) == ["Mine"]


def test_list_tasks_status_pending_excludes_completed(session: Session) -> None:
    owner = make_user(session)
    make_task(session, owner, title="Open")
    _completed(session, make_task(session, owner, title="Done"))
    assert _titles(session, owner, status="pending") == ["Open"]


def test_list_tasks_status_completed_excludes_pending(session: Session) -> None:
    owner = make_user(session)
    make_task(session, owner, title="Open")
    _completed(session, make_task(session, owner, title="Done"))
    assert _titles(session, owner, status="completed") == ["Done"]


def test_list_tasks_status_all_includes_both(session: Session) -> None:
    owner = make_user(session)
    make_task(session, owner, title="Open")
    _completed(session, make_task(session, owner, title="Done"))
    assert sorted(_titles(session, owner, status="all")) == ["Done", "Open"]


def test_list_tasks_priority_filter(session: Session) -> None:
    owner = make_user(session)
    make_task(session, owner, title="High", priority="high")
    make_task(session, owner, title="Low", priority="low")
    assert _titles(session, owner, priority="high") == ["High"]


def test_list_tasks_tag_filter_ignores_case_and_spaces(session: Session) -> None:
    owner = make_user(session)
    make_task(session, owner, title="Tagged", tags=["home", "work"])
    make_task(session, owner, title="Other", tags=["work"])
    assert _titles(session, owner, tag=" HOME ") == ["Tagged"]


def test_list_tasks_tag_filter_written_with_a_hash_finds_the_tag(
    session: Session,
) -> None:
    owner = make_user(session)
    make_task(session, owner, title="Tagged", tags=["#Home"])
    make_task(session, owner, title="Other", tags=["work"])
    assert _titles(session, owner, tag="#HOME") == ["Tagged"]


def test_list_tasks_tag_filter_ignores_other_users_tags(session: Session) -> None:
    owner, other = make_user(session), make_user(session)
    make_task(session, other, title="Theirs", tags=["home"])
    assert _titles(session, owner, tag="home") == []


def test_list_tasks_q_matches_title_case_insensitively(session: Session) -> None:
    owner = make_user(session)
    make_task(session, owner, title="Buy MILK today")
    make_task(session, owner, title="Walk the dog")
    assert _titles(session, owner, q="milk") == ["Buy MILK today"]


def test_list_tasks_q_matches_description_case_insensitively(
    session: Session,
) -> None:
    owner = make_user(session)
    make_task(session, owner, title="Groceries", description="Semi-skimmed MILK")
    make_task(session, owner, title="Walk the dog")
    assert _titles(session, owner, q="Milk") == ["Groceries"]


def test_list_tasks_q_matches_non_latin_text_case_insensitively(
    session: Session,
) -> None:
    owner = make_user(session)
    make_task(session, owner, title="Ärger mit ÉLAN")
    make_task(session, owner, title="Молоко купить")
    assert _titles(session, owner, q="äRGER") == ["Ärger mit ÉLAN"]
    assert _titles(session, owner, q="МОЛОКО") == ["Молоко купить"]


def test_list_tasks_q_percent_is_literal(session: Session) -> None:
    owner = make_user(session)
    make_task(session, owner, title="100% done")
    make_task(session, owner, title="100 done")
    assert _titles(session, owner, q="100%") == ["100% done"]


def test_list_tasks_q_underscore_is_literal(session: Session) -> None:
    owner = make_user(session)
    make_task(session, owner, title="snake_case")
    make_task(session, owner, title="snakeXcase")
    assert _titles(session, owner, q="e_c") == ["snake_case"]


def test_list_tasks_q_escape_character_is_literal(session: Session) -> None:
    owner = make_user(session)
    make_task(session, owner, title="a/b and c\\d")
    make_task(session, owner, title="ab")
    assert _titles(session, owner, q="a/b") == ["a/b and c\\d"]
    assert _titles(session, owner, q="c\\d") == ["a/b and c\\d"]


def test_list_tasks_due_before_is_exclusive_and_skips_undated(
    session: Session,
) -> None:
    owner = make_user(session)
    make_task(session, owner, title="Early", due_date=date(2030, 1, 1))
    make_task(session, owner, title="On the day", due_date=date(2030, 1, 10))
    make_task(session, owner, title="Undated")
    assert _titles(session, owner, due_before=date(2030, 1, 10)) == ["Early"]


def test_list_tasks_due_after_is_exclusive_and_skips_undated(
    session: Session,
) -> None:
    owner = make_user(session)
    make_task(session, owner, title="Late", due_date=date(2030, 2, 1))
    make_task(session, owner, title="On the day", due_date=date(2030, 1, 10))
    make_task(session, owner, title="Undated")
    assert _titles(session, owner, due_after=date(2030, 1, 10)) == ["Late"]


def test_list_tasks_filters_combine(session: Session) -> None:
    owner = make_user(session)
    make_task(session, owner, title="Milk", priority="high", tags=["shop"])
    make_task(session, owner, title="Milk low", priority="low", tags=["shop"])
    make_task(session, owner, title="Milk untagged", priority="high")
    assert _titles(session, owner, q="milk", priority="high", tag="shop") == ["Milk"]


def test_list_tasks_default_sort_is_newest_first(session: Session) -> None:
    owner = make_user(session)
    for title in ["First", "Second", "Third"]:
        make_task(session, owner, title=title)
    assert _titles(session, owner) == ["Third", "Second", "First"]


def test_list_tasks_sort_created_asc(session: Session) -> None:
    owner = make_user(session)
    for title in ["First", "Second", "Third"]:
        make_task(session, owner, title=title)
    assert _titles(session, owner, sort="created", order="asc") == [
        "First",
        "Second",
        "Third",
    ]


def test_list_tasks_sort_title_asc_ignores_case(session: Session) -> None:
    owner = make_user(session)
    for title in ["banana", "Cherry", "apple", "Banana split"]:
        make_task(session, owner, title=title)
    assert _titles(session, owner, sort="title", order="asc") == [
        "apple",
        "banana",
        "Banana split",
        "Cherry",
    ]


def test_list_tasks_sort_title_desc_ignores_case(session: Session) -> None:
    owner = make_user(session)
    for title in ["banana", "Cherry", "apple"]:
        make_task(session, owner, title=title)
    assert _titles(session, owner, sort="title", order="desc") == [
        "Cherry",
        "banana",
        "apple",
    ]


def test_list_tasks_sort_title_ignores_case_of_non_latin_letters(
    session: Session,
) -> None:
    owner = make_user(session)
    for title in ["Вода", "банан", "Арбуз"]:
        make_task(session, owner, title=title)
    assert _titles(session, owner, sort="title", order="asc") == [
        "Арбуз",
        "банан",
        "Вода",
    ]


def _dated(session: Session, owner: User) -> None:
    make_task(session, owner, title="Undated A")
    make_task(session, owner, title="March", due_date=date(2030, 3, 1))
    make_task(session, owner, title="January", due_date=date(2030, 1, 1))
    make_task(session, owner, title="Undated B")
    make_task(session, owner, title="February", due_date=date(2030, 2, 1))


def test_list_tasks_sort_due_date_asc_puts_undated_last(session: Session) -> None:
    owner = make_user(session)
    _dated(session, owner)
    assert _titles(session, owner, sort="due_date", order="asc") == [
        "January",
        "February",
        "March",
        "Undated A",
        "Undated B",
    ]


def test_list_tasks_sort_due_date_desc_puts_undated_last(session: Session) -> None:
    owner = make_user(session)
    _dated(session, owner)
    assert _titles(session, owner, sort="due_date", order="desc") == [
        "March",
        "February",
        "January",
        "Undated B",
        "Undated A",
    ]


def _prioritised(session: Session, owner: User) -> None:
    for priority in ["medium", "none", "high", "low"]:
        make_task(session, owner, title=priority, priority=priority)


def test_list_tasks_sort_priority_asc(session: Session) -> None:
    owner = make_user(session)
    _prioritised(session, owner)
    assert _titles(session, owner, sort="priority", order="asc") == [
        "none",
        "low",
        "medium",
        "high",
    ]


def test_list_tasks_sort_priority_desc(session: Session) -> None:
    owner = make_user(session)
    _prioritised(session, owner)
    assert _titles(session, owner, sort="priority", order="desc") == [
        "high",
        "medium",
        "low",
        "none",
    ]


def test_list_tasks_sort_ties_broken_by_id(session: Session) -> None:
    owner = make_user(session)
    created = [
        tasks.create_task(
            session, owner_id=owner.id, data=TaskCreate(title="Same"), now=NOW
        ).id
        for _ in range(4)
    ]
    session.commit()
    page_asc = tasks.list_tasks(
        session, owner_id=owner.id, query=TaskQuery(sort="created", order="asc")
    )
    page_desc = tasks.list_tasks(
        session, owner_id=owner.id, query=TaskQuery(sort="title", order="desc")
    )
    assert [item.id for item in page_asc.items] == created
    assert [item.id for item in page_desc.items] == created[::-1]


def test_list_tasks_paging_returns_the_page_and_the_total(session: Session) -> None:
    owner = make_user(session)
    for title in ["a", "b", "c", "d", "e"]:
        make_task(session, owner, title=title)
    page = tasks.list_tasks(
        session,
        owner_id=owner.id,
        query=TaskQuery(sort="title", order="asc", limit=2, offset=1),
    )
    assert [item.title for item in page.items] == ["b", "c"]
    assert page.total == 5


def test_list_tasks_offset_past_the_end_returns_no_items_but_the_total(
    session: Session,
) -> None:
    owner = make_user(session)
    make_task(session, owner)
    page = tasks.list_tasks(session, owner_id=owner.id, query=TaskQuery(offset=10))
    assert (page.items, page.total) == ([], 1)


def test_list_tasks_total_counts_only_matching_tasks(session: Session) -> None:
    owner = make_user(session)
    make_task(session, owner, title="Milk 1")
    make_task(session, owner, title="Milk 2")
    make_task(session, owner, title="Bread")
    page = tasks.list_tasks(
        session, owner_id=owner.id, query=TaskQuery(q="milk", limit=1)
    )
    assert (len(page.items), page.total) == (1, 2)


def test_list_tasks_items_carry_their_tags(session: Session) -> None:
    owner = make_user(session)
    make_task(session, owner, tags=["work", "Home"])
    page = tasks.list_tasks(session, owner_id=owner.id)
    assert page.items[0].tags == ["home", "work"]


def test_count_tasks_counts_pending_and_completed(session: Session) -> None:
    owner, other = make_user(session), make_user(session)
    make_task(session, owner)
    make_task(session, owner)
    _completed(session, make_task(session, owner))
    make_task(session, other)
    counts = tasks.count_tasks(session, owner_id=owner.id)
    assert (counts.pending, counts.completed) == (2, 1)


def test_count_tasks_without_tasks_is_zero(session: Session) -> None:
    owner = make_user(session)
    counts = tasks.count_tasks(session, owner_id=owner.id)
    assert (counts.pending, counts.completed) == (0, 0)


def test_list_tags_returns_distinct_tags_alphabetically(session: Session) -> None:
    owner = make_user(session)
    make_task(session, owner, tags=["work", "home"])
    make_task(session, owner, tags=["errands", "home"])
    assert tasks.list_tags(session, owner_id=owner.id) == ["errands", "home", "work"]


def test_list_tags_excludes_other_users_tags(session: Session) -> None:
    owner, other = make_user(session), make_user(session)
    make_task(session, owner, tags=["mine"])
    make_task(session, other, tags=["theirs"])
    assert tasks.list_tags(session, owner_id=owner.id) == ["mine"]


@pytest.mark.parametrize("sort", ["created", "title", "due_date", "priority"])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_list_tasks_every_sort_returns_every_task(
    session: Session, sort: str, order: str
) -> None:
    owner = make_user(session)
    make_task(session, owner, title="b", priority="low", due_date=date(2030, 1, 1))
    make_task(session, owner, title="a")
    page = tasks.list_tasks(
        session, owner_id=owner.id, query=TaskQuery(sort=sort, order=order)
    )
    assert sorted(item.title for item in page.items) == ["a", "b"]


def test_list_tags_with_a_limit_keeps_the_most_used_alphabetically(
    session: Session,
) -> None:
    owner = make_user(session)
    for tags in (["zoo", "bee"], ["zoo", "bee"], ["zoo", "ant"]):
        make_task(session, owner, tags=tags)
    assert tasks.list_tags(session, owner_id=owner.id) == ["ant", "bee", "zoo"]
    assert tasks.list_tags(session, owner_id=owner.id, limit=2) == ["bee", "zoo"]
    assert tasks.list_tags(session, owner_id=owner.id, limit=2, including="ant") == [
        "ant",
        "bee",
        "zoo",
    ]
