"""A believable month of one sales team, loaded by ``flask --app wsgi demo``.

The story runs over the four weeks before today, with the application's clock set
to each moment as it happens, so every event carries the time it "happened".
Every command carries a fixed request id, so the write side itself recognises a
second run (or a run after a crash half-way) and records nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID
from zoneinfo import ZoneInfo

from events.application import Wolfpack
from events.base import Actor
from server.accounts import User, create_user, find_user_by_email
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


class DemoMonth:
    """Plays the month: each step names who acts, when, and its own request id."""

    def __init__(self, app: Wolfpack, people: dict[str, User], today: date) -> None:
        self.app = app
        self.people = people
        self.ids = {key: user.id for key, user in people.items()}
        self.start = today - timedelta(days=28)
        self.zone = ZoneInfo(TIMEZONE)
        self.team: UUID  # set by set_up_teams, the first chapter
        self.south: UUID

    def moment(self, day: int, hour: int = 9, minute: int = 0) -> datetime:
        """Return 09:00 (by default) local time, ``day`` days into the month."""
        local = datetime.combine(self.start + timedelta(days=day), time(hour, minute))
        return local.replace(tzinfo=self.zone)

    @contextmanager
    def on(self, day: int, hour: int = 9) -> Iterator[datetime]:
        """Run the steps inside with the application's clock set to that moment."""
        real_clock = self.app.clock
        when = self.moment(day, hour).astimezone(UTC)
        self.app.clock = lambda: when
        try:
            yield when
        finally:
            self.app.clock = real_clock

    def by(self, who: str, step: str) -> Actor:
        """Return the person as an actor, with the step's fixed request id."""
        user = self.people[who]
        return Actor(user.id, user.is_admin, f"demo:{step}")


def seed_demo(services: Services) -> bool:
    """Load the demo month; return whether anything new was recorded."""
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
    demo = DemoMonth(app, people, app.clock().date())
    for chapter in (set_up_teams, plan_the_month, work_the_month, mentor_priya):
        chapter(demo)
    services.projections.catch_up()
    return created_users or (app.recorder.max_notification_id() or 0) > head


def set_up_teams(demo: DemoMonth) -> None:
    """The admin creates both teams; the leader publishes the charter."""
    app, ids, by = demo.app, demo.ids, demo.by
    with demo.on(0, 8):
        north = app.create_team(by("admin", "team"), "Enterprise North", TIMEZONE)
        south = app.create_team(by("admin", "team-south"), "Mid-Market South", TIMEZONE)
        demo.team = north.aggregate.id
        demo.south = south.aggregate.id
        for who in ("lena", "ravi", "rosa", "sam", "priya"):
            role = "leader" if who == "lena" else "rep"
            step = f"member:{who}"
            app.add_team_member(by("admin", step), demo.team, ids[who], role)
        app.add_team_member(
            by("admin", "member:marco"), demo.south, ids["marco"], "leader"
        )
    with demo.on(0, 10):
        app.publish_charter(
            by("lena", "charter-1"),
            demo.team,
            "We put the customer's outcome before our quota.\n"
            "We say what we will do, and do what we said.\n"
            "We call out slips early, kindly and in the open.",
        )
    for day, who in ((0, "ravi"), (1, "rosa"), (1, "sam")):
        with demo.on(day, 11):
            app.acknowledge_charter(by(who, "charter-1-ack"), demo.team, 1)


def plan_the_month(demo: DemoMonth) -> None:
    """Reps propose targets for the month ahead; the leader agrees or revises."""
    app, by = demo.app, demo.by
    month = demo.moment(7).strftime("%Y-%m")
    proposals = {
        "ravi": [("revenue", "60000"), ("deals_won", "3")],
        "rosa": [("revenue", "45000"), ("meetings", "20")],
        "sam": [("revenue", "30000")],
        "priya": [("meetings", "12")],
    }
    targets: dict[str, list[UUID]] = {}
    with demo.on(1, 14):
        for who, wanted in proposals.items():
            for metric, value in wanted:
                step = f"target:{who}:{metric}"
                change = app.propose_target(
                    by(who, step), demo.team, metric, month, Decimal(value)
                )
                targets.setdefault(who, []).append(change.aggregate.id)
    with demo.on(2, 10):
        for target_id in targets["ravi"] + targets["rosa"]:
            app.agree_target(by("lena", f"agree:{target_id}"), target_id)
        app.revise_target(
            by("lena", "revise:sam"),
            targets["sam"][0],
            Decimal("40000"),
            "Two renewals moved into your patch this month.",
        )
    # Priya's proposal waits for the leader: it shows under "targets to agree".


def work_the_month(demo: DemoMonth) -> None:
    """Four weeks of commitments, achievements, endorsements and recognition."""
    commitments(demo)
    achievements(demo)
    endorsements(demo)
    recognition_and_reviews(demo)


def commitments(demo: DemoMonth) -> None:
    """Promises made and kept, renegotiated, withdrawn, missed and called out."""
    app, ids, by, team = demo.app, demo.ids, demo.by, demo.team

    def make(
        who: str, step: str, day: int, title: str, due_days: float, *witnesses: str
    ):
        with demo.on(day, 9):
            due = demo.moment(day, 17) + timedelta(days=due_days)
            change = app.make_commitment(
                by(who, step), team, title, None, due, [ids[w] for w in witnesses]
            )
        return change.aggregate.id

    def then(day: int, hour: int, action: Callable[[], object]) -> None:
        with demo.on(day, hour):
            action()

    acme = make("ravi", "c:acme", 3, "Send the Acme renewal proposal", 3, "rosa")
    then(
        4,
        16,
        lambda: app.report_progress(by("ravi", "c:acme:p"), acme, "Legal signed off."),
    )
    then(
        6,
        11,
        lambda: app.keep_commitment(by("ravi", "c:acme:k"), acme, "Sent, read 10:02"),
    )

    calls = make(
        "rosa", "c:calls", 3, "Book two discovery calls in logistics", 4, "ravi", "sam"
    )
    then(
        5,
        15,
        lambda: app.keep_commitment(
            by("rosa", "c:calls:k"), calls, "Northwind, Globex"
        ),
    )

    forecast = make("sam", "c:forecast", 4, "Update the Q4 forecast in the CRM", 1)
    then(
        5,
        9,
        lambda: app.renegotiate_commitment(
            by("sam", "c:forecast:r"),
            forecast,
            demo.moment(8, 17),
            "Waiting for two deal desks to confirm numbers.",
        ),
    )
    then(
        9,
        10,
        lambda: app.call_out_commitment(
            by("lena", "c:forecast:co"),
            forecast,
            "The forecast call is on Monday: where is it?",
        ),
    )
    then(
        10,
        9,
        lambda: app.miss_commitment(
            by("lena", "c:forecast:m"),
            forecast,
            "Forecast call ran without Sam's numbers.",
        ),
    )

    demo_prep = make(
        "priya", "c:demo", 8, "Rehearse the Initech demo with Rosa", 2, "rosa"
    )
    then(
        9,
        12,
        lambda: app.withdraw_commitment(
            by("priya", "c:demo:w"),
            demo_prep,
            "Initech postponed the evaluation to January.",
        ),
    )

    qbr = make(
        "ravi", "c:qbr", 12, "Prepare the Contoso quarterly business review", 5, "lena"
    )
    then(
        16, 18, lambda: app.keep_commitment(by("ravi", "c:qbr:k"), qbr, "Deck shared.")
    )

    refs = make("rosa", "c:refs", 15, "Line up two customer references for Umbrella", 6)
    then(
        20,
        10,
        lambda: app.report_progress(by("rosa", "c:refs:p"), refs, "One confirmed."),
    )
    then(21, 17, lambda: app.keep_commitment(by("rosa", "c:refs:k"), refs, None))

    make("sam", "c:pipeline", 17, "Add five qualified opportunities to the pipeline", 7)
    make(
        "ravi",
        "c:pricing",
        24,
        "Agree multi-year pricing with Acme procurement",
        6,
        "sam",
    )
    make("priya", "c:shadow", 25, "Shadow Rosa on three discovery calls", 8, "rosa")


def achievements(demo: DemoMonth) -> None:
    """Deals, meetings and a certification, mostly verified by the leader."""
    app, by, team = demo.app, demo.by, demo.team
    # day, who, kind, value (money as text, counts as text too), currency, note, ref
    recorded: list[tuple[int, str, str, str | None, str | None, str, str | None]] = [
        (6, "ravi", "deal_won", "24000.00", "GBP", "Acme renewal", "crm-acme-2031"),
        (9, "rosa", "meeting", "2", None, "Discovery: Northwind, Globex", None),
        (13, "rosa", "deal_won", "18500.00", "GBP", "Globex pilot", "crm-globex-118"),
        (14, "sam", "certification", None, None, "Advanced negotiation", None),
        (18, "priya", "meeting", "3", None, "First solo discovery calls", None),
        (19, "ravi", "revenue", "7200.00", "GBP", "Contoso upsell", "crm-contoso-77"),
        (22, "rosa", "case_study", None, None, "Northwind case study published", None),
        (23, "sam", "deal_won", "9000.00", "GBP", "Umbrella add-on", "crm-umbrella-9"),
    ]
    ids = []
    for day, who, kind, value, currency, note, ref in recorded:
        with demo.on(day, 15):
            change = app.record_achievement(
                by(who, f"a:{note}"),
                team,
                kind,
                value=value,
                currency=currency,
                note=note,
                occurred_on=demo.moment(day).date(),
                external_ref=ref,
            )
        ids.append(change.aggregate.id)
    for day, index in ((7, 0), (14, 1), (14, 2), (15, 3), (20, 5), (23, 6)):
        with demo.on(day, 17):
            app.verify_achievement(by("lena", f"verify:{index}"), ids[index])
    with demo.on(24, 9):
        app.retract_achievement(
            by("sam", "retract:umbrella"),
            ids[7],
            "Booked twice: it was part of Globex.",
        )


def endorsements(demo: DemoMonth) -> None:
    """Peers recognise each other's skills, within the weekly allowance."""
    app, ids, by, team = demo.app, demo.ids, demo.by, demo.team
    given = [
        (5, "rosa", "ravi", "negotiation", "Held the line on price with Acme."),
        (5, "sam", "rosa", "discovery", None),
        (6, "ravi", "rosa", "discovery", "Found the real pain at Globex."),
        (11, "priya", "rosa", "coaching", "Patient with my first calls."),
        (12, "rosa", "sam", "forecasting", None),
        (13, "lena", "ravi", "executive-presence", "Great QBR with Contoso."),
        (19, "ravi", "priya", "prospecting", "Three meetings in week two!"),
        (20, "sam", "ravi", "negotiation", None),
        (26, "rosa", "priya", "discovery", "Asked the second question."),
    ]
    for day, giver, receiver, skill, message in given:
        with demo.on(day, 12):
            step = f"e:{day}:{giver}:{receiver}:{skill}"
            app.give_endorsement(by(giver, step), team, ids[receiver], skill, message)


def recognition_and_reviews(demo: DemoMonth) -> None:
    """A recognition award, a deal review, a territory plan and a review."""
    app, ids, by, team = demo.app, demo.ids, demo.by, demo.team
    with demo.on(16, 16):
        app.give_recognition(
            by("lena", "recognition:rosa"),
            team,
            ids["rosa"],
            "Customer champion",
            "Rosa's Northwind case study is already opening doors.",
        )
    with demo.on(18, 10):
        review = app.request_deal_review(
            by("ravi", "deal-review:acme"),
            team,
            "Acme multi-year renewal",
            "Procurement wants 15% off for three years. Hold, trade or walk?",
        ).aggregate.id
    for who, note in (
        ("rosa", "Trade: give the discount for a case study and a reference."),
        ("sam", "Hold at 8% and add premium support instead."),
        ("lena", "Trade, but only with a signed three-year term."),
    ):
        with demo.on(18, 15):
            app.give_deal_feedback(by(who, f"feedback:{who}"), review, note)
    with demo.on(19, 9):
        app.close_deal_review(by("ravi", "deal-review:acme:close"), review)
    accounts = [
        {"name": "Acme", "segment": "enterprise", "potential": "120000"},
        {"name": "Contoso", "segment": "enterprise", "potential": "80000"},
    ]
    with demo.on(2, 11):
        plan = app.submit_territory_plan(
            by("ravi", "plan:1"), team, "Grow the two anchors.", accounts
        ).aggregate.id
    with demo.on(4, 11):
        app.submit_territory_plan(
            by("ravi", "plan:2"),
            team,
            "Grow the two anchors; open Initech.",
            [
                *accounts,
                {"name": "Initech", "segment": "mid-market", "potential": "30000"},
            ],
        )
    with demo.on(5, 9):
        app.approve_territory_plan(by("lena", "plan:approve"), plan, None)
    last_month = (demo.moment(0).replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    with demo.on(3, 14):
        review = app.write_review(
            by("lena", "review:ravi"),
            team,
            ids["ravi"],
            last_month,
            "Kept 9 of 10 commitments; 112% of the revenue target.",
            "Keep forecasting weekly; next, mentor Priya on enterprise discovery.",
        ).aggregate.id
        app.share_review(by("lena", "review:ravi:share"), review)
    with demo.on(4, 9):
        app.acknowledge_review(
            by("ravi", "review:ravi:ack"), review, "Agreed; happy to mentor Priya."
        )


def mentor_priya(demo: DemoMonth) -> None:
    """Marco, who leads another team, mentors Priya with weekly check-ins."""
    app, ids, by = demo.app, demo.ids, demo.by
    team_ids = [demo.team]
    with demo.on(1, 9):
        mentorship = app.start_mentorship(
            by("lena", "mentorship:priya"),
            ids["marco"],
            ids["priya"],
            "First quarter: confident discovery calls and a clean pipeline.",
            team_ids,
        ).aggregate.id
    sessions = [
        (
            3,
            2,
            "Nervous about cold calls; we role-played openers.",
            ["Write three openers"],
        ),
        (
            10,
            3,
            "Two calls went well; qualification still thin.",
            ["Use MEDDIC on Initech"],
        ),
        (17, 4, "Booked three meetings this week.", ["Ask Rosa to review notes"]),
        (24, 4, "Pipeline review: two solid opportunities.", ["Plan December targets"]),
    ]
    for day, confidence, notes, items in sessions:
        with demo.on(day, 16):
            change = app.log_check_in(
                by("marco", f"check-in:{day}"),
                mentorship,
                demo.moment(day).date(),
                notes,
                confidence,
                items,
                team_ids,
            )
        check_in = change.aggregate.check_ins[-1]
        if day < 24:
            with demo.on(day + 1, 10):
                app.acknowledge_check_in(
                    by("priya", f"ack:{day}"), mentorship, check_in.id, team_ids
                )
            with demo.on(day + 4, 12):
                app.complete_action_item(
                    by("priya", f"done:{day}"),
                    mentorship,
                    check_in.action_items[0].id,
                    team_ids,
                )
