"""Reusable response templates (co-leads and admins manage them; flush only)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from reviewtracker.audit import changes, record_activity
from reviewtracker.errors import ValidationError, WorkflowError
from reviewtracker.extensions import db
from reviewtracker.models import ActivityCategory, ResponseTemplate, User
from reviewtracker.permissions import can_manage_revisions
from reviewtracker.spreadsheets import normalize_text


def _clean(values: dict) -> dict:
    name = " ".join(normalize_text(values.get("name") or "").split())
    text_en = normalize_text(values.get("text_en") or "")
    if not name or not text_en:
        raise ValidationError(_("A template needs a name and an English text."))
    return {
        "name": name[:100],
        "text_en": text_en,
        "text_fr": normalize_text(values.get("text_fr") or "") or None,
        "text_es": normalize_text(values.get("text_es") or "") or None,
        "active": bool(values.get("active", True)),
    }


def _check(actor: User, name: str, template_id: int | None) -> None:
    if not can_manage_revisions(actor):
        raise WorkflowError(_("Only co-leads and administrators manage response templates."))
    clash = db.session.scalar(
        select(ResponseTemplate.id).where(
            func.lower(ResponseTemplate.name) == name.lower(), ResponseTemplate.id != (template_id or 0)
        )
    )
    if clash:
        raise ValidationError(_("Another template already has this name."))


def save_response_template(actor: User, template: ResponseTemplate | None, **values) -> ResponseTemplate:
    """Create (template=None) or update a response template."""
    clean = _clean(values)
    _check(actor, clean["name"], template.id if template else None)
    if template is None:
        template = ResponseTemplate(**clean)
        db.session.add(template)
        db.session.flush()
        record_activity(
            actor, ActivityCategory.triage, "template.create", target=template, after={"name": clean["name"]}
        )
        return template
    before, after = changes(template, **clean)
    if after:
        db.session.flush()
        record_activity(actor, ActivityCategory.triage, "template.update", target=template, before=before, after=after)
    return template
