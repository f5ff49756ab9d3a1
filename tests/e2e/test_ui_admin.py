"""The admin pages in Chromium: people, teams, invitations, access, who sees them."""

from __future__ import annotations

import re
from uuid import uuid4

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.sockets import Member
from tests.e2e.ui import PASSWORD, SHOWN_HEADING

pytestmark = pytest.mark.e2e

ADMIN_ROUTES = [
    "#/admin",
    "#/admin/teams",
    "#/admin/access",
    "#/admin/import",
    "#/admin/log",
]
PHONE = (390, 844)
TV = (1920, 1080)
WELCOME_LINK = re.compile(r"^http://127\.0\.0\.1:\d+/#/welcome\?token=[\w-]+$")


def people_rows(page: Page):
    """The rows of the people list (cards on a phone)."""
    return page.get_by_role("region", name="Everyone").locator("tbody tr")


def test_an_admin_creates_a_team_invites_a_person_into_it_and_copies_the_link(
    person,
):
    ada = person("admin")
    ada.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = ada.open("#/admin/teams")
    team = f"Inside Sales {uuid4().hex[:6]}"
    new_team = page.get_by_role("form", name="New team")

    new_team.get_by_label("Name").fill(team)
    new_team.get_by_label("Time zone").select_option("Europe/Berlin")
    new_team.get_by_label("Currency").fill("EUR")
    new_team.get_by_role("button", name="Create team").click()
    expect(page.locator(SHOWN_HEADING)).to_have_text(team)
    expect(page.locator("#team-select")).to_contain_text(team)  # no reload needed
    settings = page.get_by_role("form", name="Team settings")
    expect(settings.get_by_label("Time zone")).to_have_value("Europe/Berlin")
    expect(settings.get_by_label("Currency")).to_have_value("EUR")
    invite = page.get_by_role("form", name="Invite a person")
    email = f"nora{uuid4().hex[:6]}@wolfpack.test"
    invite.get_by_label("Name").fill("Nora Quinn")
    invite.get_by_label("Email").fill(email)
    invite.get_by_role("button", name="Invite").click()

    link = page.get_by_label("Invitation link")
    expect(link).to_have_value(WELCOME_LINK)
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_text("Copied: send it to Nora Quinn.")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == link.input_value()
    members = page.get_by_role("region", name="Members")
    expect(members.get_by_role("row", name=re.compile("Nora Quinn"))).to_contain_text(
        "rep"
    )
    ada.snap("admin-team")


def test_an_invitee_sets_a_password_and_lands_on_the_team_dashboard(
    person, browser, demo_site
):
    ada = person("admin")
    page = ada.open("#/admin")
    email = f"omar{uuid4().hex[:6]}@wolfpack.test"
    invite = page.get_by_role("form", name="Invite a person")
    invite.get_by_label("Name").fill("Omar Lind")
    invite.get_by_label("Email").fill(email)
    invite.get_by_label("Team").select_option(label="Mid-Market South")
    invite.get_by_role("button", name="Invite").click()
    url = page.get_by_label("Invitation link").input_value()
    context = browser.new_context(base_url=demo_site)
    invitee = context.new_page()
    errors: list[str] = []
    invitee.on("pageerror", lambda error: errors.append(str(error)))

    invitee.goto(url)
    expect(invitee.get_by_role("heading", name="Welcome to Wolfpack")).to_be_visible()
    assert "token" not in invitee.url
    invitee.get_by_label("New password", exact=True).fill("omar's own password")
    invitee.get_by_label("New password again").fill("omar's own password")
    invitee.get_by_role("button", name="Set password and sign in").click()

    expect(invitee.locator(SHOWN_HEADING)).to_have_text("Mid-Market South")
    expect(invitee.locator("#live-status")).to_have_text("Live")
    expect(page_people_status(page, email)).to_have_text("active")
    again = context.browser.new_context(base_url=demo_site).new_page()
    again.goto(url)
    again.get_by_label("New password", exact=True).fill("someone else's password")
    again.get_by_label("New password again").fill("someone else's password")
    again.get_by_role("button", name="Set password and sign in").click()
    expect(again.get_by_role("alert")).to_contain_text("already used")
    again.context.close()
    context.close()
    assert not errors


def page_people_status(page: Page, email: str):
    """The status pill of the person with `email`, after searching for them."""
    page.get_by_label("Search").fill(email)
    return people_rows(page).filter(has_text=email).locator(".pill").first


def test_a_non_admin_sees_no_admin_entry_and_admin_pages_say_admins_only(person):
    lena = person("lena")

    expect(lena.page.get_by_role("navigation", name="Main")).not_to_contain_text(
        "Admin"
    )
    for route in ADMIN_ROUTES:
        page = lena.open(route)
        expect(page.get_by_role("alert")).to_contain_text("Admins only")
        expect(page.get_by_role("navigation", name="Admin")).to_have_count(0)


def test_the_people_search_filters_by_name_or_email_and_status(person):
    ada = person("admin")
    page = ada.open("#/admin")
    # Everyone, fifty to a page (other tests add people: Rosa may be on a later one).
    expect(people_rows(page).first).to_be_visible()

    page.get_by_label("Search").fill("rOsA")
    expect(people_rows(page)).to_have_count(1)
    expect(people_rows(page)).to_contain_text("rosa@wolfpack.test")
    expect(page.get_by_role("status").filter(has_text="Showing")).to_have_text(
        "Showing 1\N{EN DASH}1 of 1"
    )
    page.get_by_label("Search").fill("priya@wolf")
    expect(people_rows(page)).to_have_count(1)
    expect(people_rows(page)).to_contain_text("Priya Nair")
    page.get_by_label("Search").fill("nobody-matches-this")
    expect(people_rows(page)).to_have_count(0)
    expect(page.get_by_text("No people match.")).to_be_visible()
    page.get_by_label("Search").fill("wolfpack.test")
    page.get_by_label("Show").select_option("invited")
    expect(people_rows(page).filter(has_text="Rosa Diaz")).to_have_count(0)


def test_deactivation_asks_first_and_closes_the_persons_open_dashboard(
    person, demo_site
):
    ada = person("admin")
    email = f"dora{uuid4().hex[:6]}@wolfpack.test"
    admin = Member(demo_site, "admin@wolfpack.test", PASSWORD)
    password = "dora's long password"
    dora_account = {"name": "Dora Vance", "email": email, "password": password}
    admin.created("/users", dora_account)
    dora = Member(demo_site, email, password)
    # Her dashboard is open in a browser too, connected live.
    dora_tab = person(email.split("@")[0], password=password).page
    page = ada.open("#/admin")
    page.get_by_label("Search").fill(email)

    page.get_by_role("button", name="Manage Dora Vance").click()
    manage = page.get_by_role("dialog", name="Manage Dora Vance")
    manage.get_by_role("button", name="Deactivate").click()
    question = page.get_by_role("dialog", name="Deactivate Dora Vance?")
    expect(question).to_contain_text("signed out everywhere")
    expect(question).to_contain_text("API tokens are revoked")
    question.get_by_role("button", name="Cancel").click()
    expect(question).to_have_count(0)
    assert dora.http.get(f"{demo_site}/api/v1/me").status_code == 200
    manage.get_by_role("button", name="Deactivate").click()
    page.get_by_role("dialog", name="Deactivate Dora Vance?").get_by_role(
        "button", name="Deactivate"
    ).click()

    expect(manage).to_contain_text("deactivated")
    expect(manage.get_by_role("button", name="Reactivate")).to_be_visible()
    # At once: her open dashboard loses its socket and shows the sign-in page.
    expect(dora_tab.get_by_role("button", name="Sign in")).to_be_visible(timeout=5000)
    expect(dora_tab.locator("#live-status")).not_to_have_text("Live")
    assert dora.http.get(f"{demo_site}/api/v1/me").status_code == 401
    again = dora.http.post(
        f"{demo_site}/api/v1/auth/login", json={"email": email, "password": password}
    )
    assert again.json()["error"]["code"] == "account_deactivated"
    manage.get_by_role("button", name="Close").click()
    expect(people_rows(page).filter(has_text=email)).to_contain_text("deactivated")


def test_an_email_already_taken_is_refused_beside_the_email_field(person):
    ada = person("admin")
    page = ada.open("#/admin")
    page.get_by_label("Search").fill("sam@wolfpack.test")
    page.get_by_role("button", name="Manage Sam Okafor").click()
    manage = page.get_by_role("dialog", name="Manage Sam Okafor")

    manage.get_by_label("Email", exact=True).fill("rosa@wolfpack.test")
    manage.get_by_role("button", name="Save").click()

    email = manage.get_by_label("Email", exact=True)
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(manage.locator("[data-field=email] .field-error")).not_to_be_empty()


@pytest.mark.parametrize("size", [PHONE, TV], ids=["phone", "tv"])
def test_every_admin_page_fits_the_screen(person, size):
    ada = person("admin", viewport=size)

    for route in ADMIN_ROUTES:
        page = ada.open(route)
        page.wait_for_load_state("networkidle")
        overflow = page.evaluate(
            "document.scrollingElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, f"{route} is {overflow}px too wide at {size}"
        name = route.removeprefix("#/").replace("/", "-")
        ada.snap(f"{name}-{'phone' if size == PHONE else 'tv'}")
