"""Forms of the document pages: documents, versions, sections and the outline upload (validation only)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Regexp

from reviewtracker.documents.outline import tree_order
from reviewtracker.forms import BaseForm, optional_int, static_choices, title_field
from reviewtracker.i18n import choices
from reviewtracker.models import DocumentVersion, Section, VersionStatus

INDENT = "\u00a0\u00a0"  # non-breaking spaces: browsers keep them in <option> text


class DocumentForm(BaseForm):
    """A guidance document: short code and title in three languages."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Regexp(r"^[A-Za-z][A-Za-z0-9]{0,9}$", message=_l("Letters or digits, e.g. G."))],
        description=_l("Prefix of the section codes, e.g. G for the Guide."),
    )
    title_en = title_field(_l("Title in English"), required=True)
    title_fr = title_field(_l("Title in French"))
    title_es = title_field(_l("Title in Spanish"))
    submit = SubmitField(_l("Add the document"))


class VersionForm(BaseForm):
    """A document version: label and status; when adding, an empty tree or a copy of the previous one."""

    label = StringField(
        _l("Label"), validators=[DataRequired(), Length(max=100)], description=_l("For example: Revised draft")
    )
    status = SelectField(_l("Status"), choices=choices(VersionStatus), coerce=VersionStatus)
    start = RadioField(
        _l("Section tree"),
        choices=static_choices(
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
    title_en = title_field(_l("Title in English"), required=True)
    title_fr = title_field(_l("Title in French"))
    title_es = title_field(_l("Title in Spanish"))
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
        choices=static_choices(
            {
                "extend": _l("Extend: add new codes and update the titles of existing codes"),
                "replace": _l("Replace: the file becomes the whole outline (only when no feedback refers to it)"),
            }
        ),
        default="extend",
    )
    submit = SubmitField(_l("Preview"))


def section_options(version: DocumentVersion, exclude: Section | None = None) -> dict:
    """Possible parents in a version: the top level, then every section (minus `exclude` and its sub-tree)."""
    options = {"": _("(top level)")}
    skipped_depth: int | None = None
    for section, depth in tree_order(version):
        if skipped_depth is not None and depth > skipped_depth:
            continue
        skipped_depth = None
        if exclude is not None and section.id == exclude.id:
            skipped_depth = depth
            continue
        options[section.id] = INDENT * depth + f"{section.code} — {section.title}"
    return options
