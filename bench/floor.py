"""The floor of issue 16: the fast task list's own work as a bare ASGI app, outside Reflex.

`GET /api/tasks` is answered by the same `FastTaskList` layer the app runs (JWT checked in
Python, one prepared statement checking the session and building the page's JSON, or the
session check alone for a page in its cache, wired as todo_app.py wires it); nothing else
is served but `/ping`. Run under Granian with one worker, as `reflex run` runs the app:
what is left of the list's cost without Reflex, FastAPI and the rest of the stack.
"""

from __future__ import annotations

from starlette.types import Receive, Scope, Send

from todo_app.api.fast_list import FastTaskList
from todo_app.api.page_cache import PageCache
from todo_app.services.changes import add_listener


async def _bare(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    status, body = (200, b"pong") if scope["path"] == "/ping" else (404, b"")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


# No live hub here (one worker, no writes served): the in-process listener is the wiring left.
page_cache = PageCache()
add_listener(page_cache.changed)
app = FastTaskList(_bare, cache=page_cache)
