"""`flask` command groups: seed and users here; features add theirs (feedback import, export, db backup)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from reviewtracker import backup_commands
from reviewtracker.admin.services import create_user, set_user_active
from reviewtracker.auth.services import find_user_by_email, issue_token
from reviewtracker.catalogues import missing_translations
from reviewtracker.errors import ServiceError
from reviewtracker.exports import commands as export_commands
from reviewtracker.extensions import db
from reviewtracker.feedback_import import commands as import_commands
from reviewtracker.models import Country, LeadAgency, Role, TokenPurpose, User
from reviewtracker.seed.demo import DEMO_PASSWORD, database_is_empty, seed_demo
from reviewtracker.seed.reference import seed_reference

seed_cli = AppGroup("seed", help="Load reference and demo data.")
users_cli = AppGroup("users", help="Manage accounts.")
translate_cli = AppGroup("translate", help="Check the French and Spanish catalogues.")


@seed_cli.command("reference")
def seed_reference_command() -> None:
    """Load or refresh the GCM reference data and the guidance outline."""

    counts = seed_reference()
    db.session.commit()
    click.echo("Reference data: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


@seed_cli.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when users already exist.")
def seed_demo_command(if_empty: bool) -> None:
    """Create demo users for every role, an open round and demo feedback; print the logins."""

    if not database_is_empty():
        if if_empty:
            click.echo("Demo data already present.")
            print_demo_logins()
            return
        raise click.ClickException("The database already has users; demo data is only added to an empty database.")
    seed_reference()
    logins = seed_demo()
    db.session.commit()
    click.echo(f"Demo data created: {len(logins)} users.")
    print_demo_logins()
    click.echo(f"Every demo account uses the password: {DEMO_PASSWORD}")


def print_demo_logins() -> None:
    """Print the demo accounts in a table."""

    users = db.session.scalars(select(User).where(User.email.like("%@demo.reviewtracker.org")).order_by(User.id))
    click.echo(f"{'Role':<12} {'Where':<6} E-mail")
    for user in users:
        where = user.country.code if user.country else (user.lead_agency.code if user.lead_agency else "")
        click.echo(f"{user.role:<12} {where:<6} {user.email}")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(["contributor", "focal_point", "co_lead", "member", "admin"]), required=True)
@click.option("--country", help="ISO code of the country (contributors and focal points).")
@click.option("--agency", help="Lead agency code (co-leads).")
@click.option("--password", help="Set a password now instead of printing an invitation link.")
def create_user_command(email, name, role, country, agency, password) -> None:
    """Create an account and print its one-time invitation link (no mail server is assumed)."""

    country_obj = db.session.scalar(select(Country).where(Country.code == country.upper())) if country else None
    agency_obj = db.session.scalar(select(LeadAgency).where(LeadAgency.code == agency.upper())) if agency else None
    if country and country_obj is None:
        raise click.ClickException(f"Unknown country code: {country}")
    if agency and agency_obj is None:
        raise click.ClickException(f"Unknown lead agency: {agency}")
    try:
        user = create_user(None, email=email, name=name, role=Role(role), country=country_obj, lead_agency=agency_obj)
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    if password:
        user.set_password(password)
        db.session.commit()
        click.echo(f"Created {user.email} ({role}).")
        return
    token = issue_token(user, TokenPurpose.invitation, current_app.config["INVITATION_TTL"], None)
    db.session.commit()
    click.echo(f"Created {user.email} ({role}). Invitation link (single use):")
    click.echo(f"{current_app.config['PUBLIC_URL'].rstrip('/')}/set-password/{token}")


@users_cli.command("list")
def list_users_command() -> None:
    """List accounts with role, country and status."""

    for user in db.session.scalars(select(User).order_by(User.role, User.email)):
        where = user.country.code if user.country else ""
        click.echo(f"{user.id:>4} {user.role:<12} {where:<3} {'active' if user.active else 'inactive':<8} {user.email}")


@users_cli.command("deactivate")
@click.argument("email")
def deactivate_user_command(email: str) -> None:
    """Deactivate an account and end its sessions."""

    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account for {email}")
    set_user_active(None, user, False)
    db.session.commit()
    click.echo(f"Deactivated {user.email}.")


@translate_cli.command("missing")
@click.option("--lang", type=click.Choice(["fr", "es"]), required=True)
@click.option("--where", is_flag=True, help="Show where each message is used.")
def translate_missing_command(lang: str, where: bool) -> None:
    """List the interface messages the language does not translate yet (exit 1 if any)."""

    missing = missing_translations(lang)
    for msgid, places in sorted(missing.items()):
        click.echo(f"{msgid!r}" + (f"  ({', '.join(places[:3])})" if where else ""))
    if missing:
        raise SystemExit(1)
    click.echo(f"{lang}: every message is translated.")


def init_app(app: Flask) -> None:
    """Register the command groups."""
    app.cli.add_command(seed_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(translate_cli)
    # Feature command groups: `flask feedback import`, `flask export ...`, `flask db backup|restore`.

    for module in (import_commands, export_commands, backup_commands):
        module.register_commands(app)
