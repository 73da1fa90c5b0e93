"""Steps shared by the administration pages: commit one service or flash its refusal, and page a list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, flash, request
from sqlalchemy import Select

from reviewtracker.errors import ServiceError
from reviewtracker.extensions import db
from reviewtracker.parsing import parse_page


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


def paginate(stmt: Select):
    """One page of a select() with the configured page size (page from ?page=)."""
    page = parse_page(request.args.get("page"))
    return db.paginate(stmt, page=page, per_page=current_app.config["PAGE_SIZE"], error_out=False)
