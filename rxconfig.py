"""Reflex configuration: everything comes from the environment (see README, "Configuration")."""

import os

import reflex as rx

from todo_app.db import backend_workers
from todo_app.settings import env, get_settings, keep_files_private

keep_files_private()  # before Reflex or SQLite write anything
settings = get_settings()
backend_workers()  # refuses several workers without Redis before anything starts
# Production serves UI and API on PORT; `make dev` runs the backend on its own port beside Vite.
backend_port = int(os.environ.get("BACKEND_PORT") or settings.port)

config = rx.Config(
    app_name="todo_app",
    db_url=settings.database_url,
    redis_url=settings.redis_url,
    frontend_port=settings.port,
    backend_port=backend_port,
    # Reflex reads REFLEX_API_URL from the environment itself; this adds the `.env` file.
    api_url=env("REFLEX_API_URL") or f"http://localhost:{backend_port}",
    deploy_url=f"http://localhost:{settings.port}",
    # Only these origins may call the backend with credentials; Reflex's default is "*".
    cors_allowed_origins=list(settings.cors_origins),
    # Without Redis, tab states live in this process only (Reflex's default writes every tab's
    # state to .states/ on disk); with REDIS_URL Reflex uses Redis (README, "Security").
    **({} if settings.redis_url else {"state_manager_mode": "memory"}),
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[rx.plugins.RadixThemesPlugin()],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
