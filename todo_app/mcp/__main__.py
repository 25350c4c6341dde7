"""`python -m todo_app.mcp`: the MCP tools over stdio, for the token in TODO_TOKEN.

A desktop assistant starts this as a subprocess on a machine that reaches the app's database
(DATABASE_URL, TODO_SECRET_KEY as the app has them). The token is checked once at start, so a
wrong one stops the server with a message instead of failing every tool call; each call
checks it again, with the scope the tool needs.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys

from todo_app.api.deps import Caller
from todo_app.errors import DomainError
from todo_app.mcp.tools import build_server
from todo_app.models import TokenScope

TOKEN_VARIABLE = "TODO_TOKEN"


def main() -> int:
    """Serve the tools over stdin/stdout until the client closes them; 1 on a bad token."""
    # stdout carries the protocol: anything else goes to stderr.
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        print(
            f"Set {TOKEN_VARIABLE} to a personal access token (Settings -> Personal "
            "access tokens in the app)",
            file=sys.stderr,
        )
        return 1
    try:
        asyncio.run(
            Caller(token=token).run(
                lambda session, user: None, personal_token=TokenScope.read
            )
        )
    except DomainError as error:
        print(f"{TOKEN_VARIABLE} was refused: {error.message}", file=sys.stderr)
        return 1
    build_server(lambda ctx: token).run("stdio")
    return 0


if __name__ == "__main__":
    sys.exit(main())
