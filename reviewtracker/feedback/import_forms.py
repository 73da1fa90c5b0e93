"""Forms of the offline-template import: the upload and the confirmation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, SubmitField
from wtforms.fields.choices import SelectChoice


class UploadForm(FlaskForm):
    """The filled-in template (.xlsx)."""

    file = FileField(
        _l("Filled-in template (.xlsx)"),
        validators=[FileRequired(message=_l("Choose the .xlsx file to upload."))],
    )
    submit = SubmitField(_l("Upload and preview"))


class ConfirmForm(FlaskForm):
    """Import as drafts, or submit every new item at once."""

    mode = RadioField(
        _l("Import the new items"),
        choices=[
            SelectChoice("draft", _l("as drafts (you can review and submit them later)")),
            SelectChoice("submit", _l("and submit them all now")),
        ],
        default="draft",
    )
    submit = SubmitField(_l("Confirm the import"))
