"""Running an export: build the file in EXPORTS_DIR (temp file, then rename), record it, log the activity."""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from xlsxwriter.exceptions import FileCreateError

from reviewtracker.audit import record_activity
from reviewtracker.errors import ValidationError
from reviewtracker.exports.consolidated import write_consolidated
from reviewtracker.exports.csv_export import write_csv
from reviewtracker.exports.matrix import write_matrix
from reviewtracker.exports.params import LANGUAGES, ExportParams
from reviewtracker.exports.revision_summary import write_revision_summary
from reviewtracker.extensions import db
from reviewtracker.models import ActivityCategory, Country, Export, ExportKind, ReviewRound, User
from reviewtracker.models._base import utcnow
from reviewtracker.permissions import can_create_export
from reviewtracker.spreadsheets import atomic_write

Writer = Callable[[str, ExportParams, User | None, datetime], int]
WRITERS: dict[ExportKind, tuple[Writer, str]] = {
    ExportKind.consolidated: (write_consolidated, "xlsx"),
    ExportKind.matrix: (write_matrix, "xlsx"),
    ExportKind.revisions: (write_revision_summary, "xlsx"),
    ExportKind.csv: (write_csv, "csv"),
}
log = logging.getLogger(__name__)

# A temp file untouched for this long belongs to no running export (the largest take minutes), so it is
# what a killed export left behind. Younger ones are left alone: another worker may be writing one now.
STALE_TEMP_SECONDS = 60 * 60

MIME_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def exports_dir() -> Path:
    """The folder of generated files (created when missing)."""
    folder = Path(current_app.config["EXPORTS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def export_path(export: Export) -> Path:
    """Where a recorded export's file lives; the name is always server-made, never from a request."""
    return exports_dir() / os.path.basename(export.filename)


def remove_stale_temp_files(folder: Path, *, older_than: float = STALE_TEMP_SECONDS) -> int:
    """Delete the *.tmp files of exports killed mid-write (atomic_write's temp files); return how many."""
    removed, limit = 0, time.time() - older_than
    for path in folder.iterdir():
        try:
            if path.name.endswith(".tmp") and path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # another export's clean-up was first
            continue
    if removed:
        log.warning("removed %d temp file(s) left by interrupted exports in %s", removed, folder)
    return removed


def new_filename(kind: ExportKind, params: ExportParams, country: Country | None, now: datetime) -> str:
    """kind-round-country-lang-timestamp-random.ext: unique, predictable in shape, impossible to guess."""
    extension = WRITERS[kind][1]
    parts = [kind.value, f"round{params.round_id}"]
    if country is not None:
        parts.append(country.code)
    parts += [params.lang, now.strftime("%Y%m%d-%H%M%S"), secrets.token_hex(4)]
    return "-".join(parts) + "." + extension


def _check(user: User | None, kind: ExportKind, params: ExportParams) -> tuple[ReviewRound, Country | None]:
    review_round = db.session.get(ReviewRound, params.round_id)
    if review_round is None:
        raise ValidationError(_("Choose a review round."))
    if params.lang not in LANGUAGES:
        raise ValidationError(_("Choose English, French or Spanish."))
    country = db.session.get(Country, params.country_id) if params.country_id is not None else None
    if kind == ExportKind.matrix and country is None:
        raise ValidationError(_("Choose the country of the matrix."))
    if user is not None and not can_create_export(user, kind, params.country_id):
        # The view checks too; this keeps the CLI, the API and any future caller under the same rule.
        raise ValidationError(_("You may not create this export."))
    return review_round, country


def run_export(user: User | None, kind: ExportKind, params: ExportParams) -> Export:
    """Write an export and record it; user None is the command line, acting as the working group.

    A writer that fails leaves no file (atomic_write removes its temp file) and no Export row.
    """
    kind = ExportKind(kind)
    if kind != ExportKind.matrix:
        params = ExportParams(**{**params.__dict__, "country_id": None})
    _review_round, country = _check(user, kind, params)
    now = utcnow()
    filename = new_filename(kind, params, country, now)
    final_path = exports_dir() / filename
    remove_stale_temp_files(final_path.parent)
    writer = WRITERS[kind][0]
    written: dict[str, int] = {}

    def build(temp_path: str) -> None:
        try:
            written["rows"] = writer(temp_path, params, user, now)
        except FileCreateError as error:
            # XlsxWriter wraps the OSError of a full disk at close(); callers handle OSError, as for CSV.
            cause = error.args[0] if error.args and isinstance(error.args[0], OSError) else None
            raise cause or OSError(str(error)) from error

    sha256, size = atomic_write(final_path, build)
    try:
        export = Export(
            kind=kind,
            params=params.to_json(),
            round_id=params.round_id,
            country_id=params.country_id,
            filename=filename,
            rows=written["rows"],
            size_bytes=size,
            sha256=sha256,
            created_by_id=user.id if user is not None else None,
            created_at=now,
        )
        db.session.add(export)
        db.session.flush()
        record_activity(
            user,
            ActivityCategory.export,
            "export.create",
            target=export,
            country_id=params.country_id,
            after={"kind": kind, "params": params.to_json(), "rows": export.rows, "sha256": sha256},
        )
        db.session.flush()
    except BaseException:
        with contextlib.suppress(FileNotFoundError):  # no row, so no file either
            final_path.unlink()
        raise
    return export


def record_download(user: User, export: Export) -> None:
    """Log that a stored export was downloaded (who, which file)."""
    record_activity(user, ActivityCategory.export, "export.download", target=export, country_id=export.country_id)
