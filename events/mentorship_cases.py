"""Use cases of mentorships: started, checked in on, followed up and ended.

A mentor may sit in any team or none, so who may see a mentorship hangs on the
mentee: the pair themselves, admins, and leaders of a team the mentee is in.
Methods take ``team_ids``, the actor's teams as the read side knows them; each
is checked on its Team aggregate before it counts, so a stale list can only
ever refuse, never grant.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from events.base import Actor
from events.core import Change, Core
from events.errors import NotFoundError, PermissionDeniedError
from events.mentorship import Mentorship, MentorshipExistsError, mentorship_id
from events.team import Team


class MentorshipCases(Core):
    """Every command and query on mentorships and their check-ins."""

    def start_mentorship(
        self,
        actor: Actor,
        mentor_id: UUID,
        mentee_id: UUID,
        goals: str | None,
        team_ids: Sequence[UUID] = (),
    ) -> Change[Mentorship]:
        """Start a mentorship (an admin, or a leader of a team the mentee is in)."""
        number, active = 0, False
        while not active:
            number += 1
            found = self._find(Mentorship, mentorship_id(mentor_id, mentee_id, number))
            if found is None:
                break
            if self._already_recorded(found.id, actor):
                return Change(found, self._head())
            active = found.is_active
        leads = self._leads_team_of(actor, mentee_id, team_ids)
        mentorship = Mentorship.start(
            actor, leads, mentor_id, mentee_id, goals, number, self.clock()
        )
        if active:
            raise MentorshipExistsError("These two already have an active mentorship.")
        try:
            return self._saved(mentorship)
        except IntegrityError:
            # Someone started the same pair's mentorship meanwhile: theirs stands.
            if self._already_recorded(mentorship.id, actor):
                return Change(self._get(Mentorship, mentorship.id), self._head())
            raise MentorshipExistsError(
                "These two already have an active mentorship."
            ) from None

    def get_mentorship(
        self, actor: Actor, mentorship_id_: UUID, team_ids: Sequence[UUID] = ()
    ) -> Mentorship:
        """Return a mentorship the actor may see."""
        mentorship = self._get(Mentorship, mentorship_id_)
        self._visible_mentorship(actor, mentorship, team_ids)
        return mentorship

    def mentorship_history(
        self, actor: Actor, mentorship_id_: UUID, team_ids: Sequence[UUID] = ()
    ) -> list[Mentorship.Event]:
        """Return every event of a mentorship the actor may see, oldest first."""
        self.get_mentorship(actor, mentorship_id_, team_ids)
        return list(self._events_of(mentorship_id_))

    def check_mentorship_list(
        self, actor: Actor, user_id: UUID, team_ids: Sequence[UUID] = ()
    ) -> None:
        """Refuse a user's mentorship list to all but them, admins and leaders."""
        if actor.is_admin or actor.user_id == user_id:
            return
        if not self._leads_team_of(actor, user_id, team_ids):
            raise PermissionDeniedError(
                "Only admins and the user's team leaders see their mentorships."
            )

    def log_check_in(
        self,
        actor: Actor,
        mentorship_id_: UUID,
        held_on: date,
        notes: str,
        confidence: int,
        action_items: list[str],
        team_ids: Sequence[UUID] = (),
        expected_version: int | None = None,
    ) -> Change[Mentorship]:
        """Log a check-in held with the mentee (the mentor)."""
        return self._change_mentorship(
            actor,
            mentorship_id_,
            lambda m, _: m.log_check_in(
                actor, held_on, notes, confidence, action_items, self.clock()
            ),
            team_ids,
            expected_version,
        )

    def complete_action_item(
        self,
        actor: Actor,
        mentorship_id_: UUID,
        item_id: UUID,
        team_ids: Sequence[UUID] = (),
        expected_version: int | None = None,
    ) -> Change[Mentorship]:
        """Mark an action item done (the mentor or the mentee)."""
        return self._change_mentorship(
            actor,
            mentorship_id_,
            lambda m, _: m.complete_action_item(actor, item_id, self.clock()),
            team_ids,
            expected_version,
        )

    def acknowledge_check_in(
        self,
        actor: Actor,
        mentorship_id_: UUID,
        check_in_id: UUID,
        team_ids: Sequence[UUID] = (),
        expected_version: int | None = None,
    ) -> Change[Mentorship]:
        """Acknowledge a check-in (the mentee)."""
        return self._change_mentorship(
            actor,
            mentorship_id_,
            lambda m, _: m.acknowledge(actor, check_in_id, self.clock()),
            team_ids,
            expected_version,
        )

    def end_mentorship(
        self,
        actor: Actor,
        mentorship_id_: UUID,
        reason: str,
        team_ids: Sequence[UUID] = (),
        expected_version: int | None = None,
    ) -> Change[Mentorship]:
        """End a mentorship (an admin, a leader of the mentee's team, the mentor)."""
        return self._change_mentorship(
            actor,
            mentorship_id_,
            lambda m, leads: m.end(actor, leads, reason, self.clock()),
            team_ids,
            expected_version,
        )

    def _change_mentorship(
        self,
        actor: Actor,
        mentorship_id_: UUID,
        decide: Callable[[Mentorship, bool], None],
        team_ids: Sequence[UUID],
        expected_version: int | None,
    ) -> Change[Mentorship]:
        return self._change(
            actor,
            Mentorship,
            mentorship_id_,
            lambda m: self._visible_mentorship(actor, m, team_ids),
            decide,
            expected_version,
        )

    def _visible_mentorship(
        self, actor: Actor, mentorship: Mentorship, team_ids: Sequence[UUID]
    ) -> bool:
        """Hide the mentorship from those who may not see it; tell if actor leads."""
        leads = self._leads_team_of(actor, mentorship.mentee_id, team_ids)
        if not mentorship.can_see(actor, leads):
            raise NotFoundError("Mentorship not found.")
        return leads

    def _leads_team_of(
        self, actor: Actor, user_id: UUID, team_ids: Sequence[UUID]
    ) -> bool:
        """Tell whether the actor leads one of ``team_ids`` that the user is in."""
        for team_id in dict.fromkeys(team_ids):
            team = self._find(Team, team_id)
            if (
                team is not None
                and team.role_of(actor.user_id) == "leader"
                and team.is_member(user_id)
            ):
                return True
        return False
