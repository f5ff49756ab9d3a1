"""A person's own preferences: hiding their name on the team screen."""

from __future__ import annotations

from datetime import UTC, datetime

from events.preferences import Preferences, preferences_id
from tests.unit.support import Clock, in_memory, person

NOW = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


def test_everyone_starts_visible_and_a_repeat_records_nothing():
    me = person()
    preferences = Preferences.start(me, NOW)
    preferences.set_hidden_on_team_screen(me, False, NOW)
    preferences.set_hidden_on_team_screen(me, True, NOW)
    preferences.set_hidden_on_team_screen(me, True, NOW)
    assert preferences.id == preferences_id(me.user_id)
    assert [type(e).__name__ for e in preferences.collect_events()] == [
        "Created",
        "TeamScreenVisibilityChanged",
    ]


def test_each_person_changes_only_their_own_preferences():
    me, other = person(), person()
    with in_memory(Clock(NOW)) as app:
        app.hide_on_team_screen(me, True)
        app.hide_on_team_screen(me, False)
        assert app.get_preferences(me).hidden_on_team_screen is False
        assert app.get_preferences(other).hidden_on_team_screen is False
        app.hide_on_team_screen(other, True)
        assert app.get_preferences(me).hidden_on_team_screen is False
