"""Settings from the environment and .env: the secret key, the database URL, integer values."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from todo_app import settings as app_settings
from todo_app.db import get_engine
from todo_app.settings import (
    MIN_SECRET_KEY_BYTES,
    PROJECT_ROOT,
    ConfigError,
    get_secret_key,
    get_settings,
    keep_files_private,
    normalise_database_url,
)

SECRET = "s" * MIN_SECRET_KEY_BYTES


@pytest.fixture
def data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A private, empty TODO_DATA_DIR."""
    folder = tmp_path / "data"
    monkeypatch.setenv("TODO_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def env_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A private .env file read in place of the project's; write it to use it."""
    path = tmp_path / ".env"
    monkeypatch.setattr(app_settings, "ENV_FILE", path)
    return path


def _clear_caches() -> None:
    get_settings.cache_clear()
    get_secret_key.cache_clear()


def test_get_secret_key_shorter_than_32_bytes_raises_config_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TODO_SECRET_KEY", "k" * (MIN_SECRET_KEY_BYTES - 1))
    with pytest.raises(ConfigError, match="TODO_SECRET_KEY"):
        get_secret_key()


def test_get_secret_key_empty_raises_config_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TODO_SECRET_KEY", "")
    with pytest.raises(ConfigError):
        get_secret_key()


def test_get_secret_key_counts_bytes_not_characters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TODO_SECRET_KEY", "é" * 16)  # 16 characters, 32 bytes
    assert get_secret_key() == ("é" * 16).encode()


def test_get_secret_key_of_32_bytes_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TODO_SECRET_KEY", "k" * MIN_SECRET_KEY_BYTES)
    assert get_secret_key() == b"k" * MIN_SECRET_KEY_BYTES


def test_get_secret_key_unset_writes_a_private_key_file(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    monkeypatch.delenv("TODO_SECRET_KEY")
    key = get_secret_key()
    key_file = data_dir / "secret_key"
    assert len(key) >= MIN_SECRET_KEY_BYTES
    assert key_file.read_bytes().strip() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_get_secret_key_unset_returns_the_same_key_next_time(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    monkeypatch.delenv("TODO_SECRET_KEY")
    first = get_secret_key()
    _clear_caches()
    assert get_secret_key() == first


def test_get_secret_key_unset_leaves_no_temporary_files(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    monkeypatch.delenv("TODO_SECRET_KEY")
    get_secret_key()
    assert [p.name for p in data_dir.iterdir()] == ["secret_key"]


def test_get_secret_key_short_key_file_raises_config_error(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    monkeypatch.delenv("TODO_SECRET_KEY")
    data_dir.mkdir()
    (data_dir / "secret_key").write_bytes(b"short")
    with pytest.raises(ConfigError):
        get_secret_key()


def test_get_settings_database_url_defaults_to_sqlite_in_the_data_dir(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert get_settings().database_url == f"sqlite:///{data_dir.resolve() / 'todo.db'}"


def test_get_settings_database_url_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = "postgresql+psycopg2://app@db.example:5432/todo"
    monkeypatch.setenv("DATABASE_URL", url)
    assert get_settings().database_url == url


def test_get_settings_bad_integer_raises_readable_config_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BCRYPT_ROUNDS", "abc")
    with pytest.raises(
        ConfigError, match=r"BCRYPT_ROUNDS must be a whole number.*'abc'"
    ):
        get_settings()


def test_get_settings_integer_out_of_range_raises_config_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BCRYPT_ROUNDS", "3")
    with pytest.raises(ConfigError, match="BCRYPT_ROUNDS must be between 4 and 31"):
        get_settings()


def test_get_settings_blank_integer_uses_the_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TODO_LOGIN_MAX_FAILURES", "  ")
    assert get_settings().login_max_failures == 10


def test_get_settings_login_limits_default_to_10_in_15_minutes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TODO_LOGIN_MAX_FAILURES", raising=False)
    monkeypatch.delenv("TODO_LOGIN_WINDOW_MINUTES", raising=False)
    settings = get_settings()
    assert (settings.login_max_failures, settings.login_window_minutes) == (10, 15)


@pytest.mark.parametrize("value", ["*", "evil.example", "https://ok.example,*"])
def test_get_settings_cors_wildcard_or_bare_host_raises_config_error(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("TODO_CORS_ORIGINS", value)
    with pytest.raises(ConfigError, match="TODO_CORS_ORIGINS"):
        get_settings()


def test_get_settings_cors_origins_are_trimmed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "TODO_CORS_ORIGINS", " https://a.example/ , http://b.example:8080"
    )
    assert get_settings().cors_origins == ("https://a.example", "http://b.example:8080")


def test_trusted_proxies_parse_addresses_and_networks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TODO_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.5,::1")
    networks = [str(n) for n in get_settings().trusted_proxies]
    assert networks == ["10.0.0.0/8", "192.168.1.5/32", "::1/128"]


def test_trusted_proxies_refuse_a_hostname(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TODO_TRUSTED_PROXIES", "proxy.example.com")
    with pytest.raises(ConfigError, match="TODO_TRUSTED_PROXIES"):
        get_settings()


def test_default_origins_accept_localhost_and_loopback_addresses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TODO_CORS_ORIGINS", raising=False)
    monkeypatch.setenv("PORT", "3000")
    assert get_settings().cors_origins == (
        "http://localhost:3000",
        "http://127.0.0.1:3000",
        "http://[::1]:3000",
    )


def test_keep_files_private_tightens_the_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    (data / "todo.db").write_text("x")
    (data / "todo.db").chmod(0o644)
    monkeypatch.setenv("TODO_DATA_DIR", str(data))
    previous = os.umask(0o022)
    try:
        keep_files_private()
        (data / "todo.db-wal").write_text("new")
        umask_now = os.umask(0o022)
    finally:
        os.umask(previous)
    assert umask_now == 0o077
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "todo.db").stat().st_mode) == 0o600
    assert stat.S_IMODE((data / "todo.db-wal").stat().st_mode) == 0o600


# --- connection strings as people paste them ---------------------------------------------------


@pytest.mark.parametrize(
    ("pasted", "used"),
    [
        (
            "postgresql://app:pw@db.example:5432/todo",
            "postgresql+psycopg2://app:pw@db.example:5432/todo",
        ),
        (
            "postgres://app:pw@db.example:5432/todo",
            "postgresql+psycopg2://app:pw@db.example:5432/todo",
        ),
        (
            "postgresql://app:pw@ep-x.neon.tech/neondb?sslmode=require&channel_binding=require",
            "postgresql+psycopg2://app:pw@ep-x.neon.tech/neondb?sslmode=require&channel_binding=require",
        ),
        (
            "postgres://u:p%40ss@h/db?sslmode=require",
            "postgresql+psycopg2://u:p%40ss@h/db?sslmode=require",
        ),
        (
            "postgresql+psycopg2://app@db.example/todo",
            "postgresql+psycopg2://app@db.example/todo",
        ),
        ("sqlite:////tmp/todo.db", "sqlite:////tmp/todo.db"),
    ],
    ids=[
        "postgresql",
        "postgres",
        "neon-query-options-kept",
        "escaped-password-kept",
        "explicit-driver",
        "sqlite",
    ],
)
def test_normalise_database_url_gives_the_installed_driver(
    pasted: str, used: str
) -> None:
    assert normalise_database_url(pasted) == used


def test_get_settings_plain_postgresql_url_gets_the_installed_driver(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://app@db.example/todo?sslmode=require")
    assert get_settings().database_url == (
        "postgresql+psycopg2://app@db.example/todo?sslmode=require"
    )


def test_get_engine_plain_postgresql_url_uses_psycopg2() -> None:
    engine = get_engine("postgresql://app@db.example/todo?sslmode=require")
    assert (engine.dialect.driver, engine.url.query) == (
        "psycopg2",
        {"sslmode": "require"},
    )


# --- the .env file and the seed backend's names -------------------------------------------------


def test_get_settings_reads_the_env_file(
    monkeypatch: pytest.MonkeyPatch, env_file: Path
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    env_file.write_text(
        "DATABASE_URL=postgresql://app@db.example/todo?sslmode=require\n"
    )
    assert get_settings().database_url == (
        "postgresql+psycopg2://app@db.example/todo?sslmode=require"
    )


def test_get_settings_environment_wins_over_the_env_file(
    monkeypatch: pytest.MonkeyPatch, env_file: Path
) -> None:
    monkeypatch.setenv("TODO_LOGIN_MAX_FAILURES", "7")
    env_file.write_text("TODO_LOGIN_MAX_FAILURES=3\n")
    assert get_settings().login_max_failures == 7


def test_get_settings_reads_numbers_from_the_env_file(
    monkeypatch: pytest.MonkeyPatch, env_file: Path
) -> None:
    monkeypatch.delenv("TODO_LOGIN_MAX_FAILURES", raising=False)
    env_file.write_text("# limits\nTODO_LOGIN_MAX_FAILURES=3\n")
    assert get_settings().login_max_failures == 3


def test_get_settings_neon_db_url_is_an_alias_of_database_url(
    monkeypatch: pytest.MonkeyPatch, env_file: Path
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("NEON_DB_URL", "postgresql://neon@ep-x.neon.tech/neondb")
    assert get_settings().database_url == (
        "postgresql+psycopg2://neon@ep-x.neon.tech/neondb"
    )


def test_get_settings_database_url_wins_over_neon_db_url(
    monkeypatch: pytest.MonkeyPatch, env_file: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/mine.db")
    monkeypatch.setenv("NEON_DB_URL", "postgresql://neon@ep-x.neon.tech/neondb")
    assert get_settings().database_url == "sqlite:////tmp/mine.db"


def test_get_settings_alias_in_the_environment_wins_over_the_env_file(
    monkeypatch: pytest.MonkeyPatch, env_file: Path
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("NEON_DB_URL", "postgresql://neon@ep-x.neon.tech/neondb")
    env_file.write_text("DATABASE_URL=sqlite:////tmp/from-file.db\n")
    assert get_settings().database_url == (
        "postgresql+psycopg2://neon@ep-x.neon.tech/neondb"
    )


def test_get_secret_key_better_auth_secret_is_an_alias(
    monkeypatch: pytest.MonkeyPatch, env_file: Path
) -> None:
    monkeypatch.delenv("TODO_SECRET_KEY")
    monkeypatch.setenv("BETTER_AUTH_SECRET", SECRET)
    assert get_secret_key() == SECRET.encode()


def test_get_secret_key_reads_the_env_file(
    monkeypatch: pytest.MonkeyPatch, env_file: Path
) -> None:
    monkeypatch.delenv("TODO_SECRET_KEY")
    env_file.write_text(f'BETTER_AUTH_SECRET="{SECRET}"\n')
    assert get_secret_key() == SECRET.encode()


def test_get_secret_key_short_alias_error_names_the_alias(
    monkeypatch: pytest.MonkeyPatch, env_file: Path
) -> None:
    monkeypatch.delenv("TODO_SECRET_KEY")
    env_file.write_text("BETTER_AUTH_SECRET=short\n")
    with pytest.raises(ConfigError, match=r"BETTER_AUTH_SECRET \(in .env\)"):
        get_secret_key()


def test_env_file_is_git_ignored() -> None:
    ignored = (PROJECT_ROOT / ".gitignore").read_text().splitlines()
    assert ".env" in ignored


def test_public_url_is_reflex_api_url_without_its_trailing_slash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REFLEX_API_URL", "https://todo.example.com/")
    assert get_settings().public_url == "https://todo.example.com"


def test_public_url_defaults_to_localhost_on_port(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("REFLEX_API_URL", raising=False)
    monkeypatch.setenv("PORT", "8123")
    assert get_settings().public_url == "http://localhost:8123"


def test_public_url_that_is_no_http_url_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REFLEX_API_URL", "todo.example.com")
    with pytest.raises(ConfigError, match="REFLEX_API_URL"):
        get_settings()


def test_get_settings_reminder_poll_defaults_to_one_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TODO_REMINDER_POLL_SECONDS", raising=False)
    assert get_settings().reminder_poll_seconds == 1.0


def test_get_settings_reminder_poll_takes_fractions_of_a_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TODO_REMINDER_POLL_SECONDS", "0.2")
    assert get_settings().reminder_poll_seconds == 0.2


@pytest.mark.parametrize("value", ["soon", "0", "61"])
def test_get_settings_bad_reminder_poll_raises_config_error(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("TODO_REMINDER_POLL_SECONDS", value)
    with pytest.raises(ConfigError, match="TODO_REMINDER_POLL_SECONDS must be"):
        get_settings()


def test_get_settings_reminder_clock_ahead_defaults_to_zero(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TODO_REMINDER_CLOCK_AHEAD_SECONDS", raising=False)
    assert get_settings().reminder_clock_ahead_seconds == 0.0


@pytest.mark.parametrize("value", ["later", "-1", "3601"])
def test_get_settings_bad_reminder_clock_ahead_raises_config_error(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("TODO_REMINDER_CLOCK_AHEAD_SECONDS", value)
    with pytest.raises(ConfigError, match="TODO_REMINDER_CLOCK_AHEAD_SECONDS must be"):
        get_settings()
