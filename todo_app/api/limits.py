"""ASGI middleware refusing request bodies over a size limit before anything parses them."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 1024 * 1024
TOO_LARGE = "Request body too large"


class BodyTooLarge(HTTPException):
    """Raised from `receive` once a streamed body passes the limit."""

    def __init__(self) -> None:
        super().__init__(status_code=413, detail=TOO_LARGE)


class BodySizeLimitMiddleware:
    """413 for bodies over `max_bytes` on paths under `path_prefix`.

    `path_limits` gives single paths a limit of their own (the import takes whole files).

    A declared Content-Length over the limit is refused before the app runs; a chunked body is
    counted as it streams in. The exception raised from `receive` is an HTTPException, which
    FastAPI re-raises from its body parsing, so the API's handler answers it as JSON.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int = MAX_BODY_BYTES,
        path_prefix: str = "/api/",
        path_limits: Mapping[str, int] | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.path_prefix = path_prefix
        self.path_limits = dict(path_limits or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Only the API: the Reflex app mounted inside has its own uploads and websockets.
        if scope["type"] != "http" or not scope["path"].startswith(self.path_prefix):
            await self.app(scope, receive, send)
            return
        max_bytes = self.path_limits.get(scope["path"].rstrip("/"), self.max_bytes)
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (
            not declared.isdigit() or int(declared) > max_bytes
        ):
            status = 413 if declared.isdigit() else 400
            detail = TOO_LARGE if status == 413 else "Invalid Content-Length"
            await JSONResponse({"detail": detail}, status_code=status)(
                scope, receive, send
            )
            return

        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    raise BodyTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if response_started:
                raise
            await JSONResponse({"detail": TOO_LARGE}, status_code=413)(
                scope, receive, send
            )
