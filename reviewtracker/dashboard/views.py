"""Routes of the dashboard feature: the working group's progress dashboard and the focal points' country view."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from reviewtracker.dashboard import charts, queries
from reviewtracker.extensions import db
from reviewtracker.feedback.defaults import default_round
from reviewtracker.models import ReviewRound, Role
from reviewtracker.parsing import parse_id, parse_number
from reviewtracker.permissions import can_view_country_dashboard, can_view_dashboard, require, role_required

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


def _selected_round() -> tuple[ReviewRound | None, list[ReviewRound]]:
    """The round chosen with ?round= among those the user may see (default: the newest with feedback); unknown: 404."""
    rounds = list(db.session.scalars(queries.list_rounds(current_user)))
    round_id = parse_id(request.args.get("round"), "round")
    if round_id is None:
        return default_round(current_user, rounds), rounds
    chosen = next((r for r in rounds if r.id == round_id), None)
    if chosen is None:
        abort(404)
    return chosen, rounds


def _depth() -> int:
    return parse_number(request.args.get("depth"), "depth", low=0, high=9, default=0)


def _figures(review_round: ReviewRound) -> dict:
    """Everything both dashboards show, for the countries the user may see."""
    countries = queries.list_countries(review_round, current_user)
    cover = queries.coverage(review_round, current_user, countries, _depth())
    statuses = queries.status_counts(review_round, current_user, countries)
    types = queries.type_counts(review_round, current_user, countries)
    weeks, weeks_width = charts.weekly_columns(queries.weekly_submissions(review_round, current_user, countries))
    scalars = db.session.scalars
    return {
        "countries": countries,
        "progress": queries.country_progress(review_round, current_user, countries),
        "cover": cover,
        "statuses": statuses,
        "types": types,
        "weeks": weeks,
        "weeks_width": weeks_width,
        "chart_height": charts.CHART_HEIGHT,
        "waiting": list(scalars(queries.waiting_longest(review_round, current_user, countries))),
        "assigned": list(scalars(queries.assigned_open(review_round, current_user, countries))),
        "unpublished": list(scalars(queries.unpublished_responses(review_round, current_user, countries))),
        "queue": list(scalars(queries.awaiting_consolidation(review_round, current_user, countries))),
        "unacknowledged": list(scalars(queries.unacknowledged_responses(review_round, current_user, countries))),
        "bar_class": charts.bar_class,
        "heat_class": charts.heat_class,
    }


@bp.get("/")
@role_required(Role.co_lead, Role.member, Role.admin)
def index():
    """The working group's dashboard for one round: every participating country."""
    require(can_view_dashboard(current_user))
    review_round, rounds = _selected_round()
    figures = _figures(review_round) if review_round else {}
    return render_template("dashboard/index.html", review_round=review_round, rounds=rounds, **figures)


@bp.get("/country")
@role_required(Role.focal_point)
def country():
    """A focal point's dashboard: the same figures for their own country, and the sections not yet commented on."""
    require(can_view_country_dashboard(current_user))
    review_round, rounds = _selected_round()
    figures = _figures(review_round) if review_round else {}
    uncommented = queries.uncommented_sections(figures["cover"], current_user.country) if figures else []
    return render_template(
        "dashboard/country.html", review_round=review_round, rounds=rounds, uncommented=uncommented, **figures
    )
