"""Passwords: the one bcrypt hasher, and a check that costs the same for unknown accounts.

bcrypt is slow on purpose: callers run it on a worker thread (`db.run_cpu_bound`), never while
a database session is open.
"""

from __future__ import annotations

import base64
import functools
import hashlib

import bcrypt

from todo_app.settings import get_settings


def _prehash(password: str) -> bytes:
    # bcrypt reads at most 72 bytes; a SHA-256 pre-hash makes every character count.
    # base64 keeps NUL bytes (which bcrypt treats as the end) out of its input.
    return base64.b64encode(hashlib.sha256(password.encode("utf-8")).digest())


def hash_password(password: str) -> str:
    """bcrypt hash of the password (CPU-heavy)."""
    salt = bcrypt.gensalt(rounds=get_settings().bcrypt_rounds)
    return bcrypt.hashpw(_prehash(password), salt).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    """True when the password matches the hash (CPU-heavy like hash_password)."""
    try:
        return bcrypt.checkpw(_prehash(password), password_hash.encode("ascii"))
    except ValueError:
        return False


@functools.cache
def _dummy_hash() -> str:
    return hash_password("not a real password, only spends time")


def verify_password_or_waste_time(password: str, password_hash: str | None) -> bool:
    """Check against the hash; without one (unknown account) spend the same time and say no."""
    if password_hash is None:
        verify_password(password, _dummy_hash())
        return False
    return verify_password(password, password_hash)
