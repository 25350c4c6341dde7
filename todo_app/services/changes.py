"""Which users' tasks a transaction changed, announced to listeners once it has committed.

Services call `record_change` next to every write; the announcement happens in the session's
`after_commit` hook, so a change that is rolled back is never announced. Listeners (the live
updates of the UI) decide what to do with it; this module knows nothing of them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)

_PENDING_KEY = "todo_changed_owners"

ChangeListener = Callable[[frozenset[int]], None]
_listeners: list[ChangeListener] = []


def record_change(session: Session, owner_id: int) -> None:
    """Note that `owner_id`'s tasks change in this transaction."""
    session.info.setdefault(_PENDING_KEY, set()).add(owner_id)


def add_listener(listener: ChangeListener) -> Callable[[], None]:
    """Call `listener(owner_ids)` after each commit that changed tasks; returns the remover."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener) if listener in _listeners else None


@sa.event.listens_for(Session, "after_commit")
def _announce(session: Session) -> None:
    owners = session.info.pop(_PENDING_KEY, None)
    if owners:
        announce(frozenset(owners))


def announce(owners: frozenset[int]) -> None:
    """Tell the listeners that `owners`' tasks changed in a transaction that has committed.

    For writes made without a Session (the fast create); the others `record_change`.
    """
    for listener in _listeners:
        try:
            listener(owners)
        except (
            Exception
        ):  # a failing listener must not undo or hide the committed change
            logger.exception(
                "change listener %r failed for owners %s", listener, owners
            )


@sa.event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)
