"""Use cases of a person's own preferences."""

from __future__ import annotations

from eventsourcing.persistence import IntegrityError

from events.base import Actor
from events.core import Change, Core
from events.preferences import Preferences, preferences_id


class PreferenceCases(Core):
    """Each person sets their own preferences; nobody else can."""

    def get_preferences(self, actor: Actor) -> Preferences:
        """Return the actor's preferences (the defaults when never set)."""
        found = self._find(Preferences, preferences_id(actor.user_id))
        return found or Preferences.start(actor, self.clock())

    def hide_on_team_screen(self, actor: Actor, hidden: bool) -> Change[Preferences]:
        """Hide (or show again) the actor's name on the public team screen."""
        record_id = preferences_id(actor.user_id)
        if self._find(Preferences, record_id) is None:
            preferences = Preferences.start(actor, self.clock())
            preferences.set_hidden_on_team_screen(actor, hidden, self.clock())
            try:
                return self._saved(preferences)
            except IntegrityError:
                pass  # Saved from another tab meanwhile: change that one.
        return self._change(
            actor,
            Preferences,
            record_id,
            lambda _: None,
            lambda p, _: p.set_hidden_on_team_screen(actor, hidden, self.clock()),
            None,
        )
