"""Performance reviews: every rule, on the aggregate and through the use cases."""

from __future__ import annotations

from collections.abc import Iterator
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
from events.review import (
    FEEDBACK_MAX,
    SUMMARY_MAX,
    Review,
    ReviewAcknowledgedError,
    ReviewExistsError,
    ReviewNotSharedError,
    ReviewSharedError,
    review_id,
)
from events.team import Team
from tests.unit.support import head, in_memory, keyed, refuse, stored_team

NOW = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=2)
ADMIN = Actor(uuid4(), is_admin=True)
LEADER = Actor(uuid4())
CO_LEADER = Actor(uuid4())
REP = Actor(uuid4())
PEER = Actor(uuid4())
OUTSIDER = Actor(uuid4())


@pytest.fixture
def team() -> Team:
    team = Team.create(ADMIN, "North", "Europe/London", NOW)
    for leader in (LEADER, CO_LEADER):
        team.add_member(ADMIN, leader.user_id, "leader", NOW)
    for rep in (REP, PEER):
        team.add_member(ADMIN, rep.user_id, "rep", NOW)
    return team


def draft(
    team: Team,
    actor: Actor = LEADER,
    user_id: UUID = REP.user_id,
    period: str = "2030-Q1",
    summary: str = "A strong quarter",
    feedback: str = "Keep qualifying early.",
) -> Review:
    review = Review.draft(actor, team, user_id, period, summary, feedback, NOW)
    review.collect_events()
    return review


@pytest.fixture
def review(team: Team) -> Review:
    return draft(team)


@pytest.fixture
def shared(review: Review) -> Review:
    review.share(LEADER, True, LATER)
    review.collect_events()
    return review


def field_of(error: DomainError) -> str:
    assert error.field is not None
    return error.field


# Drafting


def test_the_leader_drafts_a_review_of_a_member_with_a_natural_id(team: Team):
    review = Review.draft(
        LEADER, team, REP.user_id, "2030-Q1", "  Strong  ", " Be bold ", NOW
    )

    assert review.id == review_id(team.id, REP.user_id, "2030-Q1")
    assert (review.team_id, review.user_id, review.reviewer_id) == (
        team.id,
        REP.user_id,
        LEADER.user_id,
    )
    assert (review.period, review.summary, review.feedback) == (
        "2030-Q1",
        "Strong",
        "Be bold",
    )
    assert (review.status, review.acknowledged_at, review.created_on) == (
        "draft",
        None,
        NOW,
    )
    created = review.collect_events()[0]
    assert type(created).TOPIC == "wolfpack:ReviewDrafted"
    assert created.actor_id == LEADER.user_id


@pytest.mark.parametrize("period", ["2030-03", "2030-Q1", "2030"])
def test_a_review_covers_a_month_a_quarter_or_a_year(team: Team, period: str):
    assert draft(team, period=period).period == period


def test_a_period_names_the_same_review_whatever_whitespace_surrounds_it(
    team: Team,
):
    review = draft(team, period=" 2030\n")
    assert (review.period, review.id) == (
        "2030",
        review_id(team.id, REP.user_id, "2030"),
    )


def test_an_admin_reviews_a_leader(team: Team):
    assert draft(team, actor=ADMIN, user_id=LEADER.user_id).reviewer_id == (
        ADMIN.user_id
    )


@pytest.mark.parametrize("actor", [REP, PEER, OUTSIDER])
def test_only_the_leader_or_an_admin_writes_reviews(team: Team, actor: Actor):
    with pytest.raises(PermissionDeniedError):
        draft(team, actor=actor, user_id=PEER.user_id)


def test_nobody_reviews_themself(team: Team):
    with pytest.raises(PermissionDeniedError):
        draft(team, actor=LEADER, user_id=LEADER.user_id)


def test_permission_is_checked_before_the_values(team: Team):
    with pytest.raises(PermissionDeniedError):
        draft(team, actor=REP, user_id=OUTSIDER.user_id, period="soon", summary="")


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"user_id": OUTSIDER.user_id}, FieldRuleError, "user_id"),
        ({"period": "2030-W10"}, InvalidValueError, "period"),
        ({"period": "2030-13"}, InvalidValueError, "period"),
        ({"period": "all"}, InvalidValueError, "period"),
        ({"summary": "   "}, InvalidValueError, "summary"),
        ({"summary": "x" * (SUMMARY_MAX + 1)}, InvalidValueError, "summary"),
        ({"feedback": ""}, InvalidValueError, "feedback"),
        ({"feedback": "x" * (FEEDBACK_MAX + 1)}, InvalidValueError, "feedback"),
    ],
)
def test_bad_values_of_a_new_review_are_named(
    team: Team, changes: dict, error: type[DomainError], field: str
):
    with pytest.raises(error) as refused:
        draft(team, **changes)
    assert refused.value.field == field


# Revising


def test_the_reviewer_revises_a_draft_with_a_reason(review: Review):
    review.revise(LEADER, True, None, " Sharper feedback ", " Too vague ", LATER)

    assert (review.summary, review.feedback) == ("A strong quarter", "Sharper feedback")
    assert review.revision_count == 1
    revised = review.collect_events()[0]
    assert (revised.reason, revised.actor_id, revised.timestamp) == (
        "Too vague",
        LEADER.user_id,
        LATER,
    )


def test_another_leader_revises_the_summary(review: Review):
    review.revise(CO_LEADER, True, "Record quarter", None, "Numbers in", LATER)
    assert (review.summary, review.feedback) == (
        "Record quarter",
        "Keep qualifying early.",
    )


def test_a_reviewer_who_no_longer_leads_may_still_revise_their_draft(review: Review):
    review.revise(LEADER, False, "New summary", None, "Numbers in", LATER)
    assert review.summary == "New summary"


def test_a_member_who_did_not_write_it_cannot_revise(review: Review):
    refuse(
        review,
        PermissionDeniedError,
        lambda: review.revise(PEER, False, "Mine", None, "Why not", LATER),
    )


def test_a_shared_review_cannot_be_revised(shared: Review):
    refuse(
        shared,
        ReviewSharedError,
        lambda: shared.revise(LEADER, True, "Late edit", None, "Oops", LATER),
    )


@pytest.mark.parametrize(
    ("summary", "feedback", "reason", "error", "field"),
    [
        (None, None, "Why", FieldRuleError, "summary"),
        ("A strong quarter", None, "Why", FieldRuleError, "summary"),
        (None, "Keep qualifying early.", "Why", FieldRuleError, "feedback"),
        ("  ", None, "Why", InvalidValueError, "summary"),
        (None, "x" * (FEEDBACK_MAX + 1), "Why", InvalidValueError, "feedback"),
        ("Other", None, "  ", InvalidValueError, "reason"),
    ],
)
def test_a_revision_must_change_something_and_say_why(
    review: Review, summary, feedback, reason, error, field
):
    refused = refuse(
        review,
        error,
        lambda: review.revise(LEADER, True, summary, feedback, reason, LATER),
    )
    assert field_of(refused) == field


# Sharing and acknowledging


def test_the_leader_shares_a_draft(review: Review):
    review.share(CO_LEADER, True, LATER)

    assert (review.status, review.shared_at) == ("shared", LATER)
    assert review.collect_events()[0].actor_id == CO_LEADER.user_id


def test_only_a_leader_shares_and_only_once(review: Review, shared: Review):
    refuse(review, PermissionDeniedError, lambda: review.share(LEADER, False, LATER))
    refuse(shared, ReviewSharedError, lambda: shared.share(LEADER, True, LATER))


def test_the_reviewed_member_acknowledges_a_shared_review_once(shared: Review):
    shared.acknowledge(REP, "  Thanks, agreed. ", LATER)

    assert (shared.acknowledged_at, shared.acknowledgement) == (
        LATER,
        "Thanks, agreed.",
    )
    refuse(
        shared,
        ReviewAcknowledgedError,
        lambda: shared.acknowledge(REP, None, LATER),
    )


def test_only_the_reviewed_member_acknowledges(shared: Review):
    for actor in (LEADER, PEER, ADMIN):
        refuse(
            shared,
            PermissionDeniedError,
            lambda a=actor: shared.acknowledge(a, None, LATER),
        )


def test_a_draft_cannot_be_acknowledged(review: Review):
    refuse(review, ReviewNotSharedError, lambda: review.acknowledge(REP, None, LATER))


def test_an_overlong_comment_is_refused(shared: Review):
    error = refuse(
        shared,
        InvalidValueError,
        lambda: shared.acknowledge(REP, "x" * 4001, LATER),
    )
    assert field_of(error) == "comment"


# Visibility


def test_the_reviewed_member_sees_the_review_only_once_shared(
    team: Team, review: Review
):
    assert not review.visible_to(REP, team)
    review.share(LEADER, True, LATER)
    assert review.visible_to(REP, team)


@pytest.mark.parametrize(
    ("actor", "visible"),
    [
        (ADMIN, True),
        (LEADER, True),
        (CO_LEADER, True),
        (PEER, False),
        (OUTSIDER, False),
    ],
)
def test_leaders_and_admins_see_every_review_and_teammates_none(
    team: Team, shared: Review, actor: Actor, visible: bool
):
    assert shared.visible_to(actor, team) is visible


def test_a_leader_reviewed_by_an_admin_does_not_see_the_draft(team: Team):
    review = draft(team, actor=ADMIN, user_id=LEADER.user_id)
    assert not review.visible_to(LEADER, team)
    assert review.visible_to(CO_LEADER, team)


def test_a_reviewer_sees_their_review_while_still_a_member(team: Team):
    review = draft(team)
    team.change_role(ADMIN, LEADER.user_id, "rep", NOW)
    assert review.visible_to(LEADER, team)
    team.remove_member(ADMIN, LEADER.user_id, NOW)
    assert not review.visible_to(LEADER, team)


# Use cases


@pytest.fixture
def app() -> Iterator[Wolfpack]:
    with in_memory(lambda: NOW) as application:
        yield application


@pytest.fixture
def team_id(app: Wolfpack) -> UUID:
    return stored_team(app, ADMIN, leaders=[LEADER], reps=[REP, PEER])


def write(app: Wolfpack, team_id: UUID, actor: Actor = LEADER, **changes) -> UUID:
    arguments = {
        "user_id": REP.user_id,
        "period": "2030-Q1",
        "summary": "Strong",
        "feedback": "Keep going",
        **changes,
    }
    return app.write_review(actor, team_id, **arguments).aggregate.id


def test_a_review_is_written_revised_shared_and_acknowledged(
    app: Wolfpack, team_id: UUID
):
    rid = write(app, team_id)

    app.revise_review(LEADER, rid, "Stronger", None, "Late deal landed")
    app.share_review(LEADER, rid)
    done = app.acknowledge_review(REP, rid, "Thanks")

    assert done.aggregate.version == 4
    assert done.position == head(app)
    stored = app.get_review(REP, rid)
    assert (stored.summary, stored.status, stored.acknowledgement) == (
        "Stronger",
        "shared",
        "Thanks",
    )
    assert [type(e).TOPIC for e in app.review_history(LEADER, rid)] == [
        "wolfpack:ReviewDrafted",
        "wolfpack:ReviewRevised",
        "wolfpack:ReviewShared",
        "wolfpack:ReviewAcknowledged",
    ]


def test_a_second_review_for_the_same_member_and_period_is_refused(
    app: Wolfpack, team_id: UUID
):
    write(app, team_id)
    before = head(app)

    with pytest.raises(ReviewExistsError):
        write(app, team_id, actor=ADMIN, summary="Another view")
    with pytest.raises(ReviewExistsError):
        write(app, team_id, period="2030-Q1\n")
    assert head(app) == before
    assert write(app, team_id, period="2030-Q2") != write(app, team_id, period="2030")


def test_a_retried_review_returns_the_first_and_records_nothing(
    app: Wolfpack, team_id: UUID
):
    first = app.write_review(
        keyed(LEADER, "k1"), team_id, REP.user_id, "2030-03", "S", "F"
    )
    before = head(app)

    again = app.write_review(
        keyed(LEADER, "k1"), team_id, REP.user_id, "2030-03", "S", "F"
    )

    assert again.aggregate.id == first.aggregate.id
    assert head(app) == before
    with pytest.raises(ReviewExistsError):
        app.write_review(keyed(LEADER, "k2"), team_id, REP.user_id, "2030-03", "S", "F")


def test_who_may_see_a_review_through_the_application(app: Wolfpack, team_id: UUID):
    rid = write(app, team_id)

    for actor in (REP, PEER, OUTSIDER):
        with pytest.raises(NotFoundError):
            app.get_review(actor, rid)
        with pytest.raises(NotFoundError):
            app.review_history(actor, rid)
    assert app.get_review(ADMIN, rid).id == rid
    app.share_review(ADMIN, rid)
    assert app.get_review(REP, rid).status == "shared"
    with pytest.raises(NotFoundError):
        app.get_review(PEER, rid)


def test_hidden_reviews_refuse_commands_as_not_found(app: Wolfpack, team_id: UUID):
    rid = write(app, team_id)
    before = head(app)

    for command in (
        lambda: app.acknowledge_review(REP, rid, None),
        lambda: app.share_review(PEER, rid),
        lambda: app.revise_review(OUTSIDER, rid, "x", None, "y"),
        lambda: app.get_review(ADMIN, team_id),
    ):
        with pytest.raises(NotFoundError):
            command()
    assert head(app) == before


def test_an_outsider_cannot_write_a_review_in_a_team(app: Wolfpack, team_id: UUID):
    with pytest.raises(NotFoundError):
        write(app, team_id, actor=OUTSIDER)


def test_a_stale_expected_version_is_refused(app: Wolfpack, team_id: UUID):
    rid = write(app, team_id)
    with pytest.raises(VersionConflictError):
        app.share_review(LEADER, rid, expected_version=2)
    assert app.share_review(LEADER, rid, expected_version=1).aggregate.version == 2
