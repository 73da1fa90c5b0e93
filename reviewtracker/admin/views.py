"""Routes of the admin feature: the landing page and shared view helpers; each topic has its own routes module."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, flash, render_template, request

from reviewtracker.errors import ServiceError
from reviewtracker.extensions import db
from reviewtracker.models import Role
from reviewtracker.parsing import parse_id, parse_page
from reviewtracker.permissions import role_required

bp = Blueprint("admin", __name__, url_prefix="/admin")
admin_only = role_required(Role.admin)


def attempt(action: Callable[[], Any]) -> tuple[bool, Any]:
    """Run one service and commit; when a rule refuses it, roll back and flash the reason instead."""
    try:
        result = action()
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return False, None
    db.session.commit()
    return True, result


def int_arg(name: str) -> int | None:
    """An optional id query argument (a filter): malformed → 400, out of range → 404 (parsing.py)."""
    return parse_id(request.args.get(name), name)


def paginate(stmt):
    """One page of a select() with the configured page size (page from ?page=)."""
    page = parse_page(request.args.get("page"))
    return db.paginate(stmt, page=page, per_page=current_app.config["PAGE_SIZE"], error_out=False)


@bp.route("/")
@admin_only
def index():
    """The admin landing page: links to every administration page, with counts."""
    from reviewtracker.admin.queries import admin_counts

    return render_template("admin/index.html", counts=admin_counts())


# The routes modules attach their views to `bp`; importing them here registers them with the blueprint.
from reviewtracker.admin import (  # noqa: E402
    views_activity,  # noqa: F401
    views_documents,  # noqa: F401
    views_outline,  # noqa: F401
    views_reference,  # noqa: F401
    views_rounds,  # noqa: F401
    views_users,  # noqa: F401
)
