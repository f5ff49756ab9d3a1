"""What holds on every page: phones, the keyboard, text never markup, one origin."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Route, expect

from tests.e2e.ui import fill_commitment, outside_requests, sign_in

pytestmark = pytest.mark.e2e

ROUTES = [
    "#/",
    "#/commitments",
    "#/endorse",
    "#/achievements",
    "#/targets",
    "#/charter",
    "#/mentoring",
    "#/leader",
    "#/profile",
]
PHONE = (390, 844)


def test_every_page_fits_a_phone_and_loads_nothing_from_elsewhere(person, demo_site):
    lena = person("lena", viewport=PHONE)
    elsewhere = outside_requests(lena.page, demo_site)

    for route in ROUTES:
        page = lena.open(route)
        page.wait_for_load_state("networkidle")
        overflow = page.evaluate(
            "document.scrollingElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, f"{route} is {overflow}px wider than a phone"

    lena.snap("phone-leader")
    assert elsewhere == []


@pytest.mark.parametrize("login", ["admin", "marco", "priya"])
def test_every_demo_login_opens_every_page_without_a_failure(person, login):
    someone = person(login)
    failures: list[str] = []
    someone.page.on(
        "response",
        lambda response: response.status >= 500 and failures.append(response.url),
    )

    for route in ROUTES:
        someone.open(route).wait_for_load_state("networkidle")

    assert failures == []


def test_a_person_signs_in_and_moves_around_with_the_keyboard_alone(browser, demo_site):
    context = browser.new_context(base_url=demo_site)
    page = context.new_page()
    page.goto("/")
    expect(page.get_by_label("Email")).to_be_focused()

    page.keyboard.type("priya@wolfpack.test")
    page.keyboard.press("Tab")
    page.keyboard.type("wolfpack")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Enterprise North")).to_be_focused()
    commitments = page.get_by_role("link", name="Commitments", exact=True)
    for _ in range(20):  # back from the page's heading, up through the header
        page.keyboard.press("Shift+Tab")
        if commitments.evaluate("link => link === document.activeElement"):
            break
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="My commitments")).to_be_focused()
    expect(commitments).to_have_attribute("aria-current", "page")
    context.close()


def test_what_people_type_is_shown_as_text_never_as_markup(person):
    ravi = person("ravi")
    page = ravi.open("#/commitments")
    page.evaluate("window.markupRan = false")
    title = f'<img src="x" onerror="window.markupRan = true"> {uuid.uuid4().hex[:6]}'
    form = fill_commitment(page, title)

    form.get_by_role("button", name="Make commitment").click()

    expect(page.get_by_role("link", name=title)).to_be_visible()
    dashboard = ravi.open("#/")
    expect(dashboard.locator(".feed").get_by_text(title)).to_be_visible()
    assert dashboard.locator("main img[src='x']").count() == 0
    assert dashboard.evaluate("window.markupRan === true") is False


def test_sending_again_after_a_lost_answer_records_the_commitment_once(person):
    ravi = person("ravi")
    page = ravi.open("#/commitments")
    lost: list[int] = []

    def lose_the_first_answer(route: Route) -> None:
        if route.request.method == "POST" and not lost:
            lost.append(route.fetch().status)  # the server records it...
            route.abort()  # ...but its answer never reaches the page
        else:
            route.continue_()

    page.route("**/api/v1/commitments", lose_the_first_answer)
    title = f"Book the Umbrella demo {uuid.uuid4().hex[:6]}"
    form = fill_commitment(page, title)
    form.get_by_role("button", name="Make commitment").click()
    expect(form.get_by_role("alert")).to_contain_text("Cannot reach Wolfpack")

    form.get_by_role("button", name="Make commitment").click()

    expect(page.get_by_role("link", name=title)).to_have_count(1)
    mine = page.request.get("/api/v1/commitments?status=open").json()
    assert [c["title"] for c in mine].count(title) == 1
    assert lost == [201]


def test_a_page_left_before_it_loaded_never_shows_up(person):
    sam = person("sam")
    page = sam.open("#/")
    some_id = page.request.get("/api/v1/commitments").json()[0]["id"]
    held: list[Route] = []
    one_commitment = re.compile(rf".*/api/v1/commitments/{some_id}$")
    page.route(one_commitment, lambda route: held.append(route))
    page.evaluate(f"location.hash = '#/commitments/{some_id}'")
    for _ in range(100):  # until that page waits for its answer
        if held:
            break
        page.wait_for_timeout(50)

    page.evaluate("location.hash = '#/achievements'")
    expect(page.get_by_role("heading", name="Achievements", level=1)).to_be_visible()
    held[0].continue_()
    page.wait_for_timeout(500)  # the commitment's answer has arrived by now

    expect(page.locator("main h1")).to_have_text(["Achievements"])
    assert page.title() == "Achievements · Wolfpack"


def test_a_proxys_error_page_is_reported_in_the_page_not_swallowed(browser, demo_site):
    context = browser.new_context(base_url=demo_site)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route(
        re.compile(r".*/api/v1/teams/[0-9a-f-]+/feed(\?.*)?$"),
        lambda route: route.fulfill(
            status=502, content_type="text/html", body="<h1>Bad Gateway</h1>"
        ),
    )
    page.goto("/")
    sign_in(page, "rosa@wolfpack.test")

    expect(page.locator(".feed .feed-error")).to_have_text(
        "Could not load the feed: The server answered 502."
    )
    expect(page.locator(".board-card table.board")).to_be_visible()
    assert errors == []
    context.close()
