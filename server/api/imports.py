"""Imports: people from a CSV file, checked row by row (dry run) and then applied."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from server.api.commands import publish_records
from server.api.fields import query_flag
from server.auth import current_actor, require_admin
from server.errors import ApiError
from server.input_guard import TEXT_TYPES
from server.people_import import counts, import_people, read_rows

PREFIX = "/imports"
blp = Blueprint("imports", __name__, description="Importing people")


CELL = r'[^,\r\n"\x00]*'
# Each row has an email (or something in its place: a row of blanks is no row).
EMAIL = r'[^,\s"\x00][^,\r\n"\x00]*'
PEOPLE_CSV = rf"^email,name,team,role\r?\n({EMAIL},{CELL},{CELL},{CELL}\r?\n)+$"


class ImportQuerySchema(Schema):
    dry_run = query_flag(
        load_default=True,
        metadata={"description": "true (the default): only say what would happen."},
    )


class ImportRowSchema(Schema):
    line = fields.Integer(metadata={"description": "The line of the file."})
    email = fields.String()
    status = fields.String(
        metadata={"enum": ["created", "updated", "unchanged", "error"]}
    )
    errors = fields.List(fields.String())
    changes = fields.List(fields.String())
    user_id = fields.UUID(allow_none=True)
    invitation_url = fields.String(
        allow_none=True,
        metadata={"description": "A new person's invitation link (not in a dry run)."},
    )
    emailed = fields.Boolean(metadata={"description": "Whether the link was emailed."})


class ImportCountsSchema(Schema):
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    error = fields.Integer()


class ImportResultSchema(Schema):
    dry_run = fields.Boolean()
    rows = fields.List(fields.Nested(ImportRowSchema))
    counts = fields.Nested(ImportCountsSchema)


@blp.post("/people")
@blp.arguments(ImportQuerySchema, location="query")
@blp.response(200, ImportResultSchema)
@blp.doc(
    requestBody={
        "required": True,
        "content": {
            "text/csv": {
                # The shape of a people file: a header, then one or more rows.
                "schema": {"type": "string", "pattern": PEOPLE_CSV},
                "example": "email,name,team,role\nnia@example.com,Nia Shah,North,rep\n",
            }
        },
    }
)
def people(query: dict[str, bool]) -> Any:
    """Import people from CSV (admins only): columns email,name,team,role.

    UTF-8 (a BOM is fine), a header line, at most 1,000 people. ``team`` is
    a team's name (blank: none); ``role`` rep (the default) or leader. New people
    are invited (their links are in the answer); people already there are
    renamed, or join the team in the role, where the file says so. Nobody is
    removed. A bad row is refused whole and the others go ahead; the same file
    again changes nothing.
    """
    require_admin()
    if request.mimetype not in TEXT_TYPES:
        raise ApiError(415, "unsupported_media_type", "Send the file as text/csv.")
    rows = read_rows(request.get_data())
    dry_run = query["dry_run"]
    results = import_people(current_actor(), rows, dry_run, request.host_url)
    body = {
        "dry_run": dry_run,
        "rows": [asdict(result) for result in results],
        "counts": counts(results),
    }
    return body, publish_records()
