"""Forms of the revisions feature: revision items, the next draft, response templates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from reviewtracker.documents.services import next_free_label
from reviewtracker.extensions import db
from reviewtracker.forms import BaseForm
from reviewtracker.i18n import label
from reviewtracker.models import DocumentVersion, GuidanceDocument, LeadAgency, RevisionStatus, Section
from reviewtracker.models._base import MAX_COMMENT_CHARS, MAX_TITLE_CHARS


def section_choices() -> dict[int, str]:
    """Every section of every version, newest versions first, so items can target the next draft."""
    stmt = (
        select(Section, DocumentVersion)
        .join(DocumentVersion, DocumentVersion.id == Section.version_id)
        .order_by(DocumentVersion.document_id, DocumentVersion.number.desc(), Section.code)
    )
    return {s.id: f"{s.code} {s.title} — {v.label}" for s, v in db.session.execute(stmt)}


class RevisionItemForm(BaseForm):
    """Create or edit a revision item."""

    version = HiddenField()
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=MAX_TITLE_CHARS)])
    description = TextAreaField(_l("Description of the change"), validators=[Optional(), Length(max=MAX_COMMENT_CHARS)])
    sections = SelectMultipleField(_l("Target sections"), coerce=int, validators=[Optional()])
    owner_agency = SelectField(_l("Owning lead agency"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()])
    applied_version = SelectField(
        _l("Applied in version"), validators=[Optional()], description=_l("Required when the status is “Applied”.")
    )
    submit = SubmitField(_l("Save revision item"))

    def load_choices(self, statuses: list[RevisionStatus] | None = None) -> None:
        """Fill the menus; `statuses` are the allowed moves (edit form only)."""
        self.sections.choices = section_choices()
        agencies = db.session.scalars(select(LeadAgency).order_by(LeadAgency.code))
        self.owner_agency.choices = {"": str(_l("None")), **{str(a.id): a.code for a in agencies}}
        self.status.choices = {s.value: label(s) for s in statuses or []}
        versions = db.session.execute(
            select(DocumentVersion, GuidanceDocument)
            .join(GuidanceDocument)
            .order_by(GuidanceDocument.position, DocumentVersion.number)
        )
        self.applied_version.choices = {"": "—", **{str(v.id): f"{d.code} — {v.label}" for v, d in versions}}


class NextVersionForm(BaseForm):
    """Create the next version of a document."""

    document = SelectField(_l("Document"), validators=[DataRequired()])
    label = StringField(
        _l("Label of the new version"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("Each version of a document has its own label."),
    )
    submit = SubmitField(_l("Create the next version"))

    def load_choices(self, chosen: str | None = None) -> None:
        """The documents; on a fresh page, `chosen` (or the first) is selected with its next free label offered."""
        documents = list(db.session.scalars(select(GuidanceDocument).order_by(GuidanceDocument.position)))
        self.document.choices = {str(d.id): f"{d.code} — {d.title}" for d in documents}
        if self.is_submitted() or not documents:
            return
        document = next((d for d in documents if str(d.id) == chosen), documents[0])
        self.document.data, self.label.data = str(document.id), next_free_label(document)


class ResponseTemplateForm(BaseForm):
    """A reusable response wording in three languages."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    text_en = TextAreaField(_l("Text in English"), validators=[InputRequired(), Length(max=MAX_COMMENT_CHARS)])
    text_fr = TextAreaField(_l("Text in French"), validators=[Optional(), Length(max=MAX_COMMENT_CHARS)])
    text_es = TextAreaField(_l("Text in Spanish"), validators=[Optional(), Length(max=MAX_COMMENT_CHARS)])
    active = BooleanField(_l("Offered on item pages"), default=True)
    submit = SubmitField(_l("Save template"))
