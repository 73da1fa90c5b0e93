"""The base of every web form (NUL characters refused on their field) and the fields the admin-area forms share."""

from __future__ import annotations

from flask import g
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from reviewtracker.models._base import MAX_TITLE_CHARS

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


def static_choices(options: dict) -> list[SelectChoice]:
    """Static choices with lazily translated labels (WTForms takes a dict only when every label is a str)."""
    return [SelectChoice(value, label) for value, label in options.items()]


def optional_int(value: object) -> int | None:
    """Coerce a select's value to an id; the empty option means None."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # never a valid choice, so the field reports "Not a valid choice"


def title_field(label, required: bool = False) -> StringField:
    """A title in one language of at most MAX_TITLE_CHARS characters (`required` for the English one)."""
    validators = (
        [DataRequired(), Length(max=MAX_TITLE_CHARS)] if required else [Optional(), Length(max=MAX_TITLE_CHARS)]
    )
    return StringField(label, validators=validators)


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (keyboard-usable, one label each)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
