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
    AlreadyArchivedError,
    AlreadyMemberError,
    DomainError,
    InvalidValueError,
    NotArchivedError,
    NotFoundError,
    NotMemberError,
    PermissionDeniedError,
    RuleViolationError,
    TeamArchivedError,
    VersionConflictError,
)
from events.team import Team
from tests.unit.support import head, in_memory, keyed, person, stored_team

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
    state = vars(copy.deepcopy(team))
    with pytest.raises(error) as caught:
        command()
    assert team.version == version
    assert team.pending_events == pending
    assert vars(team) == state
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


# Changing a team's name, time zone and currency


def test_a_team_starts_with_no_currency_and_in_use(crew: Crew):
    assert (crew.team.currency, crew.team.archived) == (None, False)


def test_an_admin_changes_a_teams_name_time_zone_and_currency(crew: Crew):
    crew.team.update(crew.admin, "  North East  ", "Asia/Tokyo", "JPY", LATER)

    assert (crew.team.name, crew.team.timezone, crew.team.currency) == (
        "North East",
        "Asia/Tokyo",
        "JPY",
    )
    [updated] = crew.team.collect_events()
    assert isinstance(updated, Team.Updated)
    assert (updated.name, updated.timezone, updated.currency) == (
        "North East",
        "Asia/Tokyo",
        "JPY",
    )
    assert (updated.actor_id, updated.request_id) == (crew.admin.user_id, "create")
    assert updated.timestamp == LATER


def test_an_update_records_only_the_fields_that_change(crew: Crew):
    crew.team.update(crew.admin, "North", "UTC", None, NOW)

    [updated] = crew.team.collect_events()
    assert isinstance(updated, Team.Updated)
    assert (updated.name, updated.timezone, updated.currency) == (None, "UTC", None)
    assert (crew.team.name, crew.team.timezone) == ("North", "UTC")


@pytest.mark.parametrize(
    ("name", "timezone", "currency"),
    [(None, None, None), ("North", None, None), (" North ", "Europe/Paris", None)],
)
def test_an_update_that_changes_nothing_records_nothing(
    crew: Crew, name: str | None, timezone: str | None, currency: str | None
):
    version = crew.team.version

    crew.team.update(crew.admin, name, timezone, currency, NOW)

    assert crew.team.version == version
    assert crew.team.collect_events() == []


def test_setting_the_currency_a_team_has_records_nothing(crew: Crew):
    crew.team.update(crew.admin, None, None, "EUR", NOW)
    crew.team.collect_events()

    crew.team.update(crew.admin, None, None, "EUR", LATER)

    assert crew.team.collect_events() == []
    assert crew.team.currency == "EUR"


@pytest.mark.parametrize("who", ["leader", "rep", "outsider"])
def test_only_an_admin_can_change_a_team(crew: Crew, who: str):
    actor: Actor = getattr(crew, who)

    refuse(
        crew.team,
        PermissionDeniedError,
        lambda: crew.team.update(actor, "Mine", None, "EUR", NOW),
    )


def test_a_non_admin_sending_a_bad_value_is_refused_permission(crew: Crew):
    refuse(
        crew.team,
        PermissionDeniedError,
        lambda: crew.team.update(crew.leader, "", "Mars/Base", "eur", NOW),
    )


@pytest.mark.parametrize("currency", ["eur", "EURO", "EU", "E1R", "", " EUR", "€UR"])
def test_a_currency_that_is_not_three_capital_letters_is_refused(
    crew: Crew, currency: str
):
    error = refuse(
        crew.team,
        InvalidValueError,
        lambda: crew.team.update(crew.admin, None, None, currency, NOW),
    )

    assert isinstance(error, InvalidValueError)
    assert error.field == "currency"


@pytest.mark.parametrize(
    ("name", "timezone", "field"),
    [("", None, "name"), ("x" * 101, None, "name"), (None, "Mars/Base", "timezone")],
)
def test_a_bad_new_name_or_time_zone_is_refused(
    crew: Crew, name: str | None, timezone: str | None, field: str
):
    error = refuse(
        crew.team,
        InvalidValueError,
        lambda: crew.team.update(crew.admin, name, timezone, "EUR", NOW),
    )

    assert isinstance(error, InvalidValueError)
    assert error.field == field


# Archiving and restoring


def test_an_admin_archives_a_team_and_restores_it(crew: Crew):
    crew.team.archive(crew.admin, NOW)
    archived = crew.team.archived
    crew.team.restore(keyed(crew.admin, "back"), LATER)

    assert (archived, crew.team.archived) == (True, False)
    gone, back = crew.team.collect_events()
    assert isinstance(gone, Team.Archived)
    assert isinstance(back, Team.Restored)
    assert (gone.actor_id, gone.request_id, gone.timestamp) == (
        crew.admin.user_id,
        "create",
        NOW,
    )
    assert (back.request_id, back.timestamp) == ("back", LATER)


@pytest.mark.parametrize("who", ["leader", "rep", "outsider"])
def test_only_an_admin_can_archive_or_restore_a_team(crew: Crew, who: str):
    actor: Actor = getattr(crew, who)

    refuse(crew.team, PermissionDeniedError, lambda: crew.team.archive(actor, NOW))
    crew.team.archive(crew.admin, NOW)
    refuse(crew.team, PermissionDeniedError, lambda: crew.team.restore(actor, NOW))


def test_archiving_an_archived_team_is_refused(crew: Crew):
    crew.team.archive(crew.admin, NOW)

    error = refuse(
        crew.team, AlreadyArchivedError, lambda: crew.team.archive(crew.admin, NOW)
    )

    assert error.code == "already_archived"


def test_restoring_a_team_in_use_is_refused(crew: Crew):
    error = refuse(
        crew.team, NotArchivedError, lambda: crew.team.restore(crew.admin, NOW)
    )

    assert error.code == "not_archived"


@pytest.mark.parametrize("who", ["admin", "leader"])
def test_no_one_is_added_to_an_archived_team(crew: Crew, who: str):
    actor: Actor = getattr(crew, who)
    crew.team.archive(crew.admin, NOW)

    error = refuse(
        crew.team,
        TeamArchivedError,
        lambda: crew.team.add_member(actor, uuid4(), "rep", NOW),
    )

    assert error.code == "team_archived"


def test_a_rep_adding_to_an_archived_team_is_refused_permission(crew: Crew):
    crew.team.archive(crew.admin, NOW)

    refuse(
        crew.team,
        PermissionDeniedError,
        lambda: crew.team.add_member(crew.rep, uuid4(), "rep", NOW),
    )


def test_an_archived_team_keeps_its_members_who_still_see_it(crew: Crew):
    crew.team.archive(crew.admin, NOW)

    assert crew.team.role_of(crew.leader.user_id) == "leader"
    assert crew.team.can_see(crew.rep)
    assert not crew.team.can_see(crew.outsider)


def test_a_restored_team_takes_members_again(crew: Crew):
    newcomer = uuid4()
    crew.team.archive(crew.admin, NOW)
    crew.team.restore(crew.admin, NOW)

    crew.team.add_member(crew.leader, newcomer, "rep", LATER)

    assert crew.team.role_of(newcomer) == "rep"


def test_replaying_updates_and_archiving_gives_the_same_team():
    admin = person(is_admin=True)
    team = Team.create(admin, "North", "UTC", NOW)
    team.update(admin, None, None, "EUR", NOW + timedelta(hours=1))
    team.update(admin, "North East", "Europe/Paris", None, NOW + timedelta(hours=2))
    team.archive(admin, NOW + timedelta(hours=3))
    team.restore(admin, NOW + timedelta(hours=4))
    team.archive(admin, LATER)
    created, *rest = team.collect_events()

    replayed = created.mutate(None)
    for event in rest:
        replayed = event.mutate(replayed)

    assert replayed == team
    assert (replayed.name, replayed.timezone, replayed.currency) == (
        "North East",
        "Europe/Paris",
        "EUR",
    )
    assert replayed.archived
    assert (replayed.version, replayed.modified_on) == (6, LATER)


# Changing and archiving stored teams


def test_a_stored_team_is_changed_archived_and_restored():
    admin = person(is_admin=True)
    with in_memory(lambda: LATER) as app:
        team_id = stored_team(app, admin)

        app.update_team(admin, team_id, name="South", currency="GBP")
        app.archive_team(admin, team_id)
        archived = app.get_team(admin, team_id).archived
        app.restore_team(admin, team_id)
        team = app.get_team(admin, team_id)

    assert (team.name, team.currency, archived, team.archived) == (
        "South",
        "GBP",
        True,
        False,
    )
    assert team.version == 4
    assert team.modified_on == LATER


def test_a_stored_update_that_changes_nothing_records_nothing():
    admin = person(is_admin=True)
    with in_memory(lambda: NOW) as app:
        team_id = stored_team(app, admin, name="North")
        before = head(app)

        change = app.update_team(admin, team_id, name="North", timezone="UTC")

        assert head(app) == before
    assert change.position == before
    assert change.aggregate.version == 1


def test_a_retried_archive_records_nothing_and_is_not_refused():
    admin = person("archive-1", is_admin=True)
    with in_memory(lambda: NOW) as app:
        team_id = stored_team(app, keyed(admin, None))
        first = app.archive_team(admin, team_id)
        before = head(app)

        retried = app.archive_team(admin, team_id)

        assert head(app) == before
    assert retried.aggregate.version == first.aggregate.version == 2
    assert retried.aggregate.archived


@pytest.mark.parametrize(
    "command",
    [
        lambda app, actor, team_id, v: app.update_team(
            actor, team_id, name="South", expected_version=v
        ),
        lambda app, actor, team_id, v: app.archive_team(actor, team_id, v),
    ],
    ids=["update", "archive"],
)
def test_a_stale_expected_version_on_a_team_change_is_refused(command):
    admin = person(is_admin=True)
    with in_memory(lambda: NOW) as app:
        team_id = stored_team(app, admin, leaders=[person()])
        before = head(app)

        with pytest.raises(VersionConflictError):
            command(app, admin, team_id, 1)

        assert head(app) == before


def test_an_outsider_changing_a_stored_team_is_told_it_does_not_exist():
    admin, outsider = person(is_admin=True), person()
    with in_memory(lambda: NOW) as app:
        team_id = stored_team(app, admin)

        for command in (
            lambda: app.update_team(outsider, team_id, name="Mine"),
            lambda: app.archive_team(outsider, team_id),
            lambda: app.restore_team(outsider, team_id),
        ):
            with pytest.raises(NotFoundError):
                command()
