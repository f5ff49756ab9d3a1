"""The sentence a team-feed item shows, with people's names filled in when read.

The feed is shown on a TV on the sales floor, so a sentence names people and at
most a title, a kind, a skill tag or a period: never notes, reasons or evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

UNKNOWN = "Someone"

# One sentence per feed-worthy event type; only these types enter the feed.
TEMPLATES: Mapping[str, str] = {
    "CommitmentMade": '{actor} committed to "{title}"',
    "CommitmentRenegotiated": '{actor} moved the due date of "{title}"',
    "CommitmentKept": '{actor} kept "{title}"',
    "CommitmentMissed": '{actor} marked {subject}\'s "{title}" as missed',
    "CommitmentWithdrawn": '{actor} withdrew "{title}"',
    "CommitmentCalledOut": '{actor} called out {subject} on "{title}"',
    "AchievementRecorded": "{subject} logged an achievement: {title}",
    "AchievementVerified": "{actor} verified {subject}'s achievement: {title}",
    # Its owner or the leader: the audit log says which, and why.
    "AchievementRetracted": "{subject}'s achievement was taken back: {title}",
    "EndorsementGiven": "{actor} endorsed {subject} for {detail}",
    "RecognitionGiven": '{actor} recognised {subject}: "{title}"',
    "DealReviewRequested": "{actor} asked the team for a deal review",
    "DealReviewFeedbackGiven": "{actor} gave feedback on {subject}'s deal review",
    "TargetAgreed": "{actor} agreed {subject}'s {title} target for {detail}",
    "TargetRevised": "{actor} revised {subject}'s {title} target for {detail}",
    "CharterPublished": "{actor} published version {detail} of the team charter",
    "CharterAcknowledged": "{actor} signed version {detail} of the team charter",
    "ScoringRulesPublished": "{actor} published version {detail} of the scoring rules",
    "TeamMemberAdded": "{subject} joined the team",
}


def person_ids(rows: Iterable[Mapping[Any, Any]]) -> set[UUID]:
    """Return everyone the rows name, to look their names up in one go."""
    return {
        user_id
        for row in rows
        for user_id in (row["actor_id"], row["subject_id"])
        if user_id is not None
    }


def feed_text(row: Mapping[Any, Any], names: Mapping[UUID, str]) -> str:
    """Return the row's sentence, naming people by ``names`` (by user id)."""
    return TEMPLATES[row["type"]].format(
        actor=names.get(row["actor_id"], UNKNOWN),
        subject=names.get(row["subject_id"], UNKNOWN),
        title=row["title"] or "",
        detail=row["detail"] or "",
    )
