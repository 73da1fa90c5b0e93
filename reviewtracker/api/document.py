"""How APIFlask generates the API's OpenAPI document: settings, the documented error answers, server and info."""

from __future__ import annotations

import json
import re
import warnings

from apiflask.fields import String
from flask import Flask

from reviewtracker.api.shapes import ErrorSchema

PREFIX = "/api/v1"
ERROR_TEXT = {
    400: "The request is malformed or breaks a rule (the message says which)",
    401: "No valid token",
    403: "The token's user may not do this",
    404: "Not found, or not shared with the token's user",
    409: "The change is not allowed in the item's current state, or someone changed it meanwhile",
    412: "The If-Match version is stale: the body gives the current version",
    428: "The If-Match header is missing",
    429: "Too many requests for this token",
}
WRITE_ERRORS = (403, 404, 409, 412, 428)
ETAG = {"ETag": String(required=True, metadata={"description": "The item's version, for If-Match"})}
INFO = {
    "title": "ReviewTracker API",
    "version": "1.0.0",
    "description": "Feedback on the draft GCM implementation guidance. Authenticate with a personal API "
    "token from your profile page: `Authorization: Bearer <token>`. Writes send the item's version "
    "(its ETag) in `If-Match`.",
}
SETTINGS = {
    "OPENAPI_VERSION": "3.1.0",
    "AUTO_200_RESPONSE": False,  # only the API's own routes are described, never the HTML pages
    "AUTO_TAGS": False,
    "AUTO_VALIDATION_ERROR_RESPONSE": False,  # bodies answer 400 in the one error format (documented below)
    "AUTH_ERROR_DESCRIPTION": ERROR_TEXT[401],
    "NOT_FOUND_DESCRIPTION": ERROR_TEXT[404],
    "HTTP_ERROR_SCHEMA": ErrorSchema,
}


def errors(*codes: int) -> dict[int, str]:
    """The documented error answers of an operation: every one may answer 400, 401 and 429 besides its own."""
    return {code: ERROR_TEXT[code] for code in sorted({400, 401, 429, *codes})}


def _describe_api_only(spec: dict) -> dict:
    """Paths relative to the API's server URL, our info, and the error component under its old name."""
    spec["info"] = dict(INFO)
    spec["servers"] = [{"url": PREFIX}]
    spec["paths"] = {
        path.removeprefix(PREFIX) or "/": item for path, item in spec["paths"].items() if path.startswith(PREFIX)
    }
    spec.pop("tags", None)
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    renames = {"HTTPError": "Error"}
    # APIFlask registers a schema that a route returns and another one nests twice (as "Feedback1"): keep one.
    for name in list(schemas):
        base = re.sub(r"[0-9]+$", "", name)
        if base != name and schemas.get(base) == schemas[name]:
            renames[name] = base
    text = json.dumps(spec)
    for old, new in renames.items():
        text = text.replace(f'"#/components/schemas/{old}"', f'"#/components/schemas/{new}"')
    spec = json.loads(text)
    schemas = spec["components"]["schemas"]
    for old, new in renames.items():
        if old in schemas:
            schemas.setdefault(new, schemas.pop(old))
            schemas.pop(old, None)
    return spec


def schema_name(schema) -> str:
    """Component names without the "Schema" suffix (APIFlask 3 keeps it): `Feedback`, `FeedbackPage`, `Error`."""
    name = type(schema).__name__ if not isinstance(schema, type) else schema.__name__
    return name.removesuffix("Schema") or name


def generate(app: Flask) -> dict:
    """The document; apispec warns about the double registration that _describe_api_only folds back."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", ".* has already been added to the spec", UserWarning)
        return app.spec


def init_app(app: Flask) -> None:
    """Set APIFlask's spec settings and the document's final touches (app.spec_processor)."""
    app.config.update(SETTINGS)
    app.schema_name_resolver = schema_name
    app.spec_processor(_describe_api_only)
    app.error_processor(_in_the_apis_format)


def _in_the_apis_format(error):
    """Should APIFlask itself raise an HTTPError (its auth or parser), answer in the one error format."""
    from flask import make_response

    from reviewtracker.errors import error_response

    response = make_response(error_response(error.status_code))
    response.headers.update(error.headers or {})
    return response
