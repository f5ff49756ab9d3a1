"""Commitments, one commitment's audit timeline and endorsements, in Chromium."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.ui import Person

pytestmark = pytest.mark.e2e


def unique(words: str) -> str:
    """Return a title no other test uses (they share one demo server)."""
    return f"{words} {uuid4().hex[:6]}"


def local_in_days(days: int) -> str:
    """Return a datetime-local value some days ahead, at 10:30."""
    moment = datetime.now() + timedelta(days=days)
    return moment.replace(hour=10, minute=30).strftime("%Y-%m-%dT%H:%M")


def api(someone: Person, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST to the API with the person's session, as the app does; return the body."""
    request = someone.page.request
    token = request.get("/api/v1/me").json()["csrf_token"]
    response = request.post(
        f"/api/v1{path}", data=body, headers={"X-CSRF-Token": token}
    )
    assert response.ok, response.text()
    return response.json()


def team_of(someone: Person) -> dict[str, Any]:
    """Return the person's first team with its members."""
    request = someone.page.request
    team_id = request.get("/api/v1/me").json()["teams"][0]["id"]
    return request.get(f"/api/v1/teams/{team_id}").json()


def member_id(team: dict[str, Any], name: str) -> str:
    return next(m["user_id"] for m in team["members"] if m["name"] == name)


def make_commitment(someone: Person, title: str, witnesses: list[str]) -> dict:
    """Make a commitment over the API (arranging, not what the test is about)."""
    team = team_of(someone)
    due = datetime.now(UTC) + timedelta(days=4)
    return api(
        someone,
        "/commitments",
        {
            "team_id": team["id"],
            "title": title,
            "due_at": due.isoformat(),
            "witness_ids": [member_id(team, name) for name in witnesses],
        },
    )


def shown_time(page: Page, local: str) -> str:
    """Return how the app formats a local datetime, in the browser's own locale."""
    return page.evaluate(
        """(value) => new Intl.DateTimeFormat(undefined,
             {dateStyle: "medium", timeStyle: "short"}).format(new Date(value))""",
        local,
    )


def test_a_rep_makes_a_witnessed_commitment_and_keeps_it(person):
    rosa_page = person("rosa").open("#/commitments")
    ravi = person("ravi")
    page = ravi.open("#/commitments")
    title = unique("Send the Globex proposal")
    form = page.get_by_role("form", name="Make a commitment")

    form.get_by_label("Title").fill(title)
    form.get_by_label("Due date and time").fill(local_in_days(3))
    form.get_by_label("Rosa Diaz").check()
    form.get_by_role("button", name="Make commitment").click()

    mine = page.get_by_role("list", name="Open commitments")
    item = mine.get_by_role("listitem", name=title)
    expect(item).to_contain_text("Witnesses: Rosa Diaz")
    expect(item.locator(".pill")).to_have_text("Open")
    witnessing = rosa_page.get_by_role("list", name="Commitments I witness")
    expect(witnessing.get_by_role("listitem", name=title)).to_contain_text(
        "Ravi Shah · Due"
    )

    item.locator("summary", has_text="Keep").click()
    item.get_by_label("Evidence (optional)").fill("Sent to Globex, read 10:02")
    item.get_by_role("button", name="Mark kept").click()

    kept = page.get_by_role("list", name="Closed commitments").get_by_role(
        "listitem", name=title
    )
    expect(kept.locator(".pill")).to_have_text("Kept")
    expect(kept).to_contain_text("Evidence: Sent to Globex, read 10:02")
    expect(mine.get_by_role("listitem", name=title)).to_have_count(0)
    expect(page.locator(".toast-success").last).to_contain_text("kept")
    expect(
        witnessing.get_by_role("listitem", name=title).locator(".pill")
    ).to_have_text("Kept")
    page.locator("#toasts").evaluate("toasts => toasts.replaceChildren()")
    ravi.snap("commitments")


def test_an_empty_commitment_shows_the_apis_messages_beside_its_fields(person):
    page = person("ravi").open("#/commitments")
    form = page.get_by_role("form", name="Make a commitment")

    form.get_by_role("button", name="Make commitment").click()

    title_error = form.locator("[data-field=title] .field-error")
    due_error = form.locator("[data-field=due_at] .field-error")
    expect(title_error).to_have_text("Length must be between 1 and 200.")
    expect(due_error).to_have_text("Missing data for required field.")
    expect(form.get_by_label("Title")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_role("alert")).to_have_text("Some fields are not valid.")

    form.get_by_label("Title").fill(unique("Call Initech back"))
    form.get_by_role("button", name="Make commitment").click()

    expect(due_error).to_have_text("Missing data for required field.")
    expect(title_error).to_be_empty()


def test_the_leader_reads_a_commitments_timeline_and_calls_it_out(person):
    ravi = person("ravi")
    title = unique("Book the Umbrella demo")
    made = make_commitment(ravi, title, witnesses=["Rosa Diaz"])
    api(ravi, f"/commitments/{made['id']}/progress", {"note": "Two slots offered."})
    lena = person("lena")

    page = lena.open(f"#/commitments/{made['id']}")

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    events = page.get_by_role("list", name="Audit timeline").get_by_role("listitem")
    expect(events).to_have_count(2)
    expect(events.nth(0)).to_contain_text("Ravi Shah made the commitment")
    expect(events.nth(0).locator("dl.data")).to_contain_text("Rosa Diaz")
    expect(events.nth(1)).to_contain_text("Ravi Shah reported progress")
    expect(events.nth(1).locator("dl.data")).to_contain_text("Two slots offered.")
    for n in range(2):
        expect(events.nth(n).locator(".event-head time")).to_have_attribute(
            "datetime", re.compile(r"^\d{4}-\d{2}-\d{2}T")
        )
    expect(page.locator("summary", has_text="Mark missed")).to_have_count(0)

    page.locator("summary", has_text="Call out").click()
    page.get_by_label("Note").fill("The demo was promised for Friday.")
    page.get_by_role("button", name="Call it out").click()

    expect(events).to_have_count(3)
    expect(events.nth(2)).to_contain_text("Lena Park called it out")
    expect(events.nth(2)).to_contain_text("The demo was promised for Friday.")
    lena.snap("commitment-timeline")


def test_renegotiating_shows_the_new_due_date_and_the_reason_on_the_timeline(
    person,
):
    ravi = person("ravi")
    title = unique("Send the Hooli pricing")
    made = make_commitment(ravi, title, witnesses=[])
    page = ravi.open("#/commitments")
    item = page.get_by_role("list", name="Open commitments").get_by_role(
        "listitem", name=title
    )
    new_due = local_in_days(9)

    item.locator("summary", has_text="Renegotiate").click()
    item.get_by_label("New due date and time").fill(new_due)
    renegotiate = item.locator("details[data-action=renegotiate]")
    renegotiate.get_by_label("Reason").fill("Hooli moved their budget review.")
    item.get_by_role("button", name="Move due date").click()

    expect(item).to_contain_text(f"Due {shown_time(page, new_due)}")
    expect(item).to_contain_text("renegotiated once")
    expect(item.get_by_role("link", name=title)).to_be_focused()  # its place is kept
    item.get_by_role("link", name=title).click()
    events = page.get_by_role("list", name="Audit timeline").get_by_role("listitem")
    expect(events).to_have_count(2)
    expect(events.nth(1)).to_contain_text("Ravi Shah renegotiated the due date")
    expect(events.nth(1)).to_contain_text("Hooli moved their budget review.")
    expect(events.nth(1)).to_contain_text(shown_time(page, new_due))
    assert page.url.endswith(f"#/commitments/{made['id']}")


def test_a_rep_endorses_a_teammate_and_sees_the_allowance_go_down(person):
    sam = person("sam")
    page = sam.open("#/endorse")
    remaining = page.locator(".allowance .remaining")
    expect(remaining).to_have_text(re.compile(r"^[1-9]\d*$"))
    before = int(remaining.inner_text())
    skill = f"closing-{uuid4().hex[:6]}"
    form = page.get_by_role("form", name="Endorse a teammate")

    form.get_by_label("Teammate").select_option(label="Priya Nair")
    form.get_by_label("Skill").fill(skill)
    form.get_by_label("Message (optional)").fill("Closed Initech in one call.")
    form.get_by_role("button", name="Endorse").click()

    expect(remaining).to_have_text(str(before - 1))
    given = page.get_by_role("list", name="Endorsements I gave")
    expect(given.get_by_role("listitem").filter(has_text=skill)).to_contain_text(
        "To Priya Nair"
    )

    form.get_by_label("Teammate").select_option(label="Priya Nair")
    form.get_by_label("Skill").fill(skill)
    form.get_by_role("button", name="Endorse").click()

    expect(form.get_by_role("alert")).to_contain_text(
        "You already endorsed this teammate"
    )
    expect(remaining).to_have_text(str(before - 1))
    sam.snap("endorse")
