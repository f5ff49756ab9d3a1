"""A company's first hour: first admin, a team, 40 reps from a CSV, the leader joins."""

from __future__ import annotations

import re
import shlex
import time

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import LiveServer
from tests.e2e.ui import SCREENSHOTS, SHOWN_HEADING, sign_in

pytestmark = pytest.mark.e2e

ADMIN_PASSWORD = "first admin's long password"
LEADER_PASSWORD = "leader's own long password"
TEAM = "Field Sales"
REPS = 40


def people_csv() -> str:
    """The spreadsheet: one leader and REPS reps, all in TEAM."""
    lines = ["email,name,team,role", f"lea@acme.test,Lea Leader,{TEAM},leader"]
    lines += [f"rep{n:02}@acme.test,Rep {n:02},{TEAM},rep" for n in range(1, REPS + 1)]
    return "\n".join(lines)


def create_the_first_admin_as_told(page: Page, server: LiveServer) -> str:
    """Run the command the sign-in page shows, with our email, name and password."""
    told = page.get_by_role("region", name="Nobody has an account yet")
    shown = told.locator("code").inner_text()
    command = shlex.split(shown.replace("\\\n", " "))  # one command on two lines
    assert command[:3] == ["flask", "--app", "wsgi"]
    email = "ada@acme.test"
    args = [email if a == "you@example.com" else a for a in command[3:]]
    args = ["Ada Admin" if a == "Your Name" else a for a in args]
    server.flask(*args, "--password", ADMIN_PASSWORD)
    return email


def test_a_first_admin_onboards_forty_reps_and_their_leader_joins(
    browser: Browser, live_server: LiveServer
):
    context = browser.new_context(base_url=live_server.url)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.get_by_role("heading", name="Nobody has an account yet").wait_for()
    page.screenshot(path=SCREENSHOTS / "first-run.png", full_page=True)
    email = create_the_first_admin_as_told(page, live_server)

    started = time.monotonic()
    page.reload()
    sign_in(page, email, ADMIN_PASSWORD)
    page.get_by_role("link", name="Admin").click()
    page.get_by_role("link", name="Teams").click()
    new_team = page.get_by_role("form", name="New team")
    new_team.get_by_label("Name").fill(TEAM)
    new_team.get_by_label("Time zone").select_option("Europe/Madrid")
    new_team.get_by_label("Currency").fill("EUR")
    new_team.get_by_role("button", name="Create team").click()
    expect(page.locator(SHOWN_HEADING)).to_have_text(TEAM)
    page.get_by_role("link", name="Import").click()
    page.get_by_label("People, as CSV").fill(people_csv())
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_text(f"{REPS + 1} to create")).to_be_visible()
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_role("dialog").get_by_role("button", name="Import").click()
    expect(page.get_by_text(f"{REPS + 1} created")).to_be_visible()
    page.get_by_role("button", name=f"Copy all {REPS + 1} links").click()
    admin_seconds = time.monotonic() - started

    lines = page.evaluate("navigator.clipboard.readText()").splitlines()
    links = dict(line.split("\t") for line in lines)
    assert len(links) == REPS + 1
    print(
        f"\nThe admin's part, sign-in to {REPS + 1} links copied: {admin_seconds:.1f} s"
    )

    leader = context.browser.new_context(base_url=live_server.url).new_page()
    leader.goto(links["lea@acme.test"])
    leader.get_by_label("New password", exact=True).fill(LEADER_PASSWORD)
    leader.get_by_label("New password again").fill(LEADER_PASSWORD)
    leader.get_by_role("button", name="Set password and sign in").click()
    expect(leader.locator(SHOWN_HEADING)).to_have_text(TEAM)
    leader.get_by_role("link", name="Leader", exact=True).click()
    people = leader.get_by_role("region", name="People")
    expect(people.locator(".team-member")).to_have_count(REPS + 1)
    expect(people.get_by_role("button", name=re.compile("^Remove Rep"))).to_have_count(
        REPS
    )
    leader.context.close()
    context.close()
    assert not errors
