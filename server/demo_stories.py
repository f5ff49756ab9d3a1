"""The demo month as stories: each yields the moment of its next steps, then takes them.

``server.demo.play`` runs the steps of all the stories in time order, so a story must
yield before its first step and must never go back in time. Request ids are fixed
(and must stay so: a second run recognises them and records nothing twice).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID

if TYPE_CHECKING:
    from server.demo import DemoMonth

Story = Iterator[datetime]
# A later step of a commitment: (day, hour, what, words).
Later = tuple[int, int, str, str | None]
# What became of an achievement, and on which day (None: still waiting).
Settled = tuple[str, int] | None


def set_up_teams(demo: DemoMonth) -> Story:
    """The admin creates both teams on the first day of last month, before all else."""
    app, ids, by = demo.app, demo.ids, demo.by
    yield demo.on(demo.last_month, 8)
    north = app.create_team(by("admin", "team"), "Enterprise North", demo.zone.key)
    south = app.create_team(
        by("admin", "team-south"), "Mid-Market South", demo.zone.key
    )
    demo.team = north.aggregate.id
    demo.south = south.aggregate.id
    for who in ("lena", "ravi", "rosa", "sam", "priya"):
        role = "leader" if who == "lena" else "rep"
        app.add_team_member(by("admin", f"member:{who}"), demo.team, ids[who], role)
    app.add_team_member(by("admin", "member:marco"), demo.south, ids["marco"], "leader")


def month_stories(demo: DemoMonth) -> list[Story]:
    """Every story of the month in the teams set up first."""
    return [
        charter(demo),
        plan_last_month(demo),
        *last_months_deals(demo),
        plan_this_month(demo),
        *commitments(demo),
        *achievements(demo),
        endorsements(demo),
        recognition(demo),
        deal_review(demo),
        territory_plan(demo),
        review_of_last_month(demo),
        mentor_priya(demo),
    ]


def charter(demo: DemoMonth) -> Story:
    """The leader publishes the charter; three of the four reps sign it."""
    app, by = demo.app, demo.by
    yield demo.moment(0, 10)
    app.publish_charter(
        by("lena", "charter-1"),
        demo.team,
        "We put the customer's outcome before our quota.\n"
        "We say what we will do, and do what we said.\n"
        "We call out slips early, kindly and in the open.",
    )
    for day, who in ((0, "ravi"), (1, "rosa"), (1, "sam")):
        yield demo.moment(day, 11)
        app.acknowledge_charter(by(who, "charter-1-ack"), demo.team, 1)


# What each rep aims for: last month's targets, then this month's.
LAST_MONTH = {
    "ravi": [("revenue", "55000"), ("deals_won", "3")],
    "rosa": [("revenue", "40000"), ("meetings", "18")],
    "sam": [("revenue", "30000")],
    "priya": [("meetings", "10")],
}
THIS_MONTH = {
    "ravi": [("revenue", "60000"), ("deals_won", "3")],
    "rosa": [("revenue", "45000"), ("meetings", "20")],
    "sam": [("revenue", "30000")],
    "priya": [("meetings", "12")],
}


def plan_last_month(demo: DemoMonth) -> Story:
    """On the team's first afternoon reps propose last month's targets; all agreed."""
    yield demo.on(demo.last_month, 14)
    proposed = _propose(demo, LAST_MONTH, demo.last_month, "target-last")
    yield demo.on(demo.last_month + timedelta(days=1), 10)
    for target_id in (t for targets in proposed.values() for t in targets):
        demo.app.agree_target(demo.by("lena", f"agree:{target_id}"), target_id)


def plan_this_month(demo: DemoMonth) -> Story:
    """Late last month the reps propose this month's; the leader agrees or revises."""
    app, by = demo.app, demo.by
    yield demo.on(demo.last_month + timedelta(days=25), 14)  # every month has a 26th
    proposed = _propose(demo, THIS_MONTH, demo.this_month, "target")
    yield demo.on(demo.last_month + timedelta(days=26), 10)
    for target_id in proposed["ravi"] + proposed["rosa"]:
        app.agree_target(by("lena", f"agree:{target_id}"), target_id)
    app.revise_target(
        by("lena", "revise:sam"),
        proposed["sam"][0],
        Decimal("40000"),
        "Two renewals moved into your patch this month.",
    )
    # Priya's proposal waits for the leader: it shows under "targets to agree".


def _propose(
    demo: DemoMonth, wanted: dict[str, list[tuple[str, str]]], month: date, step: str
) -> dict[str, list[UUID]]:
    """Propose every rep's targets for the month; return their ids by rep."""
    period = month.strftime("%Y-%m")
    proposed: dict[str, list[UUID]] = {}
    for who, targets in wanted.items():
        for metric, value in targets:
            change = demo.app.propose_target(
                demo.by(who, f"{step}:{who}:{metric}"),
                demo.team,
                metric,
                period,
                Decimal(value),
            )
            proposed.setdefault(who, []).append(change.aggregate.id)
    return proposed


# Last month's verified work, so its targets have figures: the day of the month it
# was recorded (15:00, verified the next day at 17:00), who, kind, value, currency,
# note and the CRM's reference. Ravi's two deals make 112% of his revenue target.
LAST_MONTHS_DEALS: list[tuple[int, str, str, str, str | None, str, str | None]] = [
    (5, "ravi", "deal_won", "38000.00", "GBP", "Initech expansion", "crm-initech-40"),
    (8, "rosa", "meeting", "9", None, "Discovery calls, first half", None),
    (12, "rosa", "deal_won", "21000.00", "GBP", "Northwind first order", "crm-nw-1"),
    (15, "sam", "revenue", "12500.00", "GBP", "Globex services", "crm-globex-97"),
    (19, "ravi", "deal_won", "23600.00", "GBP", "Contoso licences", "crm-contoso-52"),
    (20, "priya", "meeting", "6", None, "Shadowed discovery calls", None),
]  # fmt: skip


def last_months_deals(demo: DemoMonth) -> list[Story]:
    """Last month's deals and meetings, recorded by their owners, verified by Lena."""
    return [
        _last_months_deal(demo, index, *deal)
        for index, deal in enumerate(LAST_MONTHS_DEALS)
    ]


def _last_months_deal(
    demo: DemoMonth,
    index: int,
    day: int,
    who: str,
    kind: str,
    value: str,
    currency: str | None,
    note: str,
    ref: str | None,
) -> Story:
    """One of last month's achievements, recorded on its day and verified the next."""
    on = demo.last_month + timedelta(days=day - 1)
    yield demo.on(on, 15)
    recorded = _record(demo, "a-last", who, kind, value, currency, note, ref, on)
    yield demo.on(on + timedelta(days=1), 17)
    demo.app.verify_achievement(demo.by("lena", f"verify-last:{index}"), recorded)


# who, step id, day made (09:00), title, days until due (at 17:00), witnesses, and
# what happens later: (day, hour, what, words). The leader calls out and marks missed;
# the owner does the rest. Each later step's id is the commitment's, plus its letters.
PROMISES: list[tuple[str, str, int, str, int, list[str], list[Later]]] = [
    ("ravi", "c:acme", 3, "Send the Acme renewal proposal", 3, ["rosa"],
     [(4, 16, "progress", "Legal signed off."), (6, 11, "keep", "Sent, read 10:02")]),
    ("rosa", "c:calls", 3, "Book two discovery calls in logistics", 4, ["ravi", "sam"],
     [(5, 15, "keep", "Northwind, Globex")]),
    ("sam", "c:forecast", 4, "Update the quarter's forecast in the CRM", 1, [],
     [(5, 9, "renegotiate", "Waiting for two deal desks to confirm numbers."),
      (9, 10, "call_out", "The forecast call is tomorrow: where is it?"),
      (10, 9, "miss", "Forecast call ran without Sam's numbers.")]),
    ("priya", "c:demo", 8, "Rehearse the Initech demo with Rosa", 2, ["rosa"],
     [(9, 12, "withdraw", "Initech postponed the evaluation to next quarter.")]),
    ("ravi", "c:qbr", 12, "Prepare the Contoso quarterly business review", 5, ["lena"],
     [(16, 18, "keep", "Deck shared.")]),
    ("rosa", "c:refs", 15, "Line up two customer references for Umbrella", 6, [],
     [(20, 10, "progress", "One confirmed."), (21, 17, "keep", None)]),
    ("sam", "c:pipeline", 17, "Add five qualified opportunities to the pipeline", 7,
     [], []),
    ("ravi", "c:pricing", 24, "Agree multi-year pricing with Acme procurement", 6,
     ["sam"], []),
    ("priya", "c:shadow", 25, "Shadow Rosa on three discovery calls", 8, ["rosa"], []),
]  # fmt: skip
LETTERS = {
    "progress": "p",
    "keep": "k",
    "renegotiate": "r",
    "withdraw": "w",
    "call_out": "co",
    "miss": "m",
}


def commitments(demo: DemoMonth) -> list[Story]:
    """Promises made and kept, renegotiated, withdrawn, missed and called out."""
    return [_promise(demo, *promise) for promise in PROMISES]


def _promise(
    demo: DemoMonth,
    who: str,
    step: str,
    day: int,
    title: str,
    due_days: int,
    witnesses: list[str],
    later: list[Later],
) -> Story:
    """One commitment's life, from the morning it is made."""
    app = demo.app
    yield demo.moment(day, 9)
    due = demo.moment(day, 17) + timedelta(days=due_days)
    actor = demo.by(who, step)
    made = app.make_commitment(
        actor, demo.team, title, None, due, [demo.ids[w] for w in witnesses]
    ).aggregate.id
    for when, hour, what, words in later:
        yield demo.moment(when, hour)
        by_leader = what in ("call_out", "miss")
        actor = demo.by("lena" if by_leader else who, f"{step}:{LETTERS[what]}")
        if what == "progress":
            app.report_progress(actor, made, words or "")
        elif what == "keep":
            app.keep_commitment(actor, made, words)
        elif what == "renegotiate":  # three days on, at the end of the day
            app.renegotiate_commitment(
                actor, made, demo.moment(when + 3, 17), words or ""
            )
        elif what == "withdraw":
            app.withdraw_commitment(actor, made, words or "")
        elif what == "call_out":
            app.call_out_commitment(actor, made, words or "")
        else:
            app.miss_commitment(actor, made, words or "")


# day recorded (15:00), who, kind, value (money as text, counts as text too),
# currency, note, external reference, and what became of it: verified by the leader
# (at 17:00) or taken back by its owner (at 09:00), on that day.
Recorded = tuple[int, str, str, str | None, str | None, str, str | None, Settled]
ACHIEVEMENTS: list[Recorded] = [
    (6, "ravi", "deal_won", "24000.00", "GBP", "Acme renewal", "crm-acme-2031",
     ("verified", 7)),
    (9, "rosa", "meeting", "2", None, "Discovery: Northwind, Globex", None,
     ("verified", 14)),
    (13, "rosa", "deal_won", "18500.00", "GBP", "Globex pilot", "crm-globex-118",
     ("verified", 14)),
    (14, "sam", "certification", None, None, "Advanced negotiation", None,
     ("verified", 15)),
    (18, "priya", "meeting", "3", None, "First solo discovery calls", None, None),
    (19, "ravi", "revenue", "7200.00", "GBP", "Contoso upsell", "crm-contoso-77",
     ("verified", 20)),
    (22, "rosa", "case_study", None, None, "Northwind case study published", None,
     ("verified", 23)),
    (23, "sam", "deal_won", "9000.00", "GBP", "Umbrella add-on", "crm-umbrella-9",
     ("taken back", 24)),
]  # fmt: skip


def achievements(demo: DemoMonth) -> list[Story]:
    """Deals, meetings and a certification, mostly verified; one taken back."""
    return [
        _achievement(demo, index, *achievement)
        for index, achievement in enumerate(ACHIEVEMENTS)
    ]


def _achievement(
    demo: DemoMonth,
    index: int,
    day: int,
    who: str,
    kind: str,
    value: str | None,
    currency: str | None,
    note: str,
    ref: str | None,
    settled: Settled,
) -> Story:
    """One achievement, from the afternoon it is recorded."""
    app = demo.app
    yield demo.moment(day, 15)
    on = demo.moment(day).date()
    recorded = _record(demo, "a", who, kind, value, currency, note, ref, on)
    if settled is None:
        return
    what, when = settled
    if what == "verified":
        yield demo.moment(when, 17)
        app.verify_achievement(demo.by("lena", f"verify:{index}"), recorded)
    else:  # the month's one deal booked twice
        yield demo.moment(when, 9)
        reason = "Booked twice: it was part of Globex."
        app.retract_achievement(demo.by(who, "retract:umbrella"), recorded, reason)


def _record(
    demo: DemoMonth,
    step: str,
    who: str,
    kind: str,
    value: str | None,
    currency: str | None,
    note: str,
    ref: str | None,
    on: date,
) -> UUID:
    """Record an achievement as its owner, dated the day it happened."""
    return demo.app.record_achievement(
        demo.by(who, f"{step}:{note}"),
        demo.team,
        kind,
        value=value,
        currency=currency,
        note=note,
        occurred_on=on,
        external_ref=ref,
    ).aggregate.id


def endorsements(demo: DemoMonth) -> Story:
    """Peers recognise each other's skills, within the weekly allowance."""
    app, ids, by = demo.app, demo.ids, demo.by
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
        yield demo.moment(day, 12)
        step = f"e:{day}:{giver}:{receiver}:{skill}"
        app.give_endorsement(by(giver, step), demo.team, ids[receiver], skill, message)


def recognition(demo: DemoMonth) -> Story:
    """The leader gives Rosa a recognition award."""
    yield demo.moment(16, 16)
    demo.app.give_recognition(
        demo.by("lena", "recognition:rosa"),
        demo.team,
        demo.ids["rosa"],
        "Customer champion",
        "Rosa's Northwind case study is already opening doors.",
    )


def deal_review(demo: DemoMonth) -> Story:
    """Ravi asks the team how to answer Acme's procurement; three answer."""
    app, by = demo.app, demo.by
    yield demo.moment(18, 10)
    review = app.request_deal_review(
        by("ravi", "deal-review:acme"),
        demo.team,
        "Acme multi-year renewal",
        "Procurement wants 15% off for three years. Hold, trade or walk?",
    ).aggregate.id
    yield demo.moment(18, 15)
    for who, note in (
        ("rosa", "Trade: give the discount for a case study and a reference."),
        ("sam", "Hold at 8% and add premium support instead."),
        ("lena", "Trade, but only with a signed three-year term."),
    ):
        app.give_deal_feedback(by(who, f"feedback:{who}"), review, note)
    yield demo.moment(19, 9)
    app.close_deal_review(by("ravi", "deal-review:acme:close"), review)


def territory_plan(demo: DemoMonth) -> Story:
    """Ravi submits his territory plan twice; the leader approves the first."""
    app, by = demo.app, demo.by
    accounts = [
        {"name": "Acme", "segment": "enterprise", "potential": "120000"},
        {"name": "Contoso", "segment": "enterprise", "potential": "80000"},
    ]
    yield demo.moment(2, 11)
    plan = app.submit_territory_plan(
        by("ravi", "plan:1"), demo.team, "Grow the two anchors.", accounts
    ).aggregate.id
    yield demo.moment(4, 11)
    app.submit_territory_plan(
        by("ravi", "plan:2"),
        demo.team,
        "Grow the two anchors; open Initech.",
        [*accounts, {"name": "Initech", "segment": "mid-market", "potential": "30000"}],
    )
    yield demo.moment(5, 9)
    app.approve_territory_plan(by("lena", "plan:approve"), plan, None)


def review_of_last_month(demo: DemoMonth) -> Story:
    """On the month's last afternoon Lena reviews Ravi's month; he acknowledges it."""
    app, by = demo.app, demo.by
    month_end = demo.this_month - timedelta(days=1)
    yield demo.on(month_end, 15)
    review = app.write_review(
        by("lena", "review:ravi"),
        demo.team,
        demo.ids["ravi"],
        demo.last_month.strftime("%Y-%m"),
        "Kept 9 of 10 commitments; 112% of the revenue target.",
        "Keep forecasting weekly; next, mentor Priya on enterprise discovery.",
    ).aggregate.id
    app.share_review(by("lena", "review:ravi:share"), review)
    yield demo.on(month_end, 17)
    app.acknowledge_review(
        by("ravi", "review:ravi:ack"), review, "Agreed; happy to mentor Priya."
    )


def mentor_priya(demo: DemoMonth) -> Story:
    """Marco, who leads another team, mentors Priya with weekly check-ins."""
    app, ids, by = demo.app, demo.ids, demo.by
    yield demo.moment(1, 9)
    team_ids = [demo.team]
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
        (24, 4, "Pipeline review: two solid opportunities.", ["Plan next month"]),
    ]
    for day, confidence, notes, items in sessions:
        yield demo.moment(day, 16)
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
            yield demo.moment(day + 1, 10)
            app.acknowledge_check_in(
                by("priya", f"ack:{day}"), mentorship, check_in.id, team_ids
            )
            yield demo.moment(day + 4, 12)
            app.complete_action_item(
                by("priya", f"done:{day}"),
                mentorship,
                check_in.action_items[0].id,
                team_ids,
            )
