"""Errors every service may raise. Pages and the CLI show `str(err)`; it is meant for people."""

from __future__ import annotations

from rules.violation import RuleViolation, Violation

__all__ = [
    "InputError",
    "NotFound",
    "PermissionDenied",
    "RuleViolation",
    "ServiceError",
    "Violation",
]


class ServiceError(Exception):
    """Base of every expected, user-facing failure of a service."""


class PermissionDenied(ServiceError):
    """The actor's role or scope does not allow the action."""


class NotFound(ServiceError):
    """The thing asked for does not exist (or is outside the actor's scope to know of)."""


class InputError(ServiceError):
    """A field of the input is invalid; the message names the field (or file row)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


# Everything a service raises for a person to read: its own errors and the rules' refusals
# (RuleViolation lives in rules/, which must not depend on wfm/). Catch this tuple in pages/CLI.
USER_ERRORS: tuple[type[Exception], ...] = (ServiceError, RuleViolation)
