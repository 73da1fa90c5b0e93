"""Forms of the focal point's queue: the note sent back with a returned item."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SubmitField, TextAreaField

from reviewtracker.feedback.forms import NormalizedLength
from reviewtracker.forms import BaseForm
from reviewtracker.models._base import MAX_NOTE_CHARS


class ReturnForm(BaseForm):
    """Send an item back to its author with a note."""

    note = TextAreaField(_l("Note to the author"), validators=[NormalizedLength(MAX_NOTE_CHARS, required=True)])
    submit = SubmitField(_l("Return to author"))
