"""The REST API: a FastAPI app mounted into the Reflex app, built by a factory."""

from __future__ import annotations

from fastapi import FastAPI


def create_api_app() -> FastAPI:
    """A fresh API app (tests build their own; Reflex mounts the one in todo_app.py)."""
    api = FastAPI(title="todo_app API", docs_url=None, redoc_url=None)

    @api.get("/api/health", tags=["health"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return api
