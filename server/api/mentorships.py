"""Mentorships across teams: check-ins, action items, acknowledgements."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint

from events.application import Change
from events.errors import PermissionDeniedError
from events.mentorship import CheckIn, Mentorship
from projections.mentorships import list_mentorships
from projections.teams import memberships, team_ids_of
from server.accounts import referenced_user
from server.api.commands import changed, expected_version, history
from server.api.mentorship_schemas import (
    CheckInSchema,
    EndMentorshipSchema,
    LogCheckInSchema,
    MentorshipQuerySchema,
    MentorshipSchema,
    MentorshipSummarySchema,
    StartMentorshipSchema,
)
from server.api.schemas import HistoryRecordSchema
from server.auth import current_actor, current_user
from server.db import db
from server.services import services

PREFIX = "/mentorships"
blp = Blueprint("mentorships", __name__, description="Mentorships and check-ins")


def caller_team_ids() -> list[UUID]:
    """Return the caller's teams, where the write side looks for their leadership."""
    user = current_user()
    return [] if user.is_admin else team_ids_of(db().connection(), user.id)


def check_in_body(mentorship: Mentorship, c: CheckIn) -> dict[str, Any]:
    """Return one check-in with its action items."""
    return {
        "id": c.id,
        "mentorship_id": mentorship.id,
        "held_on": c.held_on,
        "notes": c.notes,
        "confidence": c.confidence,
        "action_items": [
            {
                "id": i.id,
                "text": i.text,
                "done": i.done,
                "done_at": i.done_at,
                "done_by": i.done_by,
            }
            for i in c.action_items
        ],
        "acknowledged_at": c.acknowledged_at,
        "logged_at": c.logged_at,
    }


def mentorship_body(m: Mentorship) -> dict[str, Any]:
    """Return a mentorship's full current state, check-ins in the order logged."""
    items = [i for c in m.check_ins for i in c.action_items]
    held = [c.held_on for c in m.check_ins]
    return {
        "id": m.id,
        "mentor_id": m.mentor_id,
        "mentee_id": m.mentee_id,
        "goals": m.goals,
        "status": m.status,
        "started_by": m.started_by,
        "check_in_count": len(m.check_ins),
        "last_check_in_on": max(held, default=None),
        "open_action_item_count": sum(not i.done for i in items),
        "unacknowledged_count": sum(c.acknowledged_at is None for c in m.check_ins),
        "end_reason": m.end_reason,
        "ended_at": m.ended_at,
        "ended_by": m.ended_by,
        "created_at": m.created_on,
        "updated_at": m.modified_on,
        "version": m.version,
        "check_ins": [check_in_body(m, c) for c in m.check_ins],
    }


def _answer(change: Change[Mentorship], status: int = 200) -> Any:
    body, status, headers = changed(change, mentorship_body(change.aggregate), status)
    return body, status, {**headers, "ETag": f'"{change.aggregate.version}"'}


@blp.post("")
@blp.arguments(StartMentorshipSchema)
@blp.response(201, MentorshipSchema)
def start(data: dict[str, Any]) -> Any:
    """Start a mentorship (an admin, or a leader of a team the mentee is in)."""
    _check_may_start_for(data["mentee_id"])
    mentor = referenced_user(db(), data["mentor_id"], "mentor_id")
    mentee = referenced_user(db(), data["mentee_id"], "mentee_id")
    change = services().events.start_mentorship(
        current_actor(), mentor.id, mentee.id, data["goals"], caller_team_ids()
    )
    return _answer(change, 201)


def _check_may_start_for(mentee_id: UUID) -> None:
    """Refuse non-leaders before looking anyone up, so ids cannot be probed here."""
    caller = current_user()
    if caller.is_admin:
        return
    conn = db().connection()
    led = {m["id"] for m in memberships(conn, caller.id) if m["role"] == "leader"}
    if not led & set(team_ids_of(conn, mentee_id)):
        raise PermissionDeniedError(
            "Only admins and leaders of the mentee's team start mentorships."
        )


@blp.get("")
@blp.arguments(MentorshipQuerySchema, location="query")
@blp.response(200, MentorshipSummarySchema(many=True))
def list_of_user(query: dict[str, Any]) -> Any:
    """List a user's mentorships as mentor or mentee (yours by default)."""
    user_id = query.get("user_id", current_user().id)
    services().events.check_mentorship_list(current_actor(), user_id, caller_team_ids())
    return list_mentorships(db().connection(), user_id, query.get("status"))


@blp.get("/<uuid:mentorship_id>")
@blp.response(200, MentorshipSchema)
def get(mentorship_id: UUID) -> Any:
    """Return a mentorship with its check-ins."""
    m = services().events.get_mentorship(
        current_actor(), mentorship_id, caller_team_ids()
    )
    return mentorship_body(m), {"ETag": f'"{m.version}"'}


@blp.get("/<uuid:mentorship_id>/history")
@blp.response(200, HistoryRecordSchema(many=True))
def mentorship_history(mentorship_id: UUID) -> list[dict[str, Any]]:
    """Return every event ever recorded for the mentorship, oldest first."""
    return history(
        services().events.mentorship_history(
            current_actor(), mentorship_id, caller_team_ids()
        )
    )


@blp.get("/<uuid:mentorship_id>/check-ins")
@blp.response(200, CheckInSchema(many=True))
def check_ins(mentorship_id: UUID) -> Any:
    """Return the mentorship's check-ins in the order they were logged."""
    m = services().events.get_mentorship(
        current_actor(), mentorship_id, caller_team_ids()
    )
    return [check_in_body(m, c) for c in m.check_ins]


@blp.post("/<uuid:mentorship_id>/check-ins")
@blp.arguments(LogCheckInSchema)
@blp.response(201, CheckInSchema)
def log_check_in(data: dict[str, Any], mentorship_id: UUID) -> Any:
    """Log a check-in held with the mentee, with its action items (the mentor)."""
    actor = current_actor()
    change = services().events.log_check_in(
        actor,
        mentorship_id,
        data["held_on"],
        data["notes"],
        data["confidence"],
        data["action_items"],
        caller_team_ids(),
        expected_version(),
    )
    m = change.aggregate
    body, status, headers = changed(
        change, check_in_body(m, m.logged_check_in(actor)), 201
    )
    return body, status, {**headers, "ETag": f'"{m.version}"'}


@blp.post("/<uuid:mentorship_id>/check-ins/<uuid:check_in_id>/acknowledge")
@blp.response(200, MentorshipSchema)
def acknowledge(mentorship_id: UUID, check_in_id: UUID) -> Any:
    """Acknowledge a check-in, once (the mentee)."""
    return _answer(
        services().events.acknowledge_check_in(
            current_actor(),
            mentorship_id,
            check_in_id,
            caller_team_ids(),
            expected_version(),
        )
    )


@blp.post("/<uuid:mentorship_id>/action-items/<uuid:item_id>/complete")
@blp.response(200, MentorshipSchema)
def complete(mentorship_id: UUID, item_id: UUID) -> Any:
    """Mark an action item done (the mentor or the mentee)."""
    return _answer(
        services().events.complete_action_item(
            current_actor(),
            mentorship_id,
            item_id,
            caller_team_ids(),
            expected_version(),
        )
    )


@blp.post("/<uuid:mentorship_id>/end")
@blp.arguments(EndMentorshipSchema)
@blp.response(200, MentorshipSchema)
def end(data: dict[str, Any], mentorship_id: UUID) -> Any:
    """End a mentorship, saying why (an admin, the mentee's leader, the mentor)."""
    return _answer(
        services().events.end_mentorship(
            current_actor(),
            mentorship_id,
            data["reason"],
            caller_team_ids(),
            expected_version(),
        )
    )
