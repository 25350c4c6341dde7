"""Security headers on every response of the app: the compiled UI, the API and its docs.

The UI's Content-Security-Policy allows scripts from the app itself plus the inline scripts
of the compiled pages, by hash (React Router writes a few into every page), and never
`unsafe-eval`: Reflex evaluates JavaScript that the server sends (`rx.call_script`, toasts
sent from events), so the app must not send any. Swagger UI and ReDoc get a policy of their
own, with inline scripts allowed: those pages hold no user data.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from todo_app.api.docs import DOCS_URL, REDOC_URL, STATIC_URL
from todo_app.settings import PROJECT_ROOT

BUILD_DIR = PROJECT_ROOT / ".web" / "build" / "client"
_INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE
)

COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def _policy(*directives: str) -> str:
    return "; ".join(directives)


DOCS_POLICY = _policy(
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "worker-src 'self' blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
)


def inline_script_hashes(build_dir: Path) -> list[str]:
    """CSP sources (`'sha256-...'`) of every inline script in the compiled pages."""
    hashes: set[str] = set()
    for page in sorted(build_dir.rglob("*.html")):
        for script in _INLINE_SCRIPT.findall(page.read_text(encoding="utf-8")):
            digest = hashlib.sha256(script.encode("utf-8")).digest()
            hashes.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    return sorted(hashes)


@functools.cache
def app_policy(build_dir: Path = BUILD_DIR) -> str:
    """The UI's Content-Security-Policy (read once per process, after the build)."""
    scripts = " ".join(["'self'", *inline_script_hashes(build_dir)])
    return _policy(
        "default-src 'self'",
        f"script-src {scripts}",
        # Radix Themes and emotion set styles at run time.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        # 'self' covers the websocket to the same host and port (CSP level 3).
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )


def _is_docs(path: str) -> bool:
    return path in (DOCS_URL, REDOC_URL) or path.startswith(
        (f"{DOCS_URL}/", f"{STATIC_URL}/")
    )


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp, *, build_dir: Path = BUILD_DIR) -> None:
        self.app = app
        self.build_dir = build_dir

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = DOCS_POLICY if _is_docs(scope["path"]) else app_policy(self.build_dir)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in COMMON_HEADERS.items():
                    headers.setdefault(name, value)
                headers.setdefault("Content-Security-Policy", policy)
            await send(message)

        await self.app(scope, receive, send_with_headers)
