"""Swagger UI at /docs and ReDoc at /redoc, served with their scripts from the app (no CDN)."""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse, Response

# The fastapi-offline package ships swagger-ui-bundle.js, swagger-ui.css, redoc.standalone.js
# and a favicon; we only use its files.
STATIC_DIR = Path(fastapi_offline.__file__).resolve().parent / "static"
STATIC_URL = "/api/static-docs"
DOCS_URL = "/docs"
REDOC_URL = "/redoc"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"
# ReDoc's sidebar credit always loads its logo from Redocly's CDN, which the page's policy blocks
# (and air-gapped sites cannot reach): the script we serve points it at our own favicon instead.
REDOC_CDN_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
REDOC_SCRIPT_URL = f"{STATIC_URL}-redoc/redoc.standalone.js"


def _offline_redoc_script() -> bytes:
    script = (STATIC_DIR / "redoc.standalone.js").read_text(encoding="utf-8")
    return script.replace(REDOC_CDN_LOGO, f"{STATIC_URL}/favicon.png").encode()


def add_offline_docs(api: FastAPI) -> None:
    """Serve the documentation pages and their static files from `api` itself."""
    openapi_url = api.openapi_url or "/openapi.json"
    api.mount(STATIC_URL, StaticFiles(directory=STATIC_DIR), name="static-docs")

    @api.get(DOCS_URL, include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{api.title} - Swagger UI",
            swagger_js_url=f"{STATIC_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{STATIC_URL}/swagger-ui.css",
            swagger_favicon_url=f"{STATIC_URL}/favicon.png",
            oauth2_redirect_url=OAUTH2_REDIRECT_URL,
            swagger_ui_parameters={"persistAuthorization": True},
        )

    @api.get(OAUTH2_REDIRECT_URL, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    redoc_script = _offline_redoc_script()

    @api.get(REDOC_SCRIPT_URL, include_in_schema=False)
    async def redoc_script_file() -> Response:
        return Response(
            redoc_script,
            media_type="text/javascript; charset=utf-8",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    @api.get(REDOC_URL, include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi_url,
            title=f"{api.title} - ReDoc",
            redoc_js_url=REDOC_SCRIPT_URL,
            redoc_favicon_url=f"{STATIC_URL}/favicon.png",
            with_google_fonts=False,
        )
