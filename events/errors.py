"""Errors the write side raises when a command is refused.

Each carries a stable ``code`` that clients can branch on; the server maps the
classes below to HTTP statuses in one place.
"""

from __future__ import annotations


class DomainError(Exception):
    """Raised when a command is refused; the base of every error here."""

    code = "domain_error"
    # The request field the error is about, when it is about one.
    field: str | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(DomainError):
    """Raised when an id is unknown, or belongs to something the actor may not see."""

    code = "not_found"


class UnknownReferenceError(NotFoundError):
    """Raised when a field names an id that is unknown, naming the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class PermissionDeniedError(DomainError):
    """Raised when the actor may see the thing but may not do this to it."""

    code = "forbidden"


class RuleViolationError(DomainError):
    """Raised when a command breaks a domain rule, whoever sends it."""

    code = "rule_violation"


class FieldRuleError(RuleViolationError):
    """Raised when a well-formed value breaks a rule no schema can state, naming it.

    Such rules hang on the moment, the record or other fields (a due date already
    past, a person outside the team): no schema can tell the value from a good one,
    so it is refused like any broken rule (409, not 422), naming the field so that
    a form can show the message beside it.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class VersionConflictError(DomainError):
    """Raised when the caller's expected version is stale, or writers kept colliding."""

    code = "version_conflict"


class LinkGoneError(DomainError):
    """Raised when a one-use link was used, has expired or never existed.

    The three are answered alike, so that a link cannot be probed.
    """

    code = "link_gone"


class InvalidValueError(DomainError):
    """Raised when a value is not acceptable in itself, naming the field.

    The API's schemas refuse such values first (422, the same code); these checks
    keep the write side safe from any other caller.
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


class TeamArchivedError(RuleViolationError):
    """Raised when a team command needs a team in use and this one is archived."""

    code = "team_archived"


class AlreadyArchivedError(RuleViolationError):
    """Raised when a team that is already archived is archived again."""

    code = "already_archived"


class NotArchivedError(RuleViolationError):
    """Raised when a team that is not archived is restored."""

    code = "not_archived"
