"""The Team aggregate: who may create a team, and who may add, promote or remove."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import pytest

from events.base import Actor
from events.errors import (
    AlreadyMemberError,
    DomainError,
    InvalidValueError,
    NotMemberError,
    PermissionDeniedError,
    RuleViolationError,
)
from events.team import Team
from tests.unit.support import keyed, person

NOW = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=5, minutes=17)


@dataclass
class Crew:
    """A team with an admin (not a member), a leader, a rep and an outsider."""

    team: Team
    admin: Actor
    leader: Actor
    rep: Actor
    outsider: Actor


@pytest.fixture
def crew() -> Crew:
    admin = person(is_admin=True, request_id="create")
    leader = person(request_id="leader-req")
    rep = person(request_id="rep-req")
    team = Team.create(admin, "North", "Europe/Paris", NOW)
    team.add_member(admin, leader.user_id, "leader", NOW + timedelta(minutes=1))
    team.add_member(leader, rep.user_id, "rep", NOW + timedelta(minutes=2))
    team.collect_events()
    return Crew(team, admin, leader, rep, person(request_id="outsider-req"))


def refuse(
    team: Team, error: type[DomainError], command: Callable[[], None]
) -> DomainError:
    """Run a command that must be refused, and check it left the team untouched."""
    version = team.version
    pending = list(team.pending_events)
    members = dict(team.members)
    with pytest.raises(error) as caught:
        command()
    assert team.version == version
    assert team.pending_events == pending
    assert team.members == members
    return caught.value


# Creating a team


def test_an_admin_creates_a_team_with_a_name_and_time_zone():
    admin = person(is_admin=True, request_id="r-1")

    team = Team.create(admin, "  North  ", "America/New_York", NOW)

    assert (team.name, team.timezone, team.members) == ("North", "America/New_York", {})
    assert team.version == 1
    [created] = team.collect_events()
    assert isinstance(created, Team.Created)
    assert (created.actor_id, created.request_id) == (admin.user_id, "r-1")
    assert (created.name, created.timezone) == ("North", "America/New_York")
    assert created.originator_id == team.id


def test_a_non_admin_cannot_create_a_team():
    with pytest.raises(PermissionDeniedError):
        Team.create(person(), "North", "UTC", NOW)


def test_a_retried_create_gets_the_same_team_id_and_a_new_request_a_new_one():
    admin = person(is_admin=True, request_id="same-key")

    first = Team.create(admin, "North", "UTC", NOW)
    retried = Team.create(admin, "North", "UTC", NOW)
    other = Team.create(keyed(admin, "other-key"), "North", "UTC", NOW)
    unkeyed = [Team.create(keyed(admin, None), "North", "UTC", NOW) for _ in range(2)]

    assert first.id == retried.id
    assert other.id != first.id
    assert unkeyed[0].id != unkeyed[1].id


def test_a_team_is_created_at_the_time_the_command_gives_not_the_wall_clock():
    when = datetime(2031, 7, 1, 18, 30, tzinfo=ZoneInfo("Asia/Tokyo"))

    team = Team.create(person(is_admin=True), "North", "UTC", when)

    [created] = team.collect_events()
    assert created.timestamp == when
    assert team.created_on == team.modified_on == when


def test_two_admins_sending_the_same_request_id_create_two_different_teams():
    first_admin = person(is_admin=True, request_id="same-key")
    second_admin = person(is_admin=True, request_id="same-key")

    first = Team.create(first_admin, "North", "UTC", NOW)
    second = Team.create(second_admin, "South", "UTC", NOW)

    assert first.id != second.id
    assert Team.create(second_admin, "South", "UTC", NOW).id == second.id


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_team_name_that_is_blank_or_too_long_is_refused(name: str):
    with pytest.raises(InvalidValueError) as caught:
        Team.create(person(is_admin=True), name, "UTC", NOW)

    assert caught.value.field == "name"


def test_a_team_name_of_exactly_one_hundred_characters_is_accepted():
    team = Team.create(person(is_admin=True), "x" * 100, "UTC", NOW)

    assert team.name == "x" * 100


@pytest.mark.parametrize("timezone", ["Mars/Olympus_Mons", "", "../etc/passwd"])
def test_an_unknown_time_zone_is_refused(timezone: str):
    with pytest.raises(InvalidValueError) as caught:
        Team.create(person(is_admin=True), "North", timezone, NOW)

    assert caught.value.field == "timezone"


# Adding members


def test_an_admin_adds_a_leader(crew: Crew):
    new_leader = person()

    crew.team.add_member(crew.admin, new_leader.user_id, "leader", NOW)

    assert crew.team.role_of(new_leader.user_id) == "leader"
    [added] = crew.team.collect_events()
    assert isinstance(added, Team.MemberAdded)
    assert (added.user_id, added.role) == (new_leader.user_id, "leader")
    assert (added.actor_id, added.request_id) == (crew.admin.user_id, "create")


def test_a_leader_adds_a_rep(crew: Crew):
    newcomer = person()
    version = crew.team.version

    crew.team.add_member(crew.leader, newcomer.user_id, "rep", NOW)

    assert crew.team.role_of(newcomer.user_id) == "rep"
    assert crew.team.is_member(newcomer.user_id)
    assert crew.team.version == version + 1
    [added] = crew.team.collect_events()
    assert isinstance(added, Team.MemberAdded)
    assert (added.user_id, added.role) == (newcomer.user_id, "rep")
    assert (added.actor_id, added.request_id) == (crew.leader.user_id, "leader-req")
    assert added.originator_version == version + 1


def test_a_leader_cannot_add_a_leader(crew: Crew):
    refuse(
        crew.team,
        PermissionDeniedError,
        lambda: crew.team.add_member(crew.leader, uuid4(), "leader", NOW),
    )


@pytest.mark.parametrize("who", ["rep", "outsider"])
def test_a_rep_or_a_non_member_cannot_add_anyone(crew: Crew, who: str):
    actor: Actor = getattr(crew, who)

    refuse(
        crew.team,
        PermissionDeniedError,
        lambda: crew.team.add_member(actor, uuid4(), "rep", NOW),
    )


@pytest.mark.parametrize("role", ["rep", "leader"])
def test_adding_someone_who_is_already_a_member_is_refused(crew: Crew, role: str):
    refuse(
        crew.team,
        AlreadyMemberError,
        lambda: crew.team.add_member(crew.admin, crew.rep.user_id, role, NOW),
    )


@pytest.mark.parametrize("role", ["boss", "", "Rep", "admin"])
def test_adding_someone_in_an_unknown_role_is_refused(crew: Crew, role: str):
    error = refuse(
        crew.team,
        InvalidValueError,
        lambda: crew.team.add_member(crew.admin, uuid4(), role, NOW),
    )

    assert isinstance(error, InvalidValueError)
    assert error.field == "role"


@pytest.mark.parametrize("who", ["rep", "outsider"])
@pytest.mark.parametrize("role", ["boss", "leader"])
def test_a_rep_or_a_non_member_is_refused_permission_whatever_role_they_send(
    crew: Crew, who: str, role: str
):
    actor: Actor = getattr(crew, who)

    refuse(
        crew.team,
        PermissionDeniedError,
        lambda: crew.team.add_member(actor, uuid4(), role, NOW),
    )


def test_a_leader_sending_an_unknown_role_is_told_the_role_is_invalid(crew: Crew):
    error = refuse(
        crew.team,
        InvalidValueError,
        lambda: crew.team.add_member(crew.leader, uuid4(), "boss", NOW),
    )

    assert isinstance(error, InvalidValueError)
    assert error.field == "role"


@pytest.mark.parametrize("who", ["rep", "outsider"])
def test_a_rep_or_a_non_member_adding_an_existing_member_is_refused_permission(
    crew: Crew, who: str
):
    actor: Actor = getattr(crew, who)

    refuse(
        crew.team,
        PermissionDeniedError,
        lambda: crew.team.add_member(actor, crew.rep.user_id, "rep", NOW),
    )


# Changing roles


def test_an_admin_promotes_a_rep_to_leader_and_back(crew: Crew):
    crew.team.change_role(crew.admin, crew.rep.user_id, "leader", NOW)
    promoted = crew.team.role_of(crew.rep.user_id)
    crew.team.change_role(crew.admin, crew.rep.user_id, "rep", NOW)

    assert promoted == "leader"
    assert crew.team.role_of(crew.rep.user_id) == "rep"
    up, down = crew.team.collect_events()
    assert isinstance(up, Team.MemberRoleChanged)
    assert isinstance(down, Team.MemberRoleChanged)
    assert (up.user_id, up.role, up.actor_id) == (
        crew.rep.user_id,
        "leader",
        crew.admin.user_id,
    )
    assert (down.role, down.request_id) == ("rep", "create")


@pytest.mark.parametrize("who", ["leader", "rep", "outsider"])
def test_only_an_admin_can_change_a_role(crew: Crew, who: str):
    actor: Actor = getattr(crew, who)

    refuse(
        crew.team,
        PermissionDeniedError,
        lambda: crew.team.change_role(actor, crew.rep.user_id, "leader", NOW),
    )


def test_changing_a_member_to_the_role_they_hold_is_refused(crew: Crew):
    error = refuse(
        crew.team,
        RuleViolationError,
        lambda: crew.team.change_role(crew.admin, crew.leader.user_id, "leader", NOW),
    )

    assert type(error) is RuleViolationError


def test_changing_the_role_of_a_non_member_is_refused(crew: Crew):
    refuse(
        crew.team,
        NotMemberError,
        lambda: crew.team.change_role(crew.admin, crew.outsider.user_id, "rep", NOW),
    )


def test_changing_a_role_to_an_unknown_one_is_refused(crew: Crew):
    error = refuse(
        crew.team,
        InvalidValueError,
        lambda: crew.team.change_role(crew.admin, crew.rep.user_id, "captain", NOW),
    )

    assert isinstance(error, InvalidValueError)
    assert error.field == "role"


@pytest.mark.parametrize("who", ["leader", "rep", "outsider"])
def test_a_non_admin_sending_an_unknown_role_is_refused_permission(
    crew: Crew, who: str
):
    actor: Actor = getattr(crew, who)

    refuse(
        crew.team,
        PermissionDeniedError,
        lambda: crew.team.change_role(actor, crew.rep.user_id, "captain", NOW),
    )


def test_a_non_admin_changing_the_role_of_a_non_member_is_refused_permission(
    crew: Crew,
):
    refuse(
        crew.team,
        PermissionDeniedError,
        lambda: crew.team.change_role(crew.leader, crew.outsider.user_id, "rep", NOW),
    )


# Removing members


def test_a_leader_removes_a_rep(crew: Crew):
    crew.team.remove_member(crew.leader, crew.rep.user_id, NOW)

    assert not crew.team.is_member(crew.rep.user_id)
    assert crew.team.role_of(crew.rep.user_id) is None
    [removed] = crew.team.collect_events()
    assert isinstance(removed, Team.MemberRemoved)
    assert removed.user_id == crew.rep.user_id
    assert (removed.actor_id, removed.request_id) == (crew.leader.user_id, "leader-req")


def test_a_leader_cannot_remove_a_leader(crew: Crew):
    other_leader = person()
    crew.team.add_member(crew.admin, other_leader.user_id, "leader", NOW)
    crew.team.collect_events()

    refuse(
        crew.team,
        PermissionDeniedError,
        lambda: crew.team.remove_member(crew.leader, other_leader.user_id, NOW),
    )
    refuse(
        crew.team,
        PermissionDeniedError,
        lambda: crew.team.remove_member(crew.leader, crew.leader.user_id, NOW),
    )


@pytest.mark.parametrize("who", ["leader", "rep"])
def test_an_admin_removes_anyone(crew: Crew, who: str):
    member: Actor = getattr(crew, who)

    crew.team.remove_member(crew.admin, member.user_id, NOW)

    assert not crew.team.is_member(member.user_id)
    [removed] = crew.team.collect_events()
    assert isinstance(removed, Team.MemberRemoved)
    assert (removed.user_id, removed.actor_id) == (member.user_id, crew.admin.user_id)


@pytest.mark.parametrize("who", ["rep", "outsider"])
def test_a_rep_or_a_non_member_cannot_remove_anyone(crew: Crew, who: str):
    actor: Actor = getattr(crew, who)

    refuse(
        crew.team,
        PermissionDeniedError,
        lambda: crew.team.remove_member(actor, crew.rep.user_id, NOW),
    )


def test_removing_a_non_member_is_refused(crew: Crew):
    refuse(
        crew.team,
        NotMemberError,
        lambda: crew.team.remove_member(crew.admin, crew.outsider.user_id, NOW),
    )


@pytest.mark.parametrize("who", ["rep", "outsider"])
def test_a_rep_or_a_non_member_removing_a_non_member_is_refused_permission(
    crew: Crew, who: str
):
    actor: Actor = getattr(crew, who)

    refuse(
        crew.team,
        PermissionDeniedError,
        lambda: crew.team.remove_member(actor, uuid4(), NOW),
    )


def test_a_leader_removing_a_non_member_is_told_they_are_not_a_member(crew: Crew):
    refuse(
        crew.team,
        NotMemberError,
        lambda: crew.team.remove_member(crew.leader, crew.outsider.user_id, NOW),
    )


def test_a_removed_member_can_be_added_again(crew: Crew):
    crew.team.remove_member(crew.leader, crew.rep.user_id, NOW)

    crew.team.add_member(crew.leader, crew.rep.user_id, "rep", NOW)

    assert crew.team.role_of(crew.rep.user_id) == "rep"


# Event times


def test_each_membership_event_is_stamped_with_the_time_its_command_gives(
    crew: Crew,
):
    newcomer = person()
    added_at = LATER
    changed_at = LATER + timedelta(days=1)
    removed_at = LATER + timedelta(days=2, seconds=3)

    crew.team.add_member(crew.leader, newcomer.user_id, "rep", added_at)
    crew.team.change_role(crew.admin, newcomer.user_id, "leader", changed_at)
    crew.team.remove_member(crew.admin, newcomer.user_id, removed_at)

    events = crew.team.collect_events()
    assert [e.timestamp for e in events] == [added_at, changed_at, removed_at]
    assert crew.team.created_on == NOW
    assert crew.team.modified_on == removed_at


# Visibility and replay


def test_members_and_admins_can_see_and_admins_and_leaders_can_lead(crew: Crew):
    assert [crew.team.can_see(a) for a in (crew.admin, crew.leader, crew.rep)] == [
        True,
        True,
        True,
    ]
    assert not crew.team.can_see(crew.outsider)
    assert crew.team.can_lead(crew.admin)
    assert crew.team.can_lead(crew.leader)
    assert not crew.team.can_lead(crew.rep)
    assert not crew.team.can_lead(crew.outsider)


def test_replaying_a_teams_events_gives_the_same_team():
    admin = person(is_admin=True)
    leader, rep, gone = person(), person(), person()
    times = [NOW + timedelta(hours=h) for h in range(6)]
    team = Team.create(admin, "North", "UTC", times[0])
    team.add_member(admin, leader.user_id, "leader", times[1])
    team.add_member(leader, rep.user_id, "rep", times[2])
    team.add_member(leader, gone.user_id, "rep", times[3])
    team.change_role(admin, rep.user_id, "leader", times[4])
    team.remove_member(leader, gone.user_id, times[5])
    created, *rest = team.collect_events()

    replayed = created.mutate(None)
    for event in rest:
        replayed = event.mutate(replayed)

    assert replayed == team
    assert replayed.members == {leader.user_id: "leader", rep.user_id: "leader"}
    assert replayed.version == 6
    assert (replayed.created_on, replayed.modified_on) == (times[0], times[5])


def test_a_copy_of_a_team_shares_nothing_a_command_could_change():
    admin = Actor(uuid4(), is_admin=True)
    team = Team.create(admin, "North", "UTC", NOW)
    team.add_member(admin, uuid4(), "rep", NOW)
    immutable = (str, int, UUID, datetime, type(None), tuple, frozenset)

    twin = copy.deepcopy(team)

    assert vars(twin) == vars(team)
    for name, value in vars(twin).items():
        assert isinstance(value, immutable) or value is not vars(team)[name], name
    twin.add_member(admin, uuid4(), "rep", NOW)
    assert len(team.members) == 1
    assert len(team.pending_events) == 2  # created, added: the twin's are its own
