"""Peer endorsements: the team's limits, each giver's weekly ledger, the use cases."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from events.application import Wolfpack
from events.base import Actor
from events.endorsement import (
    DEFAULT_LIMITS,
    MESSAGE_MAX,
    SKILL_MAX,
    Allowance,
    AlreadyEndorsedError,
    Endorsement,
    EndorsementLedger,
    EndorsementPolicy,
    Limits,
    SelfEndorsementError,
    WeeklyAllowanceUsedError,
    ledger_id,
    policy_id,
    renews_on,
    valid_limits,
    valid_skill,
)
from events.errors import (
    DomainError,
    FieldRuleError,
    InvalidValueError,
    NotFoundError,
    PermissionDeniedError,
    RuleViolationError,
    VersionConflictError,
)
from events.team import Team
from tests.unit.support import (
    Clock,
    head,
    in_memory,
    keyed,
    person,
    refuse,
    stored_team,
)

# A Wednesday in ISO week 2026-W48 (Monday 23 to Sunday 29 November).
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
NEXT_WEEK = NOW + timedelta(days=7)
# Sunday evening in UTC, but already Monday morning in Tokyo.
SUNDAY_NIGHT = datetime(2026, 11, 29, 16, 0, tzinfo=UTC)


@dataclass
class Crew:
    """A team with a leader, a giver, two peers; an admin and an outsider."""

    team: Team
    admin: Actor
    leader: Actor
    giver: Actor
    peer: Actor
    other_peer: Actor
    outsider: Actor


@pytest.fixture
def crew() -> Crew:
    admin = person("admin-req", is_admin=True)
    leader, giver, peer, other_peer = (person(f"{n}-req") for n in "lgpo")
    team = Team.create(admin, "North", "Europe/London", NOW)
    team.add_member(admin, leader.user_id, "leader", NOW)
    for rep in (giver, peer, other_peer):
        team.add_member(leader, rep.user_id, "rep", NOW)
    team.collect_events()
    return Crew(team, admin, leader, giver, peer, other_peer, person("out-req"))


def opened(crew: Crew, now: datetime = NOW) -> EndorsementLedger:
    """The giver's ledger for the week of ``now``, with its events cleared."""
    ledger = EndorsementLedger.open(crew.giver, crew.team, now)
    ledger.collect_events()
    return ledger


def give(
    crew: Crew,
    ledger: EndorsementLedger,
    *,
    to: Actor | None = None,
    skill: str = "Cold calling",
    message: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    actor: Actor | None = None,
    now: datetime = NOW,
) -> UUID:
    """Give an endorsement (the giver to the peer unless told); return its id."""
    endorsement_id = uuid4()
    ledger.give(
        actor or crew.giver,
        crew.team,
        limits,
        endorsement_id,
        (to or crew.peer).user_id,
        skill,
        message,
        now,
    )
    return endorsement_id


# Skills and limits


@pytest.mark.parametrize(
    ("skill", "tag"),
    [
        ("Cold Calling", "cold-calling"),
        ("  cold \t  CALLING  ", "cold-calling"),
        ("cold - calling", "cold-calling"),
        ("Discovery", "discovery"),
        ("C++", "c++"),
        ("Node.js", "node.js"),
        ("Q&A", "q&a"),
        ("Négociation", "négociation"),
        ("x" * SKILL_MAX, "x" * SKILL_MAX),
    ],
)
def test_a_skill_becomes_a_lower_case_tag_with_inner_spaces_as_hyphens(
    skill: str, tag: str
):
    assert valid_skill(skill) == tag


@pytest.mark.parametrize(
    "skill", ["", "   ", "x" * (SKILL_MAX + 1), "---", "+#", "<script>", "a;b"]
)
def test_a_skill_that_is_blank_too_long_or_not_a_tag_is_refused(skill: str):
    with pytest.raises(InvalidValueError) as caught:
        valid_skill(skill)

    assert caught.value.field == "skill"


@pytest.mark.parametrize(
    ("weekly", "pair", "field"),
    [
        (0, 1, "weekly_allowance"),
        (51, 1, "weekly_allowance"),
        (True, 1, "weekly_allowance"),
        (5, 0, "per_receiver_skill_weekly"),
        (5, 11, "per_receiver_skill_weekly"),
    ],
)
def test_limits_outside_their_ranges_are_refused(weekly: int, pair: int, field: str):
    with pytest.raises(InvalidValueError) as caught:
        valid_limits(weekly, pair)

    assert caught.value.field == field


def test_limits_at_the_ends_of_their_ranges_are_accepted():
    assert valid_limits(1, 1) == Limits(1, 1)
    assert valid_limits(50, 10) == Limits(50, 10)


@pytest.mark.parametrize(
    ("week", "monday"),
    [("2026-W48", date(2026, 11, 30)), ("2026-W53", date(2027, 1, 4))],
)
def test_an_allowance_renews_on_the_monday_after_its_week(week: str, monday: date):
    assert renews_on(week) == monday


def test_natural_keys_differ_by_team_giver_and_week():
    team, giver = uuid4(), uuid4()

    ids = {
        ledger_id(team, giver, "2026-W48"),
        ledger_id(team, giver, "2026-W49"),
        ledger_id(team, uuid4(), "2026-W48"),
        ledger_id(uuid4(), giver, "2026-W48"),
        policy_id(team),
    }

    assert len(ids) == 5
    assert ledger_id(team, giver, "2026-W48") == ledger_id(team, giver, "2026-W48")


# The policy


@pytest.mark.parametrize("who", ["leader", "admin"])
def test_the_leader_or_an_admin_sets_the_teams_limits(crew: Crew, who: str):
    actor = getattr(crew, who)

    policy = EndorsementPolicy.establish(actor, crew.team, 3, 2, NOW)

    assert (policy.id, policy.team_id) == (policy_id(crew.team.id), crew.team.id)
    assert policy.limits == Limits(3, 2)
    assert policy.changed_by == actor.user_id
    [created] = policy.collect_events()
    assert isinstance(created, EndorsementPolicy.Created)
    assert (created.weekly_allowance, created.per_receiver_skill_weekly) == (3, 2)
    assert (created.actor_id, created.timestamp) == (actor.user_id, NOW)


@pytest.mark.parametrize("who", ["giver", "outsider"])
def test_only_the_leader_or_an_admin_sets_the_limits(crew: Crew, who: str):
    with pytest.raises(PermissionDeniedError):
        EndorsementPolicy.establish(getattr(crew, who), crew.team, 3, 2, NOW)


def test_permission_is_checked_before_the_values(crew: Crew):
    with pytest.raises(PermissionDeniedError):
        EndorsementPolicy.establish(crew.giver, crew.team, 0, 99, NOW)


def test_limits_out_of_range_are_refused_when_first_set(crew: Crew):
    with pytest.raises(InvalidValueError) as caught:
        EndorsementPolicy.establish(crew.leader, crew.team, 51, 1, NOW)

    assert caught.value.field == "weekly_allowance"


@pytest.fixture
def policy(crew: Crew) -> EndorsementPolicy:
    made = EndorsementPolicy.establish(crew.leader, crew.team, 3, 2, NOW)
    made.collect_events()
    return made


def test_changed_limits_are_recorded_with_who_changed_them(crew: Crew, policy):
    policy.change(crew.admin, crew.team, 10, 1, NEXT_WEEK)

    assert policy.limits == Limits(10, 1)
    assert policy.changed_by == crew.admin.user_id
    assert policy.version == 2
    [changed] = policy.collect_events()
    assert isinstance(changed, EndorsementPolicy.Changed)
    assert (changed.weekly_allowance, changed.per_receiver_skill_weekly) == (10, 1)
    assert changed.timestamp == NEXT_WEEK


def test_setting_the_current_limits_again_records_nothing(crew: Crew, policy):
    policy.change(crew.leader, crew.team, 3, 2, NEXT_WEEK)

    assert policy.pending_events == []
    assert policy.version == 1


@pytest.mark.parametrize(
    ("who", "weekly", "pair", "error"),
    [
        ("giver", 10, 1, PermissionDeniedError),
        ("outsider", 10, 1, PermissionDeniedError),
        ("giver", 3, 2, PermissionDeniedError),
        ("leader", 0, 1, InvalidValueError),
        ("leader", 3, 11, InvalidValueError),
    ],
)
def test_a_refused_change_of_limits_leaves_no_trace(
    crew: Crew, policy, who: str, weekly: int, pair: int, error: type[DomainError]
):
    refuse(
        policy,
        error,
        lambda: policy.change(getattr(crew, who), crew.team, weekly, pair, NOW),
    )


# The ledger


def test_a_member_opens_their_ledger_for_the_week_in_the_teams_time_zone(
    crew: Crew,
):
    ledger = EndorsementLedger.open(crew.giver, crew.team, NOW)

    assert ledger.id == ledger_id(crew.team.id, crew.giver.user_id, "2026-W48")
    assert (ledger.team_id, ledger.giver_id, ledger.week) == (
        crew.team.id,
        crew.giver.user_id,
        "2026-W48",
    )
    assert ledger.given == []
    [created] = ledger.collect_events()
    assert isinstance(created, EndorsementLedger.Created)
    assert (created.actor_id, created.request_id) == (crew.giver.user_id, "g-req")


def test_the_week_is_the_teams_local_week_not_utcs(crew: Crew):
    tokyo = Team.create(crew.admin, "East", "Asia/Tokyo", NOW)
    tokyo.add_member(crew.admin, crew.giver.user_id, "rep", NOW)

    in_tokyo = EndorsementLedger.open(crew.giver, tokyo, SUNDAY_NIGHT)
    in_london = EndorsementLedger.open(crew.giver, crew.team, SUNDAY_NIGHT)

    assert (in_tokyo.week, in_london.week) == ("2026-W49", "2026-W48")


@pytest.mark.parametrize("who", ["admin", "outsider"])
def test_only_members_open_a_ledger(crew: Crew, who: str):
    with pytest.raises(PermissionDeniedError):
        EndorsementLedger.open(getattr(crew, who), crew.team, NOW)


def test_a_member_endorses_a_teammates_skill(crew: Crew):
    ledger = opened(crew)
    giver = keyed(crew.giver, "e-1")
    endorsement_id = uuid4()

    ledger.give(
        giver,
        crew.team,
        DEFAULT_LIMITS,
        endorsement_id,
        crew.peer.user_id,
        " Cold   Calling ",
        "  Great opener with Acme. ",
        NOW,
    )

    expected = Endorsement(
        endorsement_id,
        crew.team.id,
        crew.giver.user_id,
        crew.peer.user_id,
        "cold-calling",
        "Great opener with Acme.",
        "2026-W48",
        NOW,
    )
    assert ledger.given == [expected]
    assert ledger.endorsements == {endorsement_id: expected}
    assert ledger.version == 2
    [given] = ledger.collect_events()
    assert isinstance(given, EndorsementLedger.Given)
    assert (given.endorsement_id, given.team_id) == (endorsement_id, crew.team.id)
    assert (given.from_user_id, given.to_user_id) == (
        crew.giver.user_id,
        crew.peer.user_id,
    )
    assert (given.skill, given.message, given.week) == (
        "cold-calling",
        "Great opener with Acme.",
        "2026-W48",
    )
    assert (given.weekly_allowance, given.per_receiver_skill_weekly) == (5, 1)
    assert (given.actor_id, given.request_id, given.timestamp) == (
        crew.giver.user_id,
        "e-1",
        NOW,
    )


@pytest.mark.parametrize("message", [None, "", "   "])
def test_a_missing_or_blank_message_is_stored_as_none(crew: Crew, message):
    ledger = opened(crew)

    endorsement_id = give(crew, ledger, message=message)

    assert ledger.endorsements[endorsement_id].message is None


def test_a_message_of_the_maximum_length_is_accepted(crew: Crew):
    ledger = opened(crew)

    endorsement_id = give(crew, ledger, message="x" * MESSAGE_MAX)

    assert ledger.endorsements[endorsement_id].message == "x" * MESSAGE_MAX


def test_a_leader_endorses_and_is_endorsed_like_anyone(crew: Crew):
    ledger = opened(crew)

    give(crew, ledger, to=crew.leader)

    assert [e.to_user_id for e in ledger.given] == [crew.leader.user_id]


def test_nobody_endorses_themself(crew: Crew):
    ledger = opened(crew)

    error = refuse(
        ledger, SelfEndorsementError, lambda: give(crew, ledger, to=crew.giver)
    )

    assert error.code == "self_endorsement"


@pytest.mark.parametrize("who", ["outsider", "admin"])
def test_the_receiver_must_be_a_member_of_the_team(crew: Crew, who: str):
    ledger = opened(crew)

    error = refuse(
        ledger, FieldRuleError, lambda: give(crew, ledger, to=getattr(crew, who))
    )

    assert isinstance(error, FieldRuleError)
    assert error.field == "to_user_id"


@pytest.mark.parametrize(
    ("skill", "message", "field"),
    [
        ("  ", None, "skill"),
        ("x" * (SKILL_MAX + 1), None, "skill"),
        ("Discovery", "x" * (MESSAGE_MAX + 1), "message"),
    ],
)
def test_a_bad_skill_or_message_is_refused_naming_the_field(
    crew: Crew, skill: str, message: str | None, field: str
):
    ledger = opened(crew)

    error = refuse(
        ledger,
        InvalidValueError,
        lambda: give(crew, ledger, skill=skill, message=message),
    )

    assert isinstance(error, InvalidValueError)
    assert error.field == field


def test_a_giver_who_left_the_team_can_no_longer_endorse(crew: Crew):
    ledger = opened(crew)
    crew.team.remove_member(crew.leader, crew.giver.user_id, NOW)

    refuse(ledger, PermissionDeniedError, lambda: give(crew, ledger))


def test_nobody_gives_from_someone_elses_ledger(crew: Crew):
    ledger = opened(crew)

    refuse(
        ledger,
        PermissionDeniedError,
        lambda: give(crew, ledger, actor=crew.peer, to=crew.other_peer),
    )


def test_a_ledger_takes_endorsements_only_in_its_own_week(crew: Crew):
    ledger = opened(crew)

    refuse(ledger, RuleViolationError, lambda: give(crew, ledger, now=NEXT_WEEK))


def test_the_weekly_allowance_is_enforced_and_named_with_its_renewal(crew: Crew):
    ledger = opened(crew)
    limits = Limits(weekly_allowance=2, per_receiver_skill_weekly=1)
    give(crew, ledger, skill="discovery", limits=limits)
    give(crew, ledger, skill="closing", limits=limits)

    error = refuse(
        ledger,
        WeeklyAllowanceUsedError,
        lambda: give(crew, ledger, to=crew.other_peer, limits=limits),
    )

    assert error.code == "weekly_allowance_used"
    assert error.message == (
        "You have used your weekly allowance of 2 endorsements in North; "
        "it renews on Monday 2026-11-30."
    )


def test_an_allowance_of_one_is_named_in_the_singular(crew: Crew):
    ledger = opened(crew)
    limits = Limits(weekly_allowance=1, per_receiver_skill_weekly=1)
    give(crew, ledger, limits=limits)

    error = refuse(
        ledger,
        WeeklyAllowanceUsedError,
        lambda: give(crew, ledger, to=crew.other_peer, limits=limits),
    )

    assert "allowance of 1 endorsement in North" in error.message


def test_one_endorsement_per_receiver_and_skill_a_week_by_default(crew: Crew):
    ledger = opened(crew)
    give(crew, ledger, skill="Cold calling")

    error = refuse(
        ledger, AlreadyEndorsedError, lambda: give(crew, ledger, skill="COLD CALLING")
    )

    assert error.code == "already_endorsed_this_week"
    assert error.message == (
        "You already endorsed this teammate for cold-calling this week: North "
        "allows 1 endorsement per teammate and skill each week; it renews on "
        "Monday 2026-11-30."
    )


def test_another_skill_or_another_receiver_is_a_new_pair(crew: Crew):
    ledger = opened(crew)
    give(crew, ledger, skill="Cold calling")

    give(crew, ledger, skill="Discovery")
    give(crew, ledger, to=crew.other_peer, skill="Cold calling")

    assert ledger.count_for(crew.peer.user_id, "cold-calling") == 1
    assert len(ledger.given) == 3


def test_a_per_pair_limit_above_one_allows_that_many(crew: Crew):
    ledger = opened(crew)
    limits = Limits(weekly_allowance=5, per_receiver_skill_weekly=2)
    give(crew, ledger, limits=limits)
    give(crew, ledger, limits=limits)

    error = refuse(
        ledger, AlreadyEndorsedError, lambda: give(crew, ledger, limits=limits)
    )

    assert "allows 2 endorsements per teammate and skill" in error.message


def test_a_used_allowance_is_reported_before_a_repeated_pair(crew: Crew):
    ledger = opened(crew)
    limits = Limits(weekly_allowance=1, per_receiver_skill_weekly=1)
    give(crew, ledger, limits=limits)

    refuse(ledger, WeeklyAllowanceUsedError, lambda: give(crew, ledger, limits=limits))


def test_a_lowered_allowance_counts_what_was_already_given(crew: Crew):
    ledger = opened(crew)
    for skill in ("a1", "b2", "c3"):
        give(crew, ledger, skill=skill)

    refuse(
        ledger,
        WeeklyAllowanceUsedError,
        lambda: give(crew, ledger, skill="d4", limits=Limits(2, 1)),
    )


def test_a_ledger_replays_to_the_same_endorsements(crew: Crew):
    ledger = EndorsementLedger.open(crew.giver, crew.team, NOW)
    give(crew, ledger, message="Nice")
    give(crew, ledger, to=crew.other_peer)
    events = ledger.collect_events()

    replayed: EndorsementLedger | None = None
    for stored in events:
        replayed = stored.mutate(replayed)

    assert replayed is not None
    assert replayed.given == ledger.given
    assert replayed.version == ledger.version == 3


# The allowance


def test_an_allowance_counts_what_was_given_and_never_goes_below_zero(crew: Crew):
    ledger = opened(crew)
    give(crew, ledger, skill="a1")
    give(crew, ledger, skill="b2")

    fresh = Allowance(crew.team.id, "North", "2026-W48", Limits(5, 1), [])
    used = Allowance(crew.team.id, "North", "2026-W48", Limits(5, 1), ledger.given)
    lowered = Allowance(crew.team.id, "North", "2026-W48", Limits(1, 1), ledger.given)

    assert (fresh.used, fresh.remaining) == (0, 5)
    assert (used.used, used.remaining) == (2, 3)
    assert (lowered.used, lowered.remaining) == (2, 0)
    assert used.renews_on == date(2026, 11, 30)


# Use cases on the application


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def app(clock: Clock) -> Iterator[Wolfpack]:
    with in_memory(clock) as application:
        yield application


@dataclass
class World:
    """A stored team (London time) with a leader, a giver and two peers."""

    app: Wolfpack
    team_id: UUID
    admin: Actor
    leader: Actor
    giver: Actor
    peer: Actor
    other_peer: Actor
    outsider: Actor

    def head(self) -> int:
        """The position of the last stored event."""
        return head(self.app)

    def endorse(
        self,
        actor: Actor | None = None,
        to: Actor | None = None,
        skill: str = "Cold calling",
        message: str | None = None,
    ) -> Any:
        """Endorse (the giver endorses the peer unless told)."""
        return self.app.give_endorsement(
            actor or self.giver, self.team_id, (to or self.peer).user_id, skill, message
        )

    def nothing_recorded(self, command: Callable[[], object], error: type) -> Any:
        """Check that a refused command raises ``error`` and stores no event."""
        head = self.head()
        with pytest.raises(error) as caught:
            command()
        assert self.head() == head
        return caught.value


@pytest.fixture
def world(app: Wolfpack) -> World:
    admin = person(is_admin=True)
    leader, giver, peer, other_peer = person(), person(), person(), person()
    team_id = stored_team(
        app,
        admin,
        timezone="Europe/London",
        leaders=[leader],
        reps=[giver, peer, other_peer],
        reps_added_by=leader,
    )
    outsider = person()
    stored_team(app, admin, name="South", reps=[outsider])
    return World(app, team_id, admin, leader, giver, peer, other_peer, outsider)


def test_an_endorsement_is_stored_in_the_givers_ledger_for_the_week(world: World):
    first = world.endorse(message="Great call")
    second = world.endorse(to=world.other_peer)

    ledger = second.change.aggregate
    assert ledger.id == ledger_id(world.team_id, world.giver.user_id, "2026-W48")
    assert ledger.version == 3
    assert second.change.position == world.head() > first.change.position
    assert first.endorsement.id != second.endorsement.id
    assert (first.endorsement.skill, first.endorsement.message) == (
        "cold-calling",
        "Great call",
    )
    assert first.endorsement.given_at == NOW
    assert [e.id for e in ledger.given] == [first.endorsement.id, second.endorsement.id]


def test_the_defaults_apply_until_the_leader_sets_limits(world: World):
    assert world.app.get_endorsement_policy(world.giver, world.team_id) is None
    assert world.app.endorsement_policy_history(world.giver, world.team_id) == []
    for skill in ("a1", "b2", "c3", "d4", "e5"):
        world.endorse(skill=skill)

    world.nothing_recorded(lambda: world.endorse(skill="f6"), WeeklyAllowanceUsedError)


def test_the_teams_limits_decide_what_a_giver_may_give(world: World):
    world.app.set_endorsement_policy(world.leader, world.team_id, 2, 2)
    world.endorse()
    world.endorse()

    world.nothing_recorded(lambda: world.endorse(), WeeklyAllowanceUsedError)
    allowance = world.app.endorsement_allowance(world.giver, world.team_id)
    assert (allowance.used, allowance.remaining) == (2, 0)
    assert allowance.limits == Limits(2, 2)


def test_the_leader_sets_and_changes_the_limits_and_the_history_tells_who(
    world: World, clock: Clock
):
    first = world.app.set_endorsement_policy(world.leader, world.team_id, 3, 2)
    clock.now = NOW + timedelta(hours=1)
    second = world.app.set_endorsement_policy(world.admin, world.team_id, 8, 1)

    assert (first.aggregate.version, second.aggregate.version) == (1, 2)
    stored = world.app.get_endorsement_policy(world.giver, world.team_id)
    assert stored is not None
    assert (stored.limits, stored.changed_by) == (Limits(8, 1), world.admin.user_id)
    assert stored.modified_on == NOW + timedelta(hours=1)
    history = world.app.endorsement_policy_history(world.giver, world.team_id)
    assert [type(e) for e in history] == [
        EndorsementPolicy.Created,
        EndorsementPolicy.Changed,
    ]
    assert [e.actor_id for e in history] == [world.leader.user_id, world.admin.user_id]


def test_the_first_setting_is_recorded_even_when_it_equals_the_defaults(
    world: World,
):
    change = world.app.set_endorsement_policy(world.leader, world.team_id, 5, 1)

    assert change.aggregate.version == 1
    assert change.position == world.head()


def test_setting_the_same_limits_again_records_nothing(world: World):
    first = world.app.set_endorsement_policy(world.leader, world.team_id, 3, 2)
    head = world.head()

    again_ = world.app.set_endorsement_policy(
        world.admin, world.team_id, 3, 2, expected_version=1
    )

    assert world.head() == head
    assert again_.aggregate.version == first.aggregate.version == 1
    assert again_.position == head


def test_setting_limits_is_refused_to_reps_outsiders_and_bad_values(world: World):
    app, team_id = world.app, world.team_id
    world.nothing_recorded(
        lambda: app.set_endorsement_policy(world.giver, team_id, 3, 2),
        PermissionDeniedError,
    )
    world.nothing_recorded(
        lambda: app.set_endorsement_policy(world.outsider, team_id, 3, 2),
        NotFoundError,
    )
    world.nothing_recorded(
        lambda: app.set_endorsement_policy(world.leader, team_id, 3, 0),
        InvalidValueError,
    )
    app.set_endorsement_policy(world.leader, team_id, 3, 2)
    world.nothing_recorded(
        lambda: app.set_endorsement_policy(world.giver, team_id, 4, 2),
        PermissionDeniedError,
    )
    world.nothing_recorded(
        lambda: app.set_endorsement_policy(world.leader, team_id, 51, 2),
        InvalidValueError,
    )


def test_an_expected_version_guards_the_limits(world: World):
    app, team_id, leader = world.app, world.team_id, world.leader
    world.nothing_recorded(
        lambda: app.set_endorsement_policy(leader, team_id, 3, 2, expected_version=1),
        VersionConflictError,
    )
    app.set_endorsement_policy(leader, team_id, 3, 2, expected_version=0)
    world.nothing_recorded(
        lambda: app.set_endorsement_policy(leader, team_id, 4, 2, expected_version=0),
        VersionConflictError,
    )

    changed = app.set_endorsement_policy(leader, team_id, 4, 2, expected_version=1)

    assert changed.aggregate.version == 2


def test_the_policy_is_hidden_from_outsiders(world: World):
    for command in [
        lambda: world.app.get_endorsement_policy(world.outsider, world.team_id),
        lambda: world.app.endorsement_policy_history(world.outsider, world.team_id),
    ]:
        world.nothing_recorded(command, NotFoundError)


def test_the_allowance_shows_what_was_given_and_what_is_left(world: World):
    before = world.app.endorsement_allowance(world.giver, world.team_id)
    world.endorse(skill="Discovery")
    world.endorse(to=world.other_peer)

    after = world.app.endorsement_allowance(world.giver, world.team_id)

    assert (before.team_name, before.week, before.used, before.remaining) == (
        "North",
        "2026-W48",
        0,
        5,
    )
    assert (after.used, after.remaining, after.renews_on) == (2, 3, date(2026, 11, 30))
    assert [(e.to_user_id, e.skill) for e in after.given] == [
        (world.peer.user_id, "discovery"),
        (world.other_peer.user_id, "cold-calling"),
    ]
    peer = world.app.endorsement_allowance(world.peer, world.team_id)
    assert peer.used == 0


def test_only_members_have_an_allowance(world: World):
    with pytest.raises(PermissionDeniedError):
        world.app.endorsement_allowance(world.admin, world.team_id)
    with pytest.raises(NotFoundError):
        world.app.endorsement_allowance(world.outsider, world.team_id)


def test_the_allowance_and_the_pairs_renew_the_next_week(world: World, clock: Clock):
    world.app.set_endorsement_policy(world.leader, world.team_id, 1, 1)
    world.endorse()
    clock.now = NEXT_WEEK

    again_ = world.endorse()

    assert again_.endorsement.week == "2026-W49"
    allowance = world.app.endorsement_allowance(world.giver, world.team_id)
    assert (allowance.week, allowance.used, allowance.remaining) == ("2026-W49", 1, 0)


@pytest.mark.parametrize(
    ("who", "to", "error"),
    [
        ("outsider", "peer", NotFoundError),
        ("admin", "peer", PermissionDeniedError),
        ("giver", "giver", SelfEndorsementError),
        ("giver", "outsider", FieldRuleError),
    ],
)
def test_a_refused_endorsement_records_nothing(
    world: World, who: str, to: str, error: type
):
    world.nothing_recorded(
        lambda: world.endorse(actor=getattr(world, who), to=getattr(world, to)), error
    )


def test_an_unknown_team_or_an_id_of_another_kind_is_not_found(world: World):
    policy = world.app.set_endorsement_policy(world.leader, world.team_id, 3, 2)
    for team_id in (uuid4(), policy.aggregate.id):
        world.nothing_recorded(
            lambda t=team_id: world.app.give_endorsement(
                world.giver, t, world.peer.user_id, "x", None
            ),
            NotFoundError,
        )


def test_a_retried_endorsement_records_nothing_and_returns_the_first(world: World):
    giver = keyed(world.giver, "retry-1")
    first = world.endorse(actor=giver)
    head = world.head()

    retried = world.endorse(actor=giver)

    assert world.head() == head
    assert retried.endorsement == first.endorsement
    assert retried.change.position == head


def test_a_retry_is_not_refused_for_the_allowance_its_first_try_used(world: World):
    world.app.set_endorsement_policy(world.leader, world.team_id, 1, 1)
    giver = keyed(world.giver, "retry-2")
    first = world.endorse(actor=giver)

    retried = world.endorse(actor=giver)

    assert retried.endorsement == first.endorsement


def test_a_retry_after_the_week_turned_returns_the_first(world: World, clock: Clock):
    giver = keyed(world.giver, "retry-3")
    first = world.endorse(actor=giver)
    clock.now = NEXT_WEEK
    head = world.head()

    retried = world.endorse(actor=giver)

    assert world.head() == head
    assert retried.endorsement == first.endorsement


def test_unkeyed_requests_are_never_taken_for_retries(world: World):
    giver = Actor(world.giver.user_id)

    world.endorse(actor=giver, skill="Discovery")
    world.endorse(actor=giver, skill="Closing")

    allowance = world.app.endorsement_allowance(world.giver, world.team_id)
    assert allowance.used == 2


@pytest.fixture
def rival_first(world: World, monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Arrange that the next save is overtaken by a rival endorsement by the giver."""

    def arrange(**rival: Any) -> None:
        real_save = world.app.save

        def save_after_the_rival(*aggregates: Any, **options: Any) -> Any:
            monkeypatch.setattr(world.app, "save", real_save)
            world.endorse(**rival)
            return real_save(*aggregates, **options)

        monkeypatch.setattr(world.app, "save", save_after_the_rival)

    return arrange


def test_two_simultaneous_first_endorsements_cannot_both_use_the_last_slot(
    world: World, rival_first: Callable[..., None]
):
    world.app.set_endorsement_policy(world.leader, world.team_id, 1, 1)
    rival_first(to=world.other_peer)

    with pytest.raises(WeeklyAllowanceUsedError):
        world.endorse()

    allowance = world.app.endorsement_allowance(world.giver, world.team_id)
    assert [e.to_user_id for e in allowance.given] == [world.other_peer.user_id]


def test_two_simultaneous_endorsements_cannot_both_pass_the_allowance(
    world: World, rival_first: Callable[..., None]
):
    world.app.set_endorsement_policy(world.leader, world.team_id, 2, 1)
    world.endorse(skill="Discovery")
    rival_first(to=world.other_peer)

    with pytest.raises(WeeklyAllowanceUsedError):
        world.endorse()

    allowance = world.app.endorsement_allowance(world.giver, world.team_id)
    assert allowance.used == 2
    assert allowance.given[-1].to_user_id == world.other_peer.user_id


def test_a_simultaneous_endorsement_within_the_allowance_is_kept_too(
    world: World, rival_first: Callable[..., None]
):
    world.endorse(skill="Discovery")
    rival_first(to=world.other_peer)

    mine = world.endorse()

    allowance = world.app.endorsement_allowance(world.giver, world.team_id)
    assert allowance.used == 3
    assert allowance.given[-1] == mine.endorsement
    assert mine.change.aggregate.version == 4
