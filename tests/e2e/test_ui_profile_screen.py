"""The profile page and the team screen on a TV, in Chromium against gunicorn."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import APIRequestContext, Browser, BrowserContext, Page, expect

from tests.e2e.sockets import Member
from tests.e2e.ui import PASSWORD, Person

# A login made through the API meets the password policy (the demo's predate it).
NINA_PASSWORD = "nina two-teams password"

pytestmark = pytest.mark.e2e

ANONYMOUS = "A teammate"
SETUP_TEXT = "Ask your team leader for a screen link"


@dataclass
class Caller:
    """Someone speaking to the API over HTTP with their own session cookie."""

    request: APIRequestContext
    csrf: str
    user_id: str
    team_id: str

    def send(self, method: str, path: str, body: Any = None) -> Any:
        """Send a command; assert it succeeded; return its JSON body, if any."""
        response = self.request.fetch(
            f"/api/v1{path}",
            method=method,
            data=body,
            headers={"X-CSRF-Token": self.csrf},
        )
        assert response.ok, f"{method} {path}: {response.status} {response.text()}"
        return response.json() if response.status != 204 else None

    def read(self, path: str, **params: Any) -> Any:
        """GET a path of the API; return its JSON body."""
        response = self.request.get(f"/api/v1{path}", params=params)
        assert response.ok, f"GET {path}: {response.status} {response.text()}"
        return response.json()


@pytest.fixture
def api(browser: Browser, demo_site: str) -> Iterator[Callable[..., Caller]]:
    """Sign a demo login in over HTTP only: api("rosa") → a Caller."""
    contexts: list[BrowserContext] = []

    def sign_in(name: str, password: str = PASSWORD) -> Caller:
        context = browser.new_context(base_url=demo_site)
        contexts.append(context)
        login = {"email": f"{name}@wolfpack.test", "password": password}
        response = context.request.post("/api/v1/auth/login", data=login)
        assert response.ok, response.text()
        me = context.request.get("/api/v1/me").json()
        team = next(t for t in me["teams"] if t["name"] == "Enterprise North")
        return Caller(context.request, me["csrf_token"], me["user"]["id"], team["id"])

    yield sign_in
    for context in contexts:
        context.close()


@pytest.fixture
def screen(browser: Browser, demo_site: str) -> Iterator[Callable[[str], Person]]:
    """Open the team screen in a browser with no session: screen("#wps_…")."""
    opened: list[tuple[BrowserContext, Person]] = []

    def open_screen(fragment: str = "") -> Person:
        context = browser.new_context(
            base_url=demo_site, viewport={"width": 1600, "height": 900}
        )
        page = context.new_page()
        tv = Person(page, "team screen")
        page.on("pageerror", lambda error: tv.errors.append(str(error)))
        page.goto(f"/screen{fragment}")
        opened.append((context, tv))
        return tv

    yield open_screen
    for context, _ in opened:
        context.close()
    for _, tv in opened:
        assert not tv.errors, f"JavaScript errors on the team screen: {tv.errors}"


def new_screen_token(lena: Caller) -> dict[str, Any]:
    """Issue a screen token for Enterprise North as its leader."""
    name = f"TV {uuid.uuid4().hex[:6]}"
    return lena.send("POST", f"/teams/{lena.team_id}/screen-tokens", {"name": name})


def commit(rep: Caller, title: str) -> dict[str, Any]:
    """Make a commitment due tomorrow, as the rep."""
    due = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    body = {"team_id": rep.team_id, "title": title, "due_at": due}
    return rep.send("POST", "/commitments", body)


def board_points(page: Page, name: str) -> Any:
    """The points cell of someone's row on a points board."""
    row = page.locator("table.board tbody tr").filter(
        has=page.locator("th.name", has_text=re.compile(f"^{re.escape(name)}$"))
    )
    return row.locator("td.num").first


def open_profile(someone: Person, name: str, route: str = "#/profile") -> Page:
    """Open a profile and wait for it (the page shown before has a heading too)."""
    page = someone.open(route)
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    return page


def receipt_points(page: Page) -> list[int]:
    """The points column of the receipts table, as numbers."""
    cells = page.locator("table.receipts tbody td.points").all_inner_texts()
    return [int(cell) for cell in cells]


def test_a_rep_sees_their_badges_reliability_and_the_receipts_behind_their_points(
    person, api
):
    ravi = person("ravi")
    own = api("ravi")
    page = open_profile(ravi, "Ravi Shah")

    page.get_by_label("Period", exact=True).select_option("all")
    expect(page.locator(".points-total")).to_contain_text("points in all time")

    awards = own.read(f"/users/{own.user_id}/badges")
    assert any(award["tier"] for award in awards)
    for award in awards:
        card = page.locator(".badges .badge").filter(
            has=page.get_by_role("heading", name=award["name"], exact=True)
        )
        expect(card).to_contain_text((award["tier"] or "Earned").capitalize())
    expect(page.locator(".badges .medal-icon.bronze").first).to_be_visible()
    reliability = own.read(f"/users/{own.user_id}/reliability")
    for key in ("kept", "missed", "open", "overdue", "streak", "best_streak"):
        expect(page.locator(f"dd[data-stat={key}]")).to_have_text(str(reliability[key]))
    ratio = f"{round(reliability['say_do_ratio'] * 100)}%"
    expect(page.locator("dd[data-stat=say_do_ratio]")).to_have_text(ratio)
    points = own.read(f"/users/{own.user_id}/points", period="all", explain="true")
    expect(page.locator(".points-total .total-figure")).to_have_text(
        str(points["total"])
    )
    expect(page.locator("table.receipts tbody tr")).to_have_count(
        len(points["receipts"])
    )
    shown = receipt_points(page)
    assert shown == [r["points"] for r in points["receipts"]]
    assert sum(shown) == points["total"]
    expect(page.locator("table.receipts tfoot td.total")).to_have_text(
        str(points["total"])
    )
    kept = page.locator("table.receipts tbody tr", has_text="Commitment kept").first
    expect(kept.get_by_role("link")).to_have_attribute(
        "href", re.compile(r"^#/commitments/[0-9a-f-]{36}$")
    )
    page.locator(".badge", has_text="First promise kept").get_by_text("Why").click()
    why = page.locator(".badge", has_text="First promise kept").locator(".why a")
    expect(why).to_have_attribute("href", re.compile(r"^#/commitments/"))
    ravi.snap("profile")


def test_the_profile_counts_new_points_live_without_a_reload(person, api):
    ravi = person("ravi")
    own = api("ravi")
    page = open_profile(ravi, "Ravi Shah")
    page.get_by_label("Period", exact=True).select_option("all")
    expect(page.locator(".points-total")).to_contain_text("points in all time")
    before = own.read(f"/users/{own.user_id}/points", period="all")["total"]
    expect(page.locator(".points-total .total-figure")).to_have_text(str(before))
    page.evaluate("window.stillHere = true")

    commit(own, f"Call the Initech buyer {uuid.uuid4().hex[:6]}")

    after = own.read(f"/users/{own.user_id}/points", period="all")["total"]
    assert after > before
    expect(page.locator(".points-total .total-figure")).to_have_text(str(after))
    assert sum(receipt_points(page)) == after
    assert page.evaluate("window.stillHere") is True


def test_points_over_two_teams_say_how_they_split(person, api, demo_site):
    admin = Member(demo_site, "admin@wolfpack.test", PASSWORD)
    name = f"nina{uuid.uuid4().hex[:6]}"
    nina = admin.created(
        "/users",
        {
            "name": "Nina Two-Teams",
            "email": f"{name}@wolfpack.test",
            "password": NINA_PASSWORD,
        },
    )
    teams = {
        t["name"]: t["id"] for t in admin.http.get(f"{demo_site}/api/v1/teams").json()
    }
    for team in ("Enterprise North", "Mid-Market South"):
        added = admin.post(
            f"/teams/{teams[team]}/members", {"user_id": nina["id"], "role": "rep"}
        )
        assert added.status_code in (200, 201), added.text
    admin.close()
    own = api(name, NINA_PASSWORD)
    commit(own, "North call")
    commit(own, "Another North call")
    commit(replace(own, team_id=teams["Mid-Market South"]), "South call")

    page = open_profile(person(name, password=NINA_PASSWORD), "Nina Two-Teams")

    total = page.locator(".points-total")
    expect(total).to_contain_text("3 points in")
    expect(total).to_contain_text(": 2 in Enterprise North, 1 in Mid-Market South")


def test_hiding_my_name_on_the_team_screen_persists_after_a_reload(person, api):
    priya = person("priya")
    page = open_profile(priya, "Priya Nair")
    choice = page.get_by_label("Hide my name on the team screen")
    expect(choice).not_to_be_checked()
    expect(choice).to_be_enabled()

    choice.check()
    expect(page.locator(".pref-status")).to_contain_text("Saved")
    page.reload()

    choice = page.get_by_label("Hide my name on the team screen")
    expect(choice).to_be_checked()
    assert api("priya").read("/me/preferences") == {"hide_on_team_screen": True}
    choice.uncheck()
    expect(page.locator(".pref-status")).to_contain_text("Saved")
    page.reload()
    expect(page.get_by_label("Hide my name on the team screen")).not_to_be_checked()


def test_a_preference_the_server_refuses_is_put_back_and_said_so(person):
    rosa = person("rosa")
    page = open_profile(rosa, "Rosa Diaz")
    choice = page.get_by_label("Hide my name on the team screen")
    expect(choice).to_be_enabled()
    before = choice.is_checked()
    said = {"code": "unavailable", "message": "Try again soon.", "fields": {}}
    refusal = {"error": said}
    page.route(
        "**/api/v1/me/preferences",
        lambda route: (
            route.fulfill(status=503, json=refusal)
            if route.request.method == "PUT"
            else route.continue_()
        ),
    )

    choice.click()

    expect(page.locator(".pref-status")).to_contain_text("Not saved.")
    expect(page.locator("form.preferences").get_by_role("alert")).to_have_text(
        "Try again soon."
    )
    expect(choice).to_be_checked(checked=before)  # as saved: nothing changed
    expect(choice).to_be_enabled()


def test_a_teammates_profile_shows_their_record_but_not_my_preferences(person, api):
    rosa = api("rosa")
    ravi = person("ravi")

    page = open_profile(ravi, "Rosa Diaz", f"#/profile/{rosa.user_id}")

    expect(page.get_by_role("heading", level=1)).to_have_text("Rosa Diaz")
    expect(page.locator("dd[data-stat=kept]")).to_have_text(
        str(rosa.read(f"/users/{rosa.user_id}/reliability")["kept"])
    )
    expect(page.locator(".badges .badge").first).to_be_visible()
    expect(page.get_by_label("Hide my name on the team screen")).to_have_count(0)


def test_the_team_screen_shows_the_board_and_feed_and_follows_the_team_live(
    api, screen
):
    lena, rosa = api("lena"), api("rosa")
    token = new_screen_token(lena)["token"]

    tv = screen(f"#{token}")
    page = tv.page

    expect(page.get_by_role("heading", name="Enterprise North")).to_be_visible()
    expect(page.locator("#live-status")).to_have_text("Live")
    expect(board_points(page, "Rosa Diaz")).to_be_visible()
    expect(page.locator(".feed .feed-item").first).to_be_visible()
    assert page.evaluate("location.hash") == ""
    assert token not in page.url
    assert page.evaluate("localStorage.getItem('wolfpack.screenToken')") == token
    page.evaluate("window.stillHere = true")

    title = f"Demo the dashboard to Hooli {uuid.uuid4().hex[:6]}"
    made = commit(rosa, title)
    rosa.send("POST", f"/commitments/{made['id']}/keep", {"evidence": "Done"})

    newest = page.locator(".feed .feed-item").first
    expect(newest).to_contain_text(f'Rosa Diaz kept "{title}"')
    board = rosa.read(f"/teams/{rosa.team_id}/leaderboard")
    rosa_now = next(r for r in board["rows"] if r["name"] == "Rosa Diaz")
    expect(board_points(page, "Rosa Diaz")).to_have_text(str(rosa_now["points"]))

    rosa.send("POST", "/achievements", {"team_id": rosa.team_id, "kind": "meeting"})

    expect(newest).to_contain_text("Rosa Diaz logged an achievement: meeting")
    assert page.evaluate("window.stillHere") is True
    tv.snap("team-screen")


def test_a_member_who_hid_their_name_is_anonymous_on_the_team_screen(api, screen):
    lena, sam = api("lena"), api("sam")
    sam.send("PUT", "/me/preferences", {"hide_on_team_screen": True})
    try:
        tv = screen(f"#{new_screen_token(lena)['token']}")
        page = tv.page
        expect(page.locator("#live-status")).to_have_text("Live")

        expect(board_points(page, ANONYMOUS)).to_be_visible()
        expect(page.locator("main")).not_to_contain_text("Sam Okafor")
        title = f"Chase the Umbrella renewal {uuid.uuid4().hex[:6]}"
        commit(sam, title)

        newest = page.locator(".feed .feed-item").first
        expect(newest).to_contain_text(f'{ANONYMOUS} committed to "{title}"')
        expect(page.locator("main")).not_to_contain_text("Sam Okafor")
    finally:
        sam.send("PUT", "/me/preferences", {"hide_on_team_screen": False})


def test_a_revoked_screen_link_shows_the_setup_card_until_a_live_one_is_pasted(
    api, screen
):
    lena = api("lena")
    revoked, fresh = new_screen_token(lena), new_screen_token(lena)
    tv = screen(f"#{revoked['token']}")
    page = tv.page
    expect(page.locator("#live-status")).to_have_text("Live")

    lena.send("DELETE", f"/teams/{lena.team_id}/screen-tokens/{revoked['id']}")

    expect(page.get_by_text(SETUP_TEXT)).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("no longer works")
    page.reload()
    expect(page.get_by_text(SETUP_TEXT)).to_be_visible()
    link = page.get_by_label("Screen link or token")
    link.fill("not a link")
    page.get_by_role("button", name="Show the team board").click()
    expect(page.locator("[data-field=token] .field-error")).to_contain_text("wps_")
    link.fill(f"http://tv.example/screen#{revoked['token']}")
    page.get_by_role("button", name="Show the team board").click()
    expect(page.locator("[data-field=token] .field-error")).to_contain_text("revoked")
    link.fill(f"http://tv.example/screen#{fresh['token']}")
    page.get_by_role("button", name="Show the team board").click()
    expect(page.get_by_role("heading", name="Enterprise North")).to_be_visible()
    expect(page.locator("#live-status")).to_have_text("Live")


def test_the_team_screen_without_a_token_asks_for_a_screen_link(screen):
    tv = screen()

    expect(tv.page.get_by_text(SETUP_TEXT)).to_be_visible()
    expect(tv.page.get_by_label("Screen link or token")).to_be_focused()
