"""Achievements, targets and the charter pages, in Chromium against gunicorn."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.e2e

TEAM_ZONE = ZoneInfo("Europe/London")  # the demo team's time zone


def api(page: Page, method: str, path: str, body: Any = None, **headers: str) -> Any:
    """Call the JSON API as the page's signed-in person (with their CSRF token)."""
    me = page.request.get("/api/v1/me").json()
    response = page.request.fetch(
        f"/api/v1{path}",
        method=method,
        headers={"X-CSRF-Token": me["csrf_token"], **headers},
        data=body,
    )
    assert response.ok, response.text()
    return response.json()


def stay_put(page: Page) -> None:
    """Mark the page, so a later check can tell it was never reloaded."""
    page.evaluate("window.stillHere = true")


def never_reloaded(page: Page) -> bool:
    return page.evaluate("window.stillHere === true")


def propose(page: Page, metric: str, period_label: str, value: str) -> None:
    """Propose a target through the form: metric, period (by its label), value."""
    page.get_by_label("Metric").select_option(metric)
    period = page.get_by_label("Period")
    choice = period.locator("option", has_text=period_label).first
    period.select_option(choice.get_attribute("value"))
    page.get_by_label("Target value").fill(value)
    page.get_by_role("button", name="Propose target").click()


def to_agree(page: Page, title: str) -> Locator:
    return page.get_by_role("list", name="Targets to agree").locator(
        "li", has_text=title
    )


def test_a_rep_logs_an_achievement_and_sees_the_leader_verify_it_live(person):
    ravi = person("ravi")
    page = ravi.open("#/achievements")
    expect(page.locator("li.achievement").first).to_be_visible()
    note = f"Initech renewal {uuid.uuid4().hex[:6]}"
    page.get_by_label("Kind").select_option("deal_won")
    page.get_by_label("Amount").fill("12500.00")
    page.get_by_label("Currency").fill("GBP")
    page.get_by_label("Note").fill(note)
    page.get_by_role("button", name="Log achievement").click()
    mine = page.locator("li.achievement", has_text=note)
    expect(mine.locator(".pill")).to_have_text("recorded")
    expect(mine).to_contain_text("12500.00 GBP")
    stay_put(page)
    lena = person("lena")
    lena_page = lena.open("#/achievements")
    theirs = lena_page.locator("li.achievement", has_text=note)

    theirs.get_by_role("button", name=re.compile("^Verify")).click()

    expect(theirs.locator(".pill")).to_have_text("verified")
    expect(theirs.locator(".item-title")).to_be_focused()  # not dropped on <body>
    expect(mine.locator(".pill")).to_have_text("verified")
    expect(mine).to_contain_text("Verified by Lena Park")
    expect(mine.get_by_role("button", name=re.compile("^Verify"))).to_have_count(0)
    assert never_reloaded(page)
    lena.snap("achievements")


def test_a_money_achievement_without_an_amount_is_refused_beside_the_field(person):
    rosa = person("rosa")
    page = rosa.open("#/achievements")
    page.get_by_label("Kind").select_option("revenue")
    page.get_by_label("Currency").fill("GBP")

    page.get_by_role("button", name="Log achievement").click()

    expect(page.get_by_label("Amount")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("[data-field=value] .field-error")).to_have_text(
        "An amount is needed for this kind."
    )
    page.get_by_label("Kind").select_option("meeting")
    expect(page.get_by_label("Amount")).to_be_hidden()


def test_a_rep_retracts_their_own_achievement_with_a_reason(person):
    priya = person("priya")
    page = priya.open("#/achievements")
    note = f"Webinar for Hooli {uuid.uuid4().hex[:6]}"
    page.get_by_label("Kind").select_option("training_completed")
    page.get_by_label("Note").fill(note)
    page.get_by_role("button", name="Log achievement").click()
    mine = page.locator("li.achievement", has_text=note)
    mine.get_by_text("Retract…").click()

    mine.get_by_label("Why retract it?").fill("Logged it in the wrong team.")
    mine.get_by_role(
        "button", name=re.compile(r"^Retract your training completed of ")
    ).click()

    expect(mine.locator(".pill")).to_have_text("retracted")
    expect(mine).to_contain_text("Logged it in the wrong team.")
    expect(mine.get_by_text("Retract…")).to_have_count(0)


def test_a_rep_proposes_a_target_and_the_leader_agrees_it(person):
    sam = person("sam")
    page = sam.open("#/targets")
    next_year = str(datetime.now(TEAM_ZONE).year + 1)
    propose(page, "points", "Next year", "750")
    mine = page.get_by_role("list", name="My targets").locator(
        "li", has_text=f"Points · {next_year}"
    )
    expect(mine.locator(".pill").first).to_have_text("proposed")
    stay_put(page)
    lena = person("lena")
    lena_page = lena.open("#/targets")
    proposal = to_agree(lena_page, f"Sam Okafor: Points · {next_year}")
    expect(proposal).to_contain_text("750")

    proposal.get_by_role("button", name=re.compile("^Agree")).click()

    expect(proposal).to_have_count(0)
    team = lena_page.get_by_role("list", name="Team targets")
    agreed = team.locator("li", has_text=f"Sam Okafor: Points · {next_year}")
    expect(agreed.locator(".pill").first).to_have_text("agreed")
    expect(mine.locator(".pill").first).to_have_text("agreed")
    expect(mine).to_contain_text("Agreed by Lena Park")
    assert never_reloaded(page)
    mine.get_by_text("History").click()
    expect(mine.locator("ol.timeline li")).to_have_count(2)
    lena.snap("targets")


def test_a_leader_revising_without_a_reason_sees_the_error_beside_the_field(person):
    rosa = person("rosa")
    rosa_page = rosa.open("#/targets")
    propose(rosa_page, "deals_won", "Next quarter", "6")
    expect(
        rosa_page.get_by_role("list", name="My targets").locator(
            "li", has_text="Deals won"
        )
    ).not_to_have_count(0)
    lena = person("lena")
    page = lena.open("#/targets")
    proposal = to_agree(page, "Rosa Diaz: Deals won")
    proposal.get_by_text("Revise…").click()
    proposal.get_by_label("New value").fill("8")

    proposal.get_by_role("button", name="Revise", exact=True).click()

    reason = proposal.locator("[data-field=reason]")
    expect(reason.get_by_label("Reason")).to_have_attribute("aria-invalid", "true")
    expect(reason.locator(".field-error")).to_be_visible()
    expect(reason.locator(".field-error")).not_to_be_empty()
    expect(proposal.locator(".pill").first).to_have_text("proposed")


def test_the_leader_publishes_a_charter_and_sees_a_rep_acknowledge_it_live(person):
    lena = person("lena")
    page = lena.open("#/charter")
    expect(page.locator(".charter-text")).to_be_visible()  # loaded: the form is filled
    text = f"We win together, {uuid.uuid4().hex[:6]}.\n\nWe tell customers the truth."
    page.get_by_label("Charter text").fill(text)

    page.get_by_role("button", name=re.compile("^Publish version")).click()

    expect(page.locator(".charter-text")).to_have_text(text)
    expect(page.locator(".charter-text")).to_have_css("white-space", "pre-wrap")
    version = page.locator("#charter-title").inner_text().removeprefix("Version ")
    pending = page.get_by_role("list", name=re.compile("^Not yet"))
    done = page.get_by_role("list", name=re.compile("^Acknowledged"))
    expect(pending).to_contain_text("Priya Nair")
    expect(done).to_contain_text("Nobody yet")
    stay_put(page)
    priya = person("priya")
    priya_page = priya.open("#/charter")
    priya_page.get_by_role("button", name=f"I acknowledge version {version}").click()
    expect(priya_page.locator(".acknowledged")).to_contain_text(
        f"You acknowledged version {version}"
    )

    expect(done).to_contain_text("Priya Nair")
    expect(pending).not_to_contain_text("Priya Nair")
    assert never_reloaded(page)
    lena.snap("charter")


def test_a_charter_draft_begun_before_a_newer_version_is_refused_not_published_over_it(
    person,
):
    lena = person("lena")
    page = lena.open("#/charter")
    expect(page.locator(".charter-text")).to_be_visible()  # loaded: the form is filled
    draft = f"My draft, {uuid.uuid4().hex[:6]}: we listen first."
    page.get_by_label("Charter text").fill(draft)
    team_id = api(page, "GET", "/me")["teams"][0]["id"]
    started_from = api(page, "GET", f"/teams/{team_id}/charter")["version"]
    meanwhile = f"Published meanwhile, {uuid.uuid4().hex[:6]}."
    api(
        page,
        "POST",
        f"/teams/{team_id}/charter",
        {"text": meanwhile},
        **{"If-Match": str(started_from)},
    )
    newer = started_from + 1
    expect(page.locator("#charter-title")).to_have_text(f"Version {newer}")  # seen live

    page.get_by_role("button", name=re.compile("^Publish version")).click()

    form = page.locator("form.publish-charter")
    expect(form.get_by_role("alert")).to_contain_text(
        f"Version {newer} was published while you were writing"
    )
    expect(page.get_by_label("Charter text")).to_have_value(draft)
    assert api(page, "GET", f"/teams/{team_id}/charter")["text"] == meanwhile
    lena.snap("charter-conflict")
    page.get_by_role("button", name=f"Publish version {newer + 1}").click()
    expect(page.locator(".charter-text")).to_have_text(draft)  # now deliberately
