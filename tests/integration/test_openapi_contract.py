"""Schemathesis holds the server to /api/openapi.json, as an admin and as a rep.

Every operation gets the document's examples, the boundaries of every field,
and generated requests; then sequences that follow the links between operations
(the stateful phase). The run must find no 5xx, no response unlike the document
(error bodies included), and no schema-valid request refused as invalid: a
refusal by right or rule (401, 403, 404, 409, and 410 for a one-use link that is
spent or unknown) is fine, 400 or 422 is not.

The run goes through ``schemathesis.engine``, which ``schemathesis run`` drives:
every phase in one process, in one order, from one seed, so it cannot flake.
(``schemathesis.pytest.from_fixture`` would fit a fixture-built app, but it
breaks on pytest 9.2: it sets ``request.node._nodeid``, which pytest dropped.)
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import schemathesis
from flask import Flask
from schemathesis.engine import events, from_schema

from server import create_app
from server.accounts import get_user, issue_token
from server.config import Settings
from tests.integration.conftest import World
from tests.integration.contract import draws, seed

SEED = 14
NOW = datetime(2026, 11, 18, 10, 30, tzinfo=UTC)
EXAMPLES = 5  # generated requests per operation, beside examples and boundaries
# Schemathesis's own list, and 410: a reset link's token no schema can tell apart.
ACCEPTABLE_REFUSALS = ["2xx", "3xx", "401", "403", "404", "409", "410", "429", "5xx"]
SCENARIOS = 30  # sequences of requests that follow links, in the stateful phase


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """SQLite only: the contract is the same on PostgreSQL, and time is short."""
    return Settings(env="test", data_dir=tmp_path, projections="inline")


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    """The app with its clock stopped at one moment: the run is the same any day."""
    app = create_app(settings)
    app.extensions["wolfpack"].events.clock = lambda: NOW
    yield app
    app.extensions["wolfpack"].close()


def run_config(seeded: dict[str, list[str]]) -> schemathesis.Config:
    """Return a bounded run from one seed, mostly naming things that exist."""
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "continue-on-failure": True,
            "generation": {
                "max-examples": EXAMPLES,
                "mode": "positive",
                "database": "none",
            },
            "phases": {
                "stateful": {"generation": {"max-examples": SCENARIOS}},
            },
            "checks": {
                "positive_data_acceptance": {"expected-statuses": ACCEPTABLE_REFUSALS}
            },
            "dictionaries": {name: {"values": v} for name, v in seeded.items()},
            "parameters": {
                key: {"dictionary": name, "probability": 0.8}
                for key, name in draws(seeded).items()
            },
        }
    )


def sign_in_with_tokens(
    schema: schemathesis.BaseSchema, world: World, who: str
) -> None:
    """Send a bearer token of ``who``; a new one when a run revokes the last."""
    user_id = uuid.UUID(getattr(world, who).id)

    @schema.auth(retry_on=[401])
    class BearerToken:
        def get(self, case, context):
            with world.app.extensions["wolfpack"].sessions() as session:
                user = get_user(session, user_id)
                return issue_token(session, user, "schemathesis", user.id)[1]

        def set(self, case, token, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}


def findings(schema: schemathesis.BaseSchema) -> list[str]:
    """Run every phase; return each distinct failure or error, with how to repeat it."""
    found: dict[tuple[str, str], str] = {}
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            for checks in event.recorder.checks.values():
                for check in checks:
                    if check.failure_info is not None:
                        failure = check.failure_info.failure
                        found.setdefault(
                            (f"{event.label} ({event.phase.value})", failure.title),
                            f"{failure.message}\n{check.failure_info.code_sample}",
                        )
        elif isinstance(event, events.NonFatalError):
            found[(event.label, type(event.value).__name__)] = str(event.value)
        elif isinstance(event, events.FatalError):
            found[("engine", type(event.exception).__name__)] = str(event.exception)
    return [f"{where}: {title}\n{detail}" for (where, title), detail in found.items()]


# A bound on a stuck run, far above its usual time, for machines shared and busy.
@pytest.mark.timeout(900)
@pytest.mark.parametrize("who", ["admin", "rep"])
def test_the_server_keeps_every_promise_of_its_openapi_document(world: World, who):
    schema = schemathesis.openapi.from_wsgi(
        "/api/openapi.json", world.app, config=run_config(seed(world))
    )
    sign_in_with_tokens(schema, world, who)
    problems = findings(schema)
    assert not problems, "\n\n".join(problems)
