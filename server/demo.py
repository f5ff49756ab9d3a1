"""A small, believable demo team, loaded by ``flask --app wsgi demo``.

Every command carries a fixed request id, so the write side itself recognises a
second run (or a run after a crash half-way) and records nothing twice.
"""

from __future__ import annotations

from datetime import timedelta

from events.base import Actor
from server.accounts import User, create_user, find_user_by_email
from server.services import Services

DEMO_PASSWORD = "wolfpack"  # noqa: S105 - printed for people trying the demo
PEOPLE = (
    ("admin", "Ada Admin", "admin@wolfpack.test"),
    ("leader", "Lena Park", "lena@wolfpack.test"),
    ("rep", "Ravi Shah", "ravi@wolfpack.test"),
    ("rep", "Rosa Diaz", "rosa@wolfpack.test"),
    ("rep", "Sam Okafor", "sam@wolfpack.test"),
)
DEMO_LOGINS = tuple((role, email, DEMO_PASSWORD) for role, _, email in PEOPLE)


def seed_demo(services: Services) -> bool:
    """Load the demo data; return whether anything new was recorded."""
    app = services.events
    head = app.recorder.max_notification_id() or 0
    with services.sessions() as session:
        people: dict[str, User] = {}
        created_users = False
        for role, name, email in PEOPLE:
            user = find_user_by_email(session, email)
            if user is None:
                user = create_user(session, email, name, DEMO_PASSWORD, role == "admin")
                created_users = True
            people[email.split("@")[0]] = user

    def actor(who: str, step: str) -> Actor:
        user = people[who]
        return Actor(user.id, user.is_admin, f"demo:{step}")

    team = app.create_team(actor("admin", "team"), "Enterprise North", "Europe/London")
    team_id = team.aggregate.id
    for who in ("lena", "ravi", "rosa", "sam"):
        role = "leader" if who == "lena" else "rep"
        app.add_team_member(
            actor("admin", f"member:{who}"), team_id, people[who].id, role
        )

    now = app.clock()
    ravi, rosa, sam = (people[w].id for w in ("ravi", "rosa", "sam"))
    proposal = app.make_commitment(
        actor("ravi", "c1"),
        team_id,
        "Send the Acme renewal proposal",
        "Pricing approved by finance; include the three-year option.",
        now + timedelta(days=3),
        [rosa],
    ).aggregate
    app.report_progress(
        actor("ravi", "c1:progress"), proposal.id, "Draft done, waiting on legal."
    )
    demo = app.make_commitment(
        actor("rosa", "c2"),
        team_id,
        "Book two discovery calls in the logistics vertical",
        None,
        now + timedelta(days=5),
        [ravi, sam],
    ).aggregate
    app.keep_commitment(
        actor("rosa", "c2:keep"), demo.id, "Calls with Northwind and Globex booked."
    )
    forecast = app.make_commitment(
        actor("sam", "c3"),
        team_id,
        "Update the Q4 forecast in the CRM",
        None,
        now + timedelta(days=1),
        [],
    ).aggregate
    app.renegotiate_commitment(
        actor("sam", "c3:renegotiate"),
        forecast.id,
        forecast.due_at + timedelta(days=2),
        "Waiting for two deal desks to confirm numbers.",
    )
    services.projections.catch_up()
    return created_users or (app.recorder.max_notification_id() or 0) > head
