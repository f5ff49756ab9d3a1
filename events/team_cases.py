"""Use cases of teams: creating, changing and archiving them; their members."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from events.base import Actor
from events.core import Change, Core
from events.errors import NotFoundError
from events.team import TEAM_NAMESPACE, Team


class TeamCases(Core):
    """Create, change and archive teams, and manage who is in them, in which role."""

    def create_team(self, actor: Actor, name: str, timezone: str) -> Change[Team]:
        """Create a team (admins only)."""
        if retried := self._retried(Team, TEAM_NAMESPACE, actor):
            return retried
        return self._create(Team.create(actor, name, timezone, self.clock()))

    def update_team(
        self,
        actor: Actor,
        team_id: UUID,
        name: str | None = None,
        timezone: str | None = None,
        currency: str | None = None,
        expected_version: int | None = None,
    ) -> Change[Team]:
        """Change a team's name, time zone or currency (admins only)."""
        return self._change_team(
            actor,
            team_id,
            lambda t: t.update(actor, name, timezone, currency, self.clock()),
            expected_version,
        )

    def archive_team(
        self, actor: Actor, team_id: UUID, expected_version: int | None = None
    ) -> Change[Team]:
        """Archive a team (admins only)."""
        return self._change_team(
            actor, team_id, lambda t: t.archive(actor, self.clock()), expected_version
        )

    def restore_team(
        self, actor: Actor, team_id: UUID, expected_version: int | None = None
    ) -> Change[Team]:
        """Bring an archived team back (admins only)."""
        return self._change_team(
            actor, team_id, lambda t: t.restore(actor, self.clock()), expected_version
        )

    def add_team_member(
        self,
        actor: Actor,
        team_id: UUID,
        user_id: UUID,
        role: str,
        expected_version: int | None = None,
    ) -> Change[Team]:
        """Add a user to a team in a role."""
        return self._change_team(
            actor,
            team_id,
            lambda t: t.add_member(actor, user_id, role, self.clock()),
            expected_version,
        )

    def change_member_role(
        self,
        actor: Actor,
        team_id: UUID,
        user_id: UUID,
        role: str,
        expected_version: int | None = None,
    ) -> Change[Team]:
        """Change a team member's role."""
        return self._change_team(
            actor,
            team_id,
            lambda t: t.change_role(actor, user_id, role, self.clock()),
            expected_version,
        )

    def remove_team_member(
        self,
        actor: Actor,
        team_id: UUID,
        user_id: UUID,
        expected_version: int | None = None,
    ) -> Change[Team]:
        """Remove a member from a team."""
        return self._change_team(
            actor,
            team_id,
            lambda t: t.remove_member(actor, user_id, self.clock()),
            expected_version,
        )

    def team_history(self, actor: Actor, team_id: UUID) -> list[Team.Event]:
        """Return every event of a team the actor may see, oldest first."""
        self.get_team(actor, team_id)
        return list(self._events_of(team_id))

    def _change_team(
        self,
        actor: Actor,
        team_id: UUID,
        decide: Callable[[Team], None],
        expected_version: int | None,
    ) -> Change[Team]:
        def visible(team: Team) -> Team:
            if not team.can_see(actor):
                raise NotFoundError("Team not found.")
            return team

        return self._change(
            actor, Team, team_id, visible, lambda t, _: decide(t), expected_version
        )
