"""Inviting someone: an invited account, perhaps a place in a team, a one-use link."""

from __future__ import annotations

from uuid import UUID

from events.base import Actor
from events.errors import PermissionDeniedError, TeamArchivedError
from server.accounts import EmailTakenError, User, create_user, find_user_by_email
from server.admin_records import publish_pending
from server.db import db
from server.passwords import PasswordReset, issue_link
from server.services import services


def invite(
    actor: Actor, email: str, name: str, team_id: UUID | None, role: str
) -> tuple[PasswordReset, str, User]:
    """Invite ``email`` (into the team, in the role); return link, token and account.

    The team is checked before anything is made: its leader may invite reps, an
    admin anyone. Someone invited already (who has not joined) gets a fresh link.
    """
    if team_id is not None:
        team = services().events.get_team(actor, team_id)
        if not team.can_lead(actor):
            raise PermissionDeniedError("Only the team's leader or an admin can.")
        if role == "leader" and not actor.is_admin:
            raise PermissionDeniedError("Only an admin can add or remove a leader.")
        if team.archived:
            raise TeamArchivedError("That team is archived: restore it first.")
    elif not actor.is_admin:
        raise PermissionDeniedError("Only an admin can invite someone to no team.")
    user = find_user_by_email(db(), email)
    if user is None:
        user = create_user(
            db(), email, name, None, actor_id=actor.user_id, request_id=actor.request_id
        )
        # On record before they join the team: the log tells it in that order.
        publish_pending(db(), services().events)
    elif user.status != "invited":
        raise EmailTakenError
    if (
        team_id is not None
        and services().events.get_team(actor, team_id).role_of(user.id) is None
    ):
        services().events.add_team_member(actor, team_id, user.id, role)
    link, token = issue_link(
        db(),
        user,
        "invitation",
        actor.user_id,
        actor.request_id,
        team_id=team_id,
        role=role if team_id is not None else None,
    )
    return link, token, user
