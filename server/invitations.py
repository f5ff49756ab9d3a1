"""Inviting someone: an invited account, perhaps a place in a team, a one-use link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from events.base import Actor
from events.errors import PermissionDeniedError, TeamArchivedError
from events.team import Team
from server.accounts import (
    EmailTakenError,
    User,
    create_user,
    find_user_by_email,
    names_of,
)
from server.admin_records import publish_pending
from server.db import db
from server.mailer import send_mail
from server.passwords import INVITATION_PAGE, issue_link
from server.services import services


@dataclass(frozen=True)
class Invitation:
    """An invitation made: its link (shown once), and whether it was emailed."""

    id: UUID
    user: User
    url: str
    expires_at: datetime
    emailed: bool


def invite(
    actor: Actor,
    email: str,
    name: str,
    team_id: UUID | None,
    role: str,
    host_url: str,
    send: bool = True,
) -> Invitation:
    """Invite ``email`` (into the team, in the role), emailing the link if set up.

    ``send`` false: not emailed (an import whose mail server failed once).
    The team is checked before anything is made: its leader may invite reps, an
    admin anyone. Someone invited already (who has not joined) gets a fresh link.
    """
    team = _team_to_join(actor, team_id, role)
    user = find_user_by_email(db(), email)
    if user is None:
        user = create_user(
            db(), email, name, None, actor_id=actor.user_id, request_id=actor.request_id
        )
        # On record before they join the team: the log tells it in that order.
        publish_pending(db(), services().events)
    elif user.status != "invited" or not _may_invite_again(actor, user, team):
        raise EmailTakenError
    if team is not None and not team.is_member(user.id):
        services().events.add_team_member(actor, team.id, user.id, role)
    link, token = issue_link(
        db(),
        user,
        "invitation",
        actor.user_id,
        actor.request_id,
        team_id=team_id,
        role=role if team is not None else None,
    )
    url = host_url + INVITATION_PAGE + token
    emailed = send and _email(user, actor, team, url, link.expires_at)
    return Invitation(link.id, user, url, link.expires_at, emailed)


def _may_invite_again(actor: Actor, user: User, team: Team | None) -> bool:
    """Tell whether the actor may send a fresh link to someone invited already.

    The link signs in as that account: a leader may re-send it only to a rep
    of their own team, never to an admin.
    """
    if actor.is_admin:
        return True
    return not user.is_admin and team is not None and team.role_of(user.id) == "rep"


def _team_to_join(actor: Actor, team_id: UUID | None, role: str) -> Team | None:
    """Return the team the invitee joins, if the actor may put them in it so."""
    if team_id is None:
        if not actor.is_admin:
            raise PermissionDeniedError("Only an admin can invite someone to no team.")
        return None
    team = services().events.get_team(actor, team_id)
    if not team.can_lead(actor):
        raise PermissionDeniedError("Only the team's leader or an admin can.")
    if role == "leader" and not actor.is_admin:
        raise PermissionDeniedError("Only an admin can add or remove a leader.")
    if team.archived:
        raise TeamArchivedError("That team is archived: restore it first.")
    return team


def _email(
    user: User, actor: Actor, team: Team | None, url: str, expires_at: datetime
) -> bool:
    inviter = names_of(db(), [actor.user_id]).get(actor.user_id, "Your admin")
    where = f" to join {team.name}" if team is not None else ""
    text = (
        f"Hello {user.name},\n\n"
        f"{inviter} invited you to Wolfpack{where}.\n\n"
        f"Set your password and sign in here:\n{url}\n\n"
        f"The link works once, until {expires_at:%d %B %Y %H:%M} UTC.\n"
    )
    return send_mail(
        services().settings, user.email, f"{inviter} invited you to Wolfpack", text
    )
