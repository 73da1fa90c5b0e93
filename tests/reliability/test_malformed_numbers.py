"""RELIABILITY.md, "superscript digits in number fields and ids": every number from outside is a 400 or a 404.

A Unicode digit passes str.isdigit() and then makes int() fail; a 20-digit id overflows SQLite's INTEGER and
PostgreSQL's. The table below lists every route and parameter that takes a number; each bad value must give
the answer its kind says (never a 5xx), with the one message that names the parameter.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

import openpyxl
import pytest
from werkzeug.routing import Map

from reviewtracker.extensions import db
from reviewtracker.feedback import answers
from reviewtracker.parsing import IdConverter
from tests import factories
from tests.api.conftest import make_token
from tests.feedback_import.conftest import download, fill, upload

MALFORMED = ("²", "¹", "abc", "-1", "1.5", " 1")
TOO_LARGE = ("99999999999999999999", "9223372036854775808", "2147483648")  # past 2**63-1, and past int4
VALUES = MALFORMED + TOO_LARGE
MESSAGE = "must be a whole number"
TYPED = "Typed text that must survive 7f3a"

# What each kind of parameter answers: (status for malformed values, status for well-formed but too large).
ID, PAGE, BOUNDED, VERSION, FORM, BULK_VERSION = "id", "page", "bounded", "version", "form", "bulk version"
EXPECTED = {ID: (400, 404), PAGE: (400, 404), BOUNDED: (400, 400), VERSION: (409, 409), FORM: (400, 400)}
EXPECTED[BULK_VERSION] = (302, 302)  # a bulk target with an unreadable version is skipped as "changed"


@dataclass
class Case:
    """One numeric parameter of one route, as a given actor sends it."""

    actor: str
    url: Callable
    param: str | Callable  # a name, or world -> name (version_<id>)
    kind: str
    method: str = "GET"
    data: Callable = field(default=lambda w: {})
    api: bool = False
    typed: bool = False  # the answer must show TYPED again (a form whose text must not be lost)

    def name(self, world) -> str:
        return self.param if isinstance(self.param, str) else self.param(world)

    def send(self, client, world, value: str):
        url, name = self.url(world), self.name(world)
        if self.api:
            headers = {"Authorization": f"Bearer {make_token(world.users[self.actor])}"}
            return client.get(url, query_string={name: value}, headers=headers)
        if self.method == "GET":
            return client.get(url, query_string={**self.data(world), name: value})
        return client.post(url, data={**self.data(world), name: value})


def _feedback_form(w, **extra):
    section = factories.get_section("G.2.3")
    return {"section_id": str(section.id), "type": "substantive", "priority": "high", "language": "en",
            "comment": TYPED, "client_token": "", **extra}  # fmt: skip


def _answered_question(w) -> dict:
    """A question the country already answered: a version the form cannot read is then a conflict."""
    question = w.round.questions[0]
    if answers.find_answer(question, w.users["contributor"].country_id) is None:
        answers.save_guiding_answer(w.users["contributor"], w.round, question, "Saved before", expected_version=None)
        db.session.commit()
    return {"answers-0-question_id": str(question.id), "answers-0-text": TYPED}


def _bulk(w, **extra) -> dict:
    item = w.forwarded
    return {"action": "status", "status": "in_review", "ids": str(item.id),
            f"version_{item.id}": str(item.lock_version), **extra}  # fmt: skip


def _triage(path: str) -> Callable:
    url = lambda w: f"/triage/{w.forwarded.id}/{path}"  # noqa: E731
    url.label = f"/triage/<id>/{path}"
    return url


def _version(w) -> dict:
    return {"version": str(w.forwarded.lock_version)}


FEEDBACK_LIST = [Case("contributor", lambda w: "/feedback/", p, ID) for p in ("round", "version", "section", "author")]
TRIAGE_FILTERS = ("round", "document", "section", "country", "stakeholder_type", "lead_agency", "revision_item")
QUEUE = [Case("co_lead", lambda w: "/triage/", p, ID) for p in (*TRIAGE_FILTERS, "assignee")]
# The API answers 400 for any value outside its documented schema (ids: 1 to 2**31-1), in its JSON format.
API_LIST = [Case("co_lead", lambda w: "/api/v1/feedback", p, BOUNDED, api=True) for p in (*TRIAGE_FILTERS, "assignee")]

CASES = [
    *FEEDBACK_LIST,
    Case("contributor", lambda w: "/feedback/", "page", PAGE),
    Case("contributor", lambda w: f"/feedback/rounds/{w.round.id}", "version", ID),
    Case("contributor", lambda w: f"/feedback/rounds/{w.round.id}/new", "version", ID),
    Case("co_lead", lambda w: f"/feedback/rounds/{w.round.id}/on-behalf", "version", ID),
    Case("contributor", lambda w: "/feedback/notifications", "page", PAGE),
    Case("contributor", lambda w: "/feedback/imports", "page", PAGE),
    Case(
        "contributor",
        lambda w: f"/feedback/{w.draft.id}/edit",
        "lock_version",
        VERSION,
        "POST",
        _feedback_form,
        typed=True,
    ),
    Case(
        "contributor",
        lambda w: f"/feedback/rounds/{w.round.id}/questions",
        "answers-0-lock_version",
        VERSION,
        "POST",
        _answered_question,
        typed=True,
    ),
    Case("focal_point", lambda w: "/feedback/forward-selected", "ids", ID, "POST"),
    Case("focal_point", lambda w: f"/feedback/{w.submitted.id}/merge", "target_id", ID, "POST"),
    Case("focal_point", lambda w: "/dashboard/country", "round", ID),
    *QUEUE,
    Case("co_lead", lambda w: "/triage/", "page", PAGE),
    Case("co_lead", lambda w: f"/triage/{w.forwarded.id}", "template", ID),
    Case("co_lead", lambda w: "/triage/bulk", "ids", ID, "POST", _bulk),
    Case("co_lead", lambda w: "/triage/bulk", lambda w: f"version_{w.forwarded.id}", BULK_VERSION, "POST", _bulk),
    Case("co_lead", lambda w: "/triage/bulk", "assignee", ID, "POST", lambda w: _bulk(w, action="assign")),
    Case("co_lead", lambda w: "/triage/bulk", "lead_agency", ID, "POST", lambda w: _bulk(w, action="assign")),
    Case("co_lead", lambda w: "/triage/bulk", "revision_item", ID, "POST", lambda w: _bulk(w, action="link")),
    Case("co_lead", _triage("status"), "version", VERSION, "POST", lambda w: {"status": "in_review"}),
    Case("co_lead", _triage("status"), "duplicate_of", FORM, "POST", lambda w: {**_version(w), "status": "duplicate"}),
    Case("co_lead", _triage("assign"), "version", VERSION, "POST"),
    Case("co_lead", _triage("tags"), "version", VERSION, "POST", lambda w: {"tags": TYPED}, typed=True),
    Case("co_lead", _triage("notes"), "parent_id", FORM, "POST", lambda w: {"body": TYPED}, typed=True),
    Case(
        "co_lead",
        _triage("response"),
        "version",
        VERSION,
        "POST",
        lambda w: {"text": TYPED, "language": "en"},
        typed=True,
    ),
    Case("co_lead", lambda w: f"/triage/{w.answered.id}/publish", "version", VERSION, "POST"),
    Case(
        "co_lead",
        lambda w: f"/revisions/{w.revision.id}",
        "version",
        VERSION,
        "POST",
        lambda w: {"title": TYPED, "status": "proposed"},
        typed=True,
    ),
    Case("co_lead", lambda w: "/exports/", "page", PAGE),
    Case("co_lead", lambda w: "/exports/revisions", "round_id", ID),
    Case("co_lead", lambda w: "/exports/new", "country_id", ID, "POST", lambda w: {"kind": "matrix"}),
    Case("co_lead", lambda w: "/dashboard/", "round", ID),
    Case("co_lead", lambda w: "/dashboard/", "depth", BOUNDED),
    Case("admin", lambda w: "/admin/users", "page", PAGE),
    Case("admin", lambda w: "/admin/users", "country", ID),
    Case("admin", lambda w: "/admin/organisations", "page", PAGE),
    Case("admin", lambda w: "/admin/organisations", "country", ID),
    Case("admin", lambda w: "/admin/organisations", "type", ID),
    Case("admin", lambda w: "/admin/activity", "page", PAGE),
    Case("admin", lambda w: "/admin/activity", "country", ID),
    Case("admin", lambda w: "/admin/rounds", "page", PAGE),
    *API_LIST,
    Case("co_lead", lambda w: "/api/v1/feedback", "page", BOUNDED, api=True),
    Case("co_lead", lambda w: "/api/v1/feedback", "per_page", BOUNDED, api=True),
    Case("co_lead", lambda w: "/api/v1/revision-items", "page", BOUNDED, api=True),
    Case("co_lead", lambda w: "/api/v1/exports", "page", BOUNDED, api=True),
]


def _ids() -> list[str]:
    import inspect

    out = []
    for case in CASES:
        path = getattr(case.url, "label", None)
        if path is None:
            path = re.search(r'"(/[^"]*)"', inspect.getsource(case.url)).group(1)
            path = re.sub(r"\{w\.(\w+)\.id\}", r"<\1>", path)
        param = case.param if isinstance(case.param, str) else "version_<id>"
        out.append(f"{case.method} {path} {param}")
    return [f"{name} #{out[:i].count(name)}" if out.count(name) > 1 else name for i, name in enumerate(out)]


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("case", CASES, ids=_ids())
def test_bad_numbers_are_refused_cleanly(client, world, login_as, case):
    """Each bad value: the kind's status (400 with the message naming the parameter, 404, or a conflict)."""
    if not case.api:
        login_as(world.users[case.actor])
    param = case.name(world)
    failures = []
    for value in VALUES:
        response = case.send(client, world, value)
        malformed, too_large = EXPECTED[case.kind]
        expected = too_large if value in TOO_LARGE else malformed
        text = _text(response)
        if response.status_code != expected:
            failures.append(f"{value!r}: {response.status_code}, expected {expected}")
            continue
        if expected == 400 and case.kind in (ID, PAGE, BOUNDED) and not (MESSAGE in text and f"'{param}'" in text):
            failures.append(f"{value!r}: 400 without the message naming {param!r}: {text[-300:]!r}")
        if case.api and response.get_json().get("status") != expected:
            failures.append(f"{value!r}: not the API's JSON error")
        if case.typed and TYPED not in text:
            failures.append(f"{value!r}: the typed text is lost")
    assert not failures, failures


_INT_PART = re.compile(r"<int:(\w+)>")


@pytest.mark.parametrize("value", ["²", "abc", "-1", " 1", *TOO_LARGE])
def test_every_id_in_a_url_path_is_a_404(client, app, value):
    """Every route with an <int:...> part: a value no row can have is 404, before any login or database check."""
    failures = []
    for rule in app.url_map.iter_rules():
        if not _INT_PART.search(rule.rule):
            continue
        url = _INT_PART.sub(quote(value), rule.rule)
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        response = client.open(url, method=method)
        if response.status_code != 404:
            failures.append(f"{method} {url}: {response.status_code}")
    assert not failures, failures


def test_every_int_route_uses_the_bounded_converter(app):
    """Flask's own `int` converter is replaced app-wide (so no route can forget the bound)."""
    assert app.url_map.converters["int"] is IdConverter
    assert IdConverter(Map()).max == 2**31 - 1  # INTEGER on PostgreSQL; SQLite alone would allow 2**63-1


@pytest.mark.parametrize("value", TOO_LARGE)
@pytest.mark.parametrize("path", ["/triage/{}", "/revisions/{}", "/feedback/{}", "/api/v1/feedback/{}"])
def test_a_signed_in_user_gets_a_404_for_an_id_no_row_can_have(client, login_as, world, path, value):
    """Past the login check: the id never reaches the database (SQLite: OverflowError; PostgreSQL: out of range)."""
    user = login_as(world.users["co_lead"])
    headers = {"Authorization": f"Bearer {make_token(user)}"} if path.startswith("/api/") else {}
    assert client.get(path.format(value), headers=headers).status_code == 404


# --- the spreadsheet import and the command line ------------------------------------------------------------

_PROBLEM_ROW = re.compile(r'<tr><td>(\d+)</td><td>([^<]*)</td><td dir="auto">([^<]*)</td></tr>')


def _problems(response) -> list[tuple[int, str, str]]:
    return [(int(r), c, m) for r, c, m in _PROBLEM_ROW.findall(_text(response))]


@pytest.fixture
def contributor(client, world, login_as):
    """The author of country A's items, signed in, with the import folder private (feedback_import's fixture)."""
    login_as(world.users["contributor"])
    return world


@pytest.fixture(autouse=True)
def _upload_dir(request, tmp_path, monkeypatch):
    if "app" in request.fixturenames:
        monkeypatch.setitem(request.getfixturevalue("app").config, "IMPORT_UPLOAD_DIR", str(tmp_path / "uploads"))


def _preview(client, world, data: bytes):
    response = upload(client, world.round.id, data)
    assert response.status_code == 302, response.status_code
    preview = client.get("/feedback/imports/preview")
    assert preview.status_code == 200, preview.status_code
    return preview


def test_import_preview_names_the_row_and_column_of_a_bad_objective(client, contributor):
    """Objectives "²", "¹", ...: each row gets the Objectives message, not a 500."""
    world = contributor
    template = download(client, world.round.id)
    bad = ["²", "¹", "abc", "-1", "1.5", "99999999999999999999", "7, ²"]
    rows = [{"Section code": "G.2.1", "Type": "General", "Comment": f"Row {v}", "Objectives": v} for v in bad]
    problems = _problems(_preview(client, world, fill(template, rows)))
    objectives = {(row, column) for row, column, message in problems if "objective numbers" in message}
    assert objectives == {(2 + i, "Objectives") for i in range(len(bad))}, problems


def test_import_preview_names_the_row_of_a_bad_row_version(client, contributor):
    """An edited row whose hidden Row version is "²" (or too large): a row message on that column."""
    world = contributor
    workbook = openpyxl.load_workbook(io.BytesIO(download(client, world.round.id, ours=True)))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    id_col, comment_col, version_col = (header.index(n) + 1 for n in ("ID", "Comment", "Row version"))
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, id_col).value == world.draft.display_id)
    sheet.cell(row, comment_col).value = "Changed offline"
    results = {}
    for value in ("²", "abc", "1.5", "99999999999999999999"):
        sheet.cell(row, version_col).value = value
        output = io.BytesIO()
        workbook.save(output)
        results[value] = _problems(_preview(client, world, output.getvalue()))
        client.post("/feedback/imports/cancel")
    for value, problems in results.items():
        assert [(r, c) for r, c, _m in problems] == [(row, "Row version")], (value, problems)
        assert f"'{value}'" in problems[0][2] and MESSAGE in problems[0][2], (value, problems)


@pytest.mark.parametrize("value", ["²", "abc", "99999999999999999999", "2147483648"])
def test_cli_import_round_is_a_usage_error_not_a_traceback(runner, world, tmp_path, value):
    path = tmp_path / "feedback.xlsx"
    openpyxl.Workbook().save(path)
    email = world.users["contributor"].email
    result = runner.invoke(args=["feedback", "import", str(path), "--round", value, "--user", email])
    assert result.exit_code == 2, (result.output, result.exception)
    assert "Invalid value for '--round'" in result.output and "whole number" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("value", ["²", "99999999999999999999"])
def test_cli_export_round_is_a_usage_error_not_a_traceback(runner, world, value):
    result = runner.invoke(args=["export", "csv", "--round", value])
    assert result.exit_code == 2, (result.output, result.exception)
    assert "--round" in result.output and "Traceback" not in result.output


def test_cli_import_reports_a_bad_objective_as_a_row_line(runner, client, world, login_as, tmp_path):
    login_as(world.users["contributor"])
    data = fill(download(client, world.round.id), [{"Section code": "G.2.1", "Type": "General", "Comment": "x",
                                                    "Objectives": "²"}])  # fmt: skip
    path = tmp_path / "feedback.xlsx"
    path.write_bytes(data)
    email = world.users["contributor"].email
    result = runner.invoke(args=["feedback", "import", str(path), "--round", str(world.round.id), "--user", email])
    assert result.exit_code == 1, (result.output, result.exception)
    assert "Row 2, Objectives: Use objective numbers" in result.output
