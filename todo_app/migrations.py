"""Bring the database to the newest alembic revision (used by `make run` and at app start)."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic.config import Config

from alembic import command
from todo_app.db import get_engine
from todo_app.settings import PROJECT_ROOT

logger = logging.getLogger(__name__)

# Any constant works; it only has to be the same in every worker that may migrate at once.
_MIGRATION_LOCK_KEY = 7_220_611


def alembic_config() -> Config:
    """The project's alembic configuration, without letting alembic reconfigure logging."""
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    config.attributes["configure_logging"] = False
    return config


def upgrade_to_head(url: str | None = None) -> None:
    """Apply every pending migration; safe to call from several processes at once."""
    engine = get_engine(url)
    config = alembic_config()
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            # Workers starting together take turns; the later ones find nothing left to do.
            connection.execute(
                sa.text("SELECT pg_advisory_lock(:key)"), {"key": _MIGRATION_LOCK_KEY}
            )
            connection.commit()
        try:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()
        finally:
            if engine.dialect.name == "postgresql":
                connection.execute(
                    sa.text("SELECT pg_advisory_unlock(:key)"),
                    {"key": _MIGRATION_LOCK_KEY},
                )
                connection.commit()
    logger.info("database is at the newest schema revision")


def main() -> None:
    """`python -m todo_app.migrations`: what `make migrate` runs."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    upgrade_to_head()


if __name__ == "__main__":
    main()
