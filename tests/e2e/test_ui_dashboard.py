"""The sign-in page and the team dashboard, in Chromium against gunicorn."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.ui import outside_requests, sign_in

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
