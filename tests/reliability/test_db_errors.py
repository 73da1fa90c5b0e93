"""Database errors by kind: an outage is a 503 built without the database, a constraint a 409, the rest a 500."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import DataError, ProgrammingError

from reviewtracker.extensions import db
from reviewtracker.models import Feedback, Tag
from tests.world import build_world

TYPED = "Texte tapé avant la panne — 重要 <i>kept</i>"
TYPED_SHOWN = "Texte tapé avant la panne — 重要 &lt;i&gt;kept&lt;/i&gt;"


class Outage:
    """Makes the test database unreachable on demand: no new connection, no statement on an open one."""

    def __init__(self) -> None:
        self.down = self.installed = False
        self.engine = db.engine
        self.dbapi = self.engine.dialect.loaded_dbapi

    def _refuse(self, *args, **kwargs):
        if self.down:  # the driver's own error, so SQLAlchemy wraps it exactly as for a real outage
            raise self.dbapi.OperationalError("connection refused: is the server running on that host?")

    def start(self) -> None:
        self.down = True
        self.engine.dispose()  # pooled connections are gone; every new one is refused

    def install(self) -> None:
        self.installed = True
        event.listen(self.engine, "do_connect", self._refuse)
        event.listen(self.engine, "before_cursor_execute", self._refuse)

    def remove(self) -> None:
        self.down = False
        if not self.installed:
            return
        self.installed = False
        event.remove(self.engine, "do_connect", self._refuse)
        event.remove(self.engine, "before_cursor_execute", self._refuse)


@pytest.fixture
def outage(app):
    """A switch that takes the database down (SQLite or PostgreSQL alike); it comes back after the test."""
    switch = Outage()
    switch.install()
    try:
        yield switch
    finally:
        switch.remove()


def _incident(page: str) -> str:
    match = re.search(r"<code>([0-9a-f]{12})</code>", page)
    assert match, page[:2000]
    return match.group(1)


def test_database_down_before_the_user_is_loaded_gives_a_503_with_incident_and_typed_text(
    client, login_as, outage, caplog
):
    """A signed-in contributor saves a comment while the database is down: 503 page, incident id, text kept."""
    world = build_world()
    login_as(world.users["contributor"])
    item, item_id = world.draft, world.draft.id
    url = f"/feedback/{item.id}/edit"
    data = {"comment": TYPED, "section_id": str(item.section_id), "lock_version": str(item.lock_version)}
    db.session.commit()
    db.session.close()
    outage.start()
    with caplog.at_level(logging.ERROR, logger="reviewtracker.errors"):
        response = client.post(url, data=data, headers={"Accept-Language": "fr"})
    page = response.get_data(as_text=True)
    assert response.status_code == 503, page[:2000]
    assert 'lang="fr"' in page and "Le service est temporairement indisponible" in page  # the browser's language
    incident = _incident(page)
    assert any(incident in r.getMessage() for r in caplog.records)
    assert TYPED_SHOWN in page  # shown back in a read-only box, as text
    assert "Traceback" not in page and "connection refused" not in page
    outage.remove()
    db.session.expire_all()
    assert db.session.get(Feedback, item_id).comment != TYPED


def test_database_down_mid_request_keeps_the_users_language_without_a_query(app, client, login_as, monkeypatch, outage):
    """The user was loaded, then the database goes away: the 503 page is in the user's saved language (French),
    without the navigation's queries (country name, unread notifications) that would fail again."""
    from flask_login import current_user

    login_as("contributor", locale="fr")

    def view_that_loses_the_database():
        assert current_user.name  # loaded now, as every page does
        outage.start()
        db.session.scalar(select(Tag))  # the next query meets the outage

    monkeypatch.setitem(app.view_functions, "auth.profile", view_that_loses_the_database)
    response = client.post("/profile", data={"name": TYPED, "locale": "fr"}, headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 503, page[:2000]
    assert 'lang="fr"' in page and "Le service est temporairement indisponible" in page
    _incident(page)
    assert TYPED_SHOWN in page


def test_database_down_under_the_api_is_a_json_503_with_incident(client, make_user, outage):
    """An API client meets the outage too: JSON 503 with the incident id, never an HTML framework page."""
    from tests.api.conftest import make_token

    token = make_token(make_user("co_lead"))
    db.session.close()
    outage.start()
    response = client.get("/api/v1/feedback", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == 503 and len(body["incident"]) == 12


def _raise_from_profile(app, monkeypatch, make_error):
    def broken_view():
        make_error()

    monkeypatch.setitem(app.view_functions, "auth.profile", broken_view)


def test_an_integrity_error_is_a_409_conflict_not_an_outage(app, client, login_as, monkeypatch):
    """A unique constraint refuses a write (a duplicate saved at the same moment): 409, typed text kept."""
    login_as("member")
    db.session.add(Tag(name="taken"))
    db.session.commit()

    def insert_duplicate():
        db.session.execute(text("INSERT INTO tags (name) VALUES ('taken')"))

    _raise_from_profile(app, monkeypatch, insert_duplicate)
    response = client.post("/profile", data={"name": TYPED})
    page = response.get_data(as_text=True)
    assert response.status_code == 409, page[:2000]
    assert "could not be reached" not in page
    assert "Conflict" in page and TYPED_SHOWN in page
    assert db.session.scalar(select(db.func.count(Tag.id))) == 1


def test_an_integrity_error_under_the_api_is_a_json_409(app, client, make_user, monkeypatch):
    """The same conflict through the API: a JSON 409 problem body."""
    from tests.api.conftest import make_token

    token = make_token(make_user("co_lead"))
    db.session.add(Tag(name="taken"))
    db.session.commit()

    def insert_duplicate():
        db.session.execute(text("INSERT INTO tags (name) VALUES ('taken')"))

    endpoint = next(r.endpoint for r in app.url_map.iter_rules() if r.rule == "/api/v1/feedback" and "GET" in r.methods)
    monkeypatch.setitem(app.view_functions, endpoint, insert_duplicate)
    response = client.get("/api/v1/feedback", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 409
    assert response.get_json()["status"] == 409


@pytest.mark.parametrize("error_class", [ProgrammingError, DataError], ids=["programming", "data"])
def test_any_other_database_error_is_logged_with_its_trace_as_a_500(
    app, client, login_as, monkeypatch, caplog, error_class
):
    """Bad SQL or a value the database refuses is a bug: 500 page with an incident id, the trace in the log."""
    login_as("member")

    def bad_sql():
        raise error_class("SELECT nonsense", {}, Exception("syntax error at or near nonsense"))

    _raise_from_profile(app, monkeypatch, bad_sql)
    with caplog.at_level(logging.ERROR, logger="reviewtracker.errors"):
        response = client.post("/profile", data={"name": TYPED})
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "could not be reached" not in page and "syntax error" not in page
    incident = _incident(page)
    logged = [r for r in caplog.records if incident in r.getMessage()]
    assert logged and logged[0].exc_info is not None  # the traceback is in the log, next to the incident id
    assert TYPED_SHOWN in page


def test_a_real_bad_statement_on_postgresql_is_a_500_not_a_503(app, client, login_as, monkeypatch, postgres_only):
    """PostgreSQL's own ProgrammingError (a missing table) goes to the 500 path."""
    login_as("member")
    _raise_from_profile(app, monkeypatch, lambda: db.session.execute(text("SELECT * FROM no_such_table")))
    response = client.post("/profile", data={"name": TYPED})
    assert response.status_code == 500
    _incident(response.get_data(as_text=True))
