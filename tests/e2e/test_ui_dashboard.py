"""The sign-in page and the team dashboard, in Chromium against gunicorn."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.sockets import Member
from tests.e2e.ui import Cable, fill_commitment, outside_requests, sign_in

pytestmark = pytest.mark.e2e


def test_a_rep_signs_in_and_sees_the_team_board(browser, demo_site):
    context = browser.new_context(base_url=demo_site)
    page = context.new_page()
    elsewhere = outside_requests(page, demo_site)
    page.goto("/")

    sign_in(page, "ravi@wolfpack.test")

    expect(page.get_by_role("heading", name="Enterprise North")).to_be_visible()
    board = page.locator(".board-card table.board")
    expect(board.get_by_role("row", name="Ravi Shah")).to_be_visible()
    expect(page.locator(".feed .feed-item").first).to_be_visible()
    assert elsewhere == []
    context.close()


def test_a_wrong_password_is_refused_beside_the_form(browser, demo_site):
    context = browser.new_context(base_url=demo_site)
    page = context.new_page()
    page.goto("/")

    page.get_by_label("Email").fill("ravi@wolfpack.test")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")
    context.close()


def keep_a_new_commitment(member: Member, team_id: str, title: str) -> None:
    """Make a commitment due tomorrow and keep it at once (points on the board)."""
    due = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    made = member.created(
        "/commitments", {"team_id": team_id, "title": title, "due_at": due}
    )
    kept = member.post(f"/commitments/{made['id']}/keep", {"evidence": "Done"})
    assert kept.status_code == 200, kept.text


def team_of(member: Member) -> str:
    return member.http.get(f"{member.base_url}/api/v1/me", timeout=10).json()["teams"][
        0
    ]["id"]


def points_cell(page: Page, name: str) -> Locator:
    row = page.locator(".board-card table.board").get_by_role("row", name=name)
    return row.locator("td.num").first


def points_of(page: Page, name: str) -> str:
    return points_cell(page, name).inner_text()


def test_a_dropped_connection_reconnects_and_catches_up(browser, demo_site):
    context = browser.new_context(base_url=demo_site)
    page = context.new_page()
    cable = Cable(page)
    page.goto("/")
    sign_in(page, "lena@wolfpack.test")
    expect(page.locator(".feed .feed-item").first).to_be_visible()
    before = points_of(page, "Sam Okafor")
    sam = Member(demo_site, "sam@wolfpack.test", "wolfpack")
    title = f"Demo for Globex {uuid.uuid4().hex[:6]}"

    cable.unplug()
    expect(page.locator("#live-status")).not_to_have_text("Live")
    keep_a_new_commitment(sam, team_of(sam), title)
    page.wait_for_timeout(500)  # pushes would have arrived by now: none can
    assert points_of(page, "Sam Okafor") == before
    cable.plug()

    expect(page.locator("#live-status")).to_have_text("Live", timeout=15_000)
    expect(page.locator(".feed").get_by_text(title).first).to_be_visible()
    expect(points_cell(page, "Sam Okafor")).not_to_have_text(before)
    sam.close()
    context.close()


def test_time_travel_shows_the_board_as_it_was_and_returns_to_live(person):
    lena = person("lena")
    page = lena.open("#/")
    expect(page.locator(".board-note")).to_contain_text("Live")

    page.get_by_label("Show the board as of").fill("2020-01-01T09:00")
    page.get_by_role("button", name="Show", exact=True).click()

    expect(page.locator(".board-card .load-error")).to_be_empty()
    # This month, for a past board, is the month of that moment.
    expect(page.locator(".board-note")).to_contain_text("2020-01 as it was on")
    expect(page.locator(".board-card")).to_contain_text("Nobody on this board yet.")
    lena.snap("dashboard-time-travel")
    page.get_by_role("button", name="Back to live").click()
    expect(page.locator(".board-note")).to_contain_text("Live")
    expect(
        page.locator(".board-card table.board").get_by_role("row", name="Rosa Diaz")
    ).to_be_visible()


def test_a_refused_moment_says_why_and_leaves_the_board_live(person, demo_site):
    lena = person("lena")
    page = lena.open("#/")
    before = points_of(page, "Priya Nair")

    page.get_by_label("Show the board as of").fill("1900-01-01T09:00")
    page.get_by_role("button", name="Show", exact=True).click()

    travel = page.get_by_role("form", name="Time travel")
    expect(travel).to_contain_text("Must be between 1970 and 2199.")
    expect(page.locator(".board-card .load-error")).to_be_empty()
    expect(page.locator(".board-note")).to_contain_text("Live")
    expect(page.get_by_role("button", name="Back to live")).to_be_disabled()
    priya = Member(demo_site, "priya@wolfpack.test", "wolfpack")
    keep_a_new_commitment(priya, team_of(priya), f"Call Hooli {uuid.uuid4().hex[:6]}")
    expect(points_cell(page, "Priya Nair")).not_to_have_text(before)
    priya.close()


def test_back_to_live_that_fails_says_so_and_still_follows_pushes(person, demo_site):
    lena = person("lena")
    page = lena.open("#/")
    page.get_by_label("Show the board as of").fill("2020-01-01T09:00")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator(".board-note")).to_contain_text("as it was on")
    page.route("**/leaderboard**", lambda route: route.fulfill(status=503))

    page.get_by_role("button", name="Back to live").click()

    expect(page.locator(".board-card .load-error")).to_contain_text(
        "Could not load the board"
    )
    page.unroute("**/leaderboard**")
    priya = Member(demo_site, "priya@wolfpack.test", "wolfpack")
    keep_a_new_commitment(
        priya, team_of(priya), f"Call Pied Piper {uuid.uuid4().hex[:6]}"
    )
    expect(page.locator(".board-note")).to_contain_text("Live")
    expect(page.locator(".board-card .load-error")).to_be_empty()
    priya.close()


def test_the_period_and_board_switches_change_the_board(person):
    page = person("rosa").open("#/")

    page.get_by_label("Period").select_option("all")
    expect(page.locator(".board-note")).to_contain_text("· all ·")
    page.get_by_label("Board", exact=True).select_option("percent_to_target")
    expect(page.get_by_label("Target metric")).to_be_visible()
    expect(page.get_by_label("Target metric")).to_have_value("revenue")
    expect(page.locator(".board-card thead")).to_contain_text("Progress")
    page.get_by_label("Board", exact=True).select_option("most_improved")
    expect(page.locator(".board-card thead")).to_contain_text("Change")
    expect(page.get_by_label("Period")).to_have_value("month")


def test_a_kept_commitment_moves_a_teammates_board_live_without_reload(person):
    lena = person("lena")
    board = lena.open("#/")
    board.evaluate("window.notReloaded = true")
    before = points_of(board, "Ravi Shah")
    ravi = person("ravi").open("#/commitments")
    title = f"Send the Initech quote {uuid.uuid4().hex[:6]}"
    form = fill_commitment(ravi, title, days=1)
    form.get_by_role("button", name="Make commitment").click()
    item = ravi.get_by_role("list", name="Open commitments").get_by_role(
        "listitem", name=title
    )
    item.locator("summary", has_text="Keep").click()

    item.get_by_role("button", name="Mark kept").click()

    expect(points_cell(board, "Ravi Shah")).not_to_have_text(before)
    expect(board.locator(".feed").get_by_text(title).first).to_be_visible()
    assert board.evaluate("window.notReloaded") is True
    lena.snap("dashboard")
