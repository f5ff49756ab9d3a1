"""What holds on every page: phones, the keyboard, text never markup, one origin."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.ui import outside_requests

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
    due = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    form = page.get_by_role("form", name="Make a commitment")
    form.get_by_label("Title").fill(title)
    form.get_by_label("Due date and time").fill(due)

    form.get_by_role("button", name="Make commitment").click()

    expect(page.get_by_role("link", name=title)).to_be_visible()
    dashboard = ravi.open("#/")
    expect(dashboard.locator(".feed").get_by_text(title)).to_be_visible()
    assert dashboard.locator("main img[src='x']").count() == 0
    assert dashboard.evaluate("window.markupRan === true") is False
