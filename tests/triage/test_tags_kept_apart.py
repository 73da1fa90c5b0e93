"""A co-lead's principles and objectives never overwrite the ones the country chose: both kept, each labelled."""

from __future__ import annotations

import io
import re
from datetime import date
from html import unescape

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from reviewtracker.exports.params import ExportParams
from reviewtracker.exports.services import export_path, run_export
from reviewtracker.extensions import db
from reviewtracker.models import Activity, ExportKind, Feedback, FeedbackState, GuidingPrinciple, Objective
from reviewtracker.models.feedback import triage_objectives, triage_principles
from reviewtracker.seed.demo import seed_demo
from tests import factories
from tests.api.conftest import Api
from tests.exports.conftest import read_csv, sheet_rows

SUBMITTER_PRINCIPLES = "Guiding principles chosen by the submitter"
SUBMITTER_OBJECTIVES = "Objectives chosen by the submitter"
GROUP_PRINCIPLES = "Guiding principles added by the working group"
GROUP_OBJECTIVES = "Objectives added by the working group"


def _principle(letter: str) -> GuidingPrinciple:
    return db.session.scalar(select(GuidingPrinciple).where(GuidingPrinciple.letter == letter))


def _objective(number: int) -> Objective:
    return db.session.scalar(select(Objective).where(Objective.number == number))


def _block(html: str, element_id: str) -> str:
    """The text of the element with this id (up to its closing tag), tags stripped."""
    match = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no element #{element_id} on the page"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(2))).split())


@pytest.fixture
def tagged(world, client, login_as):
    """A country submits with P1 (a) and O3, its focal point forwards, a co-lead tags P5 (e) / O7 on the page."""
    p1, o3, p5, o7 = _principle("a"), _objective(3), _principle("e"), _objective(7)
    login_as(world.users["contributor"])
    section = factories.get_section("G.2.3")
    created = client.post(
        f"/feedback/rounds/{world.round.id}/new",
        data={
            "section_id": str(section.id),
            "type": "substantive",
            "priority": "high",
            "language": "en",
            "comment": "Our own comment on the firewall.",
            "principles": [str(p1.id)],
            "objectives": [str(o3.id)],
            "submit": "Submit",
        },
    )
    assert created.status_code == 302
    item = db.session.scalars(select(Feedback).order_by(Feedback.id.desc())).first()
    assert item.state == FeedbackState.submitted
    login_as(world.users["focal_point"])
    assert client.post(f"/feedback/{item.id}/forward").status_code == 302
    db.session.refresh(item)
    assert item.state == FeedbackState.forwarded
    login_as(world.users["co_lead"])
    page = client.post(
        f"/triage/{item.id}/tags",
        data={
            "tags": "firewall",
            "principles": [str(p5.id)],
            "objectives": [str(o7.id)],
            "version": str(item.lock_version),
        },
    )
    assert page.status_code == 302, page.get_data(as_text=True)
    db.session.expire_all()
    return {"item": db.session.get(Feedback, item.id), "p1": p1, "o3": o3, "p5": p5, "o7": o7}


def test_country_pages_keep_the_countrys_own_tags(tagged, world, client, login_as):
    """The item page and the "Our feedback" workbook show P1/O3 as the country's, and nothing of P5/O7."""
    item, p1, o3, p5, o7 = (tagged[k] for k in ("item", "p1", "o3", "p5", "o7"))
    for user in (world.users["contributor"], world.users["focal_point"]):
        login_as(user)
        html = unescape(client.get(f"/feedback/{item.id}").get_data(as_text=True))
        assert p1.label in html and o3.label in html
        assert p5.label not in html and o7.label not in html
        workbook = load_workbook(io.BytesIO(client.get(f"/feedback/rounds/{world.round.id}/our-feedback.xlsx").data))
        rows = sheet_rows(workbook.worksheets[0])
        header = rows[0]
        (row,) = [r for r in rows[1:] if r[0] == item.display_id]
        assert row[header.index("Guiding principles")] == "a"
        assert str(row[header.index("Objectives")]) == "3"


def test_working_group_page_shows_both_labelled(tagged, world, client, login_as):
    """Members read both lists, each under who chose it; the co-lead's form edits only the working group's."""
    item, p1, o3, p5, o7 = (tagged[k] for k in ("item", "p1", "o3", "p5", "o7"))
    login_as(world.users["member"])
    html = client.get(f"/triage/{item.id}").get_data(as_text=True)
    assert "Chosen by the submitter" in html and "Added by the working group" in html
    submitter = _block(html, "submitter-tags")
    group = _block(html, "working-group-tags")
    assert p1.label in submitter and o3.label in submitter
    assert p5.label not in submitter and o7.label not in submitter
    assert p5.label in group and o7.label in group
    assert p1.label not in group and o3.label not in group
    login_as(world.users["co_lead"])
    html = client.get(f"/triage/{item.id}").get_data(as_text=True)
    assert p1.label in unescape(_block(html, "submitter-tags"))
    selected = set(re.findall(r'<option selected value="(\d+)">', html))
    assert selected == {str(p5.id), str(o7.id)}
    activity = db.session.scalars(
        select(Activity).where(Activity.feedback_id == item.id, Activity.action == "triage.tags")
    ).one()
    assert activity.after["working_group_principles"] == ["e"]
    assert activity.after["working_group_objectives"] == [7]


def test_api_keeps_the_submitters_fields_and_adds_the_working_groups(tagged, world, client):
    """principle_ids / objective_ids stay the submitter's; working_group_* carry the co-lead's (WG only)."""
    item, p1, o3, p5, o7 = (tagged[k] for k in ("item", "p1", "o3", "p5", "o7"))
    api = Api(client)
    country = api.get(f"/api/v1/feedback/{item.id}", world.users["contributor"]).get_json()
    assert country["principle_ids"] == [p1.id] and country["objective_ids"] == [o3.id]
    assert country["working_group_principle_ids"] == [] and country["working_group_objective_ids"] == []
    group = api.get(f"/api/v1/feedback/{item.id}", world.users["co_lead"]).get_json()
    assert group["principle_ids"] == [p1.id] and group["objective_ids"] == [o3.id]
    assert group["working_group_principle_ids"] == [p5.id] and group["working_group_objective_ids"] == [o7.id]
    spec = client.get("/api/v1/openapi.json").get_json()
    properties = spec["components"]["schemas"]["Feedback"]["properties"]
    assert {"working_group_principle_ids", "working_group_objective_ids"} <= set(properties)


def test_api_tagging_writes_only_the_working_groups_tags(tagged, world, client):
    """A co-lead's PUT /tags changes the working group's lists; the submitter's cannot be changed through it."""
    item, p1, o3, o7 = (tagged[k] for k in ("item", "p1", "o3", "o7"))
    api = Api(client)
    co_lead = world.users["co_lead"]
    body = {"tags": [], "working_group_principle_ids": [], "working_group_objective_ids": [o7.id, o3.id]}
    done = api.call("PUT", f"/api/v1/feedback/{item.id}/tags", co_lead, json=body, if_match=item.lock_version)
    assert done.status_code == 200, done.get_json()
    data = done.get_json()
    assert data["principle_ids"] == [p1.id] and data["objective_ids"] == [o3.id]
    assert data["working_group_principle_ids"] == [] and data["working_group_objective_ids"] == [o3.id, o7.id]
    db.session.expire_all()
    item = db.session.get(Feedback, item.id)
    refused = api.call(
        "PUT", f"/api/v1/feedback/{item.id}/tags", co_lead, json={"principle_ids": []}, if_match=item.lock_version
    )
    assert refused.status_code == 400 and "principle_ids" in refused.get_json()["message"]
    db.session.expire_all()
    assert [p.letter for p in db.session.get(Feedback, item.id).principles] == ["a"]


@pytest.mark.parametrize("kind", [ExportKind.csv, ExportKind.consolidated])
def test_exports_have_a_column_per_chooser(tagged, world, kind):
    """The CSV and the consolidated workbook put each list in its own column, named after who chose it."""
    item = tagged["item"]
    export = run_export(world.users["co_lead"], kind, ExportParams(round_id=world.round.id))
    path = export_path(export)
    rows = read_csv(path.read_bytes()) if kind == ExportKind.csv else sheet_rows(load_workbook(path).worksheets[1])
    header = rows[0]
    (row,) = [r for r in rows[1:] if r[0] == item.display_id]
    assert "Guiding principles" not in header and "Objectives" not in header
    assert row[header.index(SUBMITTER_PRINCIPLES)].startswith("(a) ")
    assert row[header.index(SUBMITTER_OBJECTIVES)].startswith("3. ")
    assert row[header.index(GROUP_PRINCIPLES)].startswith("(e) ")
    assert row[header.index(GROUP_OBJECTIVES)].startswith("7. ")


def test_demo_seed_tags_through_the_working_groups_lists(app):
    """The demo triage tags items in the working group's lists and leaves the countries' choices alone."""
    seed_demo(date.today())
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(triage_principles)) > 0
    assert db.session.scalar(select(func.count()).select_from(triage_objectives)) > 0
    tagged = db.session.scalars(select(Feedback).where(Feedback.triage_principles.any())).all()
    assert any(item.principles and item.principles != item.triage_principles for item in tagged)
