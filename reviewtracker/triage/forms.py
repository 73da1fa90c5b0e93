"""Triage forms: each carries the lock version the user loaded, so a stale save is detected."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from reviewtracker.extensions import db
from reviewtracker.forms import BaseForm
from reviewtracker.i18n import choices, label
from reviewtracker.models import (
    FeedbackLanguage,
    GuidingPrinciple,
    LeadAgency,
    Objective,
    ResponseTemplate,
    RevisionItem,
    RevisionStatus,
    Role,
    TriageStatus,
    User,
)
from reviewtracker.models._base import MAX_COMMENT_CHARS, MAX_NOTE_CHARS


class VersionedForm(BaseForm):
    """A form about one item, carrying the version the user saw."""

    version = HiddenField(validators=[InputRequired()])


def triager_choices(blank: str) -> dict[str, str]:
    """Active co-leads and admins, for assignment menus."""
    users = db.session.scalars(
        select(User).where(User.role.in_([Role.co_lead, Role.admin]), User.active).order_by(User.name)
    )
    return {"": blank, **{str(u.id): u.name for u in users}}


def agency_choices(blank: str) -> dict[str, str]:
    """The lead agencies, for menus."""
    agencies = db.session.scalars(select(LeadAgency).order_by(LeadAgency.code))
    return {"": blank, **{str(a.id): a.code for a in agencies}}


def open_revision_choices() -> dict[str, str]:
    """Revision items that can still gather feedback."""
    items = db.session.scalars(
        select(RevisionItem).where(RevisionItem.status != RevisionStatus.dropped).order_by(RevisionItem.code)
    )
    return {str(i.id): f"{i.code} — {i.title}" for i in items}


class StatusForm(VersionedForm):
    """Move the item to another status; a duplicate names the original's number."""

    status = SelectField(_l("New status"), validators=[DataRequired()])
    duplicate_of = IntegerField(
        _l("Duplicate of item number"),
        validators=[Optional()],
        description=_l("Only for “Duplicate”: the number of the original item, e.g. 42 for FB-000042."),
    )
    submit = SubmitField(_l("Change status"))

    def set_moves(self, moves: list[TriageStatus]) -> None:
        """Offer only the moves the workflow table allows."""
        self.status.choices = {s.value: label(s) for s in moves}

    def validate(self, extra_validators=None) -> bool:
        """The fields, then the cross-field rule: a duplicate names its original (Optional() skips an empty box)."""
        valid = super().validate(extra_validators=extra_validators)
        if self.status.data == TriageStatus.duplicate.value and self.duplicate_of.data is None:
            if not self.duplicate_of.errors:
                self.duplicate_of.errors = [str(_l("Give the number of the item this one duplicates."))]
            return False
        return valid


class AssignForm(VersionedForm):
    """Assign to a co-lead and a lead agency."""

    assignee = SelectField(_l("Assigned co-lead"), validators=[Optional()])
    lead_agency = SelectField(_l("Lead agency"), validators=[Optional()])
    submit = SubmitField(_l("Save assignment"))

    def load_choices(self) -> None:
        """Fill the menus from the database."""
        self.assignee.choices = triager_choices(str(_l("Nobody")))
        self.lead_agency.choices = agency_choices(str(_l("None")))


class TagsForm(VersionedForm):
    """The working group's free tags, guiding principles and objectives (never the submitter's choice)."""

    tags = StringField(_l("Tags"), validators=[Length(max=1000)], description=_l("Separate tags with commas."))
    principles = SelectMultipleField(
        _l("Guiding principles added by the working group"), coerce=int, validators=[Optional()]
    )
    objectives = SelectMultipleField(_l("Objectives added by the working group"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Save tags"))

    def load_choices(self) -> None:
        """Fill the principle and objective lists."""
        principles = db.session.scalars(select(GuidingPrinciple).order_by(GuidingPrinciple.letter))
        objectives = db.session.scalars(select(Objective).order_by(Objective.number))
        self.principles.choices = {p.id: p.label for p in principles}
        self.objectives.choices = {o.id: o.label for o in objectives}


class NoteForm(BaseForm):
    """A private note, or a reply to one."""

    body = TextAreaField(_l("Private note"), validators=[DataRequired(), Length(max=MAX_NOTE_CHARS)])
    parent_id = HiddenField()
    submit = SubmitField(_l("Add note"))


class ResponseForm(VersionedForm):
    """The response to the submitter: save as draft or publish."""

    text = TextAreaField(_l("Response to the submitter"), validators=[DataRequired(), Length(max=MAX_COMMENT_CHARS)])
    language = SelectField(_l("Language of the response"))
    publish = BooleanField(_l("Publish now (the submitter and the focal point are notified)"))
    submit = SubmitField(_l("Save response"))

    def load_choices(self) -> None:
        """Languages of a response."""
        self.language.choices = choices(FeedbackLanguage)


class LinkForm(BaseForm):
    """Link the item to a revision item."""

    revision_item = SelectField(_l("Revision item"), validators=[DataRequired()])
    submit = SubmitField(_l("Link"))

    def load_choices(self) -> None:
        """Open revision items."""
        self.revision_item.choices = open_revision_choices()


def template_choices() -> list[ResponseTemplate]:
    """Active response templates, by name."""
    return list(
        db.session.scalars(select(ResponseTemplate).where(ResponseTemplate.active).order_by(ResponseTemplate.name))
    )
