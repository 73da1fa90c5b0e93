"""`flask export consolidated|matrix|revisions|csv`: the same exports from the command line, as the working group."""

from __future__ import annotations

import shutil

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from reviewtracker.errors import ServiceError
from reviewtracker.exports import services
from reviewtracker.exports.params import LANGUAGES, ExportParams
from reviewtracker.extensions import db
from reviewtracker.models import Country, ExportKind, GuidanceDocument, ReviewRound, TriageStatus
from reviewtracker.parsing import to_int
from reviewtracker.spreadsheets import atomic_write

export_cli = AppGroup("export", help="Write exports (recorded on the Exports page); --out copies the file.")


def _country_id(code: str) -> int:
    country = db.session.scalar(select(Country).where(Country.code == code.strip().upper()))
    if country is None:
        raise click.BadParameter(f"unknown country code {code!r}")
    return country.id


def _round_id(value: str | None) -> int:
    stmt = select(ReviewRound).order_by(ReviewRound.opens_on.desc(), ReviewRound.id.desc())  # default: newest
    if value:
        round_id = to_int(value, low=1)  # ASCII digits within range are an id; anything else is a name
        stmt = stmt.where(ReviewRound.id == round_id if round_id is not None else ReviewRound.name == value)
    review_round = db.session.scalars(stmt).first()
    if review_round is None:
        raise click.BadParameter("no such review round", param_hint="--round")
    return review_round.id


def _document_ids(codes: tuple[str, ...]) -> tuple[int, ...]:
    ids = []
    for code in codes:
        doc = db.session.scalar(select(GuidanceDocument).where(GuidanceDocument.code == code.strip().upper()))
        if doc is None:
            raise click.BadParameter(f"unknown document code {code!r}", param_hint="--document")
        ids.append(doc.id)
    return tuple(ids)


def _options(command):
    """The options every export command shares."""
    options = [
        click.option("--round", "round_", help="Round id or name (default: the most recent round)."),
        click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True),
        click.option("--out", type=click.Path(dir_okay=False, writable=True), help="Also copy the file here."),
        click.option("--document", "documents", multiple=True, help="Document code (G, B); repeatable."),
        click.option("--status", "statuses", multiple=True, type=click.Choice([s.value for s in TriageStatus])),
        click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="Forwarded on or after."),
        click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="Forwarded on or before."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _run(kind: ExportKind, round_, lang, out, documents, statuses, date_from, date_to, country=None, countries=()):
    params = ExportParams(
        round_id=_round_id(round_),
        lang=lang,
        country_id=_country_id(country) if country else None,
        document_ids=_document_ids(documents),
        country_ids=tuple(_country_id(c) for c in countries),
        statuses=tuple(TriageStatus(s) for s in statuses),
        date_from=date_from.date() if date_from else None,
        date_to=date_to.date() if date_to else None,
    )
    try:
        export = services.run_export(None, kind, params)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    source = services.export_path(export)
    click.echo(f"{kind.value}: {export.rows} rows, {export.size_bytes} bytes, sha256 {export.sha256}")
    click.echo(f"Stored as {source}")
    if out:  # copied with the same temp-then-rename rule, so an existing file is never half-overwritten
        atomic_write(out, lambda temp: shutil.copyfile(source, temp))
        click.echo(f"Written to {out}")


@export_cli.command("consolidated")
@_options
@click.option("--country", "countries", multiple=True, help="Country code; repeatable (default: all).")
def consolidated_command(countries, **options) -> None:
    """The consolidated workbook of a round (all sheets)."""
    _run(ExportKind.consolidated, countries=countries, **options)


@export_cli.command("matrix")
@_options
@click.option("--country", required=True, help="Country code of the matrix (KE, MA, ...).")
def matrix_command(country, **options) -> None:
    """The comment-resolution matrix of one country."""
    _run(ExportKind.matrix, country=country, **options)


@export_cli.command("revisions")
@_options
@click.option("--country", "countries", multiple=True, help="Count only this country's comments; repeatable.")
def revisions_command(countries, **options) -> None:
    """The revision summary workbook."""
    _run(ExportKind.revisions, countries=countries, **options)


@export_cli.command("csv")
@_options
@click.option("--country", "countries", multiple=True, help="Country code; repeatable (default: all).")
def csv_command(countries, **options) -> None:
    """The Feedback sheet as CSV (UTF-8 with BOM)."""
    _run(ExportKind.csv, countries=countries, **options)


def register_commands(app: Flask) -> None:
    """Add the `flask export` group."""
    app.cli.add_command(export_cli)
