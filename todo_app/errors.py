"""Domain errors raised by the service layer; the API and the UI map them to responses."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base class of every error the service layer raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The thing does not exist, or belongs to someone else (deliberately the same)."""


class InvalidInput(DomainError):
    """Input broke a rule; `field` names the offending field when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class InvalidFile(DomainError):
    """An uploaded file that cannot be used as a whole: `problems` lists each line and why."""

    def __init__(self, message: str, problems: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.problems = problems


class UnsupportedFormat(DomainError):
    """A file of a kind the service does not read (its media type)."""


class EmailTaken(DomainError):
    """An account with this email already exists."""


class NameTaken(DomainError):
    """The owner already has one of these with this name (project names ignore case)."""


class VersionConflict(DomainError):
    """The caller changed a stale copy (If-Match): `current` is the thing as it is now."""

    def __init__(self, message: str, *, current: Any, version: int) -> None:
        super().__init__(message)
        self.current = current
        self.version = version


class InvalidCredentials(DomainError):
    """Unknown email or wrong password: never says which."""


class IncorrectPassword(DomainError):
    """The current password given to confirm a change was wrong."""


class Forbidden(DomainError):
    """The caller is known but may not do this (a wrong password confirming a deletion)."""


class InvalidToken(DomainError):
    """A bearer token that is malformed, expired, forged or revoked."""


class TooManyAttempts(DomainError):
    """Too many failed logins; try again after `retry_after` seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ServiceUnavailable(DomainError):
    """The database (or another backing service) cannot be reached right now."""
