"""`flask db backup` / `flask db restore`, and a `flask db upgrade` that backs up a SQLite database first."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_migrate.cli import db as migrate_group

from reviewtracker.backups import (
    backup_database,
    check_sidecar,
    database_is_empty,
    database_url,
    restore_database,
    row_counts,
)
from reviewtracker.extensions import db


@click.command("backup")
@click.option("--dir", "folder", type=click.Path(file_okay=False), help="Folder for the backup (default BACKUP_DIR).")
@with_appcontext
def backup_command(folder: str | None) -> None:
    """Back up the database into a timestamped, verified file with a .sha256 checksum next to it."""
    path, counts = backup_database(folder)
    click.echo(f"Backup written and verified: {path}")
    click.echo("Rows: " + ", ".join(f"{name} {count}" for name, count in counts.items() if count))


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(file: str, yes: bool) -> None:
    """Replace EVERYTHING in the database with the content of a backup file (stop the app first)."""
    check_sidecar(Path(file))
    if not yes:
        click.confirm(
            f"This replaces every row of {database_url().render_as_string(hide_password=True)} with {file}. Continue?",
            abort=True,
        )
    if not database_is_empty():
        safety, _counts = backup_database()
        click.echo(f"The current database was backed up first: {safety}")
    restore_database(file)
    with db.engine.connect() as connection:
        counts = row_counts(connection)
    click.echo(f"Restored from {file}.")
    click.echo("Rows: " + ", ".join(f"{name} {count}" for name, count in counts.items() if count))


def _upgrade_with_backup(original: click.Command) -> click.Command:
    """Flask-Migrate's upgrade, preceded on SQLite by a backup (a batch migration rebuilds tables)."""

    @click.pass_context
    def callback(ctx: click.Context, **kwargs):
        if not kwargs.get("sql") and database_url().get_backend_name() == "sqlite" and not database_is_empty():
            path, _counts = backup_database()
            click.echo(f"Backup before upgrading: {path}")
        return ctx.invoke(original, **kwargs)

    return click.Command(
        "upgrade",
        params=list(original.params),
        callback=with_appcontext(callback),
        help=(original.help or "Upgrade to a later version") + " (on SQLite, backs up the database first).",
    )


def register_commands(app: Flask) -> None:
    """Give the app a `db` group: Flask-Migrate's commands, `upgrade` backing up first, `backup` and `restore`."""
    commands = dict(migrate_group.commands)
    commands["upgrade"] = _upgrade_with_backup(migrate_group.commands["upgrade"])
    commands["backup"] = backup_command
    commands["restore"] = restore_command
    # A copy of the group, so that Flask-Migrate's module-level group is not changed for other apps.
    group = click.Group(
        "db",
        commands=commands,
        params=list(migrate_group.params),
        callback=migrate_group.callback,
        help=migrate_group.help,
    )
    app.cli.add_command(group, name="db")
