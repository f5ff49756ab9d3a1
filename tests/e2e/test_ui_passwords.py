"""A person sets a password from an admin's reset link, signs in, and changes it."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.sockets import Member
from tests.e2e.ui import PASSWORD, sign_in

pytestmark = pytest.mark.e2e

FIRST, SECOND, THIRD = "pia first password", "pia second password", "pia third password"


def set_new_password(page: Page, password: str) -> None:
    """Fill the new password twice on the page open, and send it."""
    page.get_by_label("New password", exact=True).fill(password)
    page.get_by_label("New password again").fill(password)


def test_a_reset_link_sets_a_password_once_and_the_profile_changes_it(
    browser: Browser, demo_site: str
):
    admin = Member(demo_site, "admin@wolfpack.test", PASSWORD)
    email = f"pia{uuid.uuid4().hex[:6]}@wolfpack.test"
    pia = admin.created("/users", {"name": "Pia", "email": email, "password": FIRST})
    teams = admin.http.get(f"{demo_site}/api/v1/teams").json()
    north = next(t["id"] for t in teams if t["name"] == "Enterprise North")
    admin.created(f"/teams/{north}/members", {"user_id": pia["id"], "role": "rep"})
    url = admin.created(f"/users/{pia['id']}/password-reset", None)["url"]
    context = browser.new_context(base_url=demo_site)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(url)
    expect(page.get_by_role("heading", name="Set a new password")).to_be_visible()
    assert "token" not in page.url  # nor in the history, for the next to find
    set_new_password(page, SECOND)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", name="Sign in to Wolfpack")).to_be_visible()
    sign_in(page, email, SECOND)

    page.goto("/#/profile")
    page.get_by_label("Current password").fill(SECOND)
    set_new_password(page, THIRD)
    page.get_by_role("button", name="Change password").click()
    expect(
        page.get_by_role("status").filter(has_text="Password changed")
    ).to_be_visible()

    spent = context.new_page()
    spent.goto(url)
    set_new_password(spent, "pia fourth password")
    spent.get_by_role("button", name="Set password").click()
    expect(spent.get_by_role("alert")).to_contain_text("expired or was already used")
    context.close()
    assert Member(demo_site, email, THIRD).id == pia["id"]
    assert not errors
