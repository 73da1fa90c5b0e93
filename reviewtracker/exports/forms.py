"""The form that creates an export: kind, round, language and filters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, SelectField, SelectMultipleField
from wtforms.validators import DataRequired, Optional, ValidationError

from reviewtracker.exports.params import ExportParams
from reviewtracker.extensions import db
from reviewtracker.feedback.defaults import default_country, default_round
from reviewtracker.i18n import LANGUAGE_NAMES, current_language, label
from reviewtracker.models import Country, ExportKind, GuidanceDocument, ReviewRound, TriageStatus, User
from reviewtracker.permissions import can_choose_export_kind, sees_unpublished_triage
from reviewtracker.triage.workflow import DECIDED


class ExportForm(FlaskForm):
    """Create one export; focal points get their own country's matrix only (choices are narrowed)."""

    kind = SelectField(_l("Kind"), validators=[DataRequired()])
    round_id = SelectField(_l("Review round"), coerce=int, validators=[DataRequired()])
    lang = SelectField(_l("Language of headers and values"), default="en")
    country_id = SelectField(
        _l("Country of the matrix"), coerce=int, validators=[Optional()], description=_l("Needed for the matrix only.")
    )
    documents = SelectMultipleField(_l("Documents"), coerce=int, validators=[Optional()])
    countries = SelectMultipleField(_l("Countries"), coerce=int, validators=[Optional()])
    statuses = SelectMultipleField(_l("Statuses"), validators=[Optional()])
    date_from = DateField(_l("Forwarded from"), validators=[Optional()])
    date_to = DateField(_l("Forwarded until"), validators=[Optional()])

    @classmethod
    def for_user(cls, user: User, **kwargs) -> ExportForm:
        """The form with the choices this user may use."""
        form = cls(lang=user.locale if user.locale in LANGUAGE_NAMES else current_language(), **kwargs)
        own_matrix_only = not can_choose_export_kind(user)
        kinds = [ExportKind.matrix] if own_matrix_only else list(ExportKind)
        form.kind.choices = {k.value: label(k) for k in kinds}
        rounds = list(
            db.session.scalars(select(ReviewRound).order_by(ReviewRound.opens_on.desc(), ReviewRound.id.desc()))
        )
        form.round_id.choices = {r.id: r.name for r in rounds}
        form.lang.choices = dict(LANGUAGE_NAMES)
        countries = list(db.session.scalars(select(Country).where(Country.active.is_(True)).order_by(Country.code)))
        if own_matrix_only:
            countries = [c for c in countries if c.id == user.country_id]
        form.country_id.choices = {c.id: c.name for c in countries}
        form.countries.choices = {c.id: c.name for c in countries}
        documents = db.session.scalars(select(GuidanceDocument).order_by(GuidanceDocument.position))
        form.documents.choices = {d.id: f"{d.code} — {d.title}" for d in documents}
        # A country sees only published decisions, so it filters by those alone (never "new" or "in review").
        statuses = TriageStatus if sees_unpublished_triage(user) else [s for s in TriageStatus if s in DECIDED]
        form.statuses.choices = {s.value: label(s) for s in statuses}
        if not form.is_submitted():
            form.open_on_feedback(user, rounds, countries)
        return form

    def open_on_feedback(self, user: User, rounds: list[ReviewRound], countries: list[Country]) -> None:
        """A fresh form opens on the newest round with feedback and, for the matrix, a country with items in it."""
        review_round = default_round(user, rounds)
        country = default_country(user, review_round, countries)
        self.round_id.data = review_round.id if review_round else None
        self.country_id.data = country.id if country else None

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then: a matrix is always for one country."""
        valid = super().validate(extra_validators)
        if self.kind.data == ExportKind.matrix.value and not self.country_id.data:
            self.country_id.errors = [*self.country_id.errors, _l("Choose the country of the matrix.")]
            return False
        return valid

    def validate_date_to(self, field) -> None:
        """The range must not be reversed."""
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))

    def params(self) -> ExportParams:
        """The validated choices as export parameters."""
        return ExportParams(
            round_id=self.round_id.data,
            lang=self.lang.data,
            country_id=self.country_id.data if self.kind.data == ExportKind.matrix.value else None,
            document_ids=tuple(self.documents.data or ()),
            country_ids=tuple(self.countries.data or ()),
            statuses=tuple(TriageStatus(s) for s in self.statuses.data or ()),
            date_from=self.date_from.data,
            date_to=self.date_to.data,
        )
