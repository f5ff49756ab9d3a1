"""Mentorships: who starts and sees them, check-ins, action items, acknowledgements."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from events.application import Change, Wolfpack
from events.base import Actor
from events.errors import (
    DomainError,
    FieldRuleError,
    InvalidValueError,
    NotFoundError,
    PermissionDeniedError,
    VersionConflictError,
)
from events.mentorship import (
    ITEM_MAX,
    ITEMS_MAX,
    TEXT_MAX,
    ActionItemDoneError,
    CheckInAcknowledgedError,
    Mentorship,
    MentorshipEndedError,
    MentorshipExistsError,
    mentorship_id,
)
from tests.unit.support import Clock, head, in_memory, keyed, person, stored_team

NOW = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
TODAY = date(2030, 3, 4)
LATER = NOW + timedelta(hours=2)


@dataclass
class Pair:
    """A mentor, a mentee, an admin who started them, and a stranger."""

    admin: Actor
    mentor: Actor
    mentee: Actor
    stranger: Actor


@pytest.fixture
def pair() -> Pair:
    return Pair(person(is_admin=True), person(), person(), person())


def start(pair: Pair, *, actor: Actor | None = None, goals: str | None = "Negotiate"):
    """Start the pair's first mentorship (by the admin unless told); clear events."""
    mentorship = Mentorship.start(
        actor or pair.admin,
        False,
        pair.mentor.user_id,
        pair.mentee.user_id,
        goals,
        1,
        NOW,
    )
    mentorship.collect_events()
    return mentorship


@pytest.fixture
def mentorship(pair: Pair) -> Mentorship:
    return start(pair)


def log(
    mentorship: Mentorship,
    actor: Actor,
    *,
    held_on: date = TODAY,
    notes: str = "Talked through the Acme deal.",
    confidence: Any = 4,
    items: list[str] | None = None,
    now: datetime = LATER,
) -> None:
    """Log a check-in with two action items unless told."""
    texts = ["Call the CFO", "Send the deck"] if items is None else items
    mentorship.log_check_in(actor, held_on, notes, confidence, texts, now)


@pytest.fixture
def checked_in(pair: Pair, mentorship: Mentorship) -> Mentorship:
    log(mentorship, pair.mentor)
    mentorship.collect_events()
    return mentorship


def refuse(
    mentorship: Mentorship, error: type[DomainError], command: Callable[[], None]
) -> DomainError:
    """Run a command that must be refused, and check it left no trace."""
    version = mentorship.version
    state = deepcopy(vars(mentorship))
    with pytest.raises(error) as caught:
        command()
    assert mentorship.version == version
    assert list(mentorship.pending_events) == []
    assert vars(mentorship) == state
    return caught.value


def field_of(error: DomainError) -> str:
    assert error.field is not None
    return error.field


# Starting


def test_an_admin_starts_a_mentorship_with_a_natural_id(pair: Pair):
    mentorship = Mentorship.start(
        pair.admin, False, pair.mentor.user_id, pair.mentee.user_id, " Close ", 1, NOW
    )

    [started] = mentorship.collect_events()
    assert isinstance(started, Mentorship.Created)
    assert mentorship.id == mentorship_id(pair.mentor.user_id, pair.mentee.user_id, 1)
    assert (mentorship.mentor_id, mentorship.mentee_id) == (
        pair.mentor.user_id,
        pair.mentee.user_id,
    )
    assert (mentorship.goals, mentorship.status, mentorship.number) == (
        "Close",
        "active",
        1,
    )
    assert mentorship.started_by == pair.admin.user_id
    assert (mentorship.created_on, mentorship.check_ins) == (NOW, [])


def test_each_mentorship_of_a_pair_has_its_own_id(pair: Pair):
    ids = {mentorship_id(pair.mentor.user_id, pair.mentee.user_id, n) for n in (1, 2)}
    reverse = mentorship_id(pair.mentee.user_id, pair.mentor.user_id, 1)
    assert len(ids | {reverse}) == 3


def test_a_leader_of_the_mentees_team_starts_one(pair: Pair):
    leader = person()
    mentorship = Mentorship.start(
        leader, True, pair.mentor.user_id, pair.mentee.user_id, None, 1, NOW
    )
    assert mentorship.started_by == leader.user_id
    assert mentorship.goals is None


def test_nobody_else_starts_one_even_with_bad_values(pair: Pair):
    for mentee_id in (pair.mentee.user_id, pair.mentor.user_id):
        with pytest.raises(PermissionDeniedError):
            Mentorship.start(
                pair.mentor, False, pair.mentor.user_id, mentee_id, None, 1, NOW
            )


def test_a_mentor_cannot_mentor_themself(pair: Pair):
    with pytest.raises(FieldRuleError) as caught:
        Mentorship.start(
            pair.admin, False, pair.mentor.user_id, pair.mentor.user_id, None, 1, NOW
        )
    assert field_of(caught.value) == "mentee_id"


@pytest.mark.parametrize(
    ("goals", "stored"), [("   ", None), ("x" * TEXT_MAX, "x" * TEXT_MAX)]
)
def test_blank_goals_are_none_and_long_ones_fit(pair: Pair, goals: str, stored: Any):
    assert start(pair, goals=goals).goals == stored


def test_goals_longer_than_the_limit_are_refused(pair: Pair):
    with pytest.raises(InvalidValueError) as caught:
        start(pair, goals="x" * (TEXT_MAX + 1))
    assert field_of(caught.value) == "goals"


def test_who_may_see_a_mentorship(pair: Pair, mentorship: Mentorship):
    assert mentorship.can_see(pair.mentor, False)
    assert mentorship.can_see(pair.mentee, False)
    assert mentorship.can_see(pair.admin, False)
    assert mentorship.can_see(pair.stranger, True)
    assert not mentorship.can_see(pair.stranger, False)


# Check-ins


def test_the_mentor_logs_a_check_in_with_action_items(
    pair: Pair, mentorship: Mentorship
):
    log(mentorship, keyed(pair.mentor, "k1"), notes="  Good call  ", confidence=5)

    [logged] = mentorship.collect_events()
    assert isinstance(logged, Mentorship.CheckInLogged)
    [check_in] = mentorship.check_ins
    assert (check_in.held_on, check_in.notes, check_in.confidence) == (
        TODAY,
        "Good call",
        5,
    )
    assert (check_in.logged_at, check_in.acknowledged_at) == (LATER, None)
    assert [i.text for i in check_in.action_items] == ["Call the CFO", "Send the deck"]
    assert [i.id for i in check_in.action_items] == logged.action_item_ids
    assert len({check_in.id, *logged.action_item_ids}) == 3
    assert not any(i.done for i in check_in.action_items)
    assert mentorship.logged_check_in(keyed(pair.mentor, "k1")) is check_in


def test_check_ins_of_different_requests_get_different_ids(
    pair: Pair, mentorship: Mentorship
):
    log(mentorship, keyed(pair.mentor, "a"))
    log(mentorship, keyed(pair.mentor, "b"), items=[])
    log(mentorship, keyed(pair.mentor, None), held_on=TODAY - timedelta(days=9))

    first, second, third = mentorship.check_ins
    assert len({first.id, second.id, third.id}) == 3
    assert second.action_items == []
    assert mentorship.logged_check_in(keyed(pair.mentor, "a")) is first
    assert mentorship.logged_check_in(keyed(pair.mentor, None)) is third


@pytest.mark.parametrize(
    "notes_and_items",
    [("x" * TEXT_MAX, ["y" * ITEM_MAX] * ITEMS_MAX), ("x", [])],
)
def test_check_ins_at_the_limits_are_accepted(
    pair: Pair, mentorship: Mentorship, notes_and_items: tuple[str, list[str]]
):
    notes, items = notes_and_items
    log(mentorship, pair.mentor, notes=notes, items=items)
    assert len(mentorship.check_ins[0].action_items) == len(items)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"held_on": NOW}, "held_on"),
        ({"notes": "   "}, "notes"),
        ({"notes": "x" * (TEXT_MAX + 1)}, "notes"),
        ({"confidence": 0}, "confidence"),
        ({"confidence": 6}, "confidence"),
        ({"confidence": True}, "confidence"),
        ({"confidence": 3.0}, "confidence"),
        ({"items": ["ok", " "]}, "action_items"),
        ({"items": ["y" * (ITEM_MAX + 1)]}, "action_items"),
        ({"items": ["y"] * (ITEMS_MAX + 1)}, "action_items"),
    ],
)
def test_bad_check_in_values_are_refused_by_field(
    pair: Pair, mentorship: Mentorship, changes: dict[str, Any], field: str
):
    error = refuse(
        mentorship,
        InvalidValueError,
        lambda: log(mentorship, pair.mentor, **changes),
    )
    assert field_of(error) == field


def test_a_check_in_held_in_the_future_breaks_a_rule(
    pair: Pair, mentorship: Mentorship
):
    tomorrow = TODAY + timedelta(days=1)
    error = refuse(
        mentorship,
        FieldRuleError,
        lambda: log(mentorship, pair.mentor, held_on=tomorrow),
    )
    assert field_of(error) == "held_on"


def test_a_check_in_held_today_late_in_the_utc_day_is_accepted(
    pair: Pair, mentorship: Mentorship
):
    late = datetime(2030, 3, 4, 23, 59, tzinfo=UTC)
    log(mentorship, pair.mentor, held_on=TODAY, now=late)
    assert mentorship.check_ins[0].held_on == TODAY


@pytest.mark.parametrize("who", ["mentee", "admin", "stranger"])
def test_only_the_mentor_logs_check_ins(pair: Pair, mentorship: Mentorship, who: str):
    refuse(
        mentorship,
        PermissionDeniedError,
        lambda: log(mentorship, getattr(pair, who), confidence=9),
    )


def test_an_ended_mentorship_takes_no_check_ins(pair: Pair, mentorship: Mentorship):
    mentorship.end(pair.mentor, False, "Goals met", NOW)
    mentorship.collect_events()
    refuse(mentorship, MentorshipEndedError, lambda: log(mentorship, pair.mentor))


# Action items


@pytest.mark.parametrize("who", ["mentor", "mentee"])
def test_the_mentor_or_mentee_completes_an_action_item(
    pair: Pair, checked_in: Mentorship, who: str
):
    item = checked_in.check_ins[0].action_items[1]
    actor = getattr(pair, who)

    checked_in.complete_action_item(actor, item.id, LATER)

    [completed] = checked_in.collect_events()
    assert isinstance(completed, Mentorship.ActionItemCompleted)
    assert completed.check_in_id == checked_in.check_ins[0].id
    assert (item.done, item.done_at, item.done_by) == (True, LATER, actor.user_id)
    assert not checked_in.check_ins[0].action_items[0].done


@pytest.mark.parametrize("who", ["admin", "stranger"])
def test_nobody_else_completes_an_action_item(
    pair: Pair, checked_in: Mentorship, who: str
):
    item_id = checked_in.check_ins[0].action_items[0].id
    refuse(
        checked_in,
        PermissionDeniedError,
        lambda: checked_in.complete_action_item(getattr(pair, who), item_id, LATER),
    )


def test_an_action_item_is_completed_once(pair: Pair, checked_in: Mentorship):
    item_id = checked_in.check_ins[0].action_items[0].id
    checked_in.complete_action_item(pair.mentee, item_id, LATER)
    checked_in.collect_events()

    refuse(
        checked_in,
        ActionItemDoneError,
        lambda: checked_in.complete_action_item(pair.mentor, item_id, LATER),
    )


def test_an_unknown_action_item_is_not_found(pair: Pair, checked_in: Mentorship):
    check_in_id = checked_in.check_ins[0].id
    for unknown in (uuid4(), check_in_id):
        refuse(
            checked_in,
            NotFoundError,
            lambda u=unknown: checked_in.complete_action_item(pair.mentor, u, LATER),
        )


def test_action_items_can_still_be_completed_after_the_end(
    pair: Pair, checked_in: Mentorship
):
    checked_in.end(pair.admin, False, "Moved on", LATER)
    item_id = checked_in.check_ins[0].action_items[0].id

    checked_in.complete_action_item(pair.mentee, item_id, LATER)

    assert checked_in.check_ins[0].action_items[0].done


# Acknowledgements


def test_the_mentee_acknowledges_a_check_in_once(pair: Pair, checked_in: Mentorship):
    check_in = checked_in.check_ins[0]

    checked_in.acknowledge(pair.mentee, check_in.id, LATER)

    [acknowledged] = checked_in.collect_events()
    assert isinstance(acknowledged, Mentorship.CheckInAcknowledged)
    assert check_in.acknowledged_at == LATER
    refuse(
        checked_in,
        CheckInAcknowledgedError,
        lambda: checked_in.acknowledge(pair.mentee, check_in.id, LATER),
    )


@pytest.mark.parametrize("who", ["mentor", "admin", "stranger"])
def test_only_the_mentee_acknowledges(pair: Pair, checked_in: Mentorship, who: str):
    check_in_id = checked_in.check_ins[0].id
    refuse(
        checked_in,
        PermissionDeniedError,
        lambda: checked_in.acknowledge(getattr(pair, who), check_in_id, LATER),
    )


def test_an_unknown_check_in_is_not_found(pair: Pair, checked_in: Mentorship):
    refuse(
        checked_in,
        NotFoundError,
        lambda: checked_in.acknowledge(pair.mentee, uuid4(), LATER),
    )


# Ending


@pytest.mark.parametrize(("who", "leads"), [("admin", False), ("mentor", False)])
def test_the_admin_or_mentor_ends_a_mentorship(
    pair: Pair, mentorship: Mentorship, who: str, leads: bool
):
    actor = getattr(pair, who)
    mentorship.end(actor, leads, " Goals met ", LATER)

    [ended] = mentorship.collect_events()
    assert isinstance(ended, Mentorship.Ended)
    assert (mentorship.status, mentorship.is_active) == ("ended", False)
    assert (mentorship.ended_at, mentorship.ended_by) == (LATER, actor.user_id)
    assert mentorship.end_reason == "Goals met"


def test_a_leader_of_the_mentees_team_ends_one(pair: Pair, mentorship: Mentorship):
    mentorship.end(pair.stranger, True, "Reorganised", LATER)
    assert mentorship.ended_by == pair.stranger.user_id


@pytest.mark.parametrize("who", ["mentee", "stranger"])
def test_nobody_else_ends_a_mentorship(pair: Pair, mentorship: Mentorship, who: str):
    refuse(
        mentorship,
        PermissionDeniedError,
        lambda: mentorship.end(getattr(pair, who), False, "Bored", LATER),
    )


def test_a_mentorship_ends_once_and_with_a_reason(pair: Pair, mentorship: Mentorship):
    error = refuse(
        mentorship,
        InvalidValueError,
        lambda: mentorship.end(pair.mentor, False, "  ", LATER),
    )
    assert field_of(error) == "reason"
    mentorship.end(pair.mentor, False, "Done", LATER)
    mentorship.collect_events()
    refuse(
        mentorship,
        MentorshipEndedError,
        lambda: mentorship.end(pair.admin, False, "Again", LATER),
    )


def test_replaying_the_events_gives_the_same_mentorship(pair: Pair):
    mentorship = Mentorship.start(
        keyed(pair.admin, "a-start"),
        False,
        pair.mentor.user_id,
        pair.mentee.user_id,
        "Grow",
        1,
        NOW,
    )
    log(mentorship, keyed(pair.mentor, "m-log"))
    check_in = mentorship.check_ins[0]
    mentorship.complete_action_item(pair.mentee, check_in.action_items[0].id, LATER)
    mentorship.acknowledge(pair.mentee, check_in.id, LATER)
    mentorship.end(pair.mentor, False, "Done", LATER)
    created, *rest = mentorship.collect_events()

    replayed = created.mutate(None)
    for event in rest:
        replayed = event.mutate(replayed)

    assert vars(replayed) == vars(mentorship)
    assert [(e.actor_id, e.request_id) for e in [created, *rest]][:2] == [
        (pair.admin.user_id, "a-start"),
        (pair.mentor.user_id, "m-log"),
    ]


# Use cases on the application


@pytest.fixture
def app() -> Iterator[Wolfpack]:
    with in_memory(Clock(NOW)) as application:
        yield application


@dataclass
class Office:
    """Team North (leader, mentee, peer), team South (its leader), a free mentor."""

    app: Wolfpack
    north: UUID
    south: UUID
    admin: Actor
    leader: Actor
    mentee: Actor
    peer: Actor
    south_leader: Actor
    mentor: Actor

    def head(self) -> int:
        return head(self.app)

    def start(
        self, actor: Actor | None = None, team_ids: tuple[UUID, ...] | None = None
    ) -> Change[Mentorship]:
        """Start the mentor's mentorship of the mentee (by the leader unless told)."""
        return self.app.start_mentorship(
            actor or self.leader,
            self.mentor.user_id,
            self.mentee.user_id,
            "Close bigger deals",
            (self.north,) if team_ids is None else team_ids,
        )


@pytest.fixture
def office(app: Wolfpack) -> Office:
    admin = person(is_admin=True)
    leader, mentee, peer, south_leader = person(), person(), person(), person()
    north = stored_team(app, admin, leaders=[leader], reps=[mentee, peer])
    south = stored_team(app, admin, name="South", leaders=[south_leader])
    return Office(
        app, north, south, admin, leader, mentee, peer, south_leader, person()
    )


def nothing_recorded(office: Office, command: Callable[[], object], error: type):
    head = office.head()
    with pytest.raises(error):
        command()
    assert office.head() == head


def test_the_mentees_leader_starts_a_mentorship_stored_with_its_position(
    office: Office,
):
    started = office.start()

    stored = office.app.get_mentorship(office.mentor, started.aggregate.id)
    assert started.position == office.head()
    assert (stored.mentor_id, stored.started_by) == (
        office.mentor.user_id,
        office.leader.user_id,
    )
    assert stored.version == 1


@pytest.mark.parametrize(
    ("who", "team_ids"),
    [
        ("peer", "north"),
        ("south_leader", "south"),
        ("south_leader", "north"),
        ("leader", "none"),
        ("leader", "south"),
        ("leader", "bogus"),
        ("mentor", "none"),
    ],
)
def test_only_a_leader_of_a_team_the_mentee_is_in_starts_one(
    office: Office, who: str, team_ids: str
):
    ids = {
        "north": (office.north,),
        "south": (office.south,),
        "none": (),
        "bogus": (uuid4(),),
    }[team_ids]
    nothing_recorded(
        office,
        lambda: office.start(getattr(office, who), ids),
        PermissionDeniedError,
    )


def test_an_admin_needs_no_team_to_start_one(office: Office):
    assert office.start(office.admin, ()).aggregate.started_by == (office.admin.user_id)


def test_a_pair_has_one_active_mentorship_at_a_time(office: Office):
    first = office.start().aggregate

    nothing_recorded(office, lambda: office.start(office.admin), MentorshipExistsError)
    reverse = office.app.start_mentorship(
        office.admin, office.mentee.user_id, office.mentor.user_id, None
    )
    office.app.end_mentorship(office.mentor, first.id, "Goals met")
    second = office.start().aggregate

    assert reverse.aggregate.id not in (first.id, second.id)
    assert second.id != first.id
    assert (second.number, second.status) == (2, "active")
    nothing_recorded(office, lambda: office.start(), MentorshipExistsError)


def test_a_retried_start_returns_the_first_and_records_nothing(office: Office):
    first = office.start(keyed(office.leader, "start-1"))
    office.app.end_mentorship(office.mentor, first.aggregate.id, "Done")
    head = office.head()

    retried = office.start(keyed(office.leader, "start-1"))

    assert retried.aggregate.id == first.aggregate.id
    assert retried.aggregate.status == "ended"
    assert office.head() == head


def test_a_start_that_loses_a_race_is_refused_unless_it_is_a_retry(
    office: Office, monkeypatch: pytest.MonkeyPatch
):
    office.start(keyed(office.leader, "winner"))
    # Both writers looked before either saved: neither saw the other's mentorship.
    real_find = office.app._find
    monkeypatch.setattr(
        office.app,
        "_find",
        lambda cls, id_: None if cls is Mentorship else real_find(cls, id_),
    )

    nothing_recorded(office, lambda: office.start(office.admin), MentorshipExistsError)
    retried = office.start(keyed(office.leader, "winner"))
    assert retried.aggregate.version == 1


@pytest.mark.parametrize(
    ("who", "team_ids"),
    [
        ("mentor", ()),
        ("mentee", ()),
        ("admin", ()),
        ("leader", "north"),
    ],
)
def test_the_pair_admins_and_the_mentees_leaders_see_it(
    office: Office, who: str, team_ids: Any
):
    started = office.start().aggregate
    ids = (office.north,) if team_ids == "north" else ()

    seen = office.app.get_mentorship(getattr(office, who), started.id, ids)
    history = office.app.mentorship_history(getattr(office, who), started.id, ids)

    assert seen.id == started.id
    assert [type(e) for e in history] == [Mentorship.Created]


@pytest.mark.parametrize(
    ("who", "team_ids"),
    [("peer", "north"), ("south_leader", "south"), ("leader", "none")],
)
def test_everyone_else_is_told_it_does_not_exist(
    office: Office, who: str, team_ids: str
):
    started = office.start().aggregate
    ids = {"north": (office.north,), "south": (office.south,), "none": ()}[team_ids]
    actor = getattr(office, who)

    with pytest.raises(NotFoundError):
        office.app.get_mentorship(actor, started.id, ids)
    with pytest.raises(NotFoundError):
        office.app.mentorship_history(actor, started.id, ids)
    nothing_recorded(
        office,
        lambda: office.app.end_mentorship(actor, started.id, "x", ids),
        NotFoundError,
    )


def test_a_leader_who_left_the_team_no_longer_sees_it(office: Office):
    started = office.start().aggregate
    office.app.remove_team_member(office.admin, office.north, office.leader.user_id)

    with pytest.raises(NotFoundError):
        office.app.get_mentorship(office.leader, started.id, (office.north,))


def test_the_mentor_logs_check_ins_others_are_refused(office: Office):
    mid = office.start().aggregate.id
    app = office.app

    logged = app.log_check_in(office.mentor, mid, TODAY, "Notes", 3, ["Call"])

    assert logged.aggregate.check_ins[0].notes == "Notes"
    assert app.get_mentorship(office.admin, mid).version == 2
    for actor, ids in [(office.mentee, ()), (office.leader, (office.north,))]:
        nothing_recorded(
            office,
            lambda a=actor, i=ids: app.log_check_in(a, mid, TODAY, "N", 3, [], i),
            PermissionDeniedError,
        )
    nothing_recorded(
        office,
        lambda: app.log_check_in(office.peer, mid, TODAY, "N", 3, [], (office.north,)),
        NotFoundError,
    )


def test_a_retried_check_in_records_nothing_and_finds_its_check_in(office: Office):
    mid = office.start().aggregate.id
    sender = keyed(office.mentor, "log-1")
    first = office.app.log_check_in(sender, mid, TODAY, "Notes", 3, ["Call"])
    office.app.log_check_in(office.mentor, mid, TODAY, "Other", 2, [])
    head = office.head()

    retried = office.app.log_check_in(sender, mid, TODAY, "Notes", 3, ["Call"])

    assert office.head() == head
    check_in = retried.aggregate.logged_check_in(sender)
    assert check_in.id == first.aggregate.check_ins[0].id
    assert check_in.notes == "Notes"


def test_a_stale_expected_version_is_refused(office: Office):
    mid = office.start().aggregate.id
    nothing_recorded(
        office,
        lambda: office.app.log_check_in(
            office.mentor, mid, TODAY, "N", 3, [], expected_version=2
        ),
        VersionConflictError,
    )
    logged = office.app.log_check_in(
        office.mentor, mid, TODAY, "N", 3, [], expected_version=1
    )
    assert logged.aggregate.version == 2


def test_items_are_completed_and_check_ins_acknowledged_and_stored(office: Office):
    mid = office.start().aggregate.id
    app = office.app
    check_in = app.log_check_in(office.mentor, mid, TODAY, "N", 4, ["a", "b"])
    [first, second] = check_in.aggregate.check_ins[0].action_items
    check_in_id = check_in.aggregate.check_ins[0].id

    app.complete_action_item(office.mentee, mid, first.id)
    app.complete_action_item(office.mentor, mid, second.id)
    app.acknowledge_check_in(office.mentee, mid, check_in_id)
    app.end_mentorship(office.leader, mid, "Promoted", (office.north,))

    stored = app.get_mentorship(office.admin, mid)
    items = stored.check_ins[0].action_items
    assert [i.done_by for i in items] == [office.mentee.user_id, office.mentor.user_id]
    assert stored.check_ins[0].acknowledged_at == NOW
    assert stored.check_ins[0].held_on == TODAY
    assert (stored.status, stored.ended_by) == ("ended", office.leader.user_id)
    assert [type(e) for e in app.mentorship_history(office.mentee, mid)] == [
        Mentorship.Created,
        Mentorship.CheckInLogged,
        Mentorship.ActionItemCompleted,
        Mentorship.ActionItemCompleted,
        Mentorship.CheckInAcknowledged,
        Mentorship.Ended,
    ]


def test_the_leader_may_see_but_not_acknowledge_or_complete(office: Office):
    mid = office.start().aggregate.id
    app = office.app
    logged = app.log_check_in(office.mentor, mid, TODAY, "N", 4, ["a"]).aggregate
    check_in = logged.check_ins[0]
    north = (office.north,)

    nothing_recorded(
        office,
        lambda: app.acknowledge_check_in(office.leader, mid, check_in.id, north),
        PermissionDeniedError,
    )
    nothing_recorded(
        office,
        lambda: app.complete_action_item(
            office.leader, mid, check_in.action_items[0].id, north
        ),
        PermissionDeniedError,
    )
    nothing_recorded(
        office,
        lambda: app.end_mentorship(office.mentee, mid, "Quit"),
        PermissionDeniedError,
    )


@pytest.mark.parametrize(
    ("who", "subject", "team_ids", "allowed"),
    [
        ("mentee", "mentee", (), True),
        ("admin", "mentee", (), True),
        ("leader", "mentee", "north", True),
        ("leader", "mentor", "north", False),
        ("peer", "mentee", "north", False),
        ("south_leader", "mentee", "south", False),
    ],
)
def test_who_may_list_a_users_mentorships(
    office: Office, who: str, subject: str, team_ids: Any, allowed: bool
):
    ids = {"north": (office.north,), "south": (office.south,)}.get(team_ids, ())
    user_id = getattr(office, subject).user_id

    def check() -> None:
        office.app.check_mentorship_list(getattr(office, who), user_id, ids)

    if allowed:
        check()
    else:
        with pytest.raises(PermissionDeniedError):
            check()
