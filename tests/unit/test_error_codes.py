"""Every field error answers one code, whether a schema or a domain rule refused."""

from __future__ import annotations

from flask import Flask

from events.errors import InvalidValueError
from server.errors import HTTP_CODES, handle_domain_error


def test_a_value_the_write_side_refuses_is_a_422_with_the_schema_code():
    with Flask(__name__).app_context():
        response = handle_domain_error(InvalidValueError("title", "Must not be blank."))
    assert response.status_code == 422
    assert response.json == {
        "error": {
            "code": HTTP_CODES[422],
            "message": "Must not be blank.",
            "fields": {"title": ["Must not be blank."]},
        }
    }
