"""Kill the projection process with SIGKILL mid-stream: after a restart, nothing is
lost and nothing counted twice — every read-model table equals a fresh rebuild."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from subprocess import Popen
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import Engine, Row, select

from events.application import Wolfpack
from events.base import Actor
from events.commitment import Commitment
from projections.runner import RUNNER_NAME
from projections.schema import metadata, tracked_position
from server.config import Settings
from server.db import make_engine

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
FLASK = str(Path(sys.executable).parent / "flask")


def environment(settings: Settings) -> dict[str, str]:
    env = {
        **os.environ,
        "WOLFPACK_DATA_DIR": str(settings.data_dir),
        "WOLFPACK_PROJECTIONS": "off",
        "WOLFPACK_PROJECTION_BATCH": "40",
    }
    if settings.database_url:
        env["WOLFPACK_DATABASE_URL"] = settings.database_url
        env["WOLFPACK_DATABASE_SCHEMA"] = settings.database_schema or ""
    return env


def record_history(settings: Settings, commitments: int, notes: int) -> int:
    """Write a long history straight into the event store; return its head."""
    app = Wolfpack(env=settings.event_store_env())
    admin = Actor(uuid4(), is_admin=True)
    reps = [Actor(uuid4()) for _ in range(5)]
    team = app.create_team(admin, "North", "UTC").aggregate
    for rep in reps:
        team.add_member(admin, rep.user_id, "rep", app.clock())
    app.save(team)
    due = datetime.now(UTC) + timedelta(days=30)
    batch = []
    for n in range(commitments):
        rep = reps[n % len(reps)]
        c = Commitment.make(rep, team, f"Promise {n}", None, due, [], app.clock())
        for i in range(notes):
            c.report_progress(rep, f"note {i}", app.clock())
        if n % 3 == 0:
            c.keep(rep, None, app.clock())
        batch.append(c)
        if len(batch) == 50:
            app.save(*batch)
            batch = []
    app.save(*batch)
    head = app.recorder.max_notification_id() or 0
    app.close()
    return head


def dump(settings: Settings) -> dict[str, list[Row[Any]]]:
    """Return every read-model row, table by table, in primary-key order."""
    engine = make_engine(settings)
    with engine.connect() as conn:
        tables = {
            table.name: list(
                conn.execute(select(table).order_by(*table.primary_key.columns))
            )
            for table in metadata.sorted_tables
        }
    engine.dispose()
    return tables


def flask(settings: Settings, *args: str) -> str:
    result = subprocess.run(
        [FLASK, "--app", "wsgi", *args],
        cwd=ROOT,
        env=environment(settings),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return result.stdout


def applied(engine: Engine) -> int:
    """Return the position the read models have committed."""
    with engine.connect() as conn:
        return tracked_position(conn, RUNNER_NAME)


@pytest.fixture
def runner_process(settings: Settings) -> Iterator[Callable[[], Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [FLASK, "--app", "wsgi", "projections", "run", "--poll", "0.2"],
            cwd=ROOT,
            env=environment(settings),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def test_a_killed_projection_process_resumes_to_exactly_a_fresh_rebuild(
    settings: Settings, runner_process
):
    head = record_history(settings, commitments=1000, notes=4)
    flask(settings, "projections", "status")  # creates the read-model tables
    engine = make_engine(settings)

    first = runner_process()
    deadline = time.monotonic() + 120
    while applied(engine) < head // 4 and time.monotonic() < deadline:
        time.sleep(0.002)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    killed_at = applied(engine)

    second = runner_process()
    while applied(engine) < head and time.monotonic() < deadline:
        time.sleep(0.05)
    engine.dispose()
    second.send_signal(signal.SIGTERM)
    assert second.wait(timeout=30) == 0
    resumed = dump(settings)
    flask(settings, "projections", "rebuild")
    rebuilt = dump(settings)

    assert 0 < killed_at < head, "the kill should land mid-stream"
    assert resumed == rebuilt
    assert len(resumed["commitment_view"]) == 1000
    assert sum(row.progress_count for row in resumed["commitment_view"]) == 4000
