"""Marshmallow schemas of the API: what comes in, validated, and what goes out."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from events.commitment import TEXT_MAX, TITLE_MAX
from events.team import NAME_MAX, ROLES, zone_names
from server.api import patterns
from server.api.fields import (
    Flag,
    Matches,
    Moment,
    optional_text_field,
    password_field,
    query_flag,
    text_field,
)

STATUSES = ("open", "kept", "missed", "withdrawn", "overdue")


class ErrorDetail(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    field_errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        data_key="fields",
        metadata={"description": "Messages by field, for 422 answers."},
    )


class ErrorSchema(Schema):
    """The uniform error body."""

    error = fields.Nested(ErrorDetail, required=True)


class HistoryRecordSchema(Schema):
    """One recorded event of an aggregate."""

    type = fields.String(required=True)
    version = fields.Integer(required=True)
    at = fields.String(required=True, metadata={"format": "date-time"})
    actor_id = fields.String(allow_none=True)
    data = fields.Dict(required=True)


# Accounts


class LoginSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(1, 254))
    password = fields.String(
        required=True, load_only=True, validate=validate.Length(1, 1024)
    )


ACCOUNT_STATUSES = ("active", "invited", "deactivated")
USERS_LIMIT_MAX = 200


class UserSchema(Schema):
    id = fields.UUID(dump_only=True)
    name = text_field(100)
    email = fields.Email(required=True, validate=validate.Length(1, 254))
    password = password_field()
    is_admin = Flag(load_default=False)
    created_at = fields.AwareDateTime(dump_only=True)
    active = fields.Boolean(dump_only=True)
    status = fields.String(
        dump_only=True,
        metadata={
            "enum": list(ACCOUNT_STATUSES),
            "description": "invited: the person has not set a password yet.",
        },
    )
    version = fields.Integer(dump_only=True)


class UserChangeSchema(Schema):
    """An admin's change to an account; at least one field."""

    OPENAPI = {"minProperties": 1}

    name = text_field(100, required=False)
    email = fields.Email(validate=validate.Length(1, 254))
    is_admin = Flag()
    active = Flag(
        metadata={
            "description": "false deactivates: sign-ins, API tokens and sockets "
            "end at once; true restores sign-in."
        }
    )

    @validates_schema
    def _something(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if not data:
            raise ValidationError(
                "Name at least one of: name, email, is_admin, active."
            )


class UserQuerySchema(Schema):
    q = fields.String(
        validate=validate.Length(max=100),
        metadata={"description": "Part of a name or email, any case."},
    )
    active = query_flag()
    status = fields.String(validate=validate.OneOf(ACCOUNT_STATUSES))
    limit = fields.Integer(
        load_default=USERS_LIMIT_MAX, validate=validate.Range(1, USERS_LIMIT_MAX)
    )
    offset = fields.Integer(load_default=0, validate=validate.Range(0, 10**9))


class SetupStateSchema(Schema):
    has_users = fields.Boolean(
        metadata={"description": "false on a new workspace: create the first admin."}
    )


class MembershipSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    role = fields.String()


class SessionSchema(Schema):
    """The signed-in user and the CSRF token their session's writes must carry."""

    user = fields.Nested(UserSchema)
    csrf_token = fields.String(allow_none=True)


class MeSchema(SessionSchema):
    teams = fields.List(fields.Nested(MembershipSchema))


class TokenRequestSchema(Schema):
    name = text_field(100)
    user_id = fields.UUID(load_default=None)


class TokenSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    user_id = fields.UUID()
    created_at = fields.AwareDateTime()
    revoked_at = fields.AwareDateTime(allow_none=True)


class NewTokenSchema(TokenSchema):
    token = fields.String(metadata={"description": "The secret: shown only once."})


# Teams


TIMEZONE_HELP = {"description": "An IANA time zone of a place (or UTC)."}


class TeamRequestSchema(Schema):
    name = text_field(NAME_MAX)
    timezone = fields.String(
        load_default="UTC",
        validate=validate.OneOf(sorted(zone_names())),
        metadata=TIMEZONE_HELP,
    )


class TeamChangeSchema(Schema):
    """The fields to change, at least one; those left out stay as they are."""

    OPENAPI = {"minProperties": 1}

    name = text_field(NAME_MAX, required=False)
    timezone = fields.String(
        validate=validate.OneOf(sorted(zone_names())), metadata=TIMEZONE_HELP
    )
    currency = fields.String(
        validate=Matches(patterns.CURRENCY, error="Must be a code such as EUR."),
        metadata={"description": "ISO 4217 code of the team's currency."},
    )

    @validates_schema
    def _not_empty(self, data: dict[str, object], **kwargs: object) -> None:
        if not data:
            raise ValidationError("Send at least one of name, timezone, currency.")


class TeamQuerySchema(Schema):
    archived = query_flag(
        load_default=False,
        metadata={"description": "Include archived teams (true) or not (false)."},
    )


class MemberSchema(Schema):
    user_id = fields.UUID()
    name = fields.String()
    role = fields.String()


class TeamSummarySchema(Schema):
    id = fields.UUID()
    name = fields.String()
    timezone = fields.String()
    currency = fields.String(
        allow_none=True, metadata={"description": "ISO 4217 code; null until set."}
    )
    archived = fields.Boolean(
        metadata={"description": "Archived teams take no new members."}
    )
    version = fields.Integer()


class TeamSchema(TeamSummarySchema):
    members = fields.List(fields.Nested(MemberSchema))


class AddMemberSchema(Schema):
    user_id = fields.UUID(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))


class ChangeRoleSchema(Schema):
    role = fields.String(required=True, validate=validate.OneOf(ROLES))


# Commitments


DUE_HELP = {"description": "In the future, and within ten years (else 409)."}


class MakeCommitmentSchema(Schema):
    team_id = fields.UUID(required=True)
    title = text_field(TITLE_MAX)
    description = optional_text_field(TEXT_MAX)
    due_at = Moment(required=True, metadata=DUE_HELP)
    witness_ids = fields.List(
        fields.UUID(),
        load_default=list,
        metadata={"description": "Members of the team other than you (else 409)."},
    )


class RenegotiateSchema(Schema):
    due_at = Moment(required=True, metadata=DUE_HELP)
    reason = text_field(TEXT_MAX)


class KeepSchema(Schema):
    evidence = optional_text_field(TEXT_MAX)


class ReasonSchema(Schema):
    reason = text_field(TEXT_MAX)


class NoteSchema(Schema):
    note = text_field(TEXT_MAX)


class CommitmentQuerySchema(Schema):
    team_id = fields.UUID()
    owner_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(STATUSES))


class RemarkSchema(Schema):
    note = fields.String()
    actor_id = fields.UUID()
    at = fields.AwareDateTime()


class CommitmentSummarySchema(Schema):
    id = fields.UUID()
    team_id = fields.UUID()
    owner_id = fields.UUID()
    title = fields.String()
    description = fields.String(allow_none=True)
    status = fields.String()
    overdue = fields.Boolean()
    due_at = fields.AwareDateTime()
    witness_ids = fields.List(fields.UUID())
    evidence = fields.String(allow_none=True)
    closing_reason = fields.String(allow_none=True)
    closed_at = fields.AwareDateTime(allow_none=True)
    progress_count = fields.Integer()
    renegotiation_count = fields.Integer()
    call_out_count = fields.Integer()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    version = fields.Integer()


class CommitmentSchema(CommitmentSummarySchema):
    progress = fields.List(fields.Nested(RemarkSchema))
    call_outs = fields.List(fields.Nested(RemarkSchema))
