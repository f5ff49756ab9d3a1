"""Errors the write side raises when a command is refused.

Each carries a stable ``code`` that clients can branch on; the server maps the
classes below to HTTP statuses in one place.
"""

from __future__ import annotations


class DomainError(Exception):
    """Raised when a command is refused; the base of every error here."""

    code = "domain_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(DomainError):
    """Raised when an id is unknown, or belongs to something the actor may not see."""

    code = "not_found"


class PermissionDeniedError(DomainError):
    """Raised when the actor may see the thing but may not do this to it."""

    code = "forbidden"


class RuleViolationError(DomainError):
    """Raised when a command breaks a domain rule, whoever sends it."""

    code = "rule_violation"


class VersionConflictError(DomainError):
    """Raised when the caller's expected version is stale, or writers kept colliding."""

    code = "version_conflict"


class InvalidValueError(DomainError):
    """Raised when a value is well-formed but not acceptable, naming the field.

    Its code is the one every 422 carries, from a schema or from a rule here.
    """

    code = "validation_failed"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class CommitmentClosedError(RuleViolationError):
    """Raised when a command needs an open commitment and this one is closed."""

    code = "commitment_closed"


class NotOverdueError(RuleViolationError):
    """Raised when a commitment is marked missed before its due date has passed."""

    code = "not_overdue"


class AlreadyMemberError(RuleViolationError):
    """Raised when a user is added to a team they already belong to."""

    code = "already_member"


class NotMemberError(RuleViolationError):
    """Raised when a team command names a user who is not a member."""

    code = "not_member"
