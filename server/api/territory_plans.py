"""Territory plans: members submit numbered versions, their leader approves them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint

from events.application import Change
from events.territory_plan import TerritoryPlan
from projections.territory_plans import list_territory_plans
from server.api.commands import changed, expected_version, history
from server.api.schemas import HistoryRecordSchema
from server.api.territory_plan_schemas import (
    ApprovePlanSchema,
    PlanQuerySchema,
    PlanSchema,
    PlanSummarySchema,
    SubmitPlanSchema,
)
from server.api.visibility import team_scope
from server.auth import current_actor
from server.db import db
from server.services import services

PREFIX = "/territory-plans"
blp = Blueprint("territory_plans", __name__, description="Territory plans")


def plan_body(p: TerritoryPlan) -> dict[str, Any]:
    """Return a plan's current version, its approval and its version list."""
    return {
        "id": p.id,
        "team_id": p.team_id,
        "owner_id": p.owner_id,
        "current_version": p.current_version,
        "summary": p.summary,
        "accounts": p.accounts,
        "account_count": len(p.accounts),
        "submitted_at": p.versions[-1].submitted_at if p.versions else None,
        "approved_version": p.approved_version,
        "approved_by": p.approved_by,
        "approved_at": p.approved_at,
        "versions": [
            {"number": v.number, "submitted_at": v.submitted_at} for v in p.versions
        ],
        "created_at": p.created_on,
        "updated_at": p.modified_on,
        "version": p.version,
    }


def _answer(change: Change[TerritoryPlan], status: int = 200) -> Any:
    return changed(change, plan_body(change.aggregate), status)


@blp.post("")
@blp.arguments(SubmitPlanSchema)
@blp.response(201, PlanSchema)
def submit(data: dict[str, Any]) -> Any:
    """Submit the next version of your territory plan; the first starts it."""
    change = services().events.submit_territory_plan(
        current_actor(), **data, expected_version=expected_version()
    )
    return _answer(change, 201)


@blp.get("")
@blp.arguments(PlanQuerySchema, location="query")
@blp.response(200, PlanSummarySchema(many=True))
def list_visible(query: dict[str, Any]) -> list[Any]:
    """List the territory plans of your teams."""
    team_ids = team_scope(query.get("team_id"))
    return list(list_territory_plans(db().connection(), team_ids, query.get("user_id")))


@blp.get("/<uuid:plan_id>")
@blp.response(200, PlanSchema)
def get(plan_id: UUID) -> Any:
    """Return one territory plan with its current accounts."""
    p = services().events.get_territory_plan(current_actor(), plan_id)
    return plan_body(p), {"ETag": f'"{p.version}"'}


@blp.get("/<uuid:plan_id>/history")
@blp.response(200, HistoryRecordSchema(many=True))
def plan_history(plan_id: UUID) -> list[dict[str, Any]]:
    """Return every event ever recorded for the plan, every version included."""
    return history(services().events.territory_plan_history(current_actor(), plan_id))


@blp.post("/<uuid:plan_id>/approve")
@blp.arguments(ApprovePlanSchema)
@blp.response(200, PlanSchema)
def approve(data: dict[str, Any], plan_id: UUID) -> Any:
    """Approve the current version of a member's plan (leaders, not the owner)."""
    return _answer(
        services().events.approve_territory_plan(
            current_actor(), plan_id, data["version"], expected_version()
        )
    )
