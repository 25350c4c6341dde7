"""SettingsState's personal access tokens: made and shown once, listed, revoked after a confirm."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session, select

from tests.builders import make_access_token, make_user
from tests.state.conftest import (
    call,
    fetch,
    shown_notice,
    sign_in,
    substate,
    value_set,
)
from todo_app.models import ACCESS_TOKENS_PER_USER_MAX, AccessToken, TokenScope, User
from todo_app.services import access_tokens
from todo_app.state.settings import NEW_TOKEN_ID, SettingsState


def loaded(root: rx.State, user: User) -> SettingsState:
    """The settings state of `user`, loaded as the browser's on_load would."""
    sign_in(root, user)
    state = substate(root, SettingsState)
    assert call(state, SettingsState.load_settings) == []
    return state


def _create(state: SettingsState, **form: str) -> str | None:
    """Create a token through the form; the token the page shows, if one was made."""
    events = call(
        state,
        SettingsState.create_token,
        {"name": "Backup", "scope": "read", "expires": "90", **form},
    )
    return value_set(events, NEW_TOKEN_ID)


def test_create_token_shows_it_once_and_lists_it(
    root: rx.State, user: User, db: Session
) -> None:
    state = loaded(root, user)
    token = _create(state, name="Backup", scope="write", expires="never")
    assert state.tokens_error == ""
    assert token is not None and token.startswith("todo_pat_")
    assert state.new_token_shown
    assert [(row.name, row.scope, row.expires) for row in state.tokens] == [
        ("Backup", "write", "never")
    ]
    # The token goes into the page only: nothing of the tab's state holds it.
    assert token not in str(root.dict())
    (row,) = fetch(db, select(AccessToken))
    assert (row.scope, row.expires_at) == (TokenScope.write, None)
    assert (
        access_tokens.authenticate(db, token=token, scope=TokenScope.write).id
        == user.id
    )


def test_create_token_expiry_choice_sets_the_days(
    root: rx.State, user: User, db: Session
) -> None:
    state = loaded(root, user)
    _create(state, expires="30")
    (row,) = fetch(db, select(AccessToken))
    assert (row.expires_at - row.created_at).days == 30


def test_new_token_is_gone_after_done_and_after_reload(
    root: rx.State, user: User
) -> None:
    state = loaded(root, user)
    _create(state)
    assert value_set(call(state, SettingsState.dismiss_new_token), NEW_TOKEN_ID) == ""
    assert not state.new_token_shown
    _create(state)
    call(state, SettingsState.load_settings)
    assert not state.new_token_shown
    assert len(state.tokens) == 2


def test_create_token_without_a_name_shows_an_error(
    root: rx.State, user: User, db: Session
) -> None:
    state = loaded(root, user)
    _create(state, name="  ")
    assert state.tokens_error
    assert not state.new_token_shown
    assert fetch(db, select(AccessToken)) == []


def test_create_token_with_an_unknown_scope_shows_an_error(
    root: rx.State, user: User, db: Session
) -> None:
    state = loaded(root, user)
    _create(state, scope="admin")
    assert state.tokens_error
    assert fetch(db, select(AccessToken)) == []


def test_create_token_over_the_limit_shows_why(
    root: rx.State, user: User, db: Session
) -> None:
    for _ in range(ACCESS_TOKENS_PER_USER_MAX):
        make_access_token(db, user)
    state = loaded(root, user)
    _create(state)
    assert "revoke one" in state.tokens_error
    assert not state.new_token_shown


def test_revoke_token_after_confirming_removes_it(
    root: rx.State, user: User, db: Session
) -> None:
    token = make_access_token(db, user, name="Old script")
    state = loaded(root, user)
    call(state, SettingsState.ask_revoke_token, state.tokens[0].id)
    assert state.revoking_token_name == "Old script"
    call(state, SettingsState.revoke_token)
    assert state.tokens == []
    assert state.revoking_token_id == 0
    assert "revoked" in shown_notice(state)
    assert fetch(db, select(AccessToken)) == []
    assert token


def test_cancel_revoke_keeps_the_token(root: rx.State, user: User, db: Session) -> None:
    make_access_token(db, user)
    state = loaded(root, user)
    call(state, SettingsState.ask_revoke_token, state.tokens[0].id)
    call(state, SettingsState.cancel_revoke_token)
    call(state, SettingsState.revoke_token)
    assert len(fetch(db, select(AccessToken))) == 1


def test_revoke_token_of_another_user_changes_nothing(
    root: rx.State, user: User, db: Session
) -> None:
    other = make_user(db, email="bob@example.com")
    make_access_token(db, other)
    theirs = fetch(db, select(AccessToken.id))[0]
    state = loaded(root, user)
    call(state, SettingsState.ask_revoke_token, theirs)
    assert state.revoking_token_id == 0  # not one of the tokens shown
    # Even a forged pending id is checked by the service against the signed-in user.
    state.revoking_token_id = theirs
    call(state, SettingsState.revoke_token)
    assert state.tokens_error == "Token not found"
    assert fetch(db, select(AccessToken.id)) == [theirs]


def test_create_token_takes_away_an_earlier_message_over_its_box(
    root: rx.State, user: User
) -> None:
    state = loaded(root, user)
    call(state, SettingsState.save_timezone, {"timezone": "Europe/Paris"})
    assert shown_notice(state) == "Time zone set to Europe/Paris"
    assert _create(state) is not None
    assert shown_notice(state) == ""
