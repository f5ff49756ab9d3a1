"""The Wolfpack application: every use case of the write side, one method each."""

from __future__ import annotations

from events.commitment_cases import CommitmentCases
from events.core import Change, utc_now
from events.team_cases import TeamCases

__all__ = ["Change", "Wolfpack", "utc_now"]


class Wolfpack(TeamCases, CommitmentCases):
    """Records what a team does as events, deciding every rule before saving."""

    name = "Wolfpack"
