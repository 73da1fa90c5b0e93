"""The base of every web form: text that arrived with NUL characters comes back cleaned, with a message on its field."""

from __future__ import annotations

from flask import g
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField

# Set by security.strip_nul_from_form: names of the posted fields whose NUL characters were removed.
NUL_FIELDS = "nul_fields"

NUL_MESSAGE = _l(
    "This text contained a NUL character, which is not allowed. It was removed: check the text and send it again."
)


def _flag(fields, cleaned, message: str) -> bool:
    """Add `message` to every field named in `cleaned`, descending into FormField and FieldList; True if any."""
    found = False
    for field in fields:
        if isinstance(field, FormField):
            found = _flag(field.form, cleaned, message) or found
        elif isinstance(field, FieldList):
            if _flag(field.entries, cleaned, message):
                field.errors = [entry.errors for entry in field.entries]  # the list keeps copies: rebuild it
                found = True
        elif field.name in cleaned:
            field.errors = [*field.errors, message]
            found = True
    return found


class BaseForm(FlaskForm):
    """FlaskForm that refuses, on the field itself, text from which the request guard removed NUL characters."""

    def validate(self, extra_validators=None) -> bool:
        """The usual validation, then one error per field that carried a NUL (the cleaned text is shown again)."""
        valid = super().validate(extra_validators=extra_validators)
        cleaned = g.get(NUL_FIELDS)
        if cleaned and _flag(self, cleaned, str(NUL_MESSAGE)):
            return False
        return valid
