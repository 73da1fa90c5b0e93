"""Forms of the round pages: a round, a country's extension and a guiding question (validation only)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from reviewtracker.forms import BaseForm, MultiCheckboxField
from reviewtracker.models._base import MAX_COMMENT_CHARS, MAX_TITLE_CHARS


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
