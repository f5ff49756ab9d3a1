"""Importing people from a CSV file (email,name,team,role): check, then apply.

Each row is checked in full before anything of it is done, so a bad row is
refused whole and never stops the good ones. The import only adds: a person
listed in a team joins it (or takes the role given), and nobody is removed.
A new person is invited; someone already there is updated where the file says
otherwise, so importing the same file again changes nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from typing import Any
from uuid import UUID

from marshmallow import ValidationError, validate

from events.account import SYSTEM_ACTOR
from events.base import Actor
from events.errors import DomainError
from events.team import ROLES, Team
from projections.teams import list_teams
from server.account_admin import update_account
from server.accounts import User, find_user_by_email, normalise_email
from server.db import db
from server.errors import ApiError
from server.input_guard import UNSTORABLE
from server.invitations import invite
from server.services import services

COLUMNS = ("email", "name", "team", "role")
MAX_ROWS = 1000  # per file: a bigger organisation imports in several files
_email = validate.Email()


@dataclass
class RowResult:
    """What the import does (or, in a dry run, would do) with one line."""

    line: int
    email: str
    status: str = "unchanged"  # created, updated, unchanged or error
    errors: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    user_id: UUID | None = None
    invitation_url: str | None = None
    emailed: bool = False


@dataclass
class _Row:
    line: int
    email: str
    name: str
    team: Team | None
    role: str


def read_rows(body: bytes) -> list[dict[str, str]]:
    """Parse the file; refuse it whole (422) when it is no people CSV at all."""
    try:
        text = body.decode("utf-8-sig")  # a BOM (as Excel writes) is dropped
    except UnicodeDecodeError:
        raise _refused("The file is not UTF-8 text: save it as 'CSV UTF-8'.") from None
    if UNSTORABLE.search(text):
        raise _refused("The file holds control characters: it is not a CSV of people.")
    if not text.strip():
        raise _refused(f"The file is empty: it needs a header ({','.join(COLUMNS)}).")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
        if sorted(header) != sorted(COLUMNS):
            raise _refused(
                f"The first line must name the columns {','.join(COLUMNS)} "
                f"(in any order); it has {','.join(header) or 'nothing'}."
            )
        rows: list[dict[str, str]] = []
        # A row's line is where it starts (a quoted cell may hold line breaks).
        start = reader.line_num + 1
        for values in reader:
            line, start = start, reader.line_num + 1
            if not any(value.strip() for value in values):
                continue  # a blank line
            if len(rows) == MAX_ROWS:
                raise _refused(
                    f"The file has more than {MAX_ROWS} people: split it into "
                    "files of at most that many and import each.",
                    status=413,
                )
            cells = values + [""] * (len(header) - len(values))
            rows.append(
                {
                    "line": str(line),
                    **dict(zip(header, cells, strict=False)),
                    "extra": ",".join(cells[len(header) :]),
                }
            )
    except csv.Error as error:
        raise _refused(f"Line {reader.line_num} is not valid CSV: {error}.") from None
    if not rows:
        raise _refused("The file has a header but nobody under it.")
    return rows


def import_people(
    actor: Actor, rows: list[dict[str, str]], dry_run: bool, host_url: str
) -> list[RowResult]:
    """Check every row and, unless a dry run, do what each good one says."""
    teams = _teams_by_name()
    seen: dict[str, int] = {}
    results = []
    # After one email fails, the rest are not tried: each could wait 10 s.
    mail = services().settings.smtp_url is not None
    for raw in rows:
        result, row = _checked(raw, teams, seen)
        if row is not None:
            user = find_user_by_email(db(), row.email)
            _plan(result, row, user)
            if not dry_run and result.status != "error":
                # Each row is its own request: a retried import skips what it did.
                request_id = actor.request_id and f"{actor.request_id}/{row.line}"
                row_actor = replace(actor, request_id=request_id)
                _apply(row_actor, result, row, user, host_url, mail)
                mail = mail and (result.status != "created" or result.emailed)
        results.append(result)
    return results


def _checked(
    raw: dict[str, str], teams: dict[str, Team | None], seen: dict[str, int]
) -> tuple[RowResult, _Row | None]:
    line = int(raw["line"])
    email = normalise_email(raw["email"])
    result = RowResult(line=line, email=email)
    errors = result.errors
    if raw["extra"].strip(","):
        errors.append(f"Has more than the {len(COLUMNS)} columns.")
    try:
        _email(email)
    except ValidationError:
        errors.append("email: not a valid email address.")
    if email in seen:
        errors.append(f"email: already on line {seen[email]}.")
    seen.setdefault(email, line)
    name = raw["name"].strip()
    if not name:
        errors.append("name: missing.")
    elif len(name) > 100:
        errors.append("name: at most 100 characters.")
    elif any(char in name for char in "\r\n\t"):
        errors.append("name: on one line.")
    team_name = raw["team"].strip()
    team = teams.get(team_name.casefold()) if team_name else None
    if team_name and team_name.casefold() not in teams:
        errors.append(f"team: no team is called '{team_name}'.")
    elif team_name and team is None:
        errors.append(f"team: several teams are called '{team_name}'; rename one.")
    role = raw["role"].strip().lower() or "rep"
    if role not in ROLES:
        errors.append("role: must be rep or leader.")
    elif not team_name and raw["role"].strip():
        errors.append("role: only with a team.")
    if errors:
        result.status = "error"
        return result, None
    return result, _Row(line, email, name, team, role)


def _plan(result: RowResult, row: _Row, user: User | None) -> None:
    """Say what the row changes (its status and changes), deciding nothing else."""
    if user is None:
        result.status = "created"
        result.changes.append("invited")
        if row.team is not None:
            result.changes.append(f"joins {row.team.name} as {row.role}")
        return
    result.user_id = user.id
    if not user.active:
        result.status = "error"
        result.errors.append("email: that account is deactivated; reactivate it first.")
        return
    if user.name != row.name:
        result.changes.append(f"name → {row.name}")
    if row.team is not None:
        current = row.team.role_of(user.id)
        if current is None:
            result.changes.append(f"joins {row.team.name} as {row.role}")
        elif current != row.role:
            result.changes.append(f"becomes a {row.role} of {row.team.name}")
    result.status = "updated" if result.changes else "unchanged"


def _apply(
    actor: Actor,
    result: RowResult,
    row: _Row,
    user: User | None,
    host_url: str,
    mail: bool,
) -> None:
    """Do what the row says; a refusal turns it into an error, the rest unharmed."""
    team_id = row.team.id if row.team is not None else None
    events = services().events
    try:
        if user is None:
            made = invite(
                actor, row.email, row.name, team_id, row.role, host_url, send=mail
            )
            result.user_id = made.user.id
            result.invitation_url = made.url
            result.emailed = made.emailed
            return
        # The team first: a refusal there leaves the row wholly undone.
        if row.team is not None:
            current = row.team.role_of(user.id)
            if current is None:
                events.add_team_member(actor, row.team.id, user.id, row.role)
            elif current != row.role:
                events.change_member_role(actor, row.team.id, user.id, row.role)
        if user.name != row.name:
            update_account(db(), user, {"name": row.name}, actor.user_id)
    except DomainError as error:  # one row's refusal, told in its row
        db().rollback()
        result.status = "error"
        result.errors.append(error.message)


def _teams_by_name() -> dict[str, Team | None]:
    """Return the live teams by their name, any case; None for a name several share."""
    events = services().events
    admin = Actor(SYSTEM_ACTOR, is_admin=True)
    found: dict[str, Team | None] = {}
    for row in list_teams(db().connection()):
        name = row["name"].casefold()
        found[name] = None if name in found else events.get_team(admin, row["id"])
    return found


def _refused(message: str, status: int = 422) -> ApiError:
    return ApiError(status, "bad_file" if status == 422 else "too_large", message)


def counts(results: list[RowResult]) -> dict[str, Any]:
    """Return how many rows got each status."""
    found = dict.fromkeys(("created", "updated", "unchanged", "error"), 0)
    for result in results:
        found[result.status] += 1
    return found
