"""The Wolfpack application on the in-memory store, and history records of events."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from events.application import Change, Wolfpack
from events.base import Actor
from events.commitment import Commitment
from events.errors import (
    CommitmentClosedError,
    FieldRuleError,
    NotFoundError,
    NotOverdueError,
    PermissionDeniedError,
    VersionConflictError,
)
from events.history import ENVELOPE, history_record
from events.team import Team
from tests.unit.support import Clock, head, in_memory, keyed, person, stored_team

START = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
DUE = START + timedelta(days=2)


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def app(clock: Clock) -> Iterator[Wolfpack]:
    with in_memory(clock) as application:
        yield application


@dataclass
class World:
    """A stored team with a leader, an owner and a peer; an admin and an outsider."""

    app: Wolfpack
    team_id: UUID
    admin: Actor
    leader: Actor
    owner: Actor
    peer: Actor
    outsider: Actor

    def head(self) -> int:
        """The position of the last stored event."""
        return head(self.app)

    def make(self, actor: Actor | None = None, **changes: Any) -> Change[Commitment]:
        """Make a commitment, by the owner unless told."""
        arguments: dict[str, Any] = {
            "title": "Call ten prospects",
            "description": None,
            "due_at": DUE,
            "witness_ids": [self.peer.user_id],
        }
        arguments.update(changes)
        return self.app.make_commitment(actor or self.owner, self.team_id, **arguments)

    def stored(self, commitment_id: UUID) -> Commitment:
        """The commitment as stored, seen by the admin."""
        return self.app.get_commitment(self.admin, commitment_id)


@pytest.fixture
def world(app: Wolfpack) -> World:
    admin = person(is_admin=True)
    leader, owner, peer = person(), person(), person()
    team_id = stored_team(
        app,
        admin,
        timezone="Europe/Paris",
        leaders=[leader],
        reps=[owner, peer],
        reps_added_by=leader,
    )
    return World(app, team_id, admin, leader, owner, peer, person())


def nothing_recorded(world: World, command: Callable[[], object], error: type) -> None:
    """Check that a refused command raises ``error`` and stores no event."""
    head = world.head()
    with pytest.raises(error):
        command()
    assert world.head() == head


# Changes and positions


def test_each_accepted_command_returns_its_aggregate_at_a_later_position(
    app: Wolfpack,
):
    admin, owner = person(is_admin=True), person()

    created = app.create_team(admin, "North", "UTC")
    added = app.add_team_member(admin, created.aggregate.id, owner.user_id, "rep")
    made = app.make_commitment(owner, created.aggregate.id, "Close Acme", None, DUE, [])
    kept = app.keep_commitment(owner, made.aggregate.id, "Signed")

    positions = [c.position for c in (created, added, made, kept)]
    assert positions == sorted(set(positions))
    assert positions[0] >= 1
    assert kept.position == app.recorder.max_notification_id()
    assert (created.aggregate.version, added.aggregate.version) == (1, 2)
    assert (made.aggregate.version, kept.aggregate.version) == (1, 2)
    assert app.get_team(admin, created.aggregate.id).role_of(owner.user_id) == "rep"
    stored = app.get_commitment(owner, made.aggregate.id)
    assert (stored.status, stored.evidence, stored.version) == ("kept", "Signed", 2)


def test_save_listeners_hear_the_position_each_save_reached(world: World):
    heard: list[int] = []
    world.app.save_listeners.append(heard.append)

    made = world.make()
    progress = world.app.report_progress(world.owner, made.aggregate.id, "Two done")

    assert heard == [made.position, progress.position]


def test_every_commitment_command_is_stored(world: World, clock: Clock):
    commitment_id = world.make().aggregate.id
    app = world.app

    app.report_progress(world.owner, commitment_id, "Two done")
    app.renegotiate_commitment(world.owner, commitment_id, DUE + timedelta(1), "Away")
    app.call_out_commitment(world.leader, commitment_id, "Slipping")
    clock.advance(timedelta(days=4))
    app.miss_commitment(world.leader, commitment_id, "No calls")
    app.call_out_commitment(world.leader, commitment_id, "Let us talk")

    stored = world.stored(commitment_id)
    assert stored.version == 6
    assert (stored.status, stored.closing_reason) == ("missed", "No calls")
    assert stored.due_at == DUE + timedelta(days=1)
    assert [n.text for n in stored.progress] == ["Two done"]
    assert [n.text for n in stored.call_outs] == ["Slipping", "Let us talk"]


def test_the_owner_withdraws_a_commitment_through_the_application(world: World):
    commitment_id = world.make().aggregate.id

    world.app.withdraw_commitment(world.owner, commitment_id, "Reassigned")

    assert world.stored(commitment_id).status == "withdrawn"
    nothing_recorded(
        world,
        lambda: world.app.keep_commitment(world.owner, commitment_id, None),
        CommitmentClosedError,
    )


def test_team_role_changes_and_removals_are_stored(world: World):
    app = world.app

    app.change_member_role(world.admin, world.team_id, world.peer.user_id, "leader")
    app.remove_team_member(world.leader, world.team_id, world.owner.user_id)

    team = app.get_team(world.admin, world.team_id)
    assert team.members == {
        world.leader.user_id: "leader",
        world.peer.user_id: "leader",
    }


# Who may see what


def test_an_outsider_cannot_see_a_commitment(world: World):
    commitment_id = world.make().aggregate.id

    with pytest.raises(NotFoundError):
        world.app.get_commitment(world.outsider, commitment_id)
    with pytest.raises(NotFoundError):
        world.app.commitment_history(world.outsider, commitment_id)


@pytest.mark.parametrize("who", ["admin", "leader", "owner", "peer"])
def test_team_members_and_admins_can_see_a_commitment(world: World, who: str):
    commitment_id = world.make().aggregate.id

    seen = world.app.get_commitment(getattr(world, who), commitment_id)

    assert seen.id == commitment_id


def test_an_outsider_cannot_change_a_commitment(world: World):
    commitment_id = world.make().aggregate.id
    outsider, app = world.outsider, world.app
    commands: list[Callable[[], object]] = [
        lambda: app.report_progress(outsider, commitment_id, "Hi"),
        lambda: app.keep_commitment(outsider, commitment_id, None),
        lambda: app.withdraw_commitment(outsider, commitment_id, "Why not"),
        lambda: app.call_out_commitment(outsider, commitment_id, "Boo"),
        lambda: app.miss_commitment(outsider, commitment_id, "Late"),
    ]

    for command in commands:
        nothing_recorded(world, command, NotFoundError)


def test_an_outsider_cannot_see_or_change_a_team(world: World):
    app, outsider, team_id = world.app, world.outsider, world.team_id
    commands: list[Callable[[], object]] = [
        lambda: app.get_team(outsider, team_id),
        lambda: app.team_history(outsider, team_id),
        lambda: app.add_team_member(outsider, team_id, uuid4(), "rep"),
        lambda: app.change_member_role(outsider, team_id, world.peer.user_id, "rep"),
        lambda: app.remove_team_member(outsider, team_id, world.peer.user_id),
        lambda: app.make_commitment(outsider, team_id, "Sneak", None, DUE, []),
    ]

    for command in commands:
        nothing_recorded(world, command, NotFoundError)


def test_unknown_ids_and_ids_of_the_wrong_kind_are_not_found(world: World):
    commitment_id = world.make().aggregate.id
    app, admin = world.app, world.admin

    for command in [
        lambda: app.get_team(admin, uuid4()),
        lambda: app.get_commitment(admin, uuid4()),
        lambda: app.get_team(admin, commitment_id),
        lambda: app.get_commitment(admin, world.team_id),
        lambda: app.add_team_member(admin, commitment_id, uuid4(), "rep"),
        lambda: app.keep_commitment(world.owner, world.team_id, None),
    ]:
        nothing_recorded(world, command, NotFoundError)


def test_a_member_who_may_see_a_team_is_still_refused_what_they_may_not_do(
    world: World,
):
    commitment_id = world.make().aggregate.id

    nothing_recorded(
        world,
        lambda: world.app.keep_commitment(world.peer, commitment_id, None),
        PermissionDeniedError,
    )
    nothing_recorded(
        world,
        lambda: world.app.add_team_member(world.peer, world.team_id, uuid4(), "rep"),
        PermissionDeniedError,
    )


def test_a_rep_sending_an_unknown_role_is_refused_permission_not_the_role(
    world: World,
):
    app, peer, team_id = world.app, world.peer, world.team_id

    nothing_recorded(
        world,
        lambda: app.add_team_member(peer, team_id, uuid4(), "boss"),
        PermissionDeniedError,
    )
    nothing_recorded(
        world,
        lambda: app.change_member_role(peer, team_id, world.owner.user_id, "boss"),
        PermissionDeniedError,
    )


def test_a_leader_changing_a_role_to_an_unknown_one_is_refused_permission(
    world: World,
):
    nothing_recorded(
        world,
        lambda: world.app.change_member_role(
            world.leader, world.team_id, world.owner.user_id, "boss"
        ),
        PermissionDeniedError,
    )


# Expected versions


def test_a_stale_expected_version_is_refused_and_nothing_is_recorded(world: World):
    commitment_id = world.make().aggregate.id
    world.app.report_progress(world.owner, commitment_id, "One done")

    nothing_recorded(
        world,
        lambda: world.app.keep_commitment(
            world.owner, commitment_id, None, expected_version=1
        ),
        VersionConflictError,
    )
    assert world.stored(commitment_id).version == 2
    assert world.stored(commitment_id).is_open


def test_the_current_expected_version_is_accepted(world: World):
    commitment_id = world.make().aggregate.id

    kept = world.app.keep_commitment(
        world.owner, commitment_id, None, expected_version=1
    )

    assert kept.aggregate.version == 2
    assert world.stored(commitment_id).status == "kept"


def test_a_stale_expected_version_on_a_team_is_refused(world: World):
    version = world.app.get_team(world.admin, world.team_id).version

    nothing_recorded(
        world,
        lambda: world.app.add_team_member(
            world.admin, world.team_id, uuid4(), "rep", expected_version=version - 1
        ),
        VersionConflictError,
    )


# Retried requests


def test_a_retried_change_records_nothing_new_and_returns_the_same_version(
    world: World,
):
    commitment_id = world.make().aggregate.id
    owner = keyed(world.owner, "r1")
    first = world.app.report_progress(owner, commitment_id, "Two done")
    head = world.head()

    retried = world.app.report_progress(owner, commitment_id, "Two done")

    assert world.head() == head
    assert retried.aggregate.version == first.aggregate.version == 2
    assert retried.position == first.position
    assert [n.text for n in world.stored(commitment_id).progress] == ["Two done"]


def test_a_retried_change_is_not_refused_for_the_state_its_first_try_made(
    world: World,
):
    commitment_id = world.make().aggregate.id
    owner = keyed(world.owner, "k1")
    world.app.keep_commitment(owner, commitment_id, None, expected_version=1)
    head = world.head()

    retried = world.app.keep_commitment(owner, commitment_id, None, expected_version=1)

    assert world.head() == head
    assert (retried.aggregate.status, retried.aggregate.version) == ("kept", 2)


def test_commands_without_a_request_id_are_never_taken_for_retries(world: World):
    commitment_id = world.make().aggregate.id
    owner = Actor(world.owner.user_id)

    world.app.report_progress(owner, commitment_id, "Same words")
    world.app.report_progress(owner, commitment_id, "Same words")

    assert [n.text for n in world.stored(commitment_id).progress] == [
        "Same words",
        "Same words",
    ]


def test_a_new_request_id_is_a_new_command(world: World):
    commitment_id = world.make().aggregate.id
    world.app.report_progress(keyed(world.owner, "r1"), commitment_id, "One")

    world.app.report_progress(keyed(world.owner, "r2"), commitment_id, "Two")

    assert [n.text for n in world.stored(commitment_id).progress] == ["One", "Two"]


def test_a_retried_team_change_records_nothing_new(world: World):
    admin = keyed(world.admin, "add-1")
    newcomer = uuid4()
    first = world.app.add_team_member(admin, world.team_id, newcomer, "rep")
    head = world.head()

    retried = world.app.add_team_member(admin, world.team_id, newcomer, "rep")

    assert world.head() == head
    assert retried.aggregate.version == first.aggregate.version


def test_a_retried_make_returns_the_same_commitment_and_records_nothing_new(
    world: World,
):
    owner = keyed(world.owner, "make-1")
    first = world.make(owner)
    head = world.head()

    retried = world.make(owner)

    assert world.head() == head
    assert retried.aggregate.id == first.aggregate.id
    assert retried.position == first.position
    assert retried.aggregate.version == 1
    assert len(world.app.commitment_history(world.owner, first.aggregate.id)) == 1


def test_a_retried_team_creation_returns_the_same_team(app: Wolfpack):
    admin = person("create-1", is_admin=True)
    first = app.create_team(admin, "North", "UTC")
    head = app.recorder.max_notification_id()

    retried = app.create_team(admin, "North", "UTC")

    assert retried.aggregate.id == first.aggregate.id
    assert app.recorder.max_notification_id() == head


def test_the_same_request_id_from_two_users_makes_two_commitments(world: World):
    owner, peer = keyed(world.owner, "same-key"), keyed(world.peer, "same-key")
    head = world.head()

    mine = world.make(owner, title="Mine", witness_ids=[])
    theirs = world.make(peer, title="Theirs", witness_ids=[])

    assert mine.aggregate.id != theirs.aggregate.id
    assert world.head() == head + 2
    assert (mine.aggregate.owner_id, mine.aggregate.title) == (owner.user_id, "Mine")
    assert (theirs.aggregate.owner_id, theirs.aggregate.title) == (
        peer.user_id,
        "Theirs",
    )
    mine_again = world.make(owner, title="Mine", witness_ids=[]).aggregate
    theirs_again = world.make(peer, title="Theirs", witness_ids=[]).aggregate
    assert (mine_again.id, theirs_again.id) == (mine.aggregate.id, theirs.aggregate.id)
    assert world.head() == head + 2


def test_someone_in_another_team_reusing_a_request_id_neither_gets_nor_sees_it(
    world: World,
):
    app = world.app
    stranger = person("same-key")
    other_team_id = stored_team(app, world.admin, name="South", reps=[stranger])
    mine = world.make(keyed(world.owner, "same-key"))

    theirs = app.make_commitment(stranger, other_team_id, "Theirs", None, DUE, [])

    assert theirs.aggregate.id != mine.aggregate.id
    assert theirs.aggregate.team_id == other_team_id
    assert theirs.aggregate.owner_id == stranger.user_id
    with pytest.raises(NotFoundError):
        app.get_commitment(stranger, mine.aggregate.id)
    with pytest.raises(NotFoundError):
        app.get_commitment(world.owner, theirs.aggregate.id)


def test_two_admins_sending_the_same_request_id_create_two_teams(app: Wolfpack):
    first_admin = person("same-key", is_admin=True)
    second_admin = person("same-key", is_admin=True)

    north = app.create_team(first_admin, "North", "UTC")
    south = app.create_team(second_admin, "South", "UTC")

    assert north.aggregate.id != south.aggregate.id
    assert app.get_team(second_admin, south.aggregate.id).name == "South"
    assert app.get_team(first_admin, north.aggregate.id).name == "North"


def test_another_users_reuse_of_a_request_id_on_a_commitment_is_recorded(
    world: World,
):
    commitment_id = world.make().aggregate.id
    owner, leader = keyed(world.owner, "r1"), keyed(world.leader, "r1")
    world.app.report_progress(owner, commitment_id, "Two done")

    called = world.app.call_out_commitment(leader, commitment_id, "Slipping")
    head = world.head()
    retried = world.app.report_progress(owner, commitment_id, "Two done")

    assert called.aggregate.version == 3
    assert world.head() == head
    assert retried.aggregate.version == 3
    stored = world.stored(commitment_id)
    assert [n.text for n in stored.progress] == ["Two done"]
    assert [(n.text, n.actor_id) for n in stored.call_outs] == [
        ("Slipping", world.leader.user_id)
    ]


def test_another_users_reuse_of_a_request_id_on_a_team_is_recorded(world: World):
    first, second = uuid4(), uuid4()
    world.app.add_team_member(keyed(world.admin, "k"), world.team_id, first, "rep")

    world.app.add_team_member(keyed(world.leader, "k"), world.team_id, second, "rep")

    team = world.app.get_team(world.admin, world.team_id)
    assert (team.role_of(first), team.role_of(second)) == ("rep", "rep")


def test_a_retried_make_after_the_due_time_passed_returns_the_first_commitment(
    world: World, clock: Clock
):
    owner = keyed(world.owner, "make-1")
    first = world.make(owner)
    clock.advance(DUE - START + timedelta(days=1))
    head = world.head()

    retried = world.make(owner)

    assert world.head() == head
    assert retried.aggregate.id == first.aggregate.id
    assert (retried.aggregate.status, retried.aggregate.version) == ("open", 1)
    nothing_recorded(
        world, lambda: world.make(keyed(world.owner, "make-2")), FieldRuleError
    )


def test_a_retried_make_after_the_owner_left_the_team_returns_the_first_commitment(
    world: World,
):
    owner = keyed(world.owner, "make-1")
    first = world.make(owner)
    world.app.remove_team_member(world.leader, world.team_id, world.owner.user_id)
    head = world.head()

    retried = world.make(owner)

    assert world.head() == head
    assert retried.aggregate.id == first.aggregate.id
    nothing_recorded(
        world, lambda: world.make(keyed(world.owner, "make-2")), NotFoundError
    )


def test_a_make_refused_the_first_time_is_decided_afresh_when_retried(world: World):
    owner = keyed(world.owner, "make-1")
    nothing_recorded(world, lambda: world.make(owner, due_at=START), FieldRuleError)

    made = world.make(owner, due_at=DUE)

    assert made.aggregate.owner_id == world.owner.user_id
    assert world.stored(made.aggregate.id).due_at == DUE


# The clock


def test_a_commitment_is_marked_missed_only_once_the_clock_passes_its_due_time(
    world: World, clock: Clock
):
    commitment_id = world.make().aggregate.id

    def miss() -> Change[Commitment]:
        return world.app.miss_commitment(world.leader, commitment_id, "Late")

    clock.advance(DUE - START)
    nothing_recorded(world, miss, NotOverdueError)
    clock.advance(timedelta(seconds=1))
    missed = miss()

    assert missed.aggregate.status == "missed"
    assert world.stored(commitment_id).status == "missed"


@pytest.mark.parametrize("who", ["owner", "peer"])
def test_a_rep_cannot_mark_a_commitment_missed(world: World, clock: Clock, who: str):
    commitment_id = world.make().aggregate.id
    clock.advance(timedelta(days=3))

    nothing_recorded(
        world,
        lambda: world.app.miss_commitment(getattr(world, who), commitment_id, "Late"),
        PermissionDeniedError,
    )


def test_a_leader_cannot_mark_their_own_commitment_missed(world: World, clock: Clock):
    commitment_id = world.make(world.leader, witness_ids=[]).aggregate.id
    clock.advance(timedelta(days=3))

    nothing_recorded(
        world,
        lambda: world.app.miss_commitment(world.leader, commitment_id, "I slipped"),
        PermissionDeniedError,
    )
    missed = world.app.miss_commitment(world.admin, commitment_id, "Slipped")
    assert (missed.aggregate.status, missed.aggregate.closed_at) == (
        "missed",
        clock.now,
    )


def test_an_admin_outside_the_team_can_mark_a_commitment_missed(
    world: World, clock: Clock
):
    commitment_id = world.make().aggregate.id
    clock.advance(timedelta(days=3))

    missed = world.app.miss_commitment(world.admin, commitment_id, "Late")

    assert missed.aggregate.status == "missed"


def test_making_and_renegotiating_judge_the_future_by_the_applications_clock(
    world: World, clock: Clock
):
    clock.advance(timedelta(days=10))

    nothing_recorded(world, lambda: world.make(due_at=DUE), FieldRuleError)
    commitment_id = world.make(due_at=clock.now + timedelta(days=1)).aggregate.id
    nothing_recorded(
        world,
        lambda: world.app.renegotiate_commitment(
            world.owner, commitment_id, clock.now - timedelta(hours=1), "Oops"
        ),
        FieldRuleError,
    )


def test_every_commitment_event_is_stamped_with_the_applications_clock_time(
    world: World, clock: Clock
):
    times: list[datetime] = []

    def at(delta: timedelta) -> None:
        clock.advance(delta)
        times.append(clock.now)

    app, owner, leader = world.app, world.owner, world.leader
    at(timedelta(minutes=5))
    commitment_id = world.make().aggregate.id
    at(timedelta(hours=1))
    app.report_progress(owner, commitment_id, "Two done")
    at(timedelta(hours=2))
    app.call_out_commitment(leader, commitment_id, "Slipping")
    at(timedelta(hours=3))
    app.renegotiate_commitment(owner, commitment_id, DUE + timedelta(days=1), "Away")
    at(timedelta(days=4))
    app.miss_commitment(leader, commitment_id, "No calls")

    history = app.commitment_history(owner, commitment_id)
    assert [e.timestamp for e in history] == times
    assert [history_record(e)["at"] for e in history] == [t.isoformat() for t in times]
    stored = world.stored(commitment_id)
    assert (stored.created_on, stored.modified_on) == (times[0], times[-1])
    assert [n.at for n in stored.progress] == [times[1]]
    assert [n.at for n in stored.call_outs] == [times[2]]
    assert stored.closed_at == times[4]


@pytest.mark.parametrize("close", ["keep", "withdraw"])
def test_a_commitment_is_closed_at_the_applications_clock_time(
    world: World, clock: Clock, close: str
):
    commitment_id = world.make().aggregate.id
    clock.advance(timedelta(hours=7, seconds=11))

    commands: dict[str, Callable[[], object]] = {
        "keep": lambda: world.app.keep_commitment(world.owner, commitment_id, None),
        "withdraw": lambda: world.app.withdraw_commitment(
            world.owner, commitment_id, "Reassigned"
        ),
    }

    commands[close]()

    assert world.stored(commitment_id).closed_at == START + timedelta(
        hours=7, seconds=11
    )


def test_every_team_event_is_stamped_with_the_applications_clock_time(
    app: Wolfpack, clock: Clock
):
    admin, member = person(is_admin=True), uuid4()
    times: list[datetime] = []

    def at(delta: timedelta) -> None:
        clock.advance(delta)
        times.append(clock.now)

    at(timedelta(minutes=1))
    team_id = app.create_team(admin, "North", "UTC").aggregate.id
    at(timedelta(hours=1))
    app.add_team_member(admin, team_id, member, "rep")
    at(timedelta(days=1))
    app.change_member_role(admin, team_id, member, "leader")
    at(timedelta(days=2))
    app.remove_team_member(admin, team_id, member)

    assert [e.timestamp for e in app.team_history(admin, team_id)] == times
    team = app.get_team(admin, team_id)
    assert (team.created_on, team.modified_on) == (times[0], times[-1])


# History


def test_commitment_history_lists_events_oldest_first_with_their_actors(
    world: World, clock: Clock
):
    commitment_id = world.make().aggregate.id
    world.app.report_progress(world.owner, commitment_id, "Two done")
    world.app.call_out_commitment(world.leader, commitment_id, "Slipping")
    clock.advance(timedelta(days=3))
    world.app.miss_commitment(world.admin, commitment_id, "No calls")

    history = world.app.commitment_history(world.peer, commitment_id)

    assert [(type(e), e.actor_id, e.originator_version) for e in history] == [
        (Commitment.Created, world.owner.user_id, 1),
        (Commitment.ProgressReported, world.owner.user_id, 2),
        (Commitment.CalledOut, world.leader.user_id, 3),
        (Commitment.Missed, world.admin.user_id, 4),
    ]
    timestamps = [e.timestamp for e in history]
    assert timestamps == sorted(timestamps)


def test_team_history_lists_events_oldest_first(world: World):
    history = world.app.team_history(world.owner, world.team_id)

    assert [type(e) for e in history] == [
        Team.Created,
        Team.MemberAdded,
        Team.MemberAdded,
        Team.MemberAdded,
    ]
    assert [e.actor_id for e in history] == [world.admin.user_id] * 2 + [
        world.leader.user_id
    ] * 2


def test_a_history_record_is_plain_data_without_the_envelope(world: World):
    made = world.make(
        keyed(world.owner, "make-1"), description="Q3 list", witness_ids=[]
    )
    [event] = world.app.commitment_history(world.owner, made.aggregate.id)

    record = history_record(event)

    assert set(record) == {"type", "version", "at", "actor_id", "data"}
    assert record["type"] == "CommitmentMade"
    assert record["version"] == 1
    assert datetime.fromisoformat(record["at"]) == event.timestamp
    assert record["actor_id"] == str(world.owner.user_id)
    assert record["data"] == {
        "team_id": str(world.team_id),
        "owner_id": str(world.owner.user_id),
        "title": "Call ten prospects",
        "description": "Q3 list",
        "due_at": DUE.isoformat(),
        "witness_ids": [],
    }
    assert not ENVELOPE & set(record["data"])


def test_history_records_name_every_event_type_by_its_stable_topic(
    world: World, clock: Clock
):
    commitment_id = world.make().aggregate.id
    app, owner = world.app, world.owner
    app.renegotiate_commitment(owner, commitment_id, DUE + timedelta(1), "Away")
    app.report_progress(owner, commitment_id, "Two done")
    app.call_out_commitment(world.leader, commitment_id, "Slipping")
    app.keep_commitment(owner, commitment_id, "Signed")
    other_id = world.make(keyed(owner, "second")).aggregate.id
    app.withdraw_commitment(owner, other_id, "Reassigned")
    third_id = world.make(keyed(owner, "third")).aggregate.id
    clock.advance(timedelta(days=3))
    app.miss_commitment(world.leader, third_id, "No calls")
    app.change_member_role(world.admin, world.team_id, world.peer.user_id, "leader")
    app.remove_team_member(world.admin, world.team_id, world.peer.user_id)

    records = [
        history_record(e)
        for e in app.commitment_history(owner, commitment_id)
        + app.commitment_history(owner, other_id)[1:]
        + app.commitment_history(owner, third_id)[1:]
        + app.team_history(owner, world.team_id)
    ]

    assert [r["type"] for r in records] == [
        "CommitmentMade",
        "CommitmentRenegotiated",
        "CommitmentProgressReported",
        "CommitmentCalledOut",
        "CommitmentKept",
        "CommitmentWithdrawn",
        "CommitmentMissed",
        "TeamCreated",
        "TeamMemberAdded",
        "TeamMemberAdded",
        "TeamMemberAdded",
        "TeamMemberRoleChanged",
        "TeamMemberRemoved",
    ]
    assert records[1]["data"] == {
        "due_at": (DUE + timedelta(days=1)).isoformat(),
        "reason": "Away",
    }
    assert records[7]["data"] == {"name": "North", "timezone": "Europe/Paris"}
    assert records[-1]["data"] == {"user_id": str(world.peer.user_id)}


# The aggregate cache: every load is a private, up-to-date copy


def test_a_loaded_team_changed_in_memory_does_not_change_the_next_load(world: World):
    app = world.app
    loaded = app.get_team(world.admin, world.team_id)

    loaded.add_member(world.admin, uuid4(), "rep", START)  # never saved
    loaded.members.clear()

    again = app.get_team(world.admin, world.team_id)
    assert set(again.members) == {
        world.leader.user_id,
        world.owner.user_id,
        world.peer.user_id,
    }
    assert again.version == loaded.version - 1


def test_concurrent_commands_on_one_team_each_see_it_whole(world: World):
    app, admin = world.app, world.admin
    newcomers = [uuid4() for _ in range(80)]

    def add(user_id: UUID) -> None:
        while True:
            try:
                app.add_team_member(admin, world.team_id, user_id, "rep")
                return
            except VersionConflictError:
                continue  # more writers than the application's own retries

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(add, newcomers))

    team = app.get_team(admin, world.team_id)
    assert set(newcomers) <= set(team.members)
    history = app.team_history(admin, world.team_id)
    added = [e for e in history if isinstance(e, Team.MemberAdded)]
    assert len(added) == len(newcomers) + 3  # each once: no command saw a stale team
