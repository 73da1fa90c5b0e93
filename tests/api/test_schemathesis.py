"""Schemathesis, run by the suite, against the app's own OpenAPI document: no 5xx, no response off the schema."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from reviewtracker.extensions import db
from tests.api.conftest import make_token

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 15


def _isolated(app):
    """The WSGI app with each request in its own app context (own database session), as in production."""

    def wsgi(environ, start_response):
        db.session.commit()
        with app.app_context():
            return list(app.wsgi_app(environ, start_response))

    return wsgi


def _run_all(schema, headers: dict) -> list[str]:
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Exception as error:  # collect every operation's failure, then report them together
            failures.append(f"{operation.label}: {error}")
    return failures


def test_api_matches_its_openapi_document(app, world):
    """A co-lead's and a contributor's tokens: every operation, a few generated requests each."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _isolated(app))
    failures = []
    for actor in ("co_lead", "contributor"):
        token = make_token(world.users[actor])
        failures += _run_all(schema, {"Authorization": f"Bearer {token}"})
    assert not failures, "\n\n".join(failures)
