"""The Commitment aggregate: making, working on and closing a promise to the team."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import pytest

from events.base import Actor
from events.commitment import TEXT_MAX, TITLE_MAX, Commitment, Note
from events.errors import (
    CommitmentClosedError,
    DomainError,
    FieldRuleError,
    InvalidValueError,
    NotOverdueError,
    PermissionDeniedError,
    RuleViolationError,
)
from events.team import Team
from tests.unit.support import keyed, person, refuse

NOW = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
DUE = NOW + timedelta(days=2)
AFTER_DUE = DUE + timedelta(minutes=1)
LATER = NOW + timedelta(hours=3, minutes=7)


@dataclass
class Crew:
    """A team with a leader, an owner, two peers, an admin and an outsider."""

    team: Team
    admin: Actor
    leader: Actor
    owner: Actor
    peer: Actor
    other_peer: Actor
    outsider: Actor


@pytest.fixture
def crew() -> Crew:
    admin = person("admin-req", is_admin=True)
    leader = person("leader-req")
    owner = person("owner-req")
    peer = person("peer-req")
    other_peer = person("other-peer-req")
    team = Team.create(admin, "North", "UTC", NOW)
    team.add_member(admin, leader.user_id, "leader", NOW)
    for rep in (owner, peer, other_peer):
        team.add_member(leader, rep.user_id, "rep", NOW)
    team.collect_events()
    return Crew(team, admin, leader, owner, peer, other_peer, person("outsider-req"))


def make(
    crew: Crew,
    *,
    actor: Actor | None = None,
    title: str = "Call ten prospects",
    description: str | None = "From the Q3 list",
    due_at: datetime = DUE,
    witness_ids: list | None = None,
    now: datetime = NOW,
) -> Commitment:
    """Make a commitment (by the crew's owner unless told) and clear its events."""
    commitment = Commitment.make(
        actor or crew.owner,
        crew.team,
        title,
        description,
        due_at,
        [crew.peer.user_id] if witness_ids is None else witness_ids,
        now,
    )
    commitment.collect_events()
    return commitment


@pytest.fixture
def commitment(crew: Crew) -> Commitment:
    return make(crew)


@pytest.fixture
def kept(crew: Crew, commitment: Commitment) -> Commitment:
    commitment.keep(crew.owner, "Ten calls logged", LATER)
    commitment.collect_events()
    return commitment


@pytest.fixture
def missed(crew: Crew, commitment: Commitment) -> Commitment:
    commitment.miss(crew.leader, True, "No calls made", AFTER_DUE)
    commitment.collect_events()
    return commitment


@pytest.fixture
def withdrawn(crew: Crew, commitment: Commitment) -> Commitment:
    commitment.withdraw(crew.owner, "Territory reassigned", LATER)
    commitment.collect_events()
    return commitment


def field_of(error: DomainError) -> str:
    assert error.field is not None
    return error.field


# Making a commitment


def test_a_team_member_makes_a_commitment_witnessed_by_teammates(crew: Crew):
    witnesses = [crew.peer.user_id, crew.other_peer.user_id]

    made = Commitment.make(
        crew.owner, crew.team, "  Call ten prospects ", "  List  ", DUE, witnesses, NOW
    )

    assert made.version == 1
    assert (made.team_id, made.owner_id) == (crew.team.id, crew.owner.user_id)
    assert (made.title, made.description) == ("Call ten prospects", "List")
    assert (made.due_at, made.witness_ids) == (DUE, witnesses)
    assert (made.status, made.is_open) == ("open", True)
    assert (made.progress, made.call_outs, made.renegotiation_count) == ([], [], 0)
    assert (made.evidence, made.closing_reason, made.closed_at) == (None, None, None)
    [created] = made.collect_events()
    assert isinstance(created, Commitment.Created)
    assert (created.actor_id, created.request_id) == (crew.owner.user_id, "owner-req")
    assert (created.team_id, created.owner_id) == (crew.team.id, crew.owner.user_id)
    assert (created.title, created.description) == ("Call ten prospects", "List")
    assert (created.due_at, created.witness_ids) == (DUE, witnesses)


def test_a_leader_can_make_a_commitment_too(crew: Crew):
    made = make(crew, actor=crew.leader, witness_ids=[])

    assert made.owner_id == crew.leader.user_id


@pytest.mark.parametrize("who", ["outsider", "admin"])
def test_only_a_team_member_can_make_a_commitment(crew: Crew, who: str):
    with pytest.raises(PermissionDeniedError):
        make(crew, actor=getattr(crew, who))


def test_a_retried_make_gets_the_same_id_and_a_new_request_a_new_one(crew: Crew):
    first = make(crew)
    retried = make(crew)
    other = make(crew, actor=keyed(crew.owner, "another"))
    unkeyed = [make(crew, actor=keyed(crew.owner, None)) for _ in range(2)]

    assert first.id == retried.id
    assert other.id != first.id
    assert unkeyed[0].id != unkeyed[1].id


def test_a_commitment_is_made_at_the_time_the_command_gives(crew: Crew):
    when = NOW + timedelta(minutes=42)

    made = Commitment.make(crew.owner, crew.team, "Call", None, DUE, [], when)

    [created] = made.collect_events()
    assert created.timestamp == when
    assert made.created_on == made.modified_on == when


def test_two_people_sending_the_same_request_id_make_two_different_commitments(
    crew: Crew,
):
    owner, peer = keyed(crew.owner, "same-key"), keyed(crew.peer, "same-key")

    mine = make(crew, actor=owner, witness_ids=[])
    theirs = make(crew, actor=peer, witness_ids=[])

    assert mine.id != theirs.id
    assert (mine.owner_id, theirs.owner_id) == (owner.user_id, peer.user_id)
    assert make(crew, actor=peer, witness_ids=[]).id == theirs.id


@pytest.mark.parametrize("title", ["", "  \n ", "x" * (TITLE_MAX + 1)])
def test_a_title_that_is_blank_or_too_long_is_refused(crew: Crew, title: str):
    with pytest.raises(InvalidValueError) as caught:
        make(crew, title=title)

    assert caught.value.field == "title"


def test_a_title_of_the_maximum_length_is_accepted(crew: Crew):
    assert make(crew, title="x" * TITLE_MAX).title == "x" * TITLE_MAX


@pytest.mark.parametrize("description", [None, "", "   "])
def test_a_missing_or_blank_description_is_stored_as_none(
    crew: Crew, description: str | None
):
    assert make(crew, description=description).description is None


def test_a_description_that_is_too_long_is_refused(crew: Crew):
    with pytest.raises(InvalidValueError) as caught:
        make(crew, description="x" * (TEXT_MAX + 1))

    assert caught.value.field == "description"


def test_a_due_date_without_a_time_zone_is_refused(crew: Crew):
    with pytest.raises(InvalidValueError) as caught:
        make(crew, due_at=DUE.replace(tzinfo=None))

    assert caught.value.field == "due_at"


@pytest.mark.parametrize("due_at", [NOW, NOW - timedelta(seconds=1)])
def test_a_due_date_that_is_not_in_the_future_is_refused(crew: Crew, due_at: datetime):
    with pytest.raises(FieldRuleError) as caught:
        make(crew, due_at=due_at)

    assert caught.value.field == "due_at"


def test_a_due_date_in_another_time_zone_is_compared_as_an_instant(crew: Crew):
    tokyo = timezone(timedelta(hours=9))
    just_after = (NOW + timedelta(seconds=1)).astimezone(tokyo)

    made = make(crew, due_at=just_after)

    assert made.due_at == just_after
    with pytest.raises(FieldRuleError):
        make(crew, due_at=NOW.astimezone(tokyo))


def test_a_witness_from_outside_the_team_is_refused(crew: Crew):
    with pytest.raises(FieldRuleError) as caught:
        make(crew, witness_ids=[crew.peer.user_id, crew.outsider.user_id])

    assert caught.value.field == "witness_ids"
    assert str(crew.outsider.user_id) in caught.value.message


def test_the_owner_cannot_witness_their_own_commitment(crew: Crew):
    with pytest.raises(FieldRuleError) as caught:
        make(crew, witness_ids=[crew.owner.user_id])

    assert caught.value.field == "witness_ids"


def test_repeated_witnesses_are_collapsed_keeping_their_order(crew: Crew):
    peer, other = crew.peer.user_id, crew.other_peer.user_id

    made = make(crew, witness_ids=[other, peer, other, peer])

    assert made.witness_ids == [other, peer]


def test_a_commitment_can_have_no_witnesses(crew: Crew):
    assert make(crew, witness_ids=[]).witness_ids == []


# Reporting progress


def test_the_owner_reports_progress_dated_by_the_event(crew: Crew, commitment):
    commitment.report_progress(keyed(crew.owner, "p-1"), "  Four calls so far ", LATER)

    [reported] = commitment.collect_events()
    assert isinstance(reported, Commitment.ProgressReported)
    assert (reported.note, reported.actor_id, reported.request_id) == (
        "Four calls so far",
        crew.owner.user_id,
        "p-1",
    )
    assert commitment.progress == [Note("Four calls so far", crew.owner.user_id, LATER)]
    assert reported.timestamp == commitment.modified_on == LATER
    assert commitment.is_open
    assert commitment.version == 2


@pytest.mark.parametrize("who", ["peer", "leader", "admin", "outsider"])
def test_only_the_owner_can_report_progress(crew: Crew, commitment, who: str):
    refuse(
        commitment,
        PermissionDeniedError,
        lambda: commitment.report_progress(getattr(crew, who), "Done some", LATER),
    )


@pytest.mark.parametrize("note", ["", "   ", "x" * (TEXT_MAX + 1)])
def test_a_progress_note_that_is_blank_or_too_long_is_refused(
    crew: Crew, commitment, note: str
):
    error = refuse(
        commitment,
        InvalidValueError,
        lambda: commitment.report_progress(crew.owner, note, LATER),
    )

    assert field_of(error) == "note"


# Renegotiating


def test_the_owner_renegotiates_the_due_date_with_a_reason(crew: Crew, commitment):
    later = DUE + timedelta(days=3)

    commitment.renegotiate(keyed(crew.owner, "rn-1"), later, " Client away ", NOW)

    assert (commitment.due_at, commitment.renegotiation_count) == (later, 1)
    assert commitment.is_open
    [moved] = commitment.collect_events()
    assert isinstance(moved, Commitment.Renegotiated)
    assert (moved.due_at, moved.reason) == (later, "Client away")
    assert (moved.actor_id, moved.request_id) == (crew.owner.user_id, "rn-1")


def test_renegotiating_twice_counts_both_and_can_bring_the_date_forward(
    crew: Crew, commitment
):
    commitment.renegotiate(crew.owner, DUE + timedelta(days=3), "Client away", NOW)
    commitment.renegotiate(crew.owner, DUE - timedelta(days=1), "Client back", NOW)

    assert commitment.due_at == DUE - timedelta(days=1)
    assert commitment.renegotiation_count == 2
    assert [e.reason for e in commitment.collect_events()] == [
        "Client away",
        "Client back",
    ]


@pytest.mark.parametrize("who", ["peer", "leader", "admin"])
def test_only_the_owner_can_renegotiate(crew: Crew, commitment, who: str):
    refuse(
        commitment,
        PermissionDeniedError,
        lambda: commitment.renegotiate(
            getattr(crew, who), DUE + timedelta(days=1), "Because", NOW
        ),
    )


@pytest.mark.parametrize("reason", ["", "   "])
def test_renegotiating_without_a_reason_is_refused(crew: Crew, commitment, reason):
    error = refuse(
        commitment,
        InvalidValueError,
        lambda: commitment.renegotiate(
            crew.owner, DUE + timedelta(days=1), reason, NOW
        ),
    )

    assert field_of(error) == "reason"


@pytest.mark.parametrize(
    ("due_at", "error"),
    [
        (DUE, FieldRuleError),
        (DUE.astimezone(timezone(timedelta(hours=-5))), FieldRuleError),
        (NOW, FieldRuleError),
        (NOW - timedelta(days=1), FieldRuleError),
        ((DUE + timedelta(days=1)).replace(tzinfo=None), InvalidValueError),
    ],
    ids=["same", "same-instant-elsewhere", "now", "past", "naive"],
)
def test_renegotiating_to_a_date_that_is_not_a_new_future_one_is_refused(
    crew: Crew, commitment, due_at: datetime, error: type[DomainError]
):
    refused = refuse(
        commitment,
        error,
        lambda: commitment.renegotiate(crew.owner, due_at, "Because", NOW),
    )

    assert field_of(refused) == "due_at"


# Keeping


def test_the_owner_keeps_a_commitment_with_evidence(crew: Crew, commitment):
    commitment.keep(keyed(crew.owner, "k-1"), " CRM export ", LATER)

    [kept] = commitment.collect_events()
    assert isinstance(kept, Commitment.Kept)
    assert (kept.evidence, kept.actor_id, kept.request_id) == (
        "CRM export",
        crew.owner.user_id,
        "k-1",
    )
    assert (commitment.status, commitment.is_open) == ("kept", False)
    assert commitment.evidence == "CRM export"
    assert commitment.closed_at == kept.timestamp == LATER


@pytest.mark.parametrize("evidence", [None, "", "  "])
def test_keeping_without_evidence_is_accepted(crew: Crew, commitment, evidence):
    commitment.keep(crew.owner, evidence, LATER)

    assert (commitment.status, commitment.evidence) == ("kept", None)


def test_an_overdue_commitment_can_still_be_kept_while_open(crew: Crew, commitment):
    assert commitment.is_overdue(AFTER_DUE)

    commitment.keep(crew.owner, None, LATER)

    assert commitment.status == "kept"
    assert not commitment.is_overdue(AFTER_DUE)


@pytest.mark.parametrize("who", ["peer", "leader", "admin"])
def test_only_the_owner_can_keep(crew: Crew, commitment, who: str):
    refuse(
        commitment,
        PermissionDeniedError,
        lambda: commitment.keep(getattr(crew, who), None, LATER),
    )


# Withdrawing


def test_the_owner_withdraws_with_a_reason(crew: Crew, commitment):
    commitment.withdraw(keyed(crew.owner, "w-1"), " Reassigned ", LATER)

    [withdrawn] = commitment.collect_events()
    assert isinstance(withdrawn, Commitment.Withdrawn)
    assert (withdrawn.reason, withdrawn.actor_id, withdrawn.request_id) == (
        "Reassigned",
        crew.owner.user_id,
        "w-1",
    )
    assert (commitment.status, commitment.closing_reason) == ("withdrawn", "Reassigned")
    assert commitment.closed_at == withdrawn.timestamp == LATER


@pytest.mark.parametrize("who", ["peer", "leader", "admin"])
def test_only_the_owner_can_withdraw(crew: Crew, commitment, who: str):
    refuse(
        commitment,
        PermissionDeniedError,
        lambda: commitment.withdraw(getattr(crew, who), "Not needed", LATER),
    )


def test_withdrawing_without_a_reason_is_refused(crew: Crew, commitment):
    error = refuse(
        commitment,
        InvalidValueError,
        lambda: commitment.withdraw(crew.owner, " ", LATER),
    )

    assert field_of(error) == "reason"


# Marking missed


def test_a_leader_marks_an_overdue_commitment_missed(crew: Crew, commitment):
    commitment.miss(keyed(crew.leader, "m-1"), True, " No calls ", AFTER_DUE)

    [missed] = commitment.collect_events()
    assert isinstance(missed, Commitment.Missed)
    assert (missed.reason, missed.actor_id, missed.request_id) == (
        "No calls",
        crew.leader.user_id,
        "m-1",
    )
    assert (commitment.status, commitment.closing_reason) == ("missed", "No calls")
    assert commitment.closed_at == missed.timestamp == AFTER_DUE
    assert not commitment.is_overdue(AFTER_DUE)


@pytest.mark.parametrize("who", ["owner", "peer", "leader"])
def test_without_the_leader_flag_nobody_can_mark_a_commitment_missed(
    crew: Crew, commitment, who: str
):
    refuse(
        commitment,
        PermissionDeniedError,
        lambda: commitment.miss(getattr(crew, who), False, "Late", AFTER_DUE),
    )


def test_a_rep_cannot_mark_a_commitment_missed_even_when_it_is_closed(crew: Crew, kept):
    refuse(
        kept,
        PermissionDeniedError,
        lambda: kept.miss(crew.peer, False, "Late", AFTER_DUE),
    )


@pytest.mark.parametrize("now", [NOW, DUE - timedelta(seconds=1), DUE])
def test_a_commitment_cannot_be_marked_missed_until_its_due_time_has_passed(
    crew: Crew, commitment, now: datetime
):
    assert not commitment.is_overdue(now)

    refuse(
        commitment,
        NotOverdueError,
        lambda: commitment.miss(crew.leader, True, "Late", now),
    )


def test_the_renegotiated_due_date_is_the_one_that_counts_for_missing(
    crew: Crew, commitment
):
    commitment.renegotiate(crew.owner, DUE + timedelta(days=7), "Client away", NOW)
    commitment.collect_events()

    refuse(
        commitment,
        NotOverdueError,
        lambda: commitment.miss(crew.leader, True, "Late", AFTER_DUE),
    )


def test_marking_missed_without_a_reason_is_refused(crew: Crew, commitment):
    error = refuse(
        commitment,
        InvalidValueError,
        lambda: commitment.miss(crew.leader, True, "", AFTER_DUE),
    )

    assert field_of(error) == "reason"


@pytest.fixture
def leaders_own(crew: Crew) -> Commitment:
    """A commitment the crew's leader made to their own team."""
    return make(crew, actor=crew.leader, witness_ids=[crew.peer.user_id])


@pytest.mark.parametrize("now", [AFTER_DUE, NOW], ids=["overdue", "not-yet-due"])
def test_a_leader_cannot_mark_their_own_commitment_missed(
    crew: Crew, leaders_own: Commitment, now: datetime
):
    error = refuse(
        leaders_own,
        PermissionDeniedError,
        lambda: leaders_own.miss(crew.leader, True, "I slipped", now),
    )

    assert error.message == "You cannot mark your own commitment missed."


def test_an_admin_on_the_team_cannot_mark_their_own_commitment_missed(crew: Crew):
    crew.team.add_member(crew.admin, crew.admin.user_id, "rep", NOW)
    own = make(crew, actor=crew.admin, witness_ids=[])

    refuse(
        own,
        PermissionDeniedError,
        lambda: own.miss(crew.admin, True, "I slipped", AFTER_DUE),
    )


def test_someone_else_with_leader_rights_marks_a_leaders_commitment_missed(
    crew: Crew, leaders_own: Commitment
):
    leaders_own.miss(crew.admin, True, "No calls", AFTER_DUE)

    assert (leaders_own.status, leaders_own.closed_at) == ("missed", AFTER_DUE)


# Closed for good


@pytest.mark.parametrize("closed", ["kept", "missed", "withdrawn"])
@pytest.mark.parametrize(
    "command",
    ["report_progress", "renegotiate", "keep", "withdraw", "miss"],
)
def test_a_closed_commitment_refuses_every_change(
    request: pytest.FixtureRequest, crew: Crew, closed: str, command: str
):
    commitment: Commitment = request.getfixturevalue(closed)
    later = AFTER_DUE + timedelta(days=30)
    commands: dict[str, Callable[[], None]] = {
        "report_progress": lambda: commitment.report_progress(
            crew.owner, "More", LATER
        ),
        "renegotiate": lambda: commitment.renegotiate(
            crew.owner, later, "Another go", AFTER_DUE
        ),
        "keep": lambda: commitment.keep(crew.owner, "Did it after all", LATER),
        "withdraw": lambda: commitment.withdraw(crew.owner, "Never mind", LATER),
        "miss": lambda: commitment.miss(crew.leader, True, "Late", later),
    }

    refuse(commitment, CommitmentClosedError, commands[command])

    assert commitment.status == closed


# Calling out


@pytest.mark.parametrize("state", ["commitment", "missed"])
def test_a_leader_calls_out_an_open_or_missed_commitment(
    request: pytest.FixtureRequest, crew: Crew, state: str
):
    commitment: Commitment = request.getfixturevalue(state)
    status = commitment.status
    when = AFTER_DUE + timedelta(hours=1)

    commitment.call_out(
        keyed(crew.leader, "co-1"), True, " Where are the calls? ", when
    )

    [called] = commitment.collect_events()
    assert isinstance(called, Commitment.CalledOut)
    assert (called.note, called.actor_id, called.request_id) == (
        "Where are the calls?",
        crew.leader.user_id,
        "co-1",
    )
    assert commitment.call_outs == [
        Note("Where are the calls?", crew.leader.user_id, when)
    ]
    assert called.timestamp == when
    assert commitment.status == status


@pytest.mark.parametrize("who", ["owner", "peer"])
def test_only_a_leader_can_call_out(crew: Crew, commitment, who: str):
    refuse(
        commitment,
        PermissionDeniedError,
        lambda: commitment.call_out(getattr(crew, who), False, "Slipping", LATER),
    )


@pytest.mark.parametrize("state", ["kept", "withdrawn"])
def test_a_kept_or_withdrawn_commitment_cannot_be_called_out(
    request: pytest.FixtureRequest, crew: Crew, state: str
):
    commitment: Commitment = request.getfixturevalue(state)

    refuse(
        commitment,
        RuleViolationError,
        lambda: commitment.call_out(crew.leader, True, "Slipping", LATER),
    )


def test_a_call_out_needs_a_note(crew: Crew, commitment):
    error = refuse(
        commitment,
        InvalidValueError,
        lambda: commitment.call_out(crew.leader, True, "   ", LATER),
    )

    assert field_of(error) == "note"


# The whole record


# When each command of ``play_a_full_life`` is sent, in order.
LIFE = [
    NOW,
    NOW + timedelta(hours=1),
    NOW + timedelta(hours=2),
    NOW + timedelta(hours=3),
    NOW + timedelta(hours=4),
    AFTER_DUE + timedelta(days=1),
    AFTER_DUE + timedelta(days=1, hours=1),
]


def play_a_full_life(crew: Crew) -> tuple[Commitment, list[Commitment.Event]]:
    """Make, work on, renegotiate, miss and call out a commitment; keep its events."""
    owner, leader = crew.owner, crew.leader
    commitment = Commitment.make(
        keyed(owner, "o-make"), crew.team, "Close Acme", None, DUE, [], LIFE[0]
    )
    commitment.report_progress(keyed(owner, "o-progress"), "Demo booked", LIFE[1])
    commitment.call_out(keyed(leader, "l-callout-1"), True, "Demo is late", LIFE[2])
    commitment.renegotiate(
        keyed(owner, "o-renegotiate"), DUE + timedelta(days=1), "Demo moved", LIFE[3]
    )
    commitment.report_progress(keyed(owner, None), "Demo done", LIFE[4])
    commitment.miss(keyed(leader, "l-miss"), True, "No signature", LIFE[5])
    commitment.call_out(keyed(leader, "l-callout-2"), True, "Let us talk", LIFE[6])
    return commitment, commitment.collect_events()


def test_every_event_carries_its_actor_and_request(crew: Crew):
    _, events = play_a_full_life(crew)

    assert [(type(e), e.actor_id, e.request_id) for e in events] == [
        (Commitment.Created, crew.owner.user_id, "o-make"),
        (Commitment.ProgressReported, crew.owner.user_id, "o-progress"),
        (Commitment.CalledOut, crew.leader.user_id, "l-callout-1"),
        (Commitment.Renegotiated, crew.owner.user_id, "o-renegotiate"),
        (Commitment.ProgressReported, crew.owner.user_id, None),
        (Commitment.Missed, crew.leader.user_id, "l-miss"),
        (Commitment.CalledOut, crew.leader.user_id, "l-callout-2"),
    ]
    assert [e.originator_version for e in events] == list(range(1, 8))


def test_every_event_is_stamped_with_the_time_its_command_gave(crew: Crew):
    commitment, events = play_a_full_life(crew)

    assert [e.timestamp for e in events] == LIFE
    assert (commitment.created_on, commitment.modified_on) == (LIFE[0], LIFE[6])


def test_notes_and_the_closing_are_dated_with_the_times_their_commands_gave(
    crew: Crew,
):
    commitment, _ = play_a_full_life(crew)

    assert [n.at for n in commitment.progress] == [LIFE[1], LIFE[4]]
    assert [n.at for n in commitment.call_outs] == [LIFE[2], LIFE[6]]
    assert commitment.closed_at == LIFE[5]


def test_replaying_the_events_gives_the_same_commitment(crew: Crew):
    commitment, events = play_a_full_life(crew)
    created, *rest = events

    replayed = created.mutate(None)
    for event in rest:
        replayed = event.mutate(replayed)

    assert replayed == commitment
    assert vars(replayed) == vars(commitment)
    assert replayed.status == "missed"
    assert replayed.due_at == DUE + timedelta(days=1)
    assert (len(replayed.progress), len(replayed.call_outs)) == (2, 2)
    assert replayed.closed_at == LIFE[5]
    assert [n.at for n in replayed.progress] == [LIFE[1], LIFE[4]]
    assert (replayed.created_on, replayed.modified_on) == (LIFE[0], LIFE[6])
