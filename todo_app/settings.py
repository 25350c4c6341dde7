"""Configuration from environment variables (and a `.env` file), read once per process."""

from __future__ import annotations

import functools
import ipaddress
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values

logger = logging.getLogger(__name__)

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIN_SECRET_KEY_BYTES = 32
# Read for every variable of the README's table; the environment wins over it.
ENV_FILE = PROJECT_ROOT / ".env"
# Names other tools give the same values (Neon's console, the seed backend's Better Auth),
# tried after the app's own name, in this order, within each source.
ALIASES: dict[str, tuple[str, ...]] = {
    "DATABASE_URL": ("NEON_DB_URL",),
    "TODO_SECRET_KEY": ("BETTER_AUTH_SECRET",),
}


class ConfigError(RuntimeError):
    """The environment holds a value the app refuses to start with."""


@dataclass(frozen=True)
class Settings:
    """Everything the app reads from its environment."""

    data_dir: Path
    database_url: str
    redis_url: str | None
    port: int
    token_ttl_minutes: int
    bcrypt_rounds: int
    cors_origins: tuple[str, ...]
    db_pool_size: int
    db_max_overflow: int
    db_pool_timeout: float
    login_max_failures: int
    login_window_minutes: int
    client_max_failures: int
    signups_per_hour: int
    trusted_proxies: tuple[IPNetwork, ...]
    trash_days: int
    # How often each worker looks for reminders that are due (TODO_REMINDER_POLL_SECONDS).
    reminder_poll_seconds: float
    # For tests only: the reminders' clock runs this far ahead of the real one, so a reminder
    # set a minute ahead fires at once (TODO_REMINDER_CLOCK_AHEAD_SECONDS, 0 in production).
    reminder_clock_ahead_seconds: float
    # Where people reach the app (REFLEX_API_URL behind a proxy): links the app hands out.
    public_url: str


def _lookup(name: str) -> tuple[str, str] | None:
    """(where it was found, value) of a variable or one of its aliases, if it is set anywhere.

    The environment first (the name, then its aliases), then the `.env` file in the same order.
    A variable set to "" counts as set, as it does for python-dotenv.
    """
    names = (name, *ALIASES.get(name, ()))
    for key in names:
        if key in os.environ:
            return key, os.environ[key]
    if ENV_FILE.is_file():
        from_file = dotenv_values(ENV_FILE)
        for key in names:
            value = from_file.get(key)
            if value is not None:  # a bare "KEY" line has no value
                return f"{key} (in {ENV_FILE.name})", value
    return None


def env(name: str) -> str | None:
    """The value of a configuration variable from the environment or `.env`, or None."""
    found = _lookup(name)
    return None if found is None else found[1]


def normalise_database_url(url: str) -> str:
    """A PostgreSQL URL as Neon, Heroku and psql print it, made to use the installed driver.

    `postgres://` and `postgresql://` become `postgresql+psycopg2://` (SQLAlchemy would pick
    psycopg 3, which is not installed); the rest of the URL, query options included, is kept.
    """
    scheme, separator, rest = url.strip().partition("://")
    if separator and scheme.lower() in ("postgres", "postgresql"):
        return f"postgresql+psycopg2://{rest}"
    return url.strip()


def _float_env(name: str, default: float, *, minimum: float, maximum: float) -> float:
    raw = (env(name) or "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number of seconds, got {raw!r}") from exc
    if not minimum <= value <= maximum:
        raise ConfigError(
            f"{name} must be between {minimum} and {maximum}, got {value}"
        )
    return value


def _int_env(name: str, default: int, *, minimum: int, maximum: int) -> int:
    raw = (env(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc
    if not minimum <= value <= maximum:
        raise ConfigError(
            f"{name} must be between {minimum} and {maximum}, got {value}"
        )
    return value


def data_dir() -> Path:
    """The git-ignored folder for the SQLite file and the generated secret key."""
    return Path(env("TODO_DATA_DIR") or PROJECT_ROOT / "data").resolve()


def default_database_url() -> str:
    """SQLite file in the data folder: the zero set-up default."""
    return f"sqlite:///{data_dir() / 'todo.db'}"


def _cors_origins(raw: str) -> tuple[str, ...]:
    origins = tuple(o.strip().rstrip("/") for o in raw.split(",") if o.strip())
    for origin in origins:
        # Reflex's CORS layer allows credentials: "*" would let every site act as the user.
        if origin == "*" or not origin.startswith(("http://", "https://")):
            raise ConfigError(
                f"TODO_CORS_ORIGINS must list origins like https://todo.example.com, "
                f"got {origin!r} ('*' is not allowed)"
            )
    return origins


def _own_origins(port: int) -> tuple[str, ...]:
    # However the user reaches the app on this machine, its websocket and API accept it.
    return tuple(
        f"http://{host}:{port}" for host in ("localhost", "127.0.0.1", "[::1]")
    )


def _public_url(raw: str) -> str:
    url = raw.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise ConfigError(
            f"REFLEX_API_URL must be a URL like https://todo.example.com, got {raw!r}"
        )
    return url


def _networks(name: str, raw: str) -> tuple[IPNetwork, ...]:
    networks: list[IPNetwork] = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ConfigError(
                f"{name} must list IP addresses or networks like 10.0.0.0/8, "
                f"got {item!r}"
            ) from exc
    return tuple(networks)


@functools.cache
def get_settings() -> Settings:
    """Read and validate the environment once; tests call `get_settings.cache_clear()`."""
    port = _int_env("PORT", 3000, minimum=1, maximum=65535)
    origins = _cors_origins(env("TODO_CORS_ORIGINS") or "")
    return Settings(
        data_dir=data_dir(),
        database_url=normalise_database_url(
            env("DATABASE_URL") or default_database_url()
        ),
        redis_url=env("REDIS_URL") or None,
        port=port,
        token_ttl_minutes=_int_env(
            "TODO_TOKEN_TTL_MINUTES", 1440, minimum=1, maximum=525600
        ),
        bcrypt_rounds=_int_env("BCRYPT_ROUNDS", 12, minimum=4, maximum=31),
        cors_origins=origins or _own_origins(port),
        db_pool_size=_int_env("DB_POOL_SIZE", 10, minimum=1, maximum=1000),
        db_max_overflow=_int_env("DB_MAX_OVERFLOW", 5, minimum=0, maximum=1000),
        db_pool_timeout=float(
            _int_env("DB_POOL_TIMEOUT_SECONDS", 5, minimum=1, maximum=300)
        ),
        login_max_failures=_int_env(
            "TODO_LOGIN_MAX_FAILURES", 10, minimum=1, maximum=10000
        ),
        login_window_minutes=_int_env(
            "TODO_LOGIN_WINDOW_MINUTES", 15, minimum=1, maximum=1440
        ),
        client_max_failures=_int_env(
            "TODO_CLIENT_MAX_FAILURES", 100, minimum=1, maximum=1_000_000
        ),
        signups_per_hour=_int_env(
            "TODO_SIGNUPS_PER_HOUR", 10, minimum=1, maximum=1_000_000
        ),
        trusted_proxies=_networks(
            "TODO_TRUSTED_PROXIES", env("TODO_TRUSTED_PROXIES") or ""
        ),
        trash_days=_int_env("TODO_TRASH_DAYS", 30, minimum=1, maximum=3650),
        reminder_poll_seconds=_float_env(
            "TODO_REMINDER_POLL_SECONDS", 1.0, minimum=0.05, maximum=60.0
        ),
        reminder_clock_ahead_seconds=_float_env(
            "TODO_REMINDER_CLOCK_AHEAD_SECONDS", 0.0, minimum=0.0, maximum=3600.0
        ),
        public_url=_public_url(env("REFLEX_API_URL") or f"http://localhost:{port}"),
    )


def keep_files_private() -> None:
    """Make every file this process (and what it starts) writes readable by its owner only.

    The SQLite database, its WAL and journal, the secret key and anything Reflex persists
    hold account data; files made before this ran (an older version) are tightened too.
    """
    os.umask(0o077)
    for folder in (data_dir(), PROJECT_ROOT / ".states"):
        if not folder.is_dir():
            continue
        folder.chmod(0o700)
        for path in folder.rglob("*"):
            path.chmod(0o700 if path.is_dir() else 0o600)


@functools.cache
def get_secret_key() -> bytes:
    """TODO_SECRET_KEY (or BETTER_AUTH_SECRET), or a key generated once into the data folder."""
    configured = _lookup("TODO_SECRET_KEY")
    if configured is not None:
        source, value = configured
        key = value.encode()
        if len(key) < MIN_SECRET_KEY_BYTES:
            raise ConfigError(
                f"{source} must be at least {MIN_SECRET_KEY_BYTES} bytes long, "
                f"got {len(key)}; generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        return key
    path = data_dir() / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Write a complete file under a private name, then link it into place: when several
        # workers start at once exactly one link wins and nobody reads a half-written key.
        candidate = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_urlsafe(48).encode())
        try:
            os.link(candidate, path)
            logger.warning(
                "TODO_SECRET_KEY is not set: generated a new secret key in %s (mode 600)",
                path,
            )
        except FileExistsError:
            pass
        finally:
            candidate.unlink()
    key = path.read_bytes().strip()
    if len(key) < MIN_SECRET_KEY_BYTES:
        raise ConfigError(
            f"{path} holds a key shorter than {MIN_SECRET_KEY_BYTES} bytes"
        )
    return key
