"""Reflex configuration: everything comes from the environment (see README, "Configuration")."""

import reflex as rx

from todo_app.settings import get_settings

settings = get_settings()

config = rx.Config(
    app_name="todo_app",
    db_url=settings.database_url,
    redis_url=settings.redis_url,
    frontend_port=settings.port,
    backend_port=settings.port,
    api_url=f"http://localhost:{settings.port}",
    deploy_url=f"http://localhost:{settings.port}",
    # Only these origins may call the backend with credentials; Reflex's default is "*".
    cors_allowed_origins=list(settings.cors_origins),
    telemetry_enabled=False,
    state_auto_setters=False,
    show_built_with_reflex=False,
    plugins=[rx.plugins.RadixThemesPlugin()],
    disable_plugins=["reflex.plugins.sitemap.SitemapPlugin"],
)
