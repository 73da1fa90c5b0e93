"""Forms of the feedback feature: the comment form, guiding answers, acknowledgement."""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional, ValidationError
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from reviewtracker.feedback.inputs import FeedbackInput
from reviewtracker.forms import BaseForm
from reviewtracker.i18n import choices
from reviewtracker.models import FeedbackLanguage, FeedbackType, Priority
from reviewtracker.models._base import MAX_COMMENT_CHARS, MAX_NOTE_CHARS, MAX_REFERENCE_CHARS
from reviewtracker.spreadsheets import normalize_text


def options(mapping: dict) -> list[SelectChoice]:
    """Select choices from a {value: label} dict (WTForms 3.3 warns on dicts and tuples)."""
    return [SelectChoice(value, label) for value, label in mapping.items()]


RATING_CHOICES = options({"": _l("No rating"), **{str(n): str(n) for n in range(1, 6)}})


class NormalizedLength:
    """Length and presence measured on the text as it will be stored (after normalize_text)."""

    def __init__(self, max_chars: int, required: bool = False) -> None:
        self.max_chars, self.required = max_chars, required
        # Marks the field as required for the label's asterisk and for assistive technology.
        self.field_flags = {"required": True} if required else {}

    def __call__(self, form, field) -> None:
        text = normalize_text(field.data or "")
        if self.required and not text:
            raise ValidationError(_l("This field is required (invisible characters and spaces do not count)."))
        if len(text) > self.max_chars:
            raise ValidationError(_l("At most %(max)d characters (you typed %(n)d).", max=self.max_chars, n=len(text)))


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def had_control_characters(raw: str | None) -> bool:
    """Whether normalisation will remove invisible control characters the user typed or pasted."""
    return any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\r\t" for c in raw or "")


class FeedbackForm(BaseForm):
    """One comment on a section (or the whole document) of a version under review."""

    version_id = HiddenField()
    section_id = SelectField(_l("Section"), validate_choice=True)
    reference = StringField(
        _l("Paragraph or page"), validators=[NormalizedLength(MAX_REFERENCE_CHARS)], description=_l("e.g. p. 12, §3")
    )
    type = SelectField(_l("Type of comment"), validators=[InputRequired()])
    priority = SelectField(_l("Priority"), default=Priority.medium.value)
    comment = TextAreaField(
        _l("Comment"),
        validators=[NormalizedLength(MAX_COMMENT_CHARS, required=True)],
        description=_l("At most %(n)d characters.", n=MAX_COMMENT_CHARS),
    )
    proposed_change = TextAreaField(
        _l("Proposed change (new wording)"), validators=[NormalizedLength(MAX_COMMENT_CHARS)]
    )
    language = SelectField(_l("Language of the comment"))
    covid = BooleanField(_l("Concerns COVID-19"))
    principles = MultiCheckboxField(_l("Guiding principles concerned"), coerce=int, validate_choice=True)
    objectives = SelectMultipleField(_l("Objectives concerned"), coerce=int, validate_choice=True)
    usefulness_rating = RadioField(_l("Usefulness of the section (1–5)"), choices=RATING_CHOICES, default="")
    clarity_rating = RadioField(_l("Clarity of the section (1–5)"), choices=RATING_CHOICES, default="")
    client_token = HiddenField()
    lock_version = HiddenField()
    reason = StringField(_l("Reason for the edit"), validators=[Optional(), NormalizedLength(500)])
    save = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Submit"))

    def set_choices(self, sections: dict[str, str], principles: dict[int, str], objectives: dict[int, str]) -> None:
        """Fill the select fields (dicts: value → label; "" is the whole document)."""
        self.section_id.choices = options(sections)
        self.type.choices = choices(FeedbackType)
        self.priority.choices = choices(Priority)
        self.language.choices = choices(FeedbackLanguage)
        self.principles.choices = options(principles)
        self.objectives.choices = options(objectives)

    def validate_type(self, field) -> None:
        """Only the known types."""
        if field.data not in {t.value for t in FeedbackType}:
            raise ValidationError(_l("Choose a type."))

    def validate_priority(self, field) -> None:
        """Only the known priorities."""
        if field.data not in {p.value for p in Priority}:
            raise ValidationError(_l("Choose a priority."))

    def validate_language(self, field) -> None:
        """Only the known languages."""
        if field.data not in {lang.value for lang in FeedbackLanguage}:
            raise ValidationError(_l("Choose a language."))

    def to_input(self, version_id: int) -> FeedbackInput:
        """The validated content (text normalised by FeedbackInput)."""
        return FeedbackInput(
            version_id=version_id,
            section_id=int(self.section_id.data) if self.section_id.data else None,
            type=FeedbackType(self.type.data),
            comment=self.comment.data or "",
            priority=Priority(self.priority.data),
            reference=self.reference.data or None,
            proposed_change=self.proposed_change.data or None,
            language=FeedbackLanguage(self.language.data),
            covid=bool(self.covid.data),
            principle_ids=list(self.principles.data or []),
            objective_ids=list(self.objectives.data or []),
            usefulness_rating=int(self.usefulness_rating.data) if self.usefulness_rating.data else None,
            clarity_rating=int(self.clarity_rating.data) if self.clarity_rating.data else None,
        )

    def removed_characters(self) -> bool:
        """Whether any text field carried control characters that normalisation removes."""
        return any(had_control_characters(f.data) for f in (self.comment, self.proposed_change, self.reference))


class OnBehalfForm(FeedbackForm):
    """A co-lead types in feedback a country sent by e-mail."""

    country_id = SelectField(_l("Country"), coerce=int, validate_choice=True)


class AcknowledgeForm(BaseForm):
    """Agree or disagree with a published response."""

    agree = RadioField(
        _l("Your reaction"),
        choices=options({"agree": _l("I agree with the response"), "disagree": _l("I disagree with the response")}),
        validators=[InputRequired()],
    )
    comment = TextAreaField(_l("Comment (optional)"), validators=[NormalizedLength(MAX_NOTE_CHARS)])
    submit = SubmitField(_l("Send"))


class AnswerEntry(Form):
    """One question's box inside AnswersForm (the page's form carries the CSRF token)."""

    question_id = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    lock_version = HiddenField()
    seen = HiddenField()  # digest of the text the page showed: a box left as it was is not saved over a newer one
    text = TextAreaField(_l("Answer"), validators=[NormalizedLength(MAX_COMMENT_CHARS)])


class AnswersForm(BaseForm):
    """Every open guiding question of a round in one form: save them all as a draft, or save and submit."""

    answers = FieldList(FormField(AnswerEntry))
    save = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Submit our answers"))
