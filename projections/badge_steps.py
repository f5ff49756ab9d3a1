"""Which counters each event moves, for whom, in which team.

Steps are judged on what the badges model knew before the event (see
``badge_sources``), so verifying an achievement counts it once and retracting
only takes back what was counted. Source ids are given as text, as the counters
keep them.
"""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import ZoneInfo

from events.achievement import MONEY_KINDS, Achievement
from events.charter import Charter
from events.commitment import Commitment
from events.deal_review import DealReview
from events.endorsement import EndorsementLedger
from events.mentorship import Mentorship
from events.recognition import Recognition
from events.target import Target
from projections.badge_rules import Op, Step
from projections.badge_sources import sources, teams_of, time_zone
from projections.batch import Batch

_COUNTED = (
    Commitment.Kept,
    Commitment.Missed,
    Achievement.Verified,
    Achievement.Retracted,
    EndorsementLedger.Given,
    DealReview.FeedbackGiven,
    Mentorship.CheckInAcknowledged,
    Charter.Acknowledged,
    Recognition.Created,
    Recognition.Withdrawn,
    Target.Agreed,
    Target.Revised,
)


def steps(batch: Batch, event: object) -> list[Step]:
    """Return the counter changes the event makes."""
    if not isinstance(event, _COUNTED):
        return []
    if isinstance(event, Commitment.Kept | Commitment.Missed):
        return _commitment_steps(batch, event)
    if isinstance(event, Achievement.Verified | Achievement.Retracted):
        return _achievement_steps(batch, event)
    if isinstance(event, EndorsementLedger.Given):
        team_id, endorsement = event.team_id, str(event.endorsement_id)
        return [
            Step(
                team_id, event.to_user_id, "endorsements_received", "add", endorsement
            ),
            Step(team_id, event.from_user_id, "endorsements_given", "add", endorsement),
        ]
    if isinstance(event, DealReview.FeedbackGiven):
        counter = "deal_review_feedback"
        feedback = str(event.feedback_id)
        return [Step(event.team_id, event.actor_id, counter, "add", feedback)]
    if isinstance(event, Mentorship.CheckInAcknowledged):
        # Mentorships cross teams: the mentee earns in every team they are in.
        counter, check_in = "check_ins_acknowledged", str(event.check_in_id)
        return [
            Step(team_id, event.actor_id, counter, "add", check_in)
            for team_id in teams_of(batch, event.actor_id)
        ]
    if isinstance(event, Charter.Acknowledged):
        team_id = batch.require(sources, event.originator_id)["team_id"]
        counter, charter = "charter_acknowledgements", str(event.originator_id)
        return [Step(team_id, event.actor_id, counter, "add", charter)]
    if isinstance(event, Recognition.Created | Recognition.Withdrawn):
        op: Op = "add" if isinstance(event, Recognition.Created) else "remove"
        counter, award = "recognitions_received", str(event.originator_id)
        return [Step(event.team_id, event.to_user_id, counter, op, award)]
    if isinstance(event, Target.Agreed | Target.Revised):
        target = batch.require(sources, event.originator_id)
        if target["counted"]:  # a revision of an agreed target agrees nothing new
            return []
        who = target["team_id"], target["user_id"]
        return [Step(*who, "targets_agreed", "add", str(event.originator_id))]
    return []


def _commitment_steps(
    batch: Batch, event: Commitment.Kept | Commitment.Missed
) -> list[Step]:
    commitment = batch.require(sources, event.originator_id)
    who = commitment["team_id"], commitment["user_id"]
    if isinstance(event, Commitment.Missed):
        return [Step(*who, "kept_streak", "break")]
    day = event.timestamp.astimezone(ZoneInfo(time_zone(batch, who[0]))).date()
    subject = str(event.originator_id)
    return [
        Step(*who, "commitments_kept", "add", subject),
        Step(*who, "kept_streak", "add", subject),
        Step(*who, "kept_days", "day", subject, day=day),
    ]


def _achievement_steps(
    batch: Batch, event: Achievement.Verified | Achievement.Retracted
) -> list[Step]:
    """Count a verified deal and its amount; a retraction takes them back."""
    achievement = batch.require(sources, event.originator_id)
    verifying = isinstance(event, Achievement.Verified)
    if achievement["counted"] == verifying:  # retracting what never counted
        return []
    who = achievement["team_id"], achievement["user_id"]
    op: Op = "add" if verifying else "remove"
    moved = []
    subject = str(event.originator_id)
    if achievement["kind"] == "deal_won":
        moved.append(Step(*who, "deals_won", op, subject))
    if achievement["kind"] in MONEY_KINDS:
        amount = Decimal(achievement["amount"])
        moved.append(Step(*who, "revenue", op, subject, amount))
    return moved
