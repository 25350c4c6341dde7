"""Bring the database to the newest alembic revision (used by `make run` and at app start)."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

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
    migrate_to("head", url)


def migrate_to(revision: str, url: str | None = None) -> None:
    """Upgrade or downgrade the database to `revision` ("head", "base" or an id)."""
    engine = get_engine(url)
    config = alembic_config()
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            _set_sqlite_foreign_keys(connection, enabled=False)
        if engine.dialect.name == "postgresql":
            # Workers starting together take turns; the later ones find nothing left to do.
            connection.execute(
                sa.text("SELECT pg_advisory_lock(:key)"), {"key": _MIGRATION_LOCK_KEY}
            )
            connection.commit()
        try:
            config.attributes["connection"] = connection
            current = MigrationContext.configure(connection).get_current_revision()
            if revision == "head" or _is_upgrade(config, current, revision):
                command.upgrade(config, revision)
            else:
                command.downgrade(config, revision)
            connection.commit()
        finally:
            if engine.dialect.name == "sqlite":
                _set_sqlite_foreign_keys(connection, enabled=True)
            if engine.dialect.name == "postgresql":
                connection.execute(
                    sa.text("SELECT pg_advisory_unlock(:key)"),
                    {"key": _MIGRATION_LOCK_KEY},
                )
                connection.commit()
    logger.info("database is at the newest schema revision")


def _is_upgrade(config: Config, current: str | None, target: str) -> bool:
    if target == "base":
        return False
    scripts = ScriptDirectory.from_config(config)
    below_target = {rev.revision for rev in scripts.iterate_revisions(target, "base")}
    return current is None or current in below_target


def _set_sqlite_foreign_keys(connection: sa.Connection, *, enabled: bool) -> None:
    # Migrations that recreate a table drop the old one, which with foreign keys on would
    # cascade into the rows that reference it. The pragma only works outside a transaction,
    # so it goes straight to the driver connection before (and after) alembic's transaction.
    if connection.in_transaction():
        connection.commit()
    driver = connection.connection.driver_connection
    driver.execute(f"PRAGMA foreign_keys={'ON' if enabled else 'OFF'}")
    if enabled:
        broken = driver.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign keys broken by a migration: {broken[:5]}")


def main() -> None:
    """`python -m todo_app.migrations`: what `make migrate` runs."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    upgrade_to_head()


if __name__ == "__main__":
    main()
