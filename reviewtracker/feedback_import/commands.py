"""`flask feedback import FILE --round ID --user EMAIL`: the offline template import from the command line."""

from __future__ import annotations

import hashlib
import os

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import func, select

from reviewtracker import clock
from reviewtracker.errors import ServiceError
from reviewtracker.extensions import db
from reviewtracker.feedback_import.columns import DEFAULT_MAX_ROWS
from reviewtracker.feedback_import.importer import read_plan, translate_spreadsheet_error
from reviewtracker.feedback_import.services import apply_import, duplicate_message
from reviewtracker.models import ReviewRound, User
from reviewtracker.parsing import CLI_ID
from reviewtracker.spreadsheets import SpreadsheetError, check_xlsx_upload

feedback_cli = AppGroup("feedback", help="Feedback: import offline Excel templates.")


@feedback_cli.command("import")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
@click.option("--round", "round_id", type=CLI_ID, required=True, help="Id of the review round.")
@click.option("--user", "email", required=True, help="E-mail of the country user the feedback is from.")
@click.option("--submit", is_flag=True, help="Submit the new items instead of keeping them as drafts.")
@click.option("--dry-run", is_flag=True, help="Check and report only; write nothing.")
def import_command(path: str, round_id: int, email: str, submit: bool, dry_run: bool) -> None:
    """Check every row of a filled-in template, print a report, then import it in one transaction."""

    with force_locale("en"):
        user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
        review_round = db.session.get(ReviewRound, round_id)
        if user is None or not user.role.is_country or user.country_id is None:
            raise click.ClickException(f"No country user with the e-mail {email}.")
        if review_round is None or review_round.participant(user.country_id) is None:
            raise click.ClickException(f"Round {round_id} does not exist or {user.country.code} does not take part.")
        try:
            with open(path, "rb") as handle:
                data = check_xlsx_upload(
                    handle, filename=os.path.basename(path), max_bytes=current_app.config["MAX_CONTENT_LENGTH"]
                )
        except SpreadsheetError as error:
            raise click.ClickException(translate_spreadsheet_error(error)) from error
        sha256 = hashlib.sha256(data).hexdigest()
        max_rows = int(current_app.config.get("IMPORT_MAX_ROWS") or DEFAULT_MAX_ROWS)
        plan = read_plan(data, review_round, user, max_rows=max_rows, sha256=sha256)
        for problem in plan.problems:
            click.echo(str(problem), err=True)
        for row, item in plan.conflicts:
            click.echo(f"Row {row}, ID: conflict: {item.display_id} was changed online; the row is skipped.")
        for planned in plan.locked:  # nothing is imported while they are in the file (apply_import says so)
            click.echo(f"Row {planned.row}, ID: {planned.blocked}", err=True)
        click.echo(", ".join(f"{name}: {count}" for name, count in plan.counts.items()))
        if plan.duplicate_of is not None:
            click.echo(duplicate_message(plan.duplicate_of))
            return
        if plan.problems:
            raise SystemExit(1)
        if dry_run:
            click.echo("Dry run: nothing was written.")
            return
        try:
            record = apply_import(
                user,
                review_round,
                plan,
                filename=os.path.basename(path),
                sha256=sha256,
                submit=submit,
                today=clock.round_today(),
            )
            db.session.commit()
        except ServiceError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from error
        click.echo(
            f"Imported {os.path.basename(path)} as import #{record.id}: {record.rows_created} created, "
            f"{record.rows_updated} updated ({'submitted' if submit else 'drafts'})."
        )


def register_commands(app: Flask) -> None:
    """Add the `flask feedback` group."""
    app.cli.add_command(feedback_cli)
