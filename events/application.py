"""The Wolfpack application: every use case of the write side, one method each."""

from __future__ import annotations

from events.account_cases import AccountCases
from events.achievement_cases import AchievementCases
from events.commitment_cases import CommitmentCases
from events.core import Change, utc_now
from events.deal_review_cases import DealReviewCases
from events.endorsement_cases import EndorsementCases
from events.mentorship_cases import MentorshipCases
from events.planning_cases import PlanningCases
from events.preferences_cases import PreferenceCases
from events.recognition_cases import RecognitionCases
from events.review_cases import ReviewCases
from events.team_cases import TeamCases
from events.territory_plan_cases import TerritoryPlanCases

__all__ = ["Change", "Wolfpack", "utc_now"]


class Wolfpack(
    TeamCases,
    CommitmentCases,
    PlanningCases,
    RecognitionCases,
    DealReviewCases,
    AchievementCases,
    MentorshipCases,
    ReviewCases,
    TerritoryPlanCases,
    EndorsementCases,
    PreferenceCases,
    AccountCases,
):
    """Records what a team does as events, deciding every rule before saving."""

    name = "Wolfpack"
