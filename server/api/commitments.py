"""Commitments: made, worked on, kept, missed, withdrawn or called out."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint

from events.application import Change
from events.commitment import Commitment
from projections.commitments import list_commitments
from server.api.commands import changed, expected_version, history
from server.api.schemas import (
    CommitmentQuerySchema,
    CommitmentSchema,
    CommitmentSummarySchema,
    HistoryRecordSchema,
    KeepSchema,
    MakeCommitmentSchema,
    NoteSchema,
    ReasonSchema,
    RenegotiateSchema,
)
from server.api.visibility import team_scope
from server.auth import current_actor
from server.db import db
from server.services import services

PREFIX = "/commitments"
blp = Blueprint("commitments", __name__, description="Commitments")


def commitment_body(c: Commitment) -> dict[str, Any]:
    """Return a commitment's full current state."""
    now = services().events.clock()
    return {
        "id": c.id,
        "team_id": c.team_id,
        "owner_id": c.owner_id,
        "title": c.title,
        "description": c.description,
        "status": c.status,
        "overdue": c.is_overdue(now),
        "due_at": c.due_at,
        "witness_ids": c.witness_ids,
        "evidence": c.evidence,
        "closing_reason": c.closing_reason,
        "closed_at": c.closed_at,
        "renegotiation_count": c.renegotiation_count,
        "version": c.version,
        "progress_count": len(c.progress),
        "call_out_count": len(c.call_outs),
        "progress": [_remark(n) for n in c.progress],
        "call_outs": [_remark(n) for n in c.call_outs],
        "created_at": c.created_on,
        "updated_at": c.modified_on,
    }


def _remark(note: Any) -> dict[str, Any]:
    return {"note": note.text, "actor_id": note.actor_id, "at": note.at}


def _answer(change: Change[Commitment], status: int = 200) -> Any:
    return changed(change, commitment_body(change.aggregate), status)


@blp.post("")
@blp.arguments(MakeCommitmentSchema)
@blp.response(201, CommitmentSchema)
def make(data: dict[str, Any]) -> Any:
    """Make a commitment to your team, optionally with teammates as witnesses."""
    change = services().events.make_commitment(current_actor(), **data)
    return _answer(change, 201)


@blp.get("")
@blp.arguments(CommitmentQuerySchema, location="query")
@blp.response(200, CommitmentSummarySchema(many=True))
def list_visible(query: dict[str, Any]) -> list[dict[str, Any]]:
    """List commitments in the caller's teams, soonest due first."""
    team_ids = team_scope(query.get("team_id"))
    now = services().events.clock()
    rows = list_commitments(
        db().connection(), team_ids, query.get("owner_id"), query.get("status"), now
    )
    return [
        {**row, "overdue": row["status"] == "open" and row["due_at"] < now}
        for row in rows
    ]


@blp.get("/<uuid:commitment_id>")
@blp.response(200, CommitmentSchema)
def get(commitment_id: UUID) -> Any:
    """Return one commitment, with its progress notes and call-outs."""
    c = services().events.get_commitment(current_actor(), commitment_id)
    return commitment_body(c), {"ETag": f'"{c.version}"'}


@blp.get("/<uuid:commitment_id>/history")
@blp.response(200, HistoryRecordSchema(many=True))
def commitment_history(commitment_id: UUID) -> list[dict[str, Any]]:
    """Return every event ever recorded for the commitment, oldest first."""
    return history(services().events.commitment_history(current_actor(), commitment_id))


@blp.post("/<uuid:commitment_id>/progress")
@blp.arguments(NoteSchema)
@blp.response(200, CommitmentSchema)
def progress(data: dict[str, Any], commitment_id: UUID) -> Any:
    """Report progress on your own open commitment."""
    return _answer(
        services().events.report_progress(
            current_actor(), commitment_id, data["note"], expected_version()
        )
    )


@blp.post("/<uuid:commitment_id>/renegotiate")
@blp.arguments(RenegotiateSchema)
@blp.response(200, CommitmentSchema)
def renegotiate(data: dict[str, Any], commitment_id: UUID) -> Any:
    """Move the due date of your own open commitment, saying why."""
    return _answer(
        services().events.renegotiate_commitment(
            current_actor(),
            commitment_id,
            data["due_at"],
            data["reason"],
            expected_version(),
        )
    )


@blp.post("/<uuid:commitment_id>/keep")
@blp.arguments(KeepSchema)
@blp.response(200, CommitmentSchema)
def keep(data: dict[str, Any], commitment_id: UUID) -> Any:
    """Mark your own open commitment kept, with optional evidence."""
    return _answer(
        services().events.keep_commitment(
            current_actor(), commitment_id, data["evidence"], expected_version()
        )
    )


@blp.post("/<uuid:commitment_id>/miss")
@blp.arguments(ReasonSchema)
@blp.response(200, CommitmentSchema)
def miss(data: dict[str, Any], commitment_id: UUID) -> Any:
    """Mark an overdue commitment missed (the team's leader)."""
    return _answer(
        services().events.miss_commitment(
            current_actor(), commitment_id, data["reason"], expected_version()
        )
    )


@blp.post("/<uuid:commitment_id>/withdraw")
@blp.arguments(ReasonSchema)
@blp.response(200, CommitmentSchema)
def withdraw(data: dict[str, Any], commitment_id: UUID) -> Any:
    """Withdraw your own open commitment, saying why."""
    return _answer(
        services().events.withdraw_commitment(
            current_actor(), commitment_id, data["reason"], expected_version()
        )
    )


@blp.post("/<uuid:commitment_id>/call-out")
@blp.arguments(NoteSchema)
@blp.response(200, CommitmentSchema)
def call_out(data: dict[str, Any], commitment_id: UUID) -> Any:
    """Call out a slipping or missed commitment, on the record (the team's leader)."""
    return _answer(
        services().events.call_out_commitment(
            current_actor(), commitment_id, data["note"], expected_version()
        )
    )
