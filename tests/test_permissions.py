"""Table-driven access checks: every route × every role × own/other country (see permission_cases.py)."""

from __future__ import annotations

import importlib
import pkgutil
import time

import pytest

import tests
from reviewtracker.extensions import db
from tests.permission_cases import Case
from tests.snapshot import changed_tables, table_fingerprints
from tests.world import ACTORS, build_world


def _all_cases() -> list[Case]:
    cases: list[Case] = []
    for module in pkgutil.iter_modules(tests.__path__):
        if not module.ispkg:
            continue
        try:
            table = importlib.import_module(f"tests.{module.name}.permission_table")
        except ModuleNotFoundError:
            continue
        cases.extend(table.CASES)
    return cases


CASES = _all_cases()
ANON_OK_ENDPOINTS = {"static"}


def _sign_in(client, user) -> None:
    with client.session_transaction() as session:
        session.clear()
        if user is not None:
            session["_user_id"] = user.session_token
            session["_fresh"] = True
            session["login_at"] = session["seen_at"] = int(time.time())


def _prepare(case: Case, world, url: str | None = None) -> tuple[str, dict]:
    """Build the request's URL and form (which may create the rows they name) and commit them.

    The form is built anew for each request: an uploaded file is closed once sent.
    """
    url = url or case.url(world)
    data = case.data(world) if case.data else {}
    db.session.commit()
    return url, data


def _request(client, case: Case, url: str, data: dict):
    if case.method == "GET":
        return client.get(url, headers={"Accept": "text/html"})
    return client.open(url, method=case.method, data=data, headers={"Accept": "text/html"})


def _refused(response, actor: str) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    return actor == "anonymous" and response.status_code == 302 and "/login" in response.headers.get("Location", "")


def _got_through(response, case: Case, world, actor: str) -> str | None:
    """Why an allowed actor's response is not what the route promises (None when it is)."""
    expected = case.expected_status(actor)
    if response.status_code != expected:
        body = response.get_data(as_text=True)[:300]
        return f"expected {expected}, got {response.status_code}: {body!r}"
    if expected in (301, 302, 303):
        location = response.headers.get("Location", "")
        lands = case.lands(world) if callable(case.lands) else case.lands
        if "/login" in location and not (lands and "/login" in lands):
            return f"redirected to sign in ({location})"
        if lands is not None and lands not in location:
            return f"redirected to {location}, expected a URL containing {lands}"
    return None


def test_every_route_is_in_the_table(app):
    """A new route without a row in the permission table fails the suite."""
    listed = {(c.endpoint, c.method) for c in CASES}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ANON_OK_ENDPOINTS:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (rule.endpoint, method) not in listed:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert not missing, "Routes missing from the permission table:\n" + "\n".join(sorted(missing))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_route_permissions(app, client, case: Case):
    """Refused actors are refused and change nothing; allowed actors get the page or redirect promised."""
    from tests.conftest import reset_database

    world = build_world()
    refused_actors = [a for a in ACTORS if a not in case.allowed]
    url = case.url(world) if refused_actors else ""
    for actor in refused_actors:
        _sign_in(client, world.users[actor])
        url, data = _prepare(case, world, url)
        before = table_fingerprints()
        response = _request(client, case, url, data)
        assert response.status_code < 500, f"{actor}: {response.status_code}"
        assert _refused(response, actor), f"{actor} was not refused: {response.status_code}"
        changed = changed_tables(before, table_fingerprints())
        assert not changed, f"{actor} was refused but changed {changed}"
    for actor in [a for a in ACTORS if a in case.allowed]:
        if case.method != "GET":  # a permitted POST may change the world: start each actor afresh
            db.session.rollback()
            reset_database()
            world = build_world()
        _sign_in(client, world.users[actor])
        response = _request(client, case, *_prepare(case, world))
        problem = _got_through(response, case, world, actor)
        assert problem is None, f"{actor}: {problem}"
