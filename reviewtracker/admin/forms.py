"""Forms of the admin pages (countries, organisations, accounts): input validation only; rules live in services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from reviewtracker.forms import BaseForm, optional_int, static_choices, title_field
from reviewtracker.i18n import choices
from reviewtracker.models import Role
from reviewtracker.models._base import MAX_EMAIL_CHARS, MAX_NAME_CHARS

LANGUAGES = {"": _l("Browser language"), "en": "English", "fr": "Français", "es": "Español"}


class CountryForm(BaseForm):
    """A champion country: ISO code (fixed once created), names in three languages, since when, active."""

    code = StringField(
        _l("ISO code"),
        validators=[DataRequired(), Regexp(r"^[A-Za-z]{2}$", message=_l("Two letters, e.g. KE."))],
        description=_l("Two letters (ISO 3166). It cannot be changed later."),
    )
    title_en = title_field(_l("Name in English"), required=True)
    title_fr = title_field(_l("Name in French"))
    title_es = title_field(_l("Name in Spanish"))
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
    locale = SelectField(_l("Interface language"), choices=static_choices(LANGUAGES))
    submit = SubmitField(_l("Save"))
