"""Command-line tools: ``flask --app wsgi users|db|projections|demo …``."""

from __future__ import annotations

import contextlib
import signal
import time
from collections.abc import Callable

import click
from alembic import command
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from flask_socketio import SocketIO
from sqlalchemy import func, select

from events.account import SYSTEM_ACTOR
from events.errors import DomainError
from projections.runner import ProjectionRunner
from server import migrate
from server.account_admin import ACTIVE_ADMIN, update_account
from server.accounts import User, create_user, find_user_by_email
from server.admin_records import publish_pending
from server.demo import DEMO_LOGINS, seed_demo
from server.password_policy import MIN_LENGTH, check_new_password
from server.passwords import set_password
from server.pushes import pusher_for
from server.services import services

users = AppGroup("users", help="Manage user accounts.")
projections = AppGroup("projections", help="Keep the read models.")
database = AppGroup("db", help="Migrate the server's own tables (accounts, tokens…).")


PASSWORD_HELP = (
    f"At least {MIN_LENGTH} characters, not one of the most common passwords "
    "(asked for, twice, when left out)."
)


def password_option(command: Callable[..., None]) -> Callable[..., None]:
    """Add ``--password``, prompted for (hidden, confirmed) when left out."""
    option = click.option(
        "--password",
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        help=PASSWORD_HELP,
    )
    return option(command)


def checked_password(password: str) -> None:
    """Refuse a password the policy refuses, as a bad ``--password``."""
    try:
        check_new_password("password", password)
    except DomainError as error:
        raise click.BadParameter(error.message, param_hint="password") from None


@users.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Display name.")
@password_option
@click.option("--admin", is_flag=True, help="Make a workspace admin.")
def create_user_command(email: str, name: str, password: str, admin: bool) -> None:
    """Create a user account."""
    checked_password(password)
    with services().sessions() as session:
        try:
            user = create_user(session, email, name, password, is_admin=admin)
            publish_pending(session, services().events)
        except DomainError as error:
            raise click.ClickException(error.message) from None
    role = "admin" if admin else "user"
    click.echo(f"Created {role} {user.email} with id {user.id}")


@users.command("set-password")
@click.argument("email")
@password_option
def set_password_command(email: str, password: str) -> None:
    """Set a user's password (when no admin can sign in); their sign-ins end."""
    checked_password(password)
    with services().sessions() as session:
        user = find_user_by_email(session, email)
        if user is None:
            raise click.ClickException(f"No account has the email {email}.")
        ended = set_password(
            session, user, password, "command_line", SYSTEM_ACTOR, field="password"
        )
        publish_pending(session, services().events)
        click.echo(f"Set the password of {user.email}; {ended} sign-in(s) ended.")
    if ended:
        _sockets_warning()


def _sockets_warning() -> None:
    """Say when the sockets just closed stay open in the web server's process."""
    if services().settings.redis_url is None:
        # Closing a socket reaches the process holding it only through Redis.
        click.echo(
            "Without WOLFPACK_REDIS_URL their open pages keep their live updates "
            "until reloaded: restart the web server to close them now."
        )


BIN_HINT = ".venv/bin/"  # from the repository, after `make run`
FIRST_ADMIN = "flask --app wsgi users create you@example.com --name 'Your Name' --admin"


@users.command("status")
def status_command() -> None:
    """Say how many accounts there are; on a new workspace, how to make the first."""
    with services().sessions() as session:
        active = select(func.count()).select_from(User).where(User.active)
        people = session.scalar(active) or 0
        admins = session.scalar(active.where(*ACTIVE_ADMIN)) or 0
    if people == 0:
        click.echo("No accounts yet. Create the first admin (it asks for a password):")
        click.echo(f"  {BIN_HINT}{FIRST_ADMIN}")
        click.echo("then sign in and invite everyone else from the Admin pages.")
        return
    click.echo(f"{people} active account(s), {admins} of them admin(s).")


@users.command("deactivate")
@click.argument("email")
@click.option("--reactivate", is_flag=True, help="Restore sign-in instead.")
def deactivate_command(email: str, reactivate: bool) -> None:
    """Deactivate an account: its sign-ins, API tokens and sockets end at once."""
    with services().sessions() as session:
        user = find_user_by_email(session, email)
        if user is None:
            raise click.ClickException(f"No account has the email {email}.")
        try:
            update_account(session, user, {"active": reactivate}, SYSTEM_ACTOR)
        except DomainError as error:
            raise click.ClickException(error.message) from None
        publish_pending(session, services().events)
    click.echo(f"{'Reactivated' if reactivate else 'Deactivated'} {user.email}.")
    if not reactivate:
        _sockets_warning()


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo team (safe to run again: it adds nothing the second time)."""
    created = seed_demo(services())
    click.echo("Demo data loaded." if created else "Demo data already present.")
    click.echo("Demo logins (email / password):")
    for role, email, password in DEMO_LOGINS:
        click.echo(f"  {role:<7} {email:<28} {password}")


def _own_runner() -> ProjectionRunner:
    """Return the app's runner, with its background thread stopped if it had one."""
    found = services()
    if found.settings.projections == "thread":
        found.projections.stop()
    return found.projections


@projections.command("run")
@click.option("--poll", default=1.0, show_default=True, help="Seconds between polls.")
def run_projections(poll: float) -> None:
    """Keep the read models in this process until stopped (Ctrl-C or SIGTERM).

    Run the web instances with WOLFPACK_PROJECTIONS=off when this runs.
    """
    runner = _own_runner()
    found = services()
    queue_url = found.settings.bounded_redis_url()
    if queue_url:
        # Write-only: it publishes to Redis, and every web instance delivers.
        emitter = SocketIO(
            message_queue=queue_url,
            channel=found.settings.socketio_channel,
            async_mode="threading",
        )
        found.start_pushes(pusher_for(emitter))
        click.echo("Live pushes go to the web instances through Redis.")
    else:
        if found.pusher is not None:
            found.pusher.stop()  # it would announce to this process's nobody
        click.echo("No WOLFPACK_REDIS_URL: web instances get no live pushes from here.")
    signal.signal(signal.SIGTERM, lambda *_: runner.stop())
    click.echo(f"Following the event log from position {runner.stored_position()}.")
    with contextlib.suppress(KeyboardInterrupt):
        runner.follow(poll)
    if found.pusher is not None:
        found.pusher.stop()
    click.echo(f"Stopped at position {runner.stored_position()}.")


@projections.command("rebuild")
def rebuild_projections() -> None:
    """Drop every read model and replay the whole event log into it."""
    _own_runner()
    started = time.perf_counter()
    position = services().rebuild_read_models()
    seconds = time.perf_counter() - started
    click.echo(f"Rebuilt the read models up to position {position} in {seconds:.1f} s.")


@projections.command("status")
def projections_status() -> None:
    """Show how far the read models have got, and how far behind the log they are."""
    status = services().projections.status()
    click.echo(
        f"position {status['position']}  head {status['head']}  lag {status['lag']}"
        f"  set aside {status['set_aside']}"
    )


@database.command("upgrade")
def upgrade_database() -> None:
    """Bring the server's tables to the newest revision (the app does it at start)."""
    found = services()
    with migrate.turn(found.engine, found.settings):
        revision = migrate.upgrade(found.engine)
    click.echo(f"The server's tables are at revision {revision} (the newest).")


@database.command("current")
def current_revision() -> None:
    """Print the revision the server's tables are at."""
    click.echo(migrate.current(services().engine) or "none")


@database.command("revision")
@click.option("-m", "--message", required=True, help="What the revision changes.")
def new_revision(message: str) -> None:
    """Write a new revision from the difference between the models and the tables."""
    with services().engine.begin() as conn:
        config = migrate.alembic_config(conn)
        number = f"{int(migrate.head()) + 1:04d}"
        command.revision(config, message, autogenerate=True, rev_id=number)


def register(app: Flask) -> None:
    """Add the commands to ``flask``."""
    app.cli.add_command(users)
    app.cli.add_command(database)
    app.cli.add_command(projections)
    app.cli.add_command(demo_command)
