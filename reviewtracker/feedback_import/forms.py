"""Forms of the offline-template import: the upload and the confirmation."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, RadioField, SubmitField
from wtforms.fields.choices import SelectChoice


class UploadForm(FlaskForm):
    """The filled-in template (.xlsx)."""

    file = FileField(
        _l("Filled-in template (.xlsx)"),
        validators=[FileRequired(message=_l("Choose the .xlsx file to upload."))],
    )
    submit = SubmitField(_l("Upload and preview"))


class ConfirmForm(FlaskForm):
    """Import as drafts, or submit every new item at once; and which blocked rows to leave out."""

    mode = RadioField(
        _l("Import the new items"),
        choices=[
            SelectChoice("draft", _l("as drafts (you can review and submit them later)")),
            SelectChoice("submit", _l("and submit them all now")),
        ],
        default="draft",
    )
    # The rows the preview showed as no longer changeable, which the user chose to leave out ("3,7").
    skip_rows = HiddenField()
    submit = SubmitField(_l("Confirm the import"))

    def skipped_rows(self) -> frozenset[int]:
        """The row numbers of skip_rows; anything malformed counts as none (the import then refuses)."""
        parts = [part.strip() for part in (self.skip_rows.data or "").split(",") if part.strip()]
        if not all(re.fullmatch(r"[0-9]{1,7}", part) for part in parts):
            return frozenset()
        return frozenset(int(part) for part in parts)
