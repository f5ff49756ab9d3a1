"""Recognition awards: given by a team's leader, withdrawn by the giver, stored."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from events.application import Wolfpack
from events.base import Actor
from events.errors import (
    DomainError,
    FieldRuleError,
    InvalidValueError,
    NotFoundError,
    PermissionDeniedError,
    VersionConflictError,
)
from events.history import history_record
from events.recognition import (
    MESSAGE_MAX,
    REASON_MAX,
    TITLE_MAX,
    Recognition,
    RecognitionWithdrawnError,
    SelfRecognitionError,
)
from events.team import Team
from tests.unit.support import Clock, head, in_memory, keyed, person, stored_team

NOW = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=2)


@dataclass
class Crew:
    """A team with a leader and two reps; an admin and an outsider beside it."""

    team: Team
    admin: Actor
    leader: Actor
    rep: Actor
    peer: Actor
    outsider: Actor


@pytest.fixture
def crew() -> Crew:
    admin, leader, rep, peer = (
        person("a", is_admin=True),
        person("l"),
        person(),
        person(),
    )
    team = Team.create(admin, "North", "UTC", NOW)
    team.add_member(admin, leader.user_id, "leader", NOW)
    team.add_member(admin, rep.user_id, "rep", NOW)
    team.add_member(admin, peer.user_id, "rep", NOW)
    team.collect_events()
    return Crew(team, admin, leader, rep, peer, person())


def give(
    crew: Crew,
    *,
    actor: Actor | None = None,
    to: UUID | None = None,
    title: str = "Deal of the month",
    message: str = "Closed Acme against the odds.",
) -> Recognition:
    """Give an award (by the leader to the rep unless told) and clear its events."""
    recognition = Recognition.give(
        actor or crew.leader,
        crew.team,
        crew.rep.user_id if to is None else to,
        title,
        message,
        NOW,
    )
    recognition.collect_events()
    return recognition


def refuse(
    recognition: Recognition, error: type[DomainError], command: Callable[[], None]
) -> DomainError:
    """Run a command that must be refused, and check it left no trace."""
    state = deepcopy(vars(recognition))
    with pytest.raises(error) as caught:
        command()
    assert recognition.pending_events == []
    assert vars(recognition) == state
    return caught.value


# Giving


def test_the_leader_gives_a_member_an_award_recorded_with_everyone_named(crew: Crew):
    given = Recognition.give(
        crew.leader,
        crew.team,
        crew.rep.user_id,
        " Deal of the month ",
        " Well done ",
        NOW,
    )

    assert (given.team_id, given.from_user_id, given.to_user_id) == (
        crew.team.id,
        crew.leader.user_id,
        crew.rep.user_id,
    )
    assert (given.title, given.message) == ("Deal of the month", "Well done")
    assert (given.given_at, given.version, given.is_withdrawn) == (NOW, 1, False)
    [created] = given.collect_events()
    assert isinstance(created, Recognition.Created)
    assert (created.actor_id, created.request_id) == (crew.leader.user_id, "l")
    assert (created.from_user_id, created.to_user_id) == (
        crew.leader.user_id,
        crew.rep.user_id,
    )
    assert created.team_id == crew.team.id
    assert created.timestamp == NOW


def test_an_admin_outside_the_team_may_give_an_award(crew: Crew):
    assert give(crew, actor=crew.admin).from_user_id == crew.admin.user_id


def test_an_admin_may_recognise_the_teams_leader(crew: Crew):
    given = give(crew, actor=crew.admin, to=crew.leader.user_id)

    assert given.to_user_id == crew.leader.user_id


@pytest.mark.parametrize("who", ["rep", "outsider"])
def test_only_the_leader_or_an_admin_gives_awards(crew: Crew, who: str):
    with pytest.raises(PermissionDeniedError):
        give(crew, actor=getattr(crew, who), to=crew.peer.user_id)


def test_a_rep_is_refused_permission_before_the_receiver_is_checked(crew: Crew):
    with pytest.raises(PermissionDeniedError):
        give(crew, actor=crew.rep, to=crew.outsider.user_id, title="")


def test_nobody_recognises_themself(crew: Crew):
    with pytest.raises(SelfRecognitionError) as caught:
        give(crew, to=crew.leader.user_id)

    assert caught.value.code == "self_recognition"


@pytest.mark.parametrize("who", ["outsider", "admin"])
def test_the_receiver_must_be_a_member_of_the_team(crew: Crew, who: str):
    with pytest.raises(FieldRuleError) as caught:
        give(crew, to=getattr(crew, who).user_id)

    assert caught.value.field == "to_user_id"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("title", "   "),
        ("title", "x" * (TITLE_MAX + 1)),
        ("message", " \n "),
        ("message", "x" * (MESSAGE_MAX + 1)),
    ],
)
def test_a_blank_or_too_long_title_or_message_is_refused(
    crew: Crew, field: str, value: str
):
    with pytest.raises(InvalidValueError) as caught:
        give(crew, **{field: value})  # type: ignore[arg-type]

    assert caught.value.field == field


def test_a_title_and_message_of_the_maximum_length_are_accepted(crew: Crew):
    given = give(crew, title="t" * TITLE_MAX, message="m" * MESSAGE_MAX)

    assert (len(given.title), len(given.message)) == (TITLE_MAX, MESSAGE_MAX)


def test_a_retried_award_gets_the_same_id_and_a_new_request_a_new_one(crew: Crew):
    first, retried = give(crew), give(crew)
    other = give(crew, actor=keyed(crew.leader, "other"))
    unkeyed = [give(crew, actor=keyed(crew.leader, None)) for _ in range(2)]

    assert first.id == retried.id
    assert other.id != first.id
    assert unkeyed[0].id != unkeyed[1].id


# Withdrawing


@pytest.mark.parametrize("who", ["leader", "admin"])
def test_the_giver_or_an_admin_withdraws_an_award_with_a_reason(crew: Crew, who: str):
    recognition = give(crew)
    actor = getattr(crew, who)

    recognition.withdraw(actor, "  Given to the wrong rep ", LATER)

    [withdrawn] = recognition.collect_events()
    assert isinstance(withdrawn, Recognition.Withdrawn)
    assert (withdrawn.actor_id, withdrawn.reason) == (
        actor.user_id,
        "Given to the wrong rep",
    )
    assert (withdrawn.team_id, withdrawn.to_user_id) == (crew.team.id, crew.rep.user_id)
    assert recognition.is_withdrawn
    assert (recognition.withdrawn_by, recognition.withdrawn_at) == (
        actor.user_id,
        LATER,
    )
    assert recognition.withdrawal_reason == "Given to the wrong rep"
    assert recognition.version == 2


@pytest.mark.parametrize("who", ["rep", "peer", "outsider"])
def test_nobody_else_withdraws_an_award(crew: Crew, who: str):
    recognition = give(crew)

    refuse(
        recognition,
        PermissionDeniedError,
        lambda: recognition.withdraw(getattr(crew, who), "Mine now", LATER),
    )


def test_another_leader_of_the_team_cannot_withdraw_an_award_they_did_not_give(
    crew: Crew,
):
    recognition = give(crew, actor=crew.admin)

    refuse(
        recognition,
        PermissionDeniedError,
        lambda: recognition.withdraw(crew.leader, "Not deserved", LATER),
    )


def test_an_award_is_withdrawn_only_once(crew: Crew):
    recognition = give(crew)
    recognition.withdraw(crew.leader, "Mistake", LATER)
    recognition.collect_events()

    error = refuse(
        recognition,
        RecognitionWithdrawnError,
        lambda: recognition.withdraw(crew.admin, "Again", LATER),
    )

    assert error.code == "already_withdrawn"


@pytest.mark.parametrize("reason", ["", "  ", "x" * (REASON_MAX + 1)])
def test_a_withdrawal_needs_a_reason_of_sensible_length(crew: Crew, reason: str):
    recognition = give(crew)

    error = refuse(
        recognition,
        InvalidValueError,
        lambda: recognition.withdraw(crew.leader, reason, LATER),
    )

    assert isinstance(error, InvalidValueError)
    assert error.field == "reason"


# Through the application


@dataclass
class World:
    """A stored team: leader, rep and peer; an admin and an outsider."""

    app: Wolfpack
    clock: Clock
    team_id: UUID
    admin: Actor
    leader: Actor
    rep: Actor
    peer: Actor
    outsider: Actor

    def head(self) -> int:
        return head(self.app)

    def give(self, actor: Actor | None = None, to: Actor | None = None) -> UUID:
        change = self.app.give_recognition(
            actor or self.leader,
            self.team_id,
            (to or self.rep).user_id,
            "Deal of the month",
            "Closed Acme.",
        )
        return change.aggregate.id


@pytest.fixture
def world() -> Iterator[World]:
    clock = Clock(NOW)
    admin, leader, rep, peer = person(is_admin=True), person(), person(), person()
    outsider = person()
    with in_memory(clock) as app:
        team_id = stored_team(app, admin, leaders=[leader], reps=[rep, peer])
        stored_team(app, admin, name="South", reps=[outsider])
        yield World(app, clock, team_id, admin, leader, rep, peer, outsider)


def test_an_award_is_stored_and_withdrawn_at_the_clocks_times(world: World):
    given = world.app.give_recognition(
        world.leader, world.team_id, world.rep.user_id, "Top", "Great quarter"
    )
    world.clock.now = LATER
    withdrawn = world.app.withdraw_recognition(
        world.leader, given.aggregate.id, "Wrong quarter"
    )

    stored = world.app.get_recognition(world.peer, given.aggregate.id)
    assert (stored.version, stored.is_withdrawn, stored.given_at) == (2, True, NOW)
    assert stored.withdrawn_at == LATER
    assert withdrawn.position == world.head() > given.position
    records = [
        history_record(e) for e in world.app.recognition_history(world.rep, stored.id)
    ]
    assert [r["type"] for r in records] == ["RecognitionGiven", "RecognitionWithdrawn"]
    assert [r["actor_id"] for r in records] == [str(world.leader.user_id)] * 2
    assert records[1]["data"]["reason"] == "Wrong quarter"


def test_an_outsider_can_neither_see_nor_give_nor_withdraw_an_award(world: World):
    rid = world.give()
    head = world.head()

    with pytest.raises(NotFoundError):
        world.app.get_recognition(world.outsider, rid)
    with pytest.raises(NotFoundError):
        world.app.recognition_history(world.outsider, rid)
    with pytest.raises(NotFoundError):
        world.app.withdraw_recognition(world.outsider, rid, "x")
    with pytest.raises(NotFoundError):
        world.app.give_recognition(
            world.outsider, world.team_id, world.rep.user_id, "T", "M"
        )
    assert world.head() == head


def test_a_refused_award_records_nothing(world: World):
    head = world.head()

    with pytest.raises(PermissionDeniedError):
        world.give(actor=world.rep, to=world.peer)
    with pytest.raises(SelfRecognitionError):
        world.give(to=world.leader)
    with pytest.raises(FieldRuleError):
        world.give(to=world.outsider)
    assert world.head() == head


def test_an_unknown_recognition_or_an_id_of_another_kind_is_not_found(world: World):
    with pytest.raises(NotFoundError):
        world.app.get_recognition(world.admin, uuid4())
    with pytest.raises(NotFoundError):
        world.app.get_recognition(world.admin, world.team_id)


def test_a_retried_award_returns_the_first_and_records_nothing_new(world: World):
    leader = keyed(world.leader, "key-1")
    first = world.app.give_recognition(
        leader, world.team_id, world.rep.user_id, "T", "M"
    )
    head = world.head()

    retried = world.app.give_recognition(
        leader, world.team_id, world.peer.user_id, "Other", "Other"
    )

    assert retried.aggregate.id == first.aggregate.id
    assert retried.aggregate.to_user_id == world.rep.user_id
    assert world.head() == head


def test_a_retried_withdrawal_records_nothing_new(world: World):
    rid = world.give()
    leader = keyed(world.leader, "w-1")
    world.app.withdraw_recognition(leader, rid, "Oops")
    head = world.head()

    retried = world.app.withdraw_recognition(leader, rid, "Oops")

    assert retried.aggregate.version == 2
    assert world.head() == head


def test_a_stale_expected_version_refuses_a_withdrawal(world: World):
    rid = world.give()
    head = world.head()

    with pytest.raises(VersionConflictError):
        world.app.withdraw_recognition(world.leader, rid, "x", expected_version=2)

    assert world.head() == head
    assert (
        world.app.withdraw_recognition(world.leader, rid, "x", 1).aggregate.version == 2
    )
