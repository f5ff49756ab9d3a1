"""The team audit log: every event of a team, attributed, in log order, filtered."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from events.commitment import Commitment
from events.history import history_record
from events.mentorship import Mentorship
from events.recognition import Recognition
from projections.audit import team_audit_log
from tests.unit.event_log import NOW, Crew, project, recorded_crew

DUE = NOW + timedelta(days=2)


@pytest.fixture
def crew() -> Crew:
    return recorded_crew()


def audit_of(crew: Crew, team_id: UUID, **filters: Any) -> list[dict[str, Any]]:
    with crew.log.reading() as conn:
        return [dict(row) for row in team_audit_log(conn, team_id, **filters)]


def commitment(crew: Crew, title: str = "Call Globex") -> Commitment:
    return Commitment.make(crew.rep, crew.north, title, None, DUE, [], NOW)


def test_later_events_belong_to_the_team_their_aggregate_was_created_in(crew: Crew):
    promise = commitment(crew)
    made = crew.log.record(promise)
    promise.report_progress(crew.rep, "Drafted", NOW)
    promise.keep(crew.rep, "Sent", NOW)
    later = crew.log.record(promise)

    north = audit_of(crew, crew.north.id)

    mine = [r for r in north if r["aggregate_id"] == promise.id]
    assert [r["position"] for r in mine] == made + later
    assert [r["type"] for r in mine] == [
        "CommitmentMade",
        "CommitmentProgressReported",
        "CommitmentKept",
    ]
    assert all(r["aggregate_id"] != promise.id for r in audit_of(crew, crew.south.id))


def test_a_team_s_own_events_open_its_audit_log(crew: Crew):
    north = audit_of(crew, crew.north.id)

    assert [r["type"] for r in north] == ["TeamCreated"] + ["TeamMemberAdded"] * 3
    assert {r["aggregate_id"] for r in north} == {crew.north.id}
    assert north[1]["data"] == {"user_id": str(crew.leader.user_id), "role": "leader"}


def test_a_row_is_the_event_s_history_record_at_its_log_position(crew: Crew):
    award = Recognition.give(
        crew.leader, crew.north, crew.rep.user_id, "Closer", "Well done", NOW
    )
    event = award.pending_events[0]
    crew.log.skip(5)  # The store's positions have gaps; the log keeps them.
    [position] = crew.log.record(award)

    [row] = audit_of(crew, crew.north.id, event_type="RecognitionGiven")

    record = history_record(event)
    assert row["position"] == position == 12
    assert row["version"] == record["version"] == 1
    assert row["at"] == NOW
    assert row["actor_id"] == crew.leader.user_id
    assert row["data"] == record["data"]


def test_mentorship_events_belong_to_every_team_the_mentee_is_in_then(crew: Crew):
    crew.south.add_member(crew.admin, crew.rep.user_id, "rep", NOW)
    crew.log.record(crew.south)
    pairing = Mentorship.start(
        crew.admin, False, crew.outsider.user_id, crew.peer.user_id, None, 1, NOW
    )
    pairing.log_check_in(crew.outsider, NOW.date(), "Notes", 3, [], NOW)
    crew.log.record(pairing)
    rep_pairing = Mentorship.start(
        crew.admin, False, crew.leader.user_id, crew.rep.user_id, None, 1, NOW
    )
    crew.log.record(rep_pairing)
    crew.south.remove_member(crew.admin, crew.rep.user_id, NOW)
    crew.log.record(crew.south)
    rep_pairing.log_check_in(crew.leader, NOW.date(), "Notes", 4, [], NOW)
    [check_in] = crew.log.record(rep_pairing)

    def mentorship_types(team_id: UUID, mentorship: Mentorship) -> list[str]:
        rows = audit_of(crew, team_id)
        return [r["type"] for r in rows if r["aggregate_id"] == mentorship.id]

    # The peer's mentor is in South, but the peer (the mentee) is only in North.
    assert mentorship_types(crew.north.id, pairing) == [
        "MentorshipStarted",
        "MentorshipCheckInLogged",
    ]
    assert mentorship_types(crew.south.id, pairing) == []
    # The rep was in both teams when mentored, and only in North at the check-in.
    assert mentorship_types(crew.north.id, rep_pairing) == [
        "MentorshipStarted",
        "MentorshipCheckInLogged",
    ]
    assert mentorship_types(crew.south.id, rep_pairing) == ["MentorshipStarted"]
    assert check_in in [r["position"] for r in audit_of(crew, crew.north.id)]


def test_filters_by_actor_type_and_time_window_combine(crew: Crew):
    first = commitment(crew, "First")
    crew.log.record(first)
    peer_promise = Commitment.make(crew.peer, crew.north, "Peer's", None, DUE, [], NOW)
    crew.log.record(peer_promise)
    first.keep(crew.rep, None, NOW + timedelta(hours=1))
    [kept] = crew.log.record(first)
    second = Commitment.make(
        crew.rep, crew.north, "Second", None, DUE, [], NOW + timedelta(hours=2)
    )
    crew.log.record(second)
    north = crew.north.id

    by_rep = audit_of(crew, north, actor_id=crew.rep.user_id)
    made = audit_of(crew, north, event_type="CommitmentMade")
    window = audit_of(
        crew, north, start=NOW + timedelta(hours=1), end=NOW + timedelta(hours=2)
    )
    rep_made_early = audit_of(
        crew,
        north,
        actor_id=crew.rep.user_id,
        event_type="CommitmentMade",
        end=NOW + timedelta(hours=1),
    )

    assert [r["type"] for r in by_rep] == [
        "CommitmentMade",
        "CommitmentKept",
        "CommitmentMade",
    ]
    assert [r["aggregate_id"] for r in made] == [first.id, peer_promise.id, second.id]
    assert [r["position"] for r in window] == [kept]
    assert [r["aggregate_id"] for r in rep_made_early] == [first.id]


def test_pages_follow_the_log_after_a_position(crew: Crew):
    promises = [commitment(crew, f"Call {n}") for n in range(5)]
    positions = crew.log.record(*promises)

    first = audit_of(crew, crew.north.id, event_type="CommitmentMade", limit=2)
    rest = audit_of(
        crew,
        crew.north.id,
        event_type="CommitmentMade",
        after=first[-1]["position"],
        limit=10,
    )

    assert [r["position"] for r in first] == positions[:2]
    assert [r["position"] for r in rest] == positions[2:]


def test_in_one_batch_every_row_is_its_event_s_history_record(crew: Crew):
    # Later events find their aggregate's team within the batch that created it.
    promise = commitment(crew)
    promise.keep(crew.rep, "Sent", NOW)
    award = Recognition.give(
        crew.leader, crew.north, crew.rep.user_id, "Closer", "Well done", NOW
    )
    pairing = Mentorship.start(
        crew.admin, False, crew.leader.user_id, crew.peer.user_id, None, 1, NOW
    )
    pairing.log_check_in(crew.leader, NOW.date(), "Notes", 3, [], NOW)
    events = [e for a in (promise, award, pairing) for e in a.collect_events()]
    start = crew.log.position
    with crew.log.engine.begin() as conn:
        project(conn, crew.log.models, events, start)

    rows = audit_of(crew, crew.north.id, after=start)

    assert [(r["position"], r["aggregate_id"]) for r in rows] == [
        (start + n, e.originator_id) for n, e in enumerate(events, 1)
    ]
    for row, event in zip(rows, events, strict=True):
        record = history_record(event)
        assert row["type"] == record["type"]
        assert row["version"] == record["version"]
        assert row["at"] == event.timestamp
        assert str(row["actor_id"]) == record["actor_id"]
        assert row["data"] == record["data"]
    assert audit_of(crew, crew.south.id, after=start) == []
