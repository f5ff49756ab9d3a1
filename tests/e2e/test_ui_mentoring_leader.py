"""The mentoring page (mentor and mentee) and the leader's page, in Chromium."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e
RISK_LABELS = {
    "overdue_commitment": "Overdue commitment",
    "behind_pace": "Behind pace",
    "no_recent_check_in": "No check-in for 30 days",
}


def api(page: Page, method: str, path: str, body: Any = None) -> Any:
    """Call the JSON API as the page's signed-in person (with their CSRF token)."""
    me = page.request.get("/api/v1/me").json()
    response = page.request.fetch(
        f"/api/v1{path}",
        method=method,
        headers={"X-CSRF-Token": me["csrf_token"]},
        data=body,
    )
    assert response.ok, response.text()
    return response.json() if response.status != 204 else None


def marcos_mentorship_of_priya(page: Page) -> str:
    """Return the id of the demo's mentorship in which Marco mentors Priya."""
    me = api(page, "GET", "/me")["user"]
    mentorships = api(page, "GET", "/mentorships")
    (mentorship,) = [m for m in mentorships if m["mentor_id"] == me["id"]]
    return mentorship["id"]


def test_a_mentor_logs_a_check_in_with_two_action_items_and_completes_one(person):
    marco = person("marco")
    page = marco.open("#/mentoring")
    card = page.get_by_role("article", name="Priya Nair")
    notes = f"Role-played the pricing call {uuid4().hex[:8]}"
    first = f"Send the recap {uuid4().hex[:6]}"
    second = f"Book a demo {uuid4().hex[:6]}"

    card.get_by_label("Notes", exact=True).fill(notes)
    card.get_by_label("Confidence").select_option("4")
    card.get_by_label("Action item 1", exact=True).fill(first)
    card.get_by_role("button", name="Add an action item").click()
    card.get_by_label("Action item 2", exact=True).fill(second)
    card.get_by_role("button", name="Log check-in").click()
    check_in = card.locator(".check-in", has_text=notes)
    expect(check_in).to_contain_text("Confidence 4 of 5")
    open_items = card.get_by_role("region", name="Open action items")
    open_items.get_by_role("button", name=f"Mark done: {first}").click()

    expect(open_items).not_to_contain_text(first)
    second_done = open_items.get_by_role("button", name=f"Mark done: {second}")
    expect(second_done).to_be_visible()
    items = check_in.get_by_role("list", name="Action items")
    expect(items.get_by_role("listitem").filter(has_text=first)).to_contain_text("done")
    expect(items.get_by_role("listitem").filter(has_text=second)).to_contain_text(
        "open"
    )
    expect(check_in).to_contain_text("Not acknowledged yet")
    marco.snap("mentoring")


def test_the_mentee_sees_a_new_check_in_and_acknowledges_it(person):
    marco = person("marco")
    notes = f"Discovery questions sharper {uuid4().hex[:8]}"
    api(
        marco.page,
        "POST",
        f"/mentorships/{marcos_mentorship_of_priya(marco.page)}/check-ins",
        {
            "held_on": datetime.now(UTC).date().isoformat(),
            "notes": notes,
            "confidence": 3,
            "action_items": ["Write up the Initech call"],
        },
    )
    priya = person("priya")
    page = priya.open("#/mentoring")
    card = page.get_by_role("article", name="Marco Rossi")
    check_in = card.locator(".check-in", has_text=notes)
    expect(check_in).to_contain_text("Please acknowledge")

    check_in.get_by_role("button", name="Acknowledge").click()

    expect(check_in).to_contain_text("Acknowledged")
    expect(check_in.get_by_role("button", name="Acknowledge")).to_have_count(0)
    open_items = card.get_by_role("region", name="Open action items")
    expect(open_items).to_contain_text("Write up the Initech call")
    priya.snap("mentee")


def test_a_check_in_without_notes_or_confidence_is_refused_beside_those_fields(
    person,
):
    marco = person("marco")
    page = marco.open("#/mentoring")
    card = page.get_by_role("article", name="Priya Nair")
    check_ins = card.locator(".check-in")
    expect(check_ins.first).to_be_visible()
    before = check_ins.count()

    card.get_by_role("button", name="Log check-in").click()

    expect(card.get_by_label("Confidence")).to_have_attribute("aria-invalid", "true")
    expect(card.get_by_label("Confidence")).to_have_accessible_description(
        re.compile("Missing data for required field")
    )
    expect(card.get_by_label("Notes", exact=True)).to_have_accessible_description(
        re.compile("Length must be between 1")
    )
    expect(card.get_by_role("alert")).to_have_text("Some fields are not valid.")
    expect(check_ins).to_have_count(before)


def test_someone_without_mentorships_is_told_how_they_start(person):
    sam = person("sam")

    page = sam.open("#/mentoring")

    expect(page.get_by_text("You have no mentorships yet.")).to_be_visible()
    expect(page.get_by_role("heading", name="Your mentees")).to_be_hidden()


def test_the_leader_sees_who_is_at_risk_and_calls_out_a_new_commitment(person):
    lena = person("lena")
    page = lena.open("#/leader")
    at_risk = page.get_by_role("region", name="At risk")
    sam = at_risk.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="Sam Okafor")
    )
    ravi = person("ravi")
    team_id = api(ravi.page, "GET", "/me")["teams"][0]["id"]
    # The demo leaves Sam's pipeline promise overdue on any day; behind pace too,
    # once a tenth of the month is gone (tests/integration/test_demo.py pins that).
    reasons = api(page, "GET", f"/teams/{team_id}/at-risk")
    sams = [RISK_LABELS[r["kind"]] for r in reasons if r["name"] == "Sam Okafor"]
    assert "Overdue commitment" in sams
    expect(sam).to_contain_text(f"{len(sams)} reason")
    for label in sams:
        expect(sam).to_contain_text(label)
    expect(page.locator("#live-status")).to_have_text("Live")
    title = f"Send the Initech security answers {uuid4().hex[:8]}"
    due = (datetime.now(UTC) + timedelta(days=3)).isoformat()

    made = {"team_id": team_id, "title": title, "due_at": due}
    api(ravi.page, "POST", "/commitments", made)
    commitments = page.get_by_role("region", name="Team commitments")
    item = commitments.get_by_role("listitem").filter(has_text=title)
    expect(item).to_contain_text("Ravi Shah")  # arrived live, with no reload
    item.locator("summary", has_text="Call out").click()
    item.get_by_label("Note").fill("The security review is on Thursday: on track?")
    item.get_by_role("button", name="Send call-out").click()

    expect(item).to_contain_text("Called out once")
    expect(item.get_by_role("link", name=title)).to_have_attribute(
        "href", re.compile(r"^#/commitments/[0-9a-f-]{36}$")
    )
    expect(item.locator("summary", has_text="Mark missed")).to_be_hidden()
    lena.snap("leader")


def test_a_commitment_falling_due_puts_its_owner_at_risk_with_no_push(person):
    lena = person("lena")
    lena.page.clock.install()  # the page's timers, fast-forwarded below
    page = lena.open("#/leader")
    at_risk = page.get_by_role("region", name="At risk")
    expect(at_risk.get_by_role("listitem").first).to_be_visible()
    ravi = person("ravi")
    team_id = api(ravi.page, "GET", "/me")["teams"][0]["id"]
    title = f"Confirm the Globex pilot {uuid4().hex[:8]}"
    due = (datetime.now(UTC) + timedelta(seconds=2)).isoformat()
    api(
        ravi.page,
        "POST",
        "/commitments",
        {"team_id": team_id, "title": title, "due_at": due},
    )
    commitments = page.get_by_role("region", name="Team commitments")
    expect(commitments.get_by_role("listitem").filter(has_text=title)).to_be_visible()
    expect(at_risk).not_to_contain_text(title)
    time.sleep(2.5)  # the server's clock is the real one

    page.clock.fast_forward(61_000)  # the page's minute tick

    expect(at_risk).to_contain_text(title)


def test_the_leader_creates_a_team_screen_link_and_revokes_it(person):
    lena = person("lena")
    page = lena.open("#/leader")
    screen = page.get_by_role("region", name="Team screen")
    name = f"Sales floor TV {uuid4().hex[:6]}"

    screen.get_by_label("Screen name").fill(name)
    screen.get_by_role("button", name="Create screen link").click()

    link = screen.get_by_label("Screen link")
    expect(link).to_have_value(re.compile(r"^http://127\.0\.0\.1:\d+/screen#\S+$"))
    screen.get_by_role("button", name="Copy link").click()
    expect(screen.get_by_role("status")).to_contain_text(re.compile("Copied|Selected"))
    token = screen.locator(".screen-token", has_text=name)
    token.get_by_role("button", name=f"Revoke {name}").click()
    page.get_by_role("dialog", name=f"Revoke {name}?").get_by_role(
        "button", name="Revoke"
    ).click()
    expect(token.get_by_role("button", name=f"Revoke {name}")).to_have_count(0)
    screen.get_by_text(re.compile(r"\d+ revoked screens?")).click()
    expect(screen.locator(".screen-token", has_text=name)).to_contain_text("revoked")


def test_the_leader_gives_a_recognition_award(person):
    lena = person("lena")
    page = lena.open("#/leader")
    awards = page.get_by_role("region", name="Recognition")
    title = f"Discovery ace {uuid4().hex[:6]}"

    awards.get_by_label("Teammate").select_option(label="Priya Nair")
    awards.get_by_label("Title").fill(title)
    awards.get_by_label("Message").fill("Three meetings booked from cold calls.")
    awards.get_by_role("button", name="Give award").click()

    given = awards.get_by_role("listitem").filter(has_text=title)
    expect(given).to_contain_text("To Priya Nair from Lena Park")


def test_a_rep_is_told_the_leader_page_is_for_the_leader(person):
    ravi = person("ravi")

    page = ravi.open("#/leader")

    refusal = page.get_by_text("Only the team's leader can open this page.")
    expect(refusal).to_be_visible()
