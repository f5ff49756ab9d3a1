"""A person's own preferences: for now, hiding their name on the team screen."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema

from events.preferences import Preferences
from server.api.commands import changed
from server.api.fields import Flag
from server.auth import current_actor
from server.services import services

PREFIX = "/me"
blp = Blueprint("preferences", __name__, description="My preferences")


class PreferencesSchema(Schema):
    hide_on_team_screen = Flag(
        required=True,
        metadata={"description": "Show me as 'A teammate' on the public team screen."},
    )


def preferences_body(preferences: Preferences) -> dict[str, Any]:
    """Return the preferences as the API shows them."""
    return {"hide_on_team_screen": preferences.hidden_on_team_screen}


@blp.get("/preferences")
@blp.response(200, PreferencesSchema)
def get() -> dict[str, Any]:
    """Return your preferences."""
    return preferences_body(services().events.get_preferences(current_actor()))


@blp.put("/preferences")
@blp.arguments(PreferencesSchema)
@blp.response(200, PreferencesSchema)
def put(data: dict[str, Any]) -> Any:
    """Change your preferences; the team screen follows at once."""
    change = services().events.hide_on_team_screen(
        current_actor(), data["hide_on_team_screen"]
    )
    return changed(change, preferences_body(change.aggregate))
