"""Dependencies of the routes: the caller (bearer token) and the client's address.

A bearer token is either a session's JWT (from logging in) or a personal access token
(`todo_pat_...`). Each route says which scope a personal token needs there; by default none
may act, so a route that forgets is closed to them rather than open.

Routes are async and do all of a request's database work in one `run_in_session` hop (see
todo_app.db): a thread never holds a pooled connection while it waits for another hop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session

from todo_app.db import run_in_session
from todo_app.errors import InvalidToken
from todo_app.models import TokenScope, User
from todo_app.network import client_address
from todo_app.services import access_tokens, sessions

T = TypeVar("T")

# auto_error=False: a missing token raises our InvalidToken, so every 401 looks the same.
bearer_token = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)


@dataclass(frozen=True)
class Caller:
    """Whoever sent the request, known by a bearer token that is checked with the work."""

    token: str | None

    async def run(
        self,
        work: Callable[[Session, User], T],
        *,
        personal_token: TokenScope | None = None,
    ) -> T:
        """Run `work(session, user)` for the token's user, in one session and thread hop.

        `personal_token` is the scope a personal access token needs for this work; None
        refuses them (403), leaving it to the password's sessions.
        """
        token = self.token

        def as_caller(session: Session) -> T:
            if not token:
                raise InvalidToken("Not authenticated")
            if access_tokens.is_personal_token(token):
                user = access_tokens.authenticate(
                    session, token=token, scope=personal_token
                )
                return work(session, user)
            return work(session, sessions.authenticate(session, token=token).user)

        return await run_in_session(as_caller)

    async def run_signed_in(self, work: Callable[[Session, sessions.SignedIn], T]) -> T:
        """Like `run`, for work that needs the caller's session too (logout, session list).

        Personal access tokens have no session: they get 403.
        """
        token = self.token

        def as_caller(session: Session) -> T:
            if not token:
                raise InvalidToken("Not authenticated")
            if access_tokens.is_personal_token(token):
                access_tokens.authenticate(session, token=token, scope=None)
            return work(session, sessions.authenticate(session, token=token))

        return await run_in_session(as_caller)


async def get_caller(token: Annotated[str | None, Depends(bearer_token)]) -> Caller:
    """The request's caller; the token is verified when the caller's work runs."""
    return Caller(token=token)


CallerDep = Annotated[Caller, Depends(get_caller)]


async def get_client_host(request: Request) -> str:
    """The client's address: the peer, or X-Forwarded-For from a trusted proxy only."""
    peer = request.client.host if request.client else ""
    return client_address(peer, request.headers.get("x-forwarded-for"))


ClientHost = Annotated[str, Depends(get_client_host)]


async def get_user_agent(request: Request) -> str:
    """The client's User-Agent header, shown in the list of sessions."""
    return request.headers.get("user-agent", "")


UserAgent = Annotated[str, Depends(get_user_agent)]
