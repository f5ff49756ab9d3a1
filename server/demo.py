"""A believable month of one sales team, loaded by ``flask --app wsgi demo``.

The month runs over the four weeks before today, told as stories (``demo_stories``)
whose steps are taken in time order with the application's clock set to each
moment, so every event carries the time it "happened" and the log is in that order.
The teams open on the first day of last month, so that "last month" has targets
and figures whatever day the demo is loaded on, and "this month" has targets too.
Every command carries a fixed request id, so the write side itself recognises a
second run (or a run after a crash half-way) and records nothing twice; a run on a
later day replays the first run's days, so it records nothing new either.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from events.application import Wolfpack
from events.base import Actor, new_id
from events.charter import Charter, charter_id
from events.team import TEAM_NAMESPACE
from server.accounts import User, create_user, find_user_by_email
from server.admin_records import publish_pending
from server.demo_stories import Story, month_stories, set_up_teams
from server.services import Services

DEMO_PASSWORD = "wolfpack"  # noqa: S105 - printed for people trying the demo
TIMEZONE = "Europe/London"
PEOPLE = (
    ("admin", "Ada Admin", "admin@wolfpack.test"),
    ("leader", "Lena Park", "lena@wolfpack.test"),
    ("rep", "Ravi Shah", "ravi@wolfpack.test"),
    ("rep", "Rosa Diaz", "rosa@wolfpack.test"),
    ("rep", "Sam Okafor", "sam@wolfpack.test"),
    ("rep", "Priya Nair", "priya@wolfpack.test"),
    ("mentor", "Marco Rossi", "marco@wolfpack.test"),
)
DEMO_LOGINS = tuple((role, email, DEMO_PASSWORD) for role, _, email in PEOPLE)


DAYS = 28  # the four weeks told day by day, ending the day before "today"


class DemoMonth:
    """The month's cast and calendar: who acts, and the moment of a day and hour."""

    def __init__(self, app: Wolfpack, people: dict[str, User], start: date) -> None:
        self.app = app
        self.people = people
        self.ids = {key: user.id for key, user in people.items()}
        self.start = start
        self.this_month = (start + timedelta(days=DAYS)).replace(day=1)
        self.last_month = (self.this_month - timedelta(days=1)).replace(day=1)
        self.zone = ZoneInfo(TIMEZONE)
        self.team: UUID  # set by set_up_teams, played first
        self.south: UUID

    def moment(self, day: int, hour: int = 9, minute: int = 0) -> datetime:
        """Return 09:00 (by default) local time, ``day`` days into the four weeks."""
        return self.on(self.start + timedelta(days=day), hour, minute)

    def on(self, day: date, hour: int = 9, minute: int = 0) -> datetime:
        """Return the local time ``hour``:``minute`` on a calendar day."""
        return datetime.combine(day, time(hour, minute), self.zone)

    def by(self, who: str, step: str) -> Actor:
        """Return the person as an actor, with the step's fixed request id."""
        user = self.people[who]
        return Actor(user.id, user.is_admin, f"demo:{step}")


def seed_demo(services: Services) -> bool:
    """Load the demo month; return whether anything new was recorded."""
    app = services.events
    head = app.recorder.max_notification_id() or 0
    with services.sessions() as session:
        admin = find_user_by_email(session, PEOPLE[0][2])
        start = first_day(app, admin)
        # The accounts date from the morning the teams open, before anything else.
        calendar = DemoMonth(app, {}, start)
        opened = calendar.on(calendar.last_month, 7)
        people: dict[str, User] = {}
        created_users = False
        for role, name, email in PEOPLE:
            user = find_user_by_email(session, email)
            if user is None:
                user = create_user(
                    session, email, name, DEMO_PASSWORD, role == "admin", at=opened
                )
                created_users = True
            people[email.split("@")[0]] = user
        publish_pending(session, app)
    demo = DemoMonth(app, people, start)
    play(demo, [set_up_teams(demo)])
    play(demo, month_stories(demo))
    services.projections.catch_up()
    return created_users or (app.recorder.max_notification_id() or 0) > head


def first_day(app: Wolfpack, admin: User | None) -> date:
    """Return the first of the four weeks: 28 days ago, or the first run's.

    The charter is the first thing the four weeks record, so when it exists the
    demo was loaded before and is replayed on the days of that first load.
    """
    if admin is None:  # a first load
        return app.clock().astimezone(ZoneInfo(TIMEZONE)).date() - timedelta(days=DAYS)
    team = new_id(TEAM_NAMESPACE, Actor(admin.id, True, "demo:team"))
    for created in app.events.get(charter_id(team), lte=1):
        assert isinstance(created, Charter.Created)
        return created.timestamp.astimezone(ZoneInfo(TIMEZONE)).date()
    return app.clock().astimezone(ZoneInfo(TIMEZONE)).date() - timedelta(days=DAYS)


def play(demo: DemoMonth, stories: Iterable[Story]) -> None:
    """Take every story's steps in time order, the clock set to each step's moment.

    So the log holds the month in the order it happened: the feed, the receipts
    and a board's position in time travel read as a real month would.
    """
    waiting: list[tuple[datetime, int, Story]] = []

    def resume(order: int, story: Story) -> None:
        moment = next(story, None)  # runs the story's steps up to its next moment
        if moment is not None:
            heapq.heappush(waiting, (moment, order, story))

    for order, story in enumerate(stories):
        resume(order, story)
    real_clock, now = demo.app.clock, None
    try:
        while waiting:
            moment, order, story = heapq.heappop(waiting)
            if now is not None and moment < now:
                raise ValueError(f"Demo story {order} goes back in time to {moment}")
            now = moment
            demo.app.clock = _stopped_at(moment.astimezone(UTC))
            resume(order, story)
    finally:
        demo.app.clock = real_clock


def _stopped_at(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment
