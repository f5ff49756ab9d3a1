"""Deal reviews: a rep asks, teammates give feedback once each, then it closes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from events.application import Wolfpack
from events.base import Actor
from events.deal_review import (
    DEAL_MAX,
    NOTE_MAX,
    QUESTION_MAX,
    AlreadyGaveFeedbackError,
    DealReview,
    DealReviewClosedError,
    Feedback,
    feedback_id,
)
from events.errors import (
    DomainError,
    InvalidValueError,
    NotFoundError,
    PermissionDeniedError,
    VersionConflictError,
)
from events.history import history_record
from events.team import Team
from tests.unit.support import Clock, head, in_memory, keyed, person, stored_team

NOW = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)


@dataclass
class Crew:
    """A team with a leader, a requester and two peers; an admin and an outsider."""

    team: Team
    admin: Actor
    leader: Actor
    rep: Actor
    peer: Actor
    other_peer: Actor
    outsider: Actor


@pytest.fixture
def crew() -> Crew:
    admin, leader = person(is_admin=True), person()
    rep, peer, other_peer = person("r"), person("p"), person()
    team = Team.create(admin, "North", "UTC", NOW)
    team.add_member(admin, leader.user_id, "leader", NOW)
    for member in (rep, peer, other_peer):
        team.add_member(admin, member.user_id, "rep", NOW)
    team.collect_events()
    return Crew(team, admin, leader, rep, peer, other_peer, person())


def ask(
    crew: Crew,
    *,
    actor: Actor | None = None,
    deal: str = "Acme renewal",
    question: str = "How do I get past procurement?",
) -> DealReview:
    """Ask for a review (by the rep unless told) and clear its events."""
    review = DealReview.request(actor or crew.rep, crew.team, deal, question, NOW)
    review.collect_events()
    return review


@pytest.fixture
def review(crew: Crew) -> DealReview:
    return ask(crew)


def refuse(
    review: DealReview, error: type[DomainError], command: Callable[[], None]
) -> DomainError:
    """Run a command that must be refused, and check it left no trace."""
    state = deepcopy(vars(review))
    with pytest.raises(error) as caught:
        command()
    assert review.pending_events == []
    assert vars(review) == state
    return caught.value


# Asking


def test_a_team_member_asks_for_a_review_of_a_deal(crew: Crew):
    review = DealReview.request(crew.rep, crew.team, " Acme ", " Pricing? ", NOW)

    assert (review.team_id, review.requested_by) == (crew.team.id, crew.rep.user_id)
    assert (review.deal, review.question) == ("Acme", "Pricing?")
    assert (review.status, review.is_open, review.feedback) == ("open", True, [])
    assert (review.version, review.created_on) == (1, NOW)
    [created] = review.collect_events()
    assert isinstance(created, DealReview.Created)
    assert (created.actor_id, created.request_id) == (crew.rep.user_id, "r")
    assert (created.team_id, created.requested_by) == (crew.team.id, crew.rep.user_id)


def test_the_leader_may_ask_for_a_deal_review_too(crew: Crew):
    assert ask(crew, actor=crew.leader).requested_by == crew.leader.user_id


@pytest.mark.parametrize("who", ["outsider", "admin"])
def test_only_team_members_ask_for_deal_reviews(crew: Crew, who: str):
    with pytest.raises(PermissionDeniedError):
        ask(crew, actor=getattr(crew, who))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("deal", ""),
        ("deal", "  "),
        ("deal", "x" * (DEAL_MAX + 1)),
        ("question", "\n"),
        ("question", "x" * (QUESTION_MAX + 1)),
    ],
)
def test_a_blank_or_too_long_deal_or_question_is_refused(
    crew: Crew, field: str, value: str
):
    with pytest.raises(InvalidValueError) as caught:
        ask(crew, **{field: value})  # type: ignore[arg-type]

    assert caught.value.field == field


def test_a_deal_and_question_of_the_maximum_length_are_accepted(crew: Crew):
    review = ask(crew, deal="d" * DEAL_MAX, question="q" * QUESTION_MAX)

    assert (len(review.deal), len(review.question)) == (DEAL_MAX, QUESTION_MAX)


def test_a_retried_request_gets_the_same_id_and_a_new_one_a_new_id(crew: Crew):
    first, retried = ask(crew), ask(crew)
    other = ask(crew, actor=keyed(crew.rep, "other"))

    assert first.id == retried.id
    assert other.id != first.id


# Feedback


def test_a_teammate_gives_feedback_naming_reviewer_requester_and_team(
    crew: Crew, review: DealReview
):
    review.give_feedback(keyed(crew.peer, "f-1"), crew.team, "  Call the CFO ", LATER)

    [given] = review.collect_events()
    assert isinstance(given, DealReview.FeedbackGiven)
    assert (given.actor_id, given.request_id) == (crew.peer.user_id, "f-1")
    assert (given.team_id, given.requested_by) == (crew.team.id, crew.rep.user_id)
    assert given.note == "Call the CFO"
    assert given.feedback_id == feedback_id(review.id, crew.peer.user_id)
    assert given.timestamp == LATER
    assert review.feedback == [
        Feedback(given.feedback_id, crew.peer.user_id, "Call the CFO", LATER)
    ]
    assert review.has_feedback_from(crew.peer.user_id)
    assert review.version == 2


def test_several_teammates_and_the_leader_each_give_feedback(
    crew: Crew, review: DealReview
):
    for reviewer in (crew.peer, crew.other_peer, crew.leader):
        review.give_feedback(reviewer, crew.team, "Idea", LATER)

    assert [f.from_user_id for f in review.feedback] == [
        crew.peer.user_id,
        crew.other_peer.user_id,
        crew.leader.user_id,
    ]
    assert len({f.id for f in review.feedback}) == 3


def test_the_requester_cannot_review_their_own_deal(crew: Crew, review: DealReview):
    refuse(
        review,
        PermissionDeniedError,
        lambda: review.give_feedback(crew.rep, crew.team, "Looks great", LATER),
    )


@pytest.mark.parametrize("who", ["admin", "outsider"])
def test_people_outside_the_team_cannot_give_feedback(
    crew: Crew, review: DealReview, who: str
):
    refuse(
        review,
        PermissionDeniedError,
        lambda: review.give_feedback(getattr(crew, who), crew.team, "Hi", LATER),
    )


def test_a_reviewer_gives_feedback_only_once(crew: Crew, review: DealReview):
    review.give_feedback(crew.peer, crew.team, "First thought", NOW)
    review.collect_events()

    error = refuse(
        review,
        AlreadyGaveFeedbackError,
        lambda: review.give_feedback(
            keyed(crew.peer, "new"), crew.team, "Second", LATER
        ),
    )

    assert error.code == "already_gave_feedback"


def test_no_feedback_on_a_closed_review(crew: Crew, review: DealReview):
    review.close(crew.rep, False, NOW)
    review.collect_events()

    error = refuse(
        review,
        DealReviewClosedError,
        lambda: review.give_feedback(crew.peer, crew.team, "Too late", LATER),
    )

    assert error.code == "deal_review_closed"


@pytest.mark.parametrize("note", ["", "   ", "x" * (NOTE_MAX + 1)])
def test_a_blank_or_too_long_note_is_refused(crew: Crew, review: DealReview, note: str):
    error = refuse(
        review,
        InvalidValueError,
        lambda: review.give_feedback(crew.peer, crew.team, note, LATER),
    )

    assert isinstance(error, InvalidValueError)
    assert error.field == "note"


def test_a_note_of_the_maximum_length_is_accepted(crew: Crew, review: DealReview):
    review.give_feedback(crew.peer, crew.team, "n" * NOTE_MAX, LATER)

    assert len(review.feedback[0].note) == NOTE_MAX


# Closing


@pytest.mark.parametrize(
    ("who", "as_leader"), [("rep", False), ("leader", True), ("admin", True)]
)
def test_the_requester_leader_or_admin_closes_a_review(
    crew: Crew, review: DealReview, who: str, as_leader: bool
):
    actor = getattr(crew, who)

    review.close(actor, as_leader, LATER)

    [closed] = review.collect_events()
    assert isinstance(closed, DealReview.Closed)
    assert (closed.actor_id, closed.team_id) == (actor.user_id, crew.team.id)
    assert (review.status, review.is_open) == ("closed", False)
    assert (review.closed_by, review.closed_at) == (actor.user_id, LATER)


def test_a_teammate_cannot_close_someone_elses_review(crew: Crew, review: DealReview):
    refuse(review, PermissionDeniedError, lambda: review.close(crew.peer, False, LATER))


def test_a_closed_review_cannot_be_closed_again(crew: Crew, review: DealReview):
    review.close(crew.rep, False, NOW)
    review.collect_events()

    refuse(review, DealReviewClosedError, lambda: review.close(crew.rep, False, LATER))


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

    def ask(self) -> UUID:
        change = self.app.request_deal_review(
            self.rep, self.team_id, "Acme", "Pricing?"
        )
        return change.aggregate.id


@pytest.fixture
def world() -> Iterator[World]:
    clock = Clock(NOW)
    admin, leader, rep, peer = person(is_admin=True), person(), person(), person()
    with in_memory(clock) as app:
        team_id = stored_team(app, admin, leaders=[leader], reps=[rep, peer])
        yield World(app, clock, team_id, admin, leader, rep, peer, person())


def test_a_review_is_asked_answered_and_closed_at_the_clocks_times(world: World):
    asked = world.app.request_deal_review(world.rep, world.team_id, "Acme", "Price?")
    rid = asked.aggregate.id
    world.clock.now = LATER
    answered = world.app.give_deal_feedback(world.peer, rid, "Bundle support")
    closed = world.app.close_deal_review(world.leader, rid)

    stored = world.app.get_deal_review(world.peer, rid)
    assert (stored.status, stored.version, stored.created_on) == ("closed", 3, NOW)
    assert stored.feedback[0].given_at == LATER
    assert asked.position < answered.position < closed.position == world.head()
    records = [history_record(e) for e in world.app.deal_review_history(world.rep, rid)]
    assert [r["type"] for r in records] == [
        "DealReviewRequested",
        "DealReviewFeedbackGiven",
        "DealReviewClosed",
    ]
    assert [r["actor_id"] for r in records] == [
        str(world.rep.user_id),
        str(world.peer.user_id),
        str(world.leader.user_id),
    ]
    assert records[1]["data"]["requested_by"] == str(world.rep.user_id)
    assert records[1]["data"]["team_id"] == str(world.team_id)


def test_a_member_who_left_the_team_no_longer_gives_feedback(world: World):
    rid = world.ask()
    world.app.remove_team_member(world.admin, world.team_id, world.peer.user_id)
    head = world.head()

    with pytest.raises(NotFoundError):
        world.app.give_deal_feedback(world.peer, rid, "Still here?")

    assert world.head() == head


def test_an_outsider_can_neither_see_nor_answer_nor_close_a_review(world: World):
    rid = world.ask()
    head = world.head()

    for command in (
        lambda: world.app.get_deal_review(world.outsider, rid),
        lambda: world.app.deal_review_history(world.outsider, rid),
        lambda: world.app.give_deal_feedback(world.outsider, rid, "Hi"),
        lambda: world.app.close_deal_review(world.outsider, rid),
        lambda: world.app.request_deal_review(world.outsider, world.team_id, "D", "Q"),
    ):
        with pytest.raises(NotFoundError):
            command()
    assert world.head() == head


def test_an_admin_closes_any_review_but_cannot_give_feedback(world: World):
    rid = world.ask()

    with pytest.raises(PermissionDeniedError):
        world.app.give_deal_feedback(world.admin, rid, "From above")
    closed = world.app.close_deal_review(world.admin, rid)

    assert closed.aggregate.closed_by == world.admin.user_id


def test_a_retried_feedback_records_nothing_new_and_is_not_refused(world: World):
    rid = world.ask()
    peer = keyed(world.peer, "fb-1")
    world.app.give_deal_feedback(peer, rid, "Call the CFO")
    head = world.head()

    retried = world.app.give_deal_feedback(peer, rid, "Call the CFO")

    assert retried.aggregate.version == 2
    assert world.head() == head


def test_a_retried_request_returns_the_first_review(world: World):
    rep = keyed(world.rep, "ask-1")
    first = world.app.request_deal_review(rep, world.team_id, "Acme", "Price?")
    head = world.head()

    retried = world.app.request_deal_review(rep, world.team_id, "Other", "Other?")

    assert (retried.aggregate.id, retried.aggregate.deal) == (
        first.aggregate.id,
        "Acme",
    )
    assert world.head() == head


def test_a_stale_expected_version_refuses_feedback(world: World):
    rid = world.ask()
    world.app.give_deal_feedback(world.leader, rid, "One")
    head = world.head()

    with pytest.raises(VersionConflictError):
        world.app.give_deal_feedback(world.peer, rid, "Two", expected_version=1)

    assert world.head() == head
