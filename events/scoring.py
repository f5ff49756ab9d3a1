"""Scoring rules as versioned data: the catalogue of keys and the team's versions."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import datetime
from importlib import resources
from types import MappingProxyType
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from events.base import Actor, WolfpackEvent, optional_text
from events.errors import InvalidValueError, PermissionDeniedError, RuleViolationError

RULES_NAMESPACE = uuid5(NAMESPACE_URL, "https://wolfpack.example/scoring-rules")
POINTS_LIMIT = 1000


def load_default_rules() -> Mapping[str, int]:
    """Return the default points per rule key, from the TOML file in the repo."""
    text = resources.files("events").joinpath("default_scoring_rules.toml").read_text()
    points = tomllib.loads(text)["points"]
    return MappingProxyType({str(k): int(v) for k, v in points.items()})


DEFAULT_RULES = load_default_rules()
RULE_KEYS = frozenset(DEFAULT_RULES)


def valid_rules(points: Mapping[str, object]) -> dict[str, int]:
    """Return a complete rule set: known keys, whole points within the limits.

    Keys left out keep their default, so a leader can change just one rule.
    """
    unknown = sorted(set(points) - RULE_KEYS)
    if unknown:
        raise InvalidValueError("points", f"Unknown rule keys: {', '.join(unknown)}.")
    complete = dict(DEFAULT_RULES)
    for key, value in points.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValueError("points", f"{key} must be a whole number.")
        if not -POINTS_LIMIT <= value <= POINTS_LIMIT:
            raise InvalidValueError(
                "points", f"{key} must be between -{POINTS_LIMIT} and {POINTS_LIMIT}."
            )
        complete[key] = value
    return complete


def rules_id(team_id: UUID) -> UUID:
    """Return the id of a team's one scoring-rules record."""
    return uuid5(RULES_NAMESPACE, str(team_id))


class ScoringRules(Aggregate):
    """A team's published versions of its scoring rules (version 0: the defaults)."""

    TOPIC = "wolfpack:ScoringRules"

    class Event(WolfpackEvent):
        pass

    class Created(Event, Aggregate.Created):
        TOPIC = "wolfpack:ScoringRulesCreated"
        team_id: UUID

    class Published(Event):
        TOPIC = "wolfpack:ScoringRulesPublished"
        number: int
        points: dict[str, int]
        note: str | None

    @classmethod
    def start(cls, actor: Actor, team_id: UUID, now: datetime) -> ScoringRules:
        """Open the team's rules record (done with its first publication)."""
        return cls._create(
            cls.Created,
            id=rules_id(team_id),
            timestamp=now,
            actor_id=actor.user_id,
            request_id=actor.request_id,
            team_id=team_id,
        )

    @event(Created)
    def __init__(self, actor_id: UUID, request_id: str | None, team_id: UUID) -> None:
        self.team_id = team_id
        self.number = 0
        self.points: dict[str, int] = dict(DEFAULT_RULES)
        self.note: str | None = None
        self.published_at: datetime | None = None
        self.published_by: UUID | None = None

    def publish(
        self,
        actor: Actor,
        as_leader: bool,
        points: Mapping[str, object],
        note: str | None,
        now: datetime,
    ) -> None:
        """Publish a new version of the rules (the team's leader)."""
        if not as_leader:
            raise PermissionDeniedError("Only the team's leader publishes the rules.")
        complete = valid_rules(points)
        if complete == self.points and self.number > 0:
            raise RuleViolationError("Those are already the current rules.")
        self._published(
            actor.user_id,
            actor.request_id,
            self.number + 1,
            complete,
            optional_text("note", note, 2000),
            timestamp=now,
        )

    @event(Published)
    def _published(
        self,
        actor_id: UUID,
        request_id: str | None,
        number: int,
        points: dict[str, int],
        note: str | None,
        timestamp: datetime,
    ) -> None:
        self.number = number
        self.points = dict(points)
        self.note = note
        self.published_at = timestamp
        self.published_by = actor_id
