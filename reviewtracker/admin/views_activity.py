"""The audit log page: every activity row, newest first, with filters. Read-only."""

from __future__ import annotations

from datetime import date

from flask import abort, render_template, request
from flask_babel import gettext as _

from reviewtracker.admin import queries
from reviewtracker.admin.options import country_options
from reviewtracker.admin.views import admin_only, bp, int_arg, paginate
from reviewtracker.i18n import choices
from reviewtracker.models import ActivityCategory


def _date_arg(name: str) -> date | None:
    value = request.args.get(name, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        abort(400, description=_("Dates must be written as YYYY-MM-DD."))


@bp.route("/activity")
@admin_only
def activity():
    """Who did what and when: filters by category, actor e-mail, action, dates and country."""
    category = request.args.get("category", "")
    if category and category not in {c.value for c in ActivityCategory}:
        abort(400)
    filters = {
        "category": category,
        "actor": request.args.get("actor", "").strip()[:254],
        "action": request.args.get("action", "").strip()[:60],
        "date_from": _date_arg("from"),
        "date_to": _date_arg("to"),
        "country": int_arg("country"),
    }
    stmt = queries.list_activity(
        category=ActivityCategory(category) if category else None,
        actor=filters["actor"],
        action=filters["action"],
        date_from=filters["date_from"],
        date_to=filters["date_to"],
        country_id=filters["country"],
    )
    return render_template(
        "admin/activity.html",
        page=paginate(stmt),
        filters=filters,
        categories=choices(ActivityCategory),
        countries=country_options(empty=_("All countries")),
    )
