"""Routes for managing reusable response templates (co-leads and admins)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from reviewtracker.extensions import db
from reviewtracker.models import ResponseTemplate
from reviewtracker.permissions import TRIAGERS, role_required
from reviewtracker.revisions.forms import ResponseTemplateForm
from reviewtracker.revisions.response_templates import save_response_template
from reviewtracker.revisions.views import bp


@bp.route("/templates", methods=["GET", "POST"])
@role_required(*TRIAGERS)
def templates():
    """List the response templates and add one."""
    form = ResponseTemplateForm()
    if form.validate_on_submit():
        template = save_response_template(current_user, None, **_values(form))
        db.session.commit()
        flash(_("Template “%(name)s” saved.", name=template.name), "success")
        return redirect(url_for("revisions.templates"))
    items = db.session.scalars(select(ResponseTemplate).order_by(ResponseTemplate.name))
    return render_template("revisions/templates.html", form=form, items=list(items)), 400 if form.errors else 200


@bp.route("/templates/<int:template_id>", methods=["GET", "POST"])
@role_required(*TRIAGERS)
def edit_template(template_id: int):
    """Edit a response template (deactivate it instead of deleting)."""
    template = db.get_or_404(ResponseTemplate, template_id)
    form = ResponseTemplateForm(obj=template)
    if form.validate_on_submit():
        save_response_template(current_user, template, **_values(form))
        db.session.commit()
        flash(_("Template “%(name)s” saved.", name=template.name), "success")
        return redirect(url_for("revisions.templates"))
    return render_template("revisions/template_form.html", form=form, template=template), 400 if form.errors else 200


def _values(form: ResponseTemplateForm) -> dict:
    return {k: getattr(form, k).data for k in ("name", "text_en", "text_fr", "text_es", "active")}
