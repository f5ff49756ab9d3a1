"""Command-line tools: ``flask --app wsgi users create …`` and ``… demo``."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from events.errors import DomainError
from server.accounts import create_user
from server.demo import DEMO_LOGINS, seed_demo
from server.services import services

users = AppGroup("users", help="Manage user accounts.")


@users.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Display name.")
@click.option("--password", required=True, help="At least 8 characters.")
@click.option("--admin", is_flag=True, help="Make a workspace admin.")
def create_user_command(email: str, name: str, password: str, admin: bool) -> None:
    """Create a user account."""
    if len(password) < 8:
        raise click.BadParameter("must be at least 8 characters", param_hint="password")
    with services().sessions() as session:
        try:
            user = create_user(session, email, name, password, is_admin=admin)
        except DomainError as error:
            raise click.ClickException(error.message) from None
    role = "admin" if admin else "user"
    click.echo(f"Created {role} {user.email} with id {user.id}")


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo team (safe to run again: it adds nothing the second time)."""
    created = seed_demo(services())
    click.echo("Demo data loaded." if created else "Demo data already present.")
    click.echo("Demo logins (email / password):")
    for role, email, password in DEMO_LOGINS:
        click.echo(f"  {role:<7} {email:<28} {password}")


def register(app: Flask) -> None:
    """Add the commands to ``flask``."""
    app.cli.add_command(users)
    app.cli.add_command(demo_command)
