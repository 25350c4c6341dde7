"""Field rules of the input schemas that the API and the UI share."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from todo_app.models import (
    PasswordChange,
    TaskCreate,
    TaskPatch,
    TaskQuery,
    UserCreate,
    UserLogin,
    UserUpdate,
    normalise_tag,
)

# --- tasks -------------------------------------------------------------------------------------


def test_task_create_title_is_trimmed() -> None:
    assert TaskCreate(title="  Buy milk \n").title == "Buy milk"


def test_task_create_blank_title_is_rejected() -> None:
    with pytest.raises(ValidationError):
        TaskCreate(title="   ")


def test_task_create_title_of_200_characters_is_accepted() -> None:
    assert len(TaskCreate(title="t" * 200).title) == 200


def test_task_create_title_of_200_characters_after_trimming_is_accepted() -> None:
    assert len(TaskCreate(title="  " + "t" * 200 + "  ").title) == 200


def test_task_create_title_of_201_characters_is_rejected() -> None:
    with pytest.raises(ValidationError):
        TaskCreate(title="t" * 201)


def test_task_create_description_of_5000_characters_is_accepted() -> None:
    assert len(TaskCreate(title="t", description="d" * 5000).description) == 5000


def test_task_create_description_of_5001_characters_is_rejected() -> None:
    with pytest.raises(ValidationError):
        TaskCreate(title="t", description="d" * 5001)


def test_task_create_tags_are_trimmed_lower_cased_and_de_duplicated() -> None:
    task = TaskCreate(title="t", tags=["  Home ", "home", "WORK", "Work"])
    assert task.tags == ["home", "work"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("#home", "home"),
        ("#Home", "home"),
        ("  # home ", "home"),
        ("##home", "home"),
        ("to do", "to-do"),
        ("To \t  Do  List", "to-do-list"),
        ("#", ""),
    ],
)
def test_normalise_tag_drops_the_hash_and_joins_words_with_a_dash(
    typed: str, stored: str
) -> None:
    assert normalise_tag(typed) == stored


def test_task_create_hash_tag_is_the_same_tag_without_it() -> None:
    assert TaskCreate(title="t", tags=["#home", "home", "#Home"]).tags == ["home"]


def test_task_create_tag_with_inner_whitespace_joins_with_a_dash() -> None:
    assert TaskCreate(title="t", tags=["to   do"]).tags == ["to-do"]


def test_task_create_tag_of_only_a_hash_is_rejected() -> None:
    with pytest.raises(ValidationError):
        TaskCreate(title="t", tags=["#"])


def test_task_create_twenty_tags_are_accepted() -> None:
    assert len(TaskCreate(title="t", tags=[f"tag{i}" for i in range(20)]).tags) == 20


def test_task_create_twenty_one_tags_are_rejected() -> None:
    with pytest.raises(ValidationError):
        TaskCreate(title="t", tags=[f"tag{i}" for i in range(21)])


def test_task_create_duplicates_do_not_count_towards_the_tag_limit() -> None:
    tags = [f"tag{i}" for i in range(20)] + ["TAG0", " tag1 "]
    assert len(TaskCreate(title="t", tags=tags).tags) == 20


def test_task_create_tag_of_30_characters_is_accepted() -> None:
    assert TaskCreate(title="t", tags=["x" * 30]).tags == ["x" * 30]


def test_task_create_tag_of_31_characters_is_rejected() -> None:
    with pytest.raises(ValidationError):
        TaskCreate(title="t", tags=["x" * 31])


def test_task_create_blank_tag_is_rejected() -> None:
    with pytest.raises(ValidationError):
        TaskCreate(title="t", tags=["  "])


@pytest.mark.parametrize(
    "fields",
    [
        {"title": "bad\x00title"},
        {"title": "t", "description": "bad\x00description"},
        {"title": "t", "tags": ["bad\x00tag"]},
    ],
    ids=["title", "description", "tag"],
)
def test_task_create_nul_character_is_rejected(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        TaskCreate(**fields)


@pytest.mark.parametrize(
    "field",
    ["id", "user_id", "completed", "created_at", "next_occurrence_created", "owner"],
)
def test_task_create_extra_field_is_rejected(field: str) -> None:
    with pytest.raises(ValidationError):
        TaskCreate(title="t", **{field: 1})


def test_task_create_unknown_priority_is_rejected() -> None:
    with pytest.raises(ValidationError):
        TaskCreate(title="t", priority="urgent")


def test_task_create_unknown_recurrence_is_rejected() -> None:
    with pytest.raises(ValidationError):
        TaskCreate(title="t", recurrence="hourly")


def test_task_patch_only_sent_fields_are_set() -> None:
    assert TaskPatch(title="New").model_fields_set == {"title"}


def test_task_patch_extra_field_is_rejected() -> None:
    with pytest.raises(ValidationError):
        TaskPatch(user_id=2)


def test_task_patch_title_is_trimmed() -> None:
    assert TaskPatch(title="  New  ").title == "New"


def test_task_patch_blank_title_is_rejected() -> None:
    with pytest.raises(ValidationError):
        TaskPatch(title="  ")


def test_task_patch_nul_in_description_is_rejected() -> None:
    with pytest.raises(ValidationError):
        TaskPatch(description="a\x00b")


def test_task_patch_tags_are_normalised() -> None:
    assert TaskPatch(tags=["B", "a", "b"]).tags == ["a", "b"]


@pytest.mark.parametrize("limit", [1, 500])
def test_task_query_limit_within_bounds_is_accepted(limit: int) -> None:
    assert TaskQuery(limit=limit).limit == limit


@pytest.mark.parametrize("limit", [0, -1, 501])
def test_task_query_limit_out_of_bounds_is_rejected(limit: int) -> None:
    with pytest.raises(ValidationError):
        TaskQuery(limit=limit)


def test_task_query_negative_offset_is_rejected() -> None:
    with pytest.raises(ValidationError):
        TaskQuery(offset=-1)


def test_task_query_huge_offset_is_rejected() -> None:
    with pytest.raises(ValidationError):
        TaskQuery(offset=2**63)


@pytest.mark.parametrize("field", ["q", "tag"])
def test_task_query_nul_in_text_is_rejected(field: str) -> None:
    with pytest.raises(ValidationError):
        TaskQuery(**{field: "a\x00b"})


@pytest.mark.parametrize("field", ["q", "tag"])
def test_task_query_blank_text_means_no_filter(field: str) -> None:
    assert getattr(TaskQuery(**{field: "   "}), field) is None


def test_task_query_tag_is_normalised_like_a_tag() -> None:
    assert TaskQuery(tag=" #To Do ").tag == "to-do"


def test_task_query_tag_of_only_a_hash_means_no_filter() -> None:
    assert TaskQuery(tag="#").tag is None


def test_task_query_extra_field_is_rejected() -> None:
    with pytest.raises(ValidationError):
        TaskQuery(owner_id=1)


def test_task_query_unknown_sort_is_rejected() -> None:
    with pytest.raises(ValidationError):
        TaskQuery(sort="user_id")


# --- accounts ----------------------------------------------------------------------------------


def test_user_create_email_is_trimmed_and_lower_cased() -> None:
    user = UserCreate(email="  Ada@Example.COM ", password="password123")
    assert user.email == "ada@example.com"


@pytest.mark.parametrize("email", ["not-an-email", "ada@", "a\x00da@example.com", ""])
def test_user_create_invalid_email_is_rejected(email: str) -> None:
    with pytest.raises(ValidationError):
        UserCreate(email=email, password="password123")


def test_user_create_name_of_100_characters_is_accepted() -> None:
    user = UserCreate(email="ada@example.com", password="password123", name="n" * 100)
    assert user.name == "n" * 100


def test_user_create_name_of_101_characters_is_rejected() -> None:
    with pytest.raises(ValidationError):
        UserCreate(email="ada@example.com", password="password123", name="n" * 101)


def test_user_create_name_is_optional() -> None:
    assert UserCreate(email="ada@example.com", password="password123").name is None


def test_user_create_nul_in_name_is_rejected() -> None:
    with pytest.raises(ValidationError):
        UserCreate(email="ada@example.com", password="password123", name="A\x00da")


def test_user_create_password_of_7_characters_is_rejected() -> None:
    with pytest.raises(ValidationError):
        UserCreate(email="ada@example.com", password="1234567")


def test_user_create_password_of_8_emoji_is_accepted() -> None:
    password = "🔑🐍🔒🎉🌍🚀💡🍕"
    assert UserCreate(email="ada@example.com", password=password).password == password


def test_user_create_password_of_128_characters_is_accepted() -> None:
    user = UserCreate(email="ada@example.com", password="p" * 128)
    assert user.password == "p" * 128


def test_user_create_password_of_129_characters_is_rejected() -> None:
    with pytest.raises(ValidationError):
        UserCreate(email="ada@example.com", password="p" * 129)


def test_user_create_password_keeps_spaces_and_nul() -> None:
    password = " pass\x00word "
    assert UserCreate(email="ada@example.com", password=password).password == password


def test_user_create_password_with_lone_surrogate_is_rejected() -> None:
    with pytest.raises(ValidationError):
        UserCreate(email="ada@example.com", password="password\ud800")


def test_user_create_extra_field_is_rejected() -> None:
    with pytest.raises(ValidationError):
        UserCreate(email="ada@example.com", password="password123", token_version=5)


def test_user_update_extra_field_is_rejected() -> None:
    with pytest.raises(ValidationError):
        UserUpdate(name="Ada", email="eve@example.com")


def test_user_update_nul_in_name_is_rejected() -> None:
    with pytest.raises(ValidationError):
        UserUpdate(name="A\x00da")


def test_user_login_email_is_trimmed_and_lower_cased() -> None:
    login = UserLogin(email=" Ada@Example.com ", password="x")
    assert login.email == "ada@example.com"


def test_password_change_short_new_password_is_rejected() -> None:
    with pytest.raises(ValidationError):
        PasswordChange(current_password="password123", new_password="short")


def test_user_create_timezone_defaults_to_utc() -> None:
    assert UserCreate(email="a@example.com", password="password123").timezone == "UTC"


def test_user_create_timezone_is_kept() -> None:
    user = UserCreate(
        email="a@example.com", password="password123", timezone="Pacific/Kiritimati"
    )
    assert user.timezone == "Pacific/Kiritimati"


def test_user_create_timezone_in_other_case_is_the_iana_name() -> None:
    user = UserCreate(
        email="a@example.com", password="password123", timezone="europe/paris"
    )
    assert user.timezone == "Europe/Paris"


@pytest.mark.parametrize(
    "timezone", ["Mars/Olympus_Mons", "", "localtime", "../../etc/passwd", "CET\x00"]
)
def test_user_create_unknown_timezone_is_rejected_naming_the_field(
    timezone: str,
) -> None:
    with pytest.raises(ValidationError) as error:
        UserCreate(email="a@example.com", password="password123", timezone=timezone)
    assert [e["loc"] for e in error.value.errors()] == [("timezone",)]


def test_user_update_timezone_is_set_only_when_sent() -> None:
    assert UserUpdate(name="Ada").model_fields_set == {"name"}


def test_user_update_null_timezone_is_rejected() -> None:
    with pytest.raises(ValidationError):
        UserUpdate(timezone=None)


# --- messages ----------------------------------------------------------------------------------

# Every length-limited text field, an input one character too long, and the limit.
TOO_LONG: dict[str, tuple[Any, dict[str, Any], int]] = {
    "task-title": (TaskCreate, {"title": "t" * 201}, 200),
    "task-patch-title": (TaskPatch, {"title": "t" * 201}, 200),
    "task-description": (TaskCreate, {"title": "t", "description": "d" * 5001}, 5000),
    "query-q": (TaskQuery, {"q": "q" * 201}, 200),
    "query-tag": (TaskQuery, {"tag": "t" * 31}, 30),
    "user-name": (
        UserCreate,
        {"email": "a@example.com", "password": "password123", "name": "n" * 101},
        100,
    ),
    "user-password": (
        UserCreate,
        {"email": "a@example.com", "password": "p" * 129},
        128,
    ),
    "login-email": (UserLogin, {"email": "a" * 255, "password": "x"}, 254),
    "update-name": (UserUpdate, {"name": "n" * 101}, 100),
}


@pytest.mark.parametrize("case", TOO_LONG.values(), ids=TOO_LONG.keys())
def test_too_long_text_message_speaks_of_characters(
    case: tuple[Any, dict[str, Any], int],
) -> None:
    schema, fields, limit = case
    with pytest.raises(ValidationError) as error:
        schema(**fields)
    assert error.value.errors()[0]["msg"] == (
        f"String should have at most {limit} characters"
    )
