"""Forms of the admin pages: input validation only (lengths, choices, cross-field rules); rules live in services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from reviewtracker.forms import BaseForm
from reviewtracker.i18n import choices
from reviewtracker.models import Role, VersionStatus
from reviewtracker.models._base import MAX_COMMENT_CHARS, MAX_EMAIL_CHARS, MAX_NAME_CHARS, MAX_TITLE_CHARS


def _choices(options: dict) -> list[SelectChoice]:
    """Static choices with lazily translated labels (WTForms takes a dict only when every label is a str)."""
    return [SelectChoice(value, label) for value, label in options.items()]


LANGUAGES = {"": _l("Browser language"), "en": "English", "fr": "Français", "es": "Español"}


def optional_int(value: object) -> int | None:
    """Coerce a select's value to an id; the empty option means None."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # never a valid choice, so the field reports "Not a valid choice"


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (keyboard-usable, one label each)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _title(label, required: bool = False) -> StringField:
    validators = (
        [DataRequired(), Length(max=MAX_TITLE_CHARS)] if required else [Optional(), Length(max=MAX_TITLE_CHARS)]
    )
    return StringField(label, validators=validators)


class CountryForm(BaseForm):
    """A champion country: ISO code (fixed once created), names in three languages, since when, active."""

    code = StringField(
        _l("ISO code"),
        validators=[DataRequired(), Regexp(r"^[A-Za-z]{2}$", message=_l("Two letters, e.g. KE."))],
        description=_l("Two letters (ISO 3166). It cannot be changed later."),
    )
    title_en = _title(_l("Name in English"), required=True)
    title_fr = _title(_l("Name in French"))
    title_es = _title(_l("Name in Spanish"))
    champion_since = StringField(
        _l("Champion country since"), validators=[Optional(), Length(max=40)], description=_l("For example: 2021")
    )
    active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save"))


class OrganisationForm(BaseForm):
    """An organisation: name, acronym, country, stakeholder type, active."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=MAX_NAME_CHARS)])
    acronym = StringField(_l("Acronym"), validators=[Optional(), Length(max=40)])
    country = SelectField(_l("Country"), coerce=optional_int, description=_l("Leave empty for an international body."))
    stakeholder_type = SelectField(_l("Stakeholder type"), coerce=optional_int, validators=[DataRequired()])
    active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save"))


class UserForm(BaseForm):
    """An account's name, role, country, organisation, agency and language (e-mail only when creating)."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=MAX_EMAIL_CHARS)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=MAX_NAME_CHARS)])
    role = SelectField(_l("Role"), choices=choices(Role), coerce=Role)
    country = SelectField(
        _l("Country"), coerce=optional_int, description=_l("Required for contributors and focal points.")
    )
    organisation = SelectField(
        _l("Organisation"), coerce=optional_int, description=_l("Must belong to the chosen country.")
    )
    lead_agency = SelectField(_l("Lead agency"), coerce=optional_int, description=_l("For co-leads."))
    locale = SelectField(_l("Interface language"), choices=_choices(LANGUAGES))
    submit = SubmitField(_l("Save"))


class DocumentForm(BaseForm):
    """A guidance document: short code and title in three languages."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Regexp(r"^[A-Za-z][A-Za-z0-9]{0,9}$", message=_l("Letters or digits, e.g. G."))],
        description=_l("Prefix of the section codes, e.g. G for the Guide."),
    )
    title_en = _title(_l("Title in English"), required=True)
    title_fr = _title(_l("Title in French"))
    title_es = _title(_l("Title in Spanish"))
    submit = SubmitField(_l("Add the document"))


class VersionForm(BaseForm):
    """A document version: label and status; when adding, an empty tree or a copy of the previous one."""

    label = StringField(
        _l("Label"), validators=[DataRequired(), Length(max=100)], description=_l("For example: Revised draft")
    )
    status = SelectField(_l("Status"), choices=choices(VersionStatus), coerce=VersionStatus)
    start = RadioField(
        _l("Section tree"),
        choices=_choices(
            {"copy": _l("Copy the tree of the previous version"), "empty": _l("Start with an empty tree")}
        ),
        default="copy",
    )
    submit = SubmitField(_l("Save"))


class SectionForm(BaseForm):
    """A section: code and titles in three languages (and the parent when adding)."""

    parent = SelectField(_l("Parent section"), coerce=optional_int)
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=30)],
        description=_l("Capital letters and numbers separated by dots, unique in the version, e.g. G.2.3."),
    )
    title_en = _title(_l("Title in English"), required=True)
    title_fr = _title(_l("Title in French"))
    title_es = _title(_l("Title in Spanish"))
    submit = SubmitField(_l("Save"))


class MoveSectionForm(BaseForm):
    """Choose a new parent for a section."""

    parent = SelectField(_l("New parent section"), coerce=optional_int)
    submit = SubmitField(_l("Move"))


class OutlineUploadForm(BaseForm):
    """An outline file (YAML or Excel) and what to do with it."""

    file = FileField(
        _l("Outline file"),
        validators=[FileRequired(message=_l("Choose a file."))],
        description=_l("A .yaml/.yml file or an Excel .xlsx workbook with the columns of the template."),
    )
    mode = RadioField(
        _l("Mode"),
        choices=_choices(
            {
                "extend": _l("Extend: add new codes and update the titles of existing codes"),
                "replace": _l("Replace: the file becomes the whole outline (only when no feedback refers to it)"),
            }
        ),
        default="extend",
    )
    submit = SubmitField(_l("Preview"))


class RoundForm(BaseForm):
    """A review round: name, description, versions, dates, direct submission, participating countries."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=MAX_TITLE_CHARS)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=MAX_COMMENT_CHARS)])
    versions = MultiCheckboxField(_l("Versions under review"), coerce=int)
    opens_on = DateField(_l("Opens on"), validators=[DataRequired()])
    closes_on = DateField(_l("Closes on"), validators=[DataRequired()])
    allow_direct_submission = BooleanField(
        _l("Stakeholders submit directly to the working group"),
        description=_l("When ticked, the focal point sees the feedback but does not forward it."),
    )
    countries = MultiCheckboxField(_l("Participating countries"), coerce=int)
    submit = SubmitField(_l("Save"))

    def validate_closes_on(self, field) -> None:
        """The round closes on or after the day it opens."""
        if self.opens_on.data and field.data and field.data < self.opens_on.data:
            raise ValidationError(_l("The closing date must be on or after the opening date."))

    def validate_versions(self, field) -> None:
        """At least one version is under review."""
        if not field.data:
            raise ValidationError(_l("Choose at least one version."))


class ExtensionForm(BaseForm):
    """A later closing date for one country (empty removes the extension)."""

    extended_until = DateField(_l("Extended until"), validators=[Optional()])
    submit = SubmitField(_l("Save the extension"))


class QuestionForm(BaseForm):
    """A guiding question in three languages."""

    text_en = TextAreaField(_l("Question in English"), validators=[DataRequired(), Length(max=MAX_COMMENT_CHARS)])
    text_fr = TextAreaField(_l("Question in French"), validators=[Optional(), Length(max=MAX_COMMENT_CHARS)])
    text_es = TextAreaField(_l("Question in Spanish"), validators=[Optional(), Length(max=MAX_COMMENT_CHARS)])
    submit = SubmitField(_l("Save"))
