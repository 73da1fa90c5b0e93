"""JSON errors specific to the API: If-Match preconditions (428/412) and request-shape checks (400)."""

from __future__ import annotations

from flask import abort, jsonify, make_response, request
from flask_babel import gettext as _

from reviewtracker.errors import error_response
from reviewtracker.parsing import MAX_ID  # the one id range, also used by the API's other modules


def bad_request(message: str):
    """Stop the request with a 400 JSON error naming the problem."""
    abort(400, description=message)


def check_request_shape(view_args: dict | None) -> None:
    """Path ids past 32 bits are 404; query arguments with NUL bytes are 400 (PostgreSQL refuses them)."""
    for value in (view_args or {}).values():
        if isinstance(value, int) and value > MAX_ID:
            abort(404)
    for key, values in request.args.lists():
        if any("\x00" in v for v in [key, *values]):
            bad_request(_("Query parameters must not contain NUL characters."))


def check_if_match(current_version: int):
    """None when the client's If-Match names the current version; else the 428/412 response to return."""
    if not request.headers.get("If-Match"):
        message = _("Send the item's version in the If-Match header (the ETag of GET /feedback/{id}).")
        return make_response(error_response(428, message))  # a response: the view's output schema passes it by
    if not request.if_match.contains(str(current_version)) and not request.if_match.star_tag:
        return stale(current_version)
    return None


def stale(current_version: int):
    """412 with the current version, so the client can reload the item and decide again."""
    body = {
        "error": _("The item changed since you loaded it"),
        "message": _(
            "The item is now at version %(version)d. Reload it; nothing was overwritten.", version=current_version
        ),
        "status": 412,
        "current_version": current_version,
    }
    response = jsonify(body)
    response.status_code = 412
    response.set_etag(str(current_version))
    return response
