"""Use cases of territory plans: versions a member submits, a leader approves."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from events.base import Actor
from events.core import Change, Core
from events.team import Team
from events.territory_plan import TerritoryPlan, territory_plan_id


class TerritoryPlanCases(Core):
    """Each member's territory plan in a team, visible to the whole team."""

    def submit_territory_plan(
        self,
        actor: Actor,
        team_id: UUID,
        summary: str,
        accounts: Sequence[Mapping[str, str | None]],
        expected_version: int | None = None,
    ) -> Change[TerritoryPlan]:
        """Submit the next version of one's own plan in a team (the first starts it)."""
        team = self.get_team(actor, team_id)
        plan_id = territory_plan_id(team_id, actor.user_id)
        if self._find(TerritoryPlan, plan_id) is None:
            now = self.clock()
            plan = TerritoryPlan.start(actor, team, now)
            plan.submit(actor, team.is_member(actor.user_id), summary, accounts, now)
            try:
                return self._saved(plan)
            except IntegrityError:
                pass  # A concurrent request started it: submit a version after it.
        return self._change(
            actor,
            TerritoryPlan,
            plan_id,
            lambda p: self._plan_team(actor, p),
            lambda p, t: p.submit(
                actor, t.is_member(actor.user_id), summary, accounts, self.clock()
            ),
            expected_version,
        )

    def approve_territory_plan(
        self,
        actor: Actor,
        plan_id: UUID,
        number: int | None,
        expected_version: int | None = None,
    ) -> Change[TerritoryPlan]:
        """Approve the current version of a member's plan (the team's leader)."""
        return self._change(
            actor,
            TerritoryPlan,
            plan_id,
            lambda p: self._plan_team(actor, p),
            lambda p, t: p.approve(actor, t.can_lead(actor), number, self.clock()),
            expected_version,
        )

    def get_territory_plan(self, actor: Actor, plan_id: UUID) -> TerritoryPlan:
        """Return a plan the actor may see: their team's, or any for admins."""
        plan = self._get(TerritoryPlan, plan_id)
        self._plan_team(actor, plan)
        return plan

    def territory_plan_history(
        self, actor: Actor, plan_id: UUID
    ) -> list[TerritoryPlan.Event]:
        """Return every event of a plan the actor may see, oldest first."""
        self.get_territory_plan(actor, plan_id)
        return list(self._events_of(plan_id))

    def _plan_team(self, actor: Actor, plan: TerritoryPlan) -> Team:
        return self._team_of(actor, plan.team_id, "Territory plan")
