"""Command-line groups: `seed` (reference and demo data) and `users` (first admin)."""

import click
from flask import Flask
from flask.cli import AppGroup

from tamatch.errors import DomainError
from tamatch.extensions import db

seed_cli = AppGroup("seed", help="Load reference and demo data (idempotent).")
users_cli = AppGroup("users", help="Manage accounts.")


@seed_cli.command("reference")
def seed_reference() -> None:
    """Load States, mechanisms, themes, affected groups, SDGs, kinds of support, languages."""
    from tamatch.seeding.reference import load_reference

    counts = load_reference()
    db.session.commit()
    click.echo("Reference data: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@seed_cli.command("demo")
@click.option(
    "--scale",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Also generate this many synthetic open needs (and about 15% as many offers).",
)
def seed_demo(scale: int) -> None:
    """Load reference data, demo organisations, accounts, recommendations, needs and offers."""
    from tamatch.seeding.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo

    counts = load_demo(scale=scale)
    db.session.commit()
    click.echo("Demo data: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    click.echo("")
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for account in DEMO_ACCOUNTS:
        click.echo(f"  {account.role.value:<14} {account.email}")


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="Administrator", show_default=True)
def create_admin_command(email: str, name: str) -> None:
    """Create an administrator with a generated password, printed once."""
    from tamatch.auth.services import create_admin

    try:
        user, password = create_admin(email, name)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Administrator {user.email} created. Password (shown once): {password}")


def init_cli(app: Flask) -> None:
    app.cli.add_command(seed_cli)
    app.cli.add_command(users_cli)
