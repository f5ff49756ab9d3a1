"""Recognition awards: given by a team's leader to a member, withdrawn with a reason."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint

from events.application import Change
from events.recognition import Recognition
from projections.recognitions import list_recognitions
from server.api.commands import changed, expected_version, history
from server.api.recognition_schemas import (
    GiveRecognitionSchema,
    RecognitionQuerySchema,
    RecognitionSchema,
    WithdrawRecognitionSchema,
)
from server.api.schemas import HistoryRecordSchema
from server.api.visibility import team_scope
from server.auth import current_actor
from server.db import db
from server.services import services

PREFIX = "/recognitions"
blp = Blueprint("recognitions", __name__, description="Leader recognition awards")


def recognition_body(r: Recognition) -> dict[str, Any]:
    """Return a recognition's current state."""
    return {
        "id": r.id,
        "team_id": r.team_id,
        "from_user_id": r.from_user_id,
        "to_user_id": r.to_user_id,
        "title": r.title,
        "message": r.message,
        "status": "withdrawn" if r.is_withdrawn else "given",
        "given_at": r.given_at,
        "withdrawn_by": r.withdrawn_by,
        "withdrawn_at": r.withdrawn_at,
        "withdrawal_reason": r.withdrawal_reason,
        "version": r.version,
    }


def _answer(change: Change[Recognition], status: int = 200) -> Any:
    return changed(change, recognition_body(change.aggregate), status)


@blp.post("")
@blp.arguments(GiveRecognitionSchema)
@blp.response(201, RecognitionSchema)
def give(data: dict[str, Any]) -> Any:
    """Give a member of your team a recognition award (its leader or an admin)."""
    return _answer(services().events.give_recognition(current_actor(), **data), 201)


@blp.get("")
@blp.arguments(RecognitionQuerySchema, location="query")
@blp.response(200, RecognitionSchema(many=True))
def list_visible(query: dict[str, Any]) -> Any:
    """List recognitions in the caller's teams (all, for admins), newest first."""
    team_ids = team_scope(query.get("team_id"))
    return list_recognitions(
        db().connection(),
        team_ids,
        query.get("user_id"),
        query.get("from_user_id"),
        query.get("status"),
    )


@blp.get("/<uuid:recognition_id>")
@blp.response(200, RecognitionSchema)
def get(recognition_id: UUID) -> Any:
    """Return one recognition."""
    r = services().events.get_recognition(current_actor(), recognition_id)
    return recognition_body(r), {"ETag": f'"{r.version}"'}


@blp.get("/<uuid:recognition_id>/history")
@blp.response(200, HistoryRecordSchema(many=True))
def recognition_history(recognition_id: UUID) -> list[dict[str, Any]]:
    """Return every event ever recorded for the recognition, oldest first."""
    return history(
        services().events.recognition_history(current_actor(), recognition_id)
    )


@blp.post("/<uuid:recognition_id>/withdraw")
@blp.arguments(WithdrawRecognitionSchema)
@blp.response(200, RecognitionSchema)
def withdraw(data: dict[str, Any], recognition_id: UUID) -> Any:
    """Withdraw a recognition, saying why (its giver or an admin)."""
    return _answer(
        services().events.withdraw_recognition(
            current_actor(), recognition_id, data["reason"], expected_version()
        )
    )
