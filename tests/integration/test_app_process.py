"""The app's process: the stdlib is not shadowed, health answers, the CLI works."""

from __future__ import annotations

import platform
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from flask import Flask

from server.config import ConfigError, Settings

ROOT = Path(__file__).resolve().parents[2]


def test_the_standard_library_platform_module_works_inside_the_app(app: Flask):
    assert platform.system()
    assert Path(platform.__file__).parent == Path(sysconfig.get_paths()["stdlib"])


def test_the_platform_module_works_when_the_repo_root_is_on_the_path(tmp_path: Path):
    code = "import wsgi, platform, uuid; uuid.uuid4(); print(platform.system())"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            "WOLFPACK_DATA_DIR": str(tmp_path),
            "WOLFPACK_PROJECTIONS": "off",
            "PATH": "",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == platform.system()


def test_health_answers_200_without_signing_in(client):
    assert client.get("/healthz").json == {"status": "ok"}
    assert client.get("/api").json["openapi"] == "/api/openapi.json"


def test_the_openapi_document_lists_the_contract(client):
    spec = client.get("/api/openapi.json").json
    for path in (
        "/api/v1/auth/login",
        "/api/v1/me",
        "/api/v1/users",
        "/api/v1/tokens/{token_id}",
        "/api/v1/teams/{team_id}/members",
        "/api/v1/commitments/{commitment_id}/history",
        "/api/v1/commitments/{commitment_id}/call-out",
    ):
        assert path in spec["paths"], path
    assert "bearer" in spec["components"]["securitySchemes"]


# Run in a process where the optional extras (postgres, redis) cannot be imported.
WITHOUT_EXTRAS = """
import sys
for extra in ("psycopg", "psycopg_pool", "redis"):
    sys.modules[extra] = None  # importing it now fails, as if not installed
from flask.cli import main
main()
"""


def test_a_plain_install_without_extras_runs_on_sqlite(tmp_path: Path):
    def flask(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", WITHOUT_EXTRAS, "--app", "wsgi", *args],
            cwd=ROOT,
            env={"WOLFPACK_DATA_DIR": str(tmp_path), "PATH": ""},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    created = flask(
        "users",
        "create",
        "a@example.com",
        "--name",
        "A",
        "--password",
        "long enough now",
        "--admin",
    )
    demo = flask("demo")

    assert created.returncode == 0, created.stderr
    assert demo.returncode == 0, demo.stderr
    assert "Demo data loaded." in demo.stdout


def test_production_with_the_default_key_refuses_to_start(tmp_path: Path):
    from server import create_app

    with pytest.raises(ConfigError, match="WOLFPACK_SECRET_KEY"):
        create_app(Settings(env="production", data_dir=tmp_path))


def test_the_cli_creates_users_and_the_demo_loads_once(app: Flask):
    runner = app.test_cli_runner()
    created = runner.invoke(
        args=[
            "users",
            "create",
            "boss@example.com",
            "--name",
            "Boss",
            "--password",
            "long enough now",
            "--admin",
        ]
    )
    duplicate = runner.invoke(
        args=[
            "users",
            "create",
            "boss@example.com",
            "--name",
            "B",
            "--password",
            "long enough now",
        ]
    )
    short = runner.invoke(
        args=["users", "create", "x@example.com", "--name", "X", "--password", "short"]
    )
    recorder = app.extensions["wolfpack"].events.recorder

    first = runner.invoke(args=["demo"])
    head = recorder.max_notification_id()
    second = runner.invoke(args=["demo"])

    assert created.exit_code == 0, created.output
    assert "Created admin boss@example.com" in created.output
    assert duplicate.exit_code != 0
    assert "already exists" in duplicate.output
    assert short.exit_code != 0
    assert "Demo data loaded." in first.output
    assert "Demo data already present." in second.output
    assert "lena@wolfpack.test" in second.output
    assert recorder.max_notification_id() == head


def test_ready_answers_with_the_projection_lag(client):
    body = client.get("/readyz").json
    assert body["status"] == "ready"
    assert body["lag"] == 0
    assert body["position"] == body["head"]


def test_a_new_workspace_says_how_to_make_the_first_admin(app: Flask):
    runner = app.test_cli_runner()
    empty = runner.invoke(args=["users", "status"])
    boss = ["boss@example.com", "--name", "Boss", "--password", "long enough now"]
    runner.invoke(args=["users", "create", *boss, "--admin"])
    one = runner.invoke(args=["users", "status"])

    assert "No accounts yet" in empty.output
    assert "users create you@example.com --name 'Your Name' --admin" in empty.output
    assert "1 active account(s), 1 of them admin(s)." in one.output
    state = app.test_client().get("/api/v1/auth/setup-state").json
    assert state == {"has_users": True}


def test_the_cli_deactivates_and_reactivates(app: Flask):
    runner = app.test_cli_runner()
    for email, admin in (("boss@example.com", ["--admin"]), ("ravi@example.com", [])):
        password = ["--password", "long enough now"]
        runner.invoke(
            args=["users", "create", email, "--name", email[:4], *password, *admin]
        )
    client = app.test_client()
    credentials = {"email": "ravi@example.com", "password": "long enough now"}

    off = runner.invoke(args=["users", "deactivate", "ravi@example.com"])
    refused = client.post("/api/v1/auth/login", json=credentials)
    last = runner.invoke(args=["users", "deactivate", "boss@example.com"])
    on = runner.invoke(args=["users", "deactivate", "ravi@example.com", "--reactivate"])
    allowed = client.post("/api/v1/auth/login", json=credentials)

    assert off.exit_code == 0, off.output
    assert refused.status_code == 403
    assert last.exit_code != 0
    assert "make someone else an admin first" in last.output
    assert on.exit_code == 0, on.output
    assert allowed.status_code == 200
