"""Personal access tokens: create (shown once), list, revoke.

Only a session from logging in with the password manages them: a personal token gets 403 here,
so a leaked token cannot make itself a successor.
"""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from sqlmodel import Session

from todo_app.api.deps import CallerDep
from todo_app.api.schemas import error_responses
from todo_app.models import (
    AccessToken,
    AccessTokenCreate,
    AccessTokenCreated,
    AccessTokenPublic,
    User,
)
from todo_app.services import access_tokens

router = APIRouter(prefix="/api/tokens", tags=["tokens"])


def _public(row: AccessToken) -> AccessTokenPublic:
    return AccessTokenPublic.model_validate(row, from_attributes=True)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 413, 422, 503),
)
async def create_token(
    data: AccessTokenCreate, caller: CallerDep
) -> AccessTokenCreated:
    """Make a personal access token; `token` is in this answer only, store it now.

    `scope` is `read` (reading tasks) or `write` (also changing them); `expires_in_days`
    null means it never expires. An account has at most 20 (422 after that).
    """

    def create(session: Session, user: User) -> AccessTokenCreated:
        created = access_tokens.create_token(session, owner_id=user.id, data=data)
        return AccessTokenCreated.model_validate(
            {**_public(created.row).model_dump(), "token": created.token}
        )

    return await caller.run(create)


@router.get("", responses=error_responses(401, 403, 503))
async def list_tokens(caller: CallerDep) -> list[AccessTokenPublic]:
    """Your personal access tokens, newest first (never the tokens themselves)."""
    return await caller.run(
        lambda session, user: [
            _public(row) for row in access_tokens.list_tokens(session, owner_id=user.id)
        ]
    )


@router.delete(
    "/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(401, 403, 404, 422, 503),
)
async def revoke_token(token_id: int, caller: CallerDep) -> None:
    """Revoke one of your tokens: it stops working at once."""
    await caller.run(
        lambda session, user: access_tokens.revoke_token(
            session, owner_id=user.id, token_id=token_id
        )
    )
