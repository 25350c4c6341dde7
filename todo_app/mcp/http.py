"""The MCP tools over streamable HTTP at `/mcp`, for a bearer token like the REST API's.

Stateless, with JSON answers: every request carries its token and stands alone, so any of
several backend workers can answer it (a stateful MCP session would live in one worker's
memory). The token is checked before the request reaches the SDK - a missing, unknown,
expired or revoked one gets 401 as on the API - and again by each tool call with the scope
that tool needs.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import AsyncIterator, Mapping

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from todo_app.api.deps import Caller
from todo_app.errors import InvalidToken, ServiceUnavailable
from todo_app.mcp.tools import build_server
from todo_app.models import TokenScope

PATH = "/mcp"


def bearer_token(headers: Mapping[str, str] | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None."""
    if headers is None:
        return None
    scheme, _, token = (headers.get("authorization") or "").partition(" ")
    return (token.strip() or None) if scheme.lower() == "bearer" else None


def _request_token(ctx: Context) -> str | None:
    # Each tool call is authenticated by the HTTP request that carries it.
    return bearer_token(ctx.headers)


@functools.cache
def _shared_server() -> MCPServer:
    # Building the tools' argument models and schemas costs ~50 ms: once per process, not
    # per API app (tests build an app per test). Each endpoint runs its own session manager.
    return build_server(_request_token)


class McpEndpoint:
    """The ASGI app at `/mcp`: the token check, then the SDK's streamable HTTP transport."""

    def __init__(self) -> None:
        self.server: MCPServer = _shared_server()
        self._manager: StreamableHTTPSessionManager | None = None

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Serve MCP requests while this is entered (the app's lifespan).

        A session manager runs once: each lifespan gets a new one, so the app can start again.
        """
        # Only to create the session manager: the app's own routing serves the endpoint.
        self.server.streamable_http_app(
            streamable_http_path=PATH,
            stateless_http=True,
            json_response=True,
            # The DNS-rebinding guard protects servers without credentials on localhost;
            # this one wants a bearer token, which a rebinding page cannot send, and it
            # answers on the app's own host name, whatever that is.
            transport_security=TransportSecuritySettings(
                enable_dns_rebinding_protection=False
            ),
        )
        # Kept by this endpoint: another app's lifespan may give the shared server a new one.
        self._manager = self.server.session_manager
        async with self._manager.run():
            yield

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = bearer_token(Headers(scope=scope))
        try:
            # Any live token of the user may connect; each tool checks its own scope.
            await Caller(token=token).run(
                lambda session, user: None, personal_token=TokenScope.read
            )
        except InvalidToken as error:
            refusal = JSONResponse(
                {"detail": error.message},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
            await refusal(scope, receive, send)
            return
        except ServiceUnavailable as error:
            unavailable = JSONResponse({"detail": error.message}, status_code=503)
            await unavailable(scope, receive, send)
            return
        manager = self._manager or self.server.session_manager
        await manager.handle_request(scope, receive, send)
