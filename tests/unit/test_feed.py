"""The team feed: a short sentence per feed-worthy event, names filled in when read."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.domain import Aggregate

from events.achievement import Achievement
from events.charter import Charter
from events.commitment import Commitment
from events.deal_review import DealReview
from events.endorsement import DEFAULT_LIMITS, EndorsementLedger
from events.mentorship import Mentorship
from events.recognition import Recognition
from events.review import Review
from events.scoring import ScoringRules
from events.target import Target
from projections.batch import Batch, RowCache
from projections.feed import subjects, team_feed
from projections.feed_text import feed_text, person_ids
from tests.unit.event_log import NOW, Crew, project, recorded_crew

DUE = NOW + timedelta(days=2)
SECRET = "PRIVATE-WORDS"


@pytest.fixture
def crew() -> Crew:
    return recorded_crew()


def names(crew: Crew) -> dict[UUID, str]:
    return {
        crew.admin.user_id: "Ada",
        crew.leader.user_id: "Lena",
        crew.rep.user_id: "Ravi",
        crew.peer.user_id: "Pia",
    }


def feed_of(crew: Crew, team_id: UUID, **paging: Any) -> list[dict[str, Any]]:
    with crew.log.reading() as conn:
        return [dict(row) for row in team_feed(conn, team_id, **paging)]


def texts(crew: Crew, team_id: UUID) -> list[str]:
    """The team's feed sentences, oldest first."""
    rows = feed_of(crew, team_id, limit=200)
    return [feed_text(row, names(crew)) for row in reversed(rows)]


def record_a_busy_week(crew: Crew) -> None:
    """Record one of each feed-worthy event in North, with private words in each."""
    log, north, leader, rep, peer = (
        crew.log,
        crew.north,
        crew.leader,
        crew.rep,
        crew.peer,
    )
    kept = Commitment.make(rep, north, "Call Globex", SECRET, DUE, [], NOW)
    kept.renegotiate(rep, DUE + timedelta(days=1), SECRET, NOW)
    kept.report_progress(rep, SECRET, NOW)
    kept.call_out(leader, True, SECRET, NOW)
    kept.keep(rep, SECRET, NOW)
    missed = Commitment.make(rep, north, "Send the quote", None, DUE, [], NOW)
    missed.miss(leader, True, SECRET, DUE + timedelta(hours=1))
    withdrawn = Commitment.make(peer, north, "Visit Initech", None, DUE, [], NOW)
    withdrawn.withdraw(peer, SECRET, NOW)
    won = Achievement.record(
        rep, north, "deal_won", Decimal(900), "EUR", SECRET, None, SECRET, NOW
    )
    won.verify(leader, True, NOW)
    dropped = Achievement.record(
        rep, north, "training_completed", None, None, SECRET, None, None, NOW
    )
    dropped.retract(rep, False, SECRET, NOW)
    ledger = EndorsementLedger.open(peer, north, NOW)
    ledger.give(peer, north, DEFAULT_LIMITS, uuid4(), rep.user_id, "demos", SECRET, NOW)
    award = Recognition.give(leader, north, rep.user_id, "Closer", SECRET, NOW)
    review = DealReview.request(rep, north, SECRET, SECRET, NOW)
    review.give_feedback(peer, north, SECRET, NOW)
    target = Target.propose(rep, north, "deals_won", "2030-03", Decimal(4), NOW)
    target.agree(leader, True, NOW)
    target.revise(leader, True, Decimal(5), SECRET, NOW)
    charter = Charter.start(leader, north.id, NOW)
    charter.publish(leader, True, SECRET, NOW)
    charter.acknowledge(peer, True, 1, NOW)
    rules = ScoringRules.start(leader, north.id, NOW)
    rules.publish(leader, True, {"commitment_kept": 20}, SECRET, NOW)
    log.record(
        kept, missed, withdrawn, won, dropped, ledger, award, review, target, charter
    )
    log.record(rules)


BUSY_WEEK = [
    "Lena joined the team",
    "Ravi joined the team",
    "Pia joined the team",
    'Ravi committed to "Call Globex"',
    'Ravi moved the due date of "Call Globex"',
    'Lena called out Ravi on "Call Globex"',
    'Ravi kept "Call Globex"',
    'Ravi committed to "Send the quote"',
    'Lena marked Ravi\'s "Send the quote" as missed',
    'Pia committed to "Visit Initech"',
    'Pia withdrew "Visit Initech"',
    "Ravi logged an achievement: deal won",
    "Lena verified Ravi's achievement: deal won",
    "Ravi logged an achievement: training completed",
    "Ravi's achievement was taken back: training completed",
    "Pia endorsed Ravi for demos",
    'Lena recognised Ravi: "Closer"',
    "Ravi asked the team for a deal review",
    "Pia gave feedback on Ravi's deal review",
    "Lena agreed Ravi's deals won target for 2030-03",
    "Lena revised Ravi's deals won target for 2030-03",
    "Lena published version 1 of the team charter",
    "Pia signed version 1 of the team charter",
    "Lena published version 1 of the scoring rules",
]


def test_each_feed_worthy_event_reads_as_a_sentence_naming_people(crew: Crew):
    record_a_busy_week(crew)

    assert texts(crew, crew.north.id) == BUSY_WEEK


def test_notes_reasons_and_evidence_never_reach_the_feed(crew: Crew):
    record_a_busy_week(crew)

    rows = feed_of(crew, crew.north.id, limit=200)

    assert rows
    assert not [value for row in rows for value in row.values() if SECRET in str(value)]


def test_private_and_unsettled_events_stay_out_of_the_feed(crew: Crew):
    log, north, leader, rep = crew.log, crew.north, crew.leader, crew.rep
    pairing = Mentorship.start(
        crew.admin, False, leader.user_id, rep.user_id, None, 1, NOW
    )
    pairing.log_check_in(leader, NOW.date(), "Notes", 3, [], NOW)
    proposal = Target.propose(rep, north, "revenue", "2030-03", Decimal(10), NOW)
    review = Review.draft(leader, north, rep.user_id, "2030-Q1", "S", "F", NOW)
    before = feed_of(crew, north.id)

    log.record(pairing, proposal, review)

    assert feed_of(crew, north.id) == before


def test_an_item_names_its_actor_subject_and_log_position(crew: Crew):
    promise = Commitment.make(crew.rep, crew.north, "Call Globex", None, DUE, [], NOW)
    crew.log.record(promise)
    promise.call_out(crew.leader, True, "Slipping", NOW + timedelta(hours=1))
    crew.log.skip(3)
    [position] = crew.log.record(promise)

    newest = feed_of(crew, crew.north.id)[0]

    assert newest == {
        "team_id": crew.north.id,
        "position": position,
        "type": "CommitmentCalledOut",
        "actor_id": crew.leader.user_id,
        "subject_id": crew.rep.user_id,
        "title": "Call Globex",
        "detail": None,
        "at": NOW + timedelta(hours=1),
    }
    assert person_ids([newest]) == {crew.leader.user_id, crew.rep.user_id}


def test_items_stay_in_their_own_team_s_feed(crew: Crew):
    elsewhere = Commitment.make(
        crew.outsider, crew.south, "South's", None, DUE, [], NOW
    )
    crew.log.record(elsewhere)

    north = feed_of(crew, crew.north.id)
    south = feed_of(crew, crew.south.id)

    assert [r["type"] for r in south] == ["CommitmentMade", "TeamMemberAdded"]
    assert all(r["actor_id"] != crew.outsider.user_id for r in north)


def test_pages_go_back_in_time_before_a_position(crew: Crew):
    promises = [
        Commitment.make(crew.rep, crew.north, f"Call {n}", None, DUE, [], NOW)
        for n in range(5)
    ]
    newest_first = crew.log.record(*promises)[::-1]

    first = feed_of(crew, crew.north.id, limit=2)
    second = feed_of(crew, crew.north.id, before=first[-1]["position"], limit=2)

    assert [r["position"] for r in first] == newest_first[:2]
    assert [r["position"] for r in second] == newest_first[2:4]


def test_someone_stands_in_for_a_person_whose_name_is_unknown(crew: Crew):
    award = Recognition.give(crew.leader, crew.north, crew.rep.user_id, "Ace", "M", NOW)
    crew.log.record(award)

    [row] = feed_of(crew, crew.north.id, limit=1)

    assert (
        feed_text(row, {crew.rep.user_id: "Ravi"}) == 'Someone recognised Ravi: "Ace"'
    )


def test_a_week_in_one_batch_reads_the_same_as_event_by_event(
    crew: Crew, monkeypatch: pytest.MonkeyPatch
):
    # A creation's words are read back (by key) within the batch that wrote them.
    monkeypatch.setattr(crew.log, "record", lambda *a: in_one_batch(crew, a))

    record_a_busy_week(crew)

    assert texts(crew, crew.north.id) == BUSY_WEEK


def test_a_creation_s_words_are_recalled_from_the_cache_in_a_later_batch(crew: Crew):
    promise = Commitment.make(crew.rep, crew.north, "Call Globex", None, DUE, [], NOW)
    cache = RowCache()
    in_a_cached_batch(crew, cache, promise)
    cached = cache.known(subjects)[(promise.id,)]
    assert cached is not None
    assert cached["title"] == "Call Globex"
    promise.keep(crew.rep, SECRET, NOW)
    in_a_cached_batch(crew, cache, promise)

    assert texts(crew, crew.north.id)[-2:] == [
        'Ravi committed to "Call Globex"',
        'Ravi kept "Call Globex"',
    ]


def in_one_batch(crew: Crew, aggregates: tuple[Aggregate, ...]) -> list[int]:
    """Apply the aggregates' new events in a single batch, as a rebuild does."""
    events = [event for a in aggregates for event in a.collect_events()]
    first = crew.log.position + 1
    with crew.log.engine.begin() as conn:
        crew.log.position = project(conn, crew.log.models, events, crew.log.position)
    return list(range(first, crew.log.position + 1))


def in_a_cached_batch(crew: Crew, cache: RowCache, aggregate: Aggregate) -> None:
    """Apply the aggregate's new events as the runner does, caching rows."""
    with crew.log.engine.begin() as conn:
        batch = Batch(conn, cache)
        for event in aggregate.collect_events():
            crew.log.position += 1
            batch.position = crew.log.position
            for model in crew.log.models:
                model.apply(batch, event)
        batch.flush()
    batch.keep(crew.log.position)
