"""How event fields the library does not know are written to the store."""

from __future__ import annotations

from datetime import date

from eventsourcing.persistence import Transcoding


class DateAsISO(Transcoding):
    """Store a calendar date as ``YYYY-MM-DD``."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        """Write the date as an ISO string."""
        return obj.isoformat()

    def decode(self, data: str) -> date:
        """Read the date back from its ISO string."""
        return date.fromisoformat(data)
