"""The Achievement aggregate and its use cases: recorded, verified, retracted."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from events.achievement import (
    MAX_COUNT,
    NOTE_MAX,
    REASON_MAX,
    REF_MAX,
    Achievement,
    AchievementRetractedError,
    AlreadyVerifiedError,
    external_ref_id,
)
from events.achievement_cases import Recorded
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
from events.team import Team
from tests.unit.support import Clock, head, in_memory, keyed, person, stored_team

NOW = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
TODAY = date(2030, 3, 4)
LATER = NOW + timedelta(hours=2)


@dataclass
class Crew:
    """A team with a leader, an owner and a peer; an admin and an outsider."""

    team: Team
    admin: Actor
    leader: Actor
    owner: Actor
    peer: Actor
    outsider: Actor


def crew_of(timezone: str = "UTC") -> Crew:
    admin = person("admin-req", is_admin=True)
    leader, owner, peer = person("leader-req"), person("owner-req"), person("peer-req")
    team = Team.create(admin, "North", timezone, NOW)
    team.add_member(admin, leader.user_id, "leader", NOW)
    team.add_member(leader, owner.user_id, "rep", NOW)
    team.add_member(leader, peer.user_id, "rep", NOW)
    team.collect_events()
    return Crew(team, admin, leader, owner, peer, person("outsider-req"))


@pytest.fixture
def crew() -> Crew:
    return crew_of()


def record(crew: Crew, *, actor: Actor | None = None, **changes: Any) -> Achievement:
    """Record an achievement (a won deal by the owner unless told); clear its events."""
    arguments: dict[str, Any] = {
        "kind": "deal_won",
        "value": "12500.00",
        "currency": "EUR",
        "note": None,
        "occurred_on": None,
        "external_ref": None,
        "now": NOW,
    }
    arguments.update(changes)
    achievement = Achievement.record(actor or crew.owner, crew.team, **arguments)
    achievement.collect_events()
    return achievement


@pytest.fixture
def achievement(crew: Crew) -> Achievement:
    return record(crew)


@pytest.fixture
def verified(crew: Crew, achievement: Achievement) -> Achievement:
    achievement.verify(crew.leader, True, LATER)
    achievement.collect_events()
    return achievement


@pytest.fixture
def retracted(crew: Crew, achievement: Achievement) -> Achievement:
    achievement.retract(crew.owner, False, "Entered twice", LATER)
    achievement.collect_events()
    return achievement


def refuse(
    achievement: Achievement, error: type[DomainError], command: Callable[[], None]
) -> DomainError:
    """Run a command that must be refused, and check it left no trace."""
    version = achievement.version
    state = deepcopy(vars(achievement))
    with pytest.raises(error) as caught:
        command()
    assert achievement.version == version
    assert achievement.pending_events == []
    assert vars(achievement) == state
    return caught.value


def invalid_field(command: Callable[[], object]) -> str:
    """Run a command that must be refused for a bad value; return the field named."""
    with pytest.raises(InvalidValueError) as caught:
        command()
    return caught.value.field


def refused_field(command: Callable[[], object]) -> str | None:
    """Run a command that breaks a rule about a value; return the field named."""
    with pytest.raises(FieldRuleError) as caught:
        command()
    return caught.value.field


# Recording


def test_a_member_records_a_won_deal_with_its_exact_amount_and_currency(crew: Crew):
    recorded = Achievement.record(
        crew.owner,
        crew.team,
        "deal_won",
        "12500.00",
        "EUR",
        "  Acme, three-year deal ",
        date(2030, 3, 1),
        " CRM-42 ",
        NOW,
    )

    assert (recorded.team_id, recorded.user_id) == (crew.team.id, crew.owner.user_id)
    assert (recorded.kind, str(recorded.value), recorded.currency) == (
        "deal_won",
        "12500.00",
        "EUR",
    )
    assert (recorded.note, recorded.external_ref) == ("Acme, three-year deal", "CRM-42")
    assert (recorded.occurred_on, recorded.status, recorded.version) == (
        date(2030, 3, 1),
        "recorded",
        1,
    )
    assert (recorded.verified_by, recorded.verified_at) == (None, None)
    assert (recorded.retracted_by, recorded.retraction_reason) == (None, None)
    [created] = recorded.collect_events()
    assert isinstance(created, Achievement.Created)
    assert (created.actor_id, created.request_id) == (crew.owner.user_id, "owner-req")
    assert (created.value, created.currency) == (Decimal("12500.00"), "EUR")
    assert created.timestamp == NOW
    assert type(created).TOPIC == "wolfpack:AchievementRecorded"


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("12500.00", "12500.00"),
        ("12500", "12500"),
        (12500, "12500"),
        ("0.01", "0.01"),
        ("1E+3", "1000"),
        ("999.1234", "999.1234"),
        ("1000000000000", "1000000000000"),
    ],
)
def test_an_amount_keeps_the_places_it_was_sent_with(
    crew: Crew, sent: object, kept: str
):
    assert str(record(crew, value=sent).value) == kept


@pytest.mark.parametrize(
    "value",
    [None, "0", "-5", 0, "abc", "NaN", "Infinity", True, "0.00001", "1000000000000.01"],
)
def test_a_money_kind_needs_a_positive_amount_of_at_most_four_places(
    crew: Crew, value: object
):
    assert invalid_field(lambda: record(crew, value=value)) == "value"


@pytest.mark.parametrize("currency", [None, "eur", "EU", "EURO", "US1", "ÉUR", ""])
def test_a_money_kind_needs_a_three_letter_uppercase_currency(
    crew: Crew, currency: str | None
):
    assert invalid_field(lambda: record(crew, currency=currency)) == "currency"


def test_revenue_is_money_too(crew: Crew):
    assert invalid_field(lambda: record(crew, kind="revenue", value=None)) == "value"
    assert record(crew, kind="revenue", currency="JPY", value="800").currency == "JPY"


@pytest.mark.parametrize(
    "kind", ["meeting", "training_completed", "certification", "case_study"]
)
def test_other_kinds_count_one_by_default_and_take_no_currency(crew: Crew, kind: str):
    recorded = record(crew, kind=kind, value=None, currency=None)

    assert (str(recorded.value), recorded.currency) == ("1", None)
    assert invalid_field(lambda: record(crew, kind=kind, value=None)) == "currency"


@pytest.mark.parametrize(
    ("sent", "kept"), [(3, "3"), ("3", "3"), ("2.0", "2"), ("1E+2", "100")]
)
def test_a_count_is_a_whole_number(crew: Crew, sent: object, kept: str):
    recorded = record(crew, kind="meeting", value=sent, currency=None)

    assert str(recorded.value) == kept


@pytest.mark.parametrize("value", ["2.5", 0, -1, MAX_COUNT + 1, "x"])
def test_a_count_that_is_not_a_whole_number_from_one_up_is_refused(
    crew: Crew, value: object
):
    field = invalid_field(
        lambda: record(crew, kind="meeting", value=value, currency=None)
    )
    assert field == "value"


def test_an_unknown_kind_is_refused(crew: Crew):
    assert invalid_field(lambda: record(crew, kind="vibes")) == "kind"


@pytest.mark.parametrize("who", ["outsider", "admin"])
def test_only_a_team_member_records_and_that_is_checked_before_the_values(
    crew: Crew, who: str
):
    with pytest.raises(PermissionDeniedError):
        record(crew, actor=getattr(crew, who), kind="vibes", value="-1")


def test_a_leader_records_their_own_achievements_too(crew: Crew):
    assert record(crew, actor=crew.leader).user_id == crew.leader.user_id


def test_it_happened_today_in_utc_unless_told(crew: Crew):
    late_evening = datetime(2030, 3, 4, 23, 30, tzinfo=UTC)

    assert record(crew).occurred_on == TODAY
    assert record(crew, now=late_evening).occurred_on == TODAY
    assert record(crew, occurred_on=date(2029, 12, 31)).occurred_on == date(
        2029, 12, 31
    )


def test_a_day_in_the_future_is_refused(crew: Crew):
    tomorrow = TODAY + timedelta(days=1)

    assert refused_field(lambda: record(crew, occurred_on=tomorrow)) == "occurred_on"


def test_a_team_ahead_of_utc_may_log_its_own_today():
    crew = crew_of("Pacific/Auckland")
    evening_utc = datetime(2030, 3, 4, 20, 0, tzinfo=UTC)  # 5 March in Auckland

    recorded = record(crew, occurred_on=date(2030, 3, 5), now=evening_utc)

    day_after = date(2030, 3, 6)
    assert recorded.occurred_on == date(2030, 3, 5)
    field = refused_field(lambda: record(crew, occurred_on=day_after, now=evening_utc))
    assert field == "occurred_on"


@pytest.mark.parametrize(
    ("field", "text"),
    [("note", "x" * (NOTE_MAX + 1)), ("external_ref", "x" * (REF_MAX + 1))],
)
def test_a_note_or_external_ref_that_is_too_long_is_refused(
    crew: Crew, field: str, text: str
):
    assert invalid_field(lambda: record(crew, **{field: text})) == field


def test_notes_and_refs_of_the_maximum_length_are_kept_and_blank_ones_dropped(
    crew: Crew,
):
    longest = record(crew, note="n" * NOTE_MAX, external_ref="r" * REF_MAX)
    blank = record(crew, note="   ", external_ref=" ")

    assert (longest.note, longest.external_ref) == ("n" * NOTE_MAX, "r" * REF_MAX)
    assert (blank.note, blank.external_ref) == (None, None)


def test_an_external_ref_names_one_achievement_per_team_whoever_sends_it(crew: Crew):
    mine = record(crew, external_ref="CRM-42")
    theirs = record(crew, actor=keyed(crew.peer, None), external_ref=" CRM-42")
    elsewhere = crew_of()

    assert mine.id == theirs.id == external_ref_id(crew.team.id, "CRM-42")
    assert record(elsewhere, external_ref="CRM-42").id != mine.id


def test_without_a_ref_a_retried_request_gets_the_same_id_and_others_new_ones(
    crew: Crew,
):
    first, retried = record(crew), record(crew)
    unkeyed = [record(crew, actor=keyed(crew.owner, None)) for _ in range(2)]

    assert first.id == retried.id
    assert unkeyed[0].id != unkeyed[1].id
    assert record(crew, actor=crew.peer).id != first.id


# Verifying


def test_the_leader_verifies_a_recorded_achievement(
    crew: Crew, achievement: Achievement
):
    achievement.verify(crew.leader, True, LATER)

    assert (achievement.status, achievement.version) == ("verified", 2)
    assert (achievement.verified_by, achievement.verified_at) == (
        crew.leader.user_id,
        LATER,
    )
    [verified] = achievement.collect_events()
    assert isinstance(verified, Achievement.Verified)
    assert (verified.actor_id, verified.timestamp) == (crew.leader.user_id, LATER)


def test_a_rep_cannot_verify(crew: Crew, achievement: Achievement):
    refuse(
        achievement,
        PermissionDeniedError,
        lambda: achievement.verify(crew.peer, False, LATER),
    )


def test_a_leader_cannot_verify_their_own_achievement_but_an_admin_can(crew: Crew):
    own = record(crew, actor=crew.leader)

    refuse(own, PermissionDeniedError, lambda: own.verify(crew.leader, True, LATER))
    own.verify(crew.admin, True, LATER)
    assert own.verified_by == crew.admin.user_id


def test_an_admin_who_is_a_member_may_verify_their_own():
    crew = crew_of()
    boss = person(is_admin=True)
    crew.team.add_member(crew.admin, boss.user_id, "leader", NOW)
    own = record(crew, actor=boss)

    own.verify(boss, True, LATER)

    assert own.status == "verified"


def test_a_verified_achievement_is_not_verified_again(
    crew: Crew, verified: Achievement
):
    error = refuse(
        verified, AlreadyVerifiedError, lambda: verified.verify(crew.admin, True, LATER)
    )
    assert error.code == "already_verified"


def test_a_retracted_achievement_cannot_be_verified(crew: Crew, retracted: Achievement):
    error = refuse(
        retracted,
        AchievementRetractedError,
        lambda: retracted.verify(crew.leader, True, LATER),
    )
    assert error.code == "achievement_retracted"


def test_permission_is_checked_before_the_status(crew: Crew, retracted: Achievement):
    refuse(
        retracted,
        PermissionDeniedError,
        lambda: retracted.verify(crew.peer, False, LATER),
    )


# Retracting


@pytest.mark.parametrize(
    ("who", "as_leader"), [("owner", False), ("leader", True), ("admin", True)]
)
def test_the_owner_the_leader_or_an_admin_retracts_with_a_reason(
    crew: Crew, achievement: Achievement, who: str, as_leader: bool
):
    actor = getattr(crew, who)

    achievement.retract(actor, as_leader, "  Deal fell through ", LATER)

    assert (achievement.status, achievement.version) == ("retracted", 2)
    assert achievement.retraction_reason == "Deal fell through"
    assert (achievement.retracted_by, achievement.retracted_at) == (
        actor.user_id,
        LATER,
    )
    [retracted] = achievement.collect_events()
    assert isinstance(retracted, Achievement.Retracted)
    assert retracted.reason == "Deal fell through"


def test_a_teammate_cannot_retract_someone_elses_achievement(
    crew: Crew, achievement: Achievement
):
    refuse(
        achievement,
        PermissionDeniedError,
        lambda: achievement.retract(crew.peer, False, "Not real", LATER),
    )


@pytest.mark.parametrize("reason", ["", "  ", "x" * (REASON_MAX + 1)])
def test_a_retraction_needs_a_reason_of_at_most_2000_characters(
    crew: Crew, achievement: Achievement, reason: str
):
    error = refuse(
        achievement,
        InvalidValueError,
        lambda: achievement.retract(crew.owner, False, reason, LATER),
    )
    assert isinstance(error, InvalidValueError)
    assert error.field == "reason"


def test_a_verified_achievement_can_still_be_retracted(
    crew: Crew, verified: Achievement
):
    verified.retract(crew.owner, False, "Customer cancelled", LATER)

    assert verified.status == "retracted"
    assert verified.verified_by == crew.leader.user_id


def test_a_retraction_is_final(crew: Crew, retracted: Achievement):
    refuse(
        retracted,
        AchievementRetractedError,
        lambda: retracted.retract(crew.leader, True, "Again", LATER),
    )


# Use cases on the application


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def app(clock: Clock) -> Iterator[Wolfpack]:
    with in_memory(clock) as application:
        yield application


@dataclass
class Stored:
    """A stored team with a leader, an owner and a peer; an admin and an outsider."""

    app: Wolfpack
    team_id: UUID
    other_team_id: UUID
    admin: Actor
    leader: Actor
    owner: Actor
    peer: Actor
    outsider: Actor

    def head(self) -> int:
        """The position of the last stored event."""
        return head(self.app)

    def record(self, actor: Actor | None = None, **changes: Any) -> Recorded:
        """Record a won deal, by the owner unless told."""
        team_id = changes.pop("team_id", self.team_id)
        arguments: dict[str, Any] = {
            "kind": "deal_won",
            "value": "12500.00",
            "currency": "EUR",
        }
        arguments.update(changes)
        return self.app.record_achievement(actor or self.owner, team_id, **arguments)


@pytest.fixture
def stored(app: Wolfpack) -> Stored:
    admin = person(is_admin=True)
    leader, owner, peer, outsider = person(), person(), person(), person()
    team_id = stored_team(
        app, admin, timezone="Europe/London", leaders=[leader], reps=[owner, peer]
    )
    other_team_id = stored_team(app, admin, name="South", reps=[outsider])
    return Stored(app, team_id, other_team_id, admin, leader, owner, peer, outsider)


def nothing_recorded(
    stored: Stored, command: Callable[[], object], error: type
) -> None:
    """Check that a refused command raises ``error`` and stores no event."""
    head = stored.head()
    with pytest.raises(error):
        command()
    assert stored.head() == head


def test_an_achievement_is_recorded_verified_and_read_back_exactly(stored: Stored):
    app = stored.app

    recorded = stored.record(note="Acme")
    verified = app.verify_achievement(stored.leader, recorded.aggregate.id)

    assert recorded.is_new
    assert recorded.position < verified.position == stored.head()
    again_read = app.get_achievement(stored.peer, recorded.aggregate.id)
    assert (str(again_read.value), again_read.currency) == ("12500.00", "EUR")
    assert (again_read.occurred_on, again_read.note) == (TODAY, "Acme")
    assert (again_read.status, again_read.verified_by) == (
        "verified",
        stored.leader.user_id,
    )


def test_the_history_tells_every_event_with_its_actor_oldest_first(stored: Stored):
    achievement_id = stored.record().aggregate.id
    stored.app.verify_achievement(stored.leader, achievement_id)
    stored.app.retract_achievement(stored.owner, achievement_id, "Cancelled")

    records = [
        history_record(e)
        for e in stored.app.achievement_history(stored.peer, achievement_id)
    ]

    assert [r["type"] for r in records] == [
        "AchievementRecorded",
        "AchievementVerified",
        "AchievementRetracted",
    ]
    assert [r["actor_id"] for r in records] == [
        str(stored.owner.user_id),
        str(stored.leader.user_id),
        str(stored.owner.user_id),
    ]
    assert records[0]["data"]["value"] == "12500.00"
    assert records[0]["data"]["occurred_on"] == "2030-03-04"
    assert records[2]["data"] == {"reason": "Cancelled"}


def test_a_repeated_external_ref_records_nothing_and_returns_the_first(
    stored: Stored,
):
    first = stored.record(external_ref="CRM-42")
    head = stored.head()

    same_rep = stored.record(external_ref="CRM-42", value="1.00")
    other_rep = stored.record(stored.peer, external_ref="CRM-42", kind="revenue")

    assert first.is_new
    assert (same_rep.is_new, other_rep.is_new) == (False, False)
    assert same_rep.aggregate.id == other_rep.aggregate.id == first.aggregate.id
    assert other_rep.aggregate.user_id == stored.owner.user_id
    assert str(other_rep.aggregate.value) == "12500.00"
    assert same_rep.position == other_rep.position == head
    assert stored.head() == head


def test_the_same_external_ref_in_another_team_is_another_achievement(
    stored: Stored,
):
    north = stored.record(external_ref="CRM-42")
    south = stored.record(
        stored.outsider, team_id=stored.other_team_id, external_ref="CRM-42"
    )

    assert south.is_new
    assert south.aggregate.id != north.aggregate.id


def test_a_retried_request_with_an_external_ref_is_answered_as_new(stored: Stored):
    sender = keyed(stored.owner, "key-1")
    first = stored.record(sender, external_ref="CRM-7")
    head = stored.head()

    retried = stored.record(sender, external_ref="CRM-7")

    assert retried.is_new
    assert retried.aggregate.id == first.aggregate.id
    assert stored.head() == head


def test_a_retried_request_without_a_ref_gets_the_same_achievement(stored: Stored):
    sender = keyed(stored.owner, "key-2")
    first = stored.record(sender)
    head = stored.head()

    retried = stored.record(sender)

    assert retried.is_new
    assert retried.aggregate.id == first.aggregate.id
    assert stored.head() == head


def test_a_ref_recorded_by_someone_else_meanwhile_is_returned_not_saved_twice(
    stored: Stored, monkeypatch: pytest.MonkeyPatch
):
    """Two requests both find no achievement under the ref; the second save loses."""
    winner = stored.record(stored.peer, external_ref="CRM-9")
    head = stored.head()
    monkeypatch.setattr(stored.app, "_find", lambda cls, aggregate_id: None)

    loser = stored.record(external_ref="CRM-9")

    assert not loser.is_new
    assert loser.aggregate.id == winner.aggregate.id
    assert loser.aggregate.user_id == stored.peer.user_id
    assert stored.head() == head


def test_a_ref_saved_meanwhile_by_the_same_request_is_answered_as_new(
    stored: Stored, monkeypatch: pytest.MonkeyPatch
):
    sender = keyed(stored.owner, "key-3")
    stored.record(sender, external_ref="CRM-10")
    monkeypatch.setattr(stored.app, "_find", lambda cls, aggregate_id: None)

    assert stored.record(sender, external_ref="CRM-10").is_new


def test_an_outsider_cannot_record_in_or_see_a_team(stored: Stored):
    achievement_id = stored.record().aggregate.id
    app = stored.app

    nothing_recorded(stored, lambda: stored.record(stored.outsider), NotFoundError)
    nothing_recorded(stored, lambda: stored.record(stored.admin), PermissionDeniedError)
    with pytest.raises(NotFoundError):
        app.get_achievement(stored.outsider, achievement_id)
    with pytest.raises(NotFoundError):
        app.achievement_history(stored.outsider, achievement_id)
    nothing_recorded(
        stored,
        lambda: app.verify_achievement(stored.outsider, achievement_id),
        NotFoundError,
    )
    nothing_recorded(
        stored,
        lambda: app.retract_achievement(stored.outsider, achievement_id, "No"),
        NotFoundError,
    )


def test_an_unknown_achievement_is_not_found(stored: Stored):
    with pytest.raises(NotFoundError):
        stored.app.get_achievement(stored.admin, uuid4())
    with pytest.raises(NotFoundError):
        stored.app.get_achievement(stored.admin, stored.team_id)


def test_refused_commands_store_nothing(stored: Stored):
    achievement_id = stored.record().aggregate.id
    app = stored.app

    nothing_recorded(
        stored,
        lambda: app.verify_achievement(stored.peer, achievement_id),
        PermissionDeniedError,
    )
    nothing_recorded(
        stored,
        lambda: app.retract_achievement(stored.peer, achievement_id, "No"),
        PermissionDeniedError,
    )
    nothing_recorded(stored, lambda: stored.record(value="-1"), InvalidValueError)
    app.retract_achievement(stored.owner, achievement_id, "Cancelled")
    nothing_recorded(
        stored,
        lambda: app.verify_achievement(stored.leader, achievement_id),
        AchievementRetractedError,
    )


def test_a_stale_expected_version_is_refused(stored: Stored):
    achievement_id = stored.record().aggregate.id

    nothing_recorded(
        stored,
        lambda: stored.app.verify_achievement(stored.leader, achievement_id, 2),
        VersionConflictError,
    )
    assert stored.app.verify_achievement(stored.leader, achievement_id, 1).aggregate


def test_a_retried_verification_records_nothing(stored: Stored):
    achievement_id = stored.record().aggregate.id
    sender = keyed(stored.leader, "verify-1")
    stored.app.verify_achievement(sender, achievement_id)
    head = stored.head()

    retried = stored.app.verify_achievement(sender, achievement_id)

    assert retried.aggregate.status == "verified"
    assert stored.head() == head


def test_the_default_day_and_the_future_follow_the_application_clock(
    stored: Stored, clock: Clock
):
    clock.now = datetime(2031, 1, 2, 12, 0, tzinfo=UTC)

    recorded = stored.record()

    assert recorded.aggregate.occurred_on == date(2031, 1, 2)
    assert recorded.aggregate.created_on == clock.now
    nothing_recorded(
        stored,
        lambda: stored.record(occurred_on=date(2031, 1, 3)),
        FieldRuleError,
    )
