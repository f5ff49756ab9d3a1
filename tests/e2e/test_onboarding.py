"""A company's first hour: first admin, a team, 40 reps from a CSV, the leader joins."""

from __future__ import annotations

import shlex
import time
from collections import Counter

import pytest
import requests
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
    lines = page.evaluate("navigator.clipboard.readText()").splitlines()
    # One of the reps turns out to lead too: a second leader, made on the team page.
    page.get_by_role("link", name="Teams").click()
    page.get_by_role("link", name=TEAM).click()
    page.get_by_role("button", name="Make Rep 01 a leader").click()
    expect(page.get_by_role("button", name="Make Rep 01 a rep")).to_be_visible()
    admin_seconds = time.monotonic() - started

    links = dict(line.split("\t") for line in lines)
    assert len(links) == REPS + 1
    print(
        f"\nThe admin's part, sign-in to {REPS + 1} invitations sent and a second "
        f"leader made: {admin_seconds:.1f} s"
    )

    for invitee, password in (
        ("lea@acme.test", LEADER_PASSWORD),
        ("rep01@acme.test", "rep one's long password"),
    ):
        leader = context.browser.new_context(base_url=live_server.url).new_page()
        accept_in_the_browser(leader, links[invitee], password)
        leader.get_by_role("link", name="Leader", exact=True).click()
        people = leader.get_by_role("region", name="People")
        expect(people.locator(".team-member")).to_have_count(REPS + 1)
        leader.context.close()
    # The other 39 reps open their links: each page makes this one request.
    for n in range(2, REPS + 1):
        token = links[f"rep{n:02}@acme.test"].split("token=", 1)[1]
        accepted = page.request.post(
            "/api/v1/auth/accept-invitation",
            data={"token": token, "password": f"rep {n:02}'s long password"},
        )
        assert accepted.ok, accepted.text()
    everyone_joined_and_every_change_is_in_the_admin_log(live_server, email)
    context.close()
    assert not errors


def accept_in_the_browser(page: Page, link: str, password: str) -> None:
    """Open an invitation link, set a password, land on the team's dashboard."""
    page.goto(link)
    page.get_by_label("New password", exact=True).fill(password)
    page.get_by_label("New password again").fill(password)
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page.locator(SHOWN_HEADING)).to_have_text(TEAM)


def everyone_joined_and_every_change_is_in_the_admin_log(
    server: LiveServer, admin_email: str
) -> None:
    admin = requests.Session()
    signed_in = admin.post(
        f"{server.url}/api/v1/auth/login",
        json={"email": admin_email, "password": ADMIN_PASSWORD},
    )
    assert signed_in.ok
    invited = admin.get(f"{server.url}/api/v1/users", params={"status": "invited"})
    assert invited.json() == []
    log = admin.get(f"{server.url}/api/v1/admin/log", params={"limit": 500}).json()
    by_admin = Counter(e["action"] for e in log if e["actor_name"] == "Ada Admin")
    assert by_admin == {
        "team.created": 1,
        "team.updated": 1,  # its currency, set by the same form
        "user.created": REPS + 1,
        "member.added": REPS + 1,
        "user.invited": REPS + 1,
        "member.role_changed": 1,
    }
    joined = [e for e in log if e["action"] == "user.password_set"]
    assert len(joined) == REPS + 1
    assert all(e["data"]["how"] == "invitation" for e in joined)
