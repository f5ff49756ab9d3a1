"""Administration in Chromium: tokens, the CSV import, the log, a leader's people."""

from __future__ import annotations

import re
from uuid import uuid4

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_an_api_token_is_shown_once_and_revoked_after_a_question(person, demo_site):
    ada = person("admin")
    page = ada.open("#/admin/access")
    name = f"CRM sync {uuid4().hex[:6]}"
    form = page.get_by_role("form", name="New API token")

    form.get_by_label("Token name").fill(name)
    # A name typed but not picked is no one: the token would act as the admin.
    form.get_by_label("Acts as").fill("Ravi")
    form.get_by_role("button", name="Create token").click()
    expect(form.locator("[data-field=user_id] .field-error")).to_have_text(
        "Pick a person from the list, or clear the box."
    )
    form.get_by_label("Acts as").fill("")
    form.get_by_role("button", name="Create token").click()
    secret = page.get_by_label("Token", exact=True).input_value()
    me = page.request.get(
        f"{demo_site}/api/v1/me", headers={"Authorization": f"Bearer {secret}"}
    )
    assert me.ok
    tokens = page.get_by_role("region", name="API tokens")
    tokens.get_by_role("button", name=f"Revoke {name}").click()
    page.get_by_role("dialog", name=f"Revoke {name}?").get_by_role(
        "button", name="Revoke"
    ).click()

    # Live tokens are listed; the revoked one is found among the revoked.
    expect(tokens.get_by_role("row", name=re.compile(name))).to_have_count(0)
    tokens.get_by_label("Filter").fill(name)
    tokens.get_by_label("Show").select_option("revoked")
    expect(tokens.get_by_role("row", name=re.compile(name))).to_contain_text("revoked")
    refused = page.request.get(
        f"{demo_site}/api/v1/me", headers={"Authorization": f"Bearer {secret}"}
    )
    assert refused.status == 401


def test_the_import_check_shows_each_lines_problem_and_changes_nothing(person):
    ada = person("admin")
    page = ada.open("#/admin/import")
    tag = uuid4().hex[:6]
    page.get_by_label("People, as CSV").fill(
        "email,name,team,role\n"
        f"ok{tag}@wolfpack.test,Olga Kay,Enterprise North,rep\n"
        f"bad{tag}@wolfpack.test,Bert Bad,No Such Team,rep\n"
        f"worse{tag}@wolfpack.test,Wim Worse,Enterprise North,boss\n"
    )

    page.get_by_role("button", name="Check").click()

    rows = page.locator("tr.import-row")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("created")
    expect(rows.nth(1)).to_contain_text("error")
    expect(rows.nth(2)).to_contain_text("error")
    expect(
        page.get_by_text("1 to create, 0 to update, 0 unchanged, 2 with errors")
    ).to_be_visible()
    ada.snap("admin-import")
    page.goto("/#/admin")
    page.get_by_label("Search").fill(tag)
    expect(page.get_by_text("No people match.")).to_be_visible()


def test_the_admin_log_shows_who_made_a_team_filtered_by_person(person):
    ada = person("admin")
    page = ada.open("#/admin/teams")
    team = f"Channel {uuid4().hex[:6]}"
    new_team = page.get_by_role("form", name="New team")
    new_team.get_by_label("Name").fill(team)
    new_team.get_by_role("button", name="Create team").click()
    expect(page.get_by_role("heading", name=team)).to_be_visible()

    page.get_by_role("link", name="Admin log").click()
    filters = page.get_by_role("form", name="Which changes")
    filters.get_by_label("By").fill("Ada")
    filters.get_by_role("button", name="Ada Admin").click()
    filters.get_by_role("button", name="Show").click()

    changes = page.get_by_role("region", name="Changes")
    expect(changes.get_by_role("row", name=re.compile(team))).to_contain_text(
        f"Ada Admin created the team {team}"
    )


def test_a_leader_invites_a_rep_then_removes_them_after_a_question(person):
    lena = person("lena")
    page = lena.open("#/leader")
    people = page.get_by_role("region", name="People")
    email = f"rick{uuid4().hex[:6]}@wolfpack.test"

    people.get_by_text("Invite a new rep").click()
    people.get_by_label("Name").fill("Rick Rep")
    people.get_by_label("Email").fill(email)
    people.get_by_role("button", name="Invite rep").click()
    expect(people.get_by_label("Invitation link")).to_have_value(
        re.compile(r"/#/welcome\?token=")
    )
    expect(people.locator(".team-member", has_text="Rick Rep")).to_contain_text("rep")
    people.get_by_role("button", name="Remove Rick Rep").click()
    question = page.get_by_role("dialog", name="Remove Rick Rep from Enterprise North?")
    question.get_by_role("button", name="Remove").click()

    expect(people.locator(".team-member", has_text="Rick Rep")).to_have_count(0)


def test_a_team_is_renamed_then_archived_after_a_question_and_restored(person):
    ada = person("admin")
    page = ada.open("#/admin/teams")
    team = f"Renewals {uuid4().hex[:6]}"
    new_team = page.get_by_role("form", name="New team")
    new_team.get_by_label("Name").fill(team)
    new_team.get_by_role("button", name="Create team").click()
    settings = page.get_by_role("form", name="Team settings")
    settings.get_by_label("Name").fill(f"{team} EMEA")
    settings.get_by_label("Currency").fill("gbp")
    settings.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{team} EMEA")
    expect(settings.get_by_label("Currency")).to_have_value("GBP")

    page.get_by_role("button", name="Archive team").click()
    page.get_by_role("dialog", name=f"Archive {team} EMEA?").get_by_role(
        "button", name="Archive"
    ).click()
    expect(page.get_by_role("button", name="Restore team")).to_be_visible()
    page.get_by_role("link", name="All teams").click()
    expect(page.get_by_role("link", name=f"{team} EMEA")).to_have_count(0)
    page.get_by_label("Show archived teams").check()
    row = page.get_by_role("row", name=re.compile(f"{team} EMEA"))
    expect(row).to_contain_text("archived")
    row.get_by_role("link").click()
    page.get_by_role("button", name="Restore team").click()

    expect(page.get_by_role("button", name="Archive team")).to_be_visible()


def test_people_come_fifty_to_a_page(person, demo_site):
    ada = person("admin")
    tag = uuid4().hex[:6]
    lines = [f"p{tag}{n:02}@wolfpack.test,Pager {tag} {n:02},," for n in range(55)]
    me = ada.page.request.get(f"{demo_site}/api/v1/me").json()
    imported = ada.page.request.post(
        f"{demo_site}/api/v1/imports/people?dry_run=false",
        data="email,name,team,role\n" + "\n".join(lines),
        headers={"Content-Type": "text/csv", "X-CSRF-Token": me["csrf_token"]},
    )
    assert imported.json()["counts"]["created"] == 55
    page = ada.open("#/admin")
    shown = page.get_by_role("status").filter(has_text="Showing")

    page.get_by_label("Search").fill(f"pager {tag}")
    expect(shown).to_have_text("Showing 1\N{EN DASH}50 of 55")
    page.get_by_role("button", name="Next").click()

    expect(shown).to_have_text("Showing 51\N{EN DASH}55 of 55")
    expect(page.locator("tbody tr")).to_have_count(5)
    expect(page.get_by_role("button", name="Next")).to_be_disabled()
    page.get_by_role("button", name="Previous").click()
    expect(shown).to_have_text("Showing 1\N{EN DASH}50 of 55")
