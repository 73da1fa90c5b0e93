"""Triage pages: queue, item page, conflicts, bulk results, notes privacy and the filters."""

from __future__ import annotations

from sqlalchemy import select

from reviewtracker.extensions import db
from reviewtracker.models import Activity, Feedback, RevisionLink, TriageNote, TriageStatus
from tests import factories


def _forwarded(world, n=3, **kw):
    author = world.users["contributor"]
    return [factories.create_feedback(author, world.round, state="forwarded", **kw) for _ in range(n)]


def test_queue_lists_forwarded_items_with_counts(client, world, login_as):
    login_as(world.users["member"])
    page = client.get("/triage/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert world.forwarded.display_id in html and world.answered.display_id in html
    assert world.draft.display_id not in html
    assert "Bulk action" not in html  # members read only


def test_unknown_sort_key_is_400(client, world, login_as):
    login_as(world.users["co_lead"])
    assert client.get("/triage/?sort=comment;drop table").status_code == 400
    assert client.get("/triage/?sort=-priority").status_code == 200


def test_sql_like_search_is_harmless(client, world, login_as):
    login_as(world.users["co_lead"])
    for q in ["' OR 1=1 --", "%", "_", "\\", '"; DROP TABLE feedback; --']:
        page = client.get("/triage/", query_string={"q": q})
        assert page.status_code == 200
        assert world.forwarded.display_id not in page.get_data(as_text=True)
    assert db.session.scalar(select(Feedback).where(Feedback.id == world.forwarded.id)) is not None


def test_search_finds_comment_and_proposed_change(client, world, login_as):
    a, b = _forwarded(world, 2)
    a.comment = "Mention 100% of returnees"
    b.proposed_change = "Add remittance_costs data"
    login_as(world.users["co_lead"])
    assert a.display_id in client.get("/triage/?q=100%25").get_data(as_text=True)
    html = client.get("/triage/?q=REMITTANCE_costs").get_data(as_text=True)
    assert b.display_id in html and a.display_id not in html


def test_section_filter_includes_sub_sections(client, world, login_as):
    parent = factories.get_section("G.2")
    (child,) = _forwarded(world, 1, section="G.2.2")
    (other,) = _forwarded(world, 1, section="G.3")
    login_as(world.users["co_lead"])
    html = client.get(f"/triage/?section={parent.id}").get_data(as_text=True)
    assert child.display_id in html and other.display_id not in html


def test_quick_views(client, world, login_as):
    co_lead = world.users["co_lead"]
    mine, unassigned = _forwarded(world, 2)
    mine.assignee_id = co_lead.id
    login_as(co_lead)
    html = client.get("/triage/?view=mine").get_data(as_text=True)
    assert mine.display_id in html and unassigned.display_id not in html
    html = client.get("/triage/?view=unassigned").get_data(as_text=True)
    assert unassigned.display_id in html and mine.display_id not in html
    (decided,) = _forwarded(world, 1, status="noted")
    html = client.get("/triage/?view=awaiting").get_data(as_text=True)
    assert decided.display_id in html and world.answered.display_id not in html  # answered has a published response


def test_item_page_shows_context_and_forms(client, world, login_as):
    (dup,) = _forwarded(world, 1, section="B.07.2", comment=world.forwarded.comment + " indeed")
    login_as(world.users["co_lead"])
    html = client.get(f"/triage/{world.forwarded.id}").get_data(as_text=True)
    assert world.forwarded.comment in html
    assert "Likely duplicates" in html and dup.display_id in html
    assert f'action="/triage/{world.forwarded.id}/status"' in html
    assert 'dir="auto"' in html


def test_member_sees_item_without_forms(client, world, login_as):
    login_as(world.users["member"])
    html = client.get(f"/triage/{world.forwarded.id}").get_data(as_text=True)
    assert world.forwarded.comment in html
    assert "/status" not in html and "<textarea" not in html


def test_status_change_and_stale_save_gives_conflict_page(client, world, login_as):
    item = world.forwarded
    old = item.lock_version
    login_as(world.users["co_lead"])
    ok = client.post(f"/triage/{item.id}/status", data={"status": "in_review", "version": old})
    assert ok.status_code == 302
    db.session.refresh(item)
    assert item.status == TriageStatus.in_review
    stale = client.post(
        f"/triage/{item.id}/response", data={"text": "My careful answer", "language": "en", "version": old}
    )
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "My careful answer" in html and "Current version" in html
    db.session.refresh(item)
    assert item.response is None


def test_illegal_move_is_refused(client, world, login_as):
    login_as(world.users["co_lead"])
    page = client.post(
        f"/triage/{world.forwarded.id}/status", data={"status": "accepted", "version": world.forwarded.lock_version}
    )
    assert page.status_code == 400  # not among the offered moves
    db.session.refresh(world.forwarded)
    assert world.forwarded.status == TriageStatus.new


def test_notes_are_private_to_the_working_group(client, world, login_as):
    login_as(world.users["co_lead"])
    client.post(f"/triage/{world.forwarded.id}/notes", data={"body": "Secret deliberation XYZ"})
    assert db.session.scalar(select(TriageNote.body)) == "Secret deliberation XYZ"
    login_as(world.users["member"])
    assert "Secret deliberation XYZ" in client.get(f"/triage/{world.forwarded.id}").get_data(as_text=True)
    for actor in ("contributor", "focal_point"):
        login_as(world.users[actor])
        assert client.get(f"/triage/{world.forwarded.id}").status_code == 403
        for url in (f"/feedback/{world.forwarded.id}", "/feedback/", "/api/v1/feedback"):
            page = client.get(url)
            assert "Secret deliberation XYZ" not in page.get_data(as_text=True), url


def test_bulk_status_reports_changed_and_skipped(client, world, login_as):
    a, b, c = _forwarded(world, 3)
    login_as(world.users["co_lead"])
    stale_version = c.lock_version - 1
    data = {
        "action": "status",
        "status": "noted",
        "scope": "selected",
        "ids": [a.id, b.id, c.id, world.answered.id],
        f"version_{a.id}": a.lock_version,
        f"version_{b.id}": b.lock_version,
        f"version_{c.id}": stale_version,
        f"version_{world.answered.id}": world.answered.lock_version,
    }
    page = client.post("/triage/bulk", data=data, follow_redirects=True)
    html = page.get_data(as_text=True)
    assert "2 items changed" in html
    assert c.display_id in html and "changed by someone else" in html
    assert world.answered.display_id in html and "cannot move" in html
    statuses = dict(
        db.session.execute(select(Feedback.id, Feedback.status).where(Feedback.id.in_([a.id, b.id, c.id]))).all()
    )
    assert statuses == {a.id: TriageStatus.noted, b.id: TriageStatus.noted, c.id: TriageStatus.new}


def test_bulk_on_everything_matching_the_filter(client, world, login_as):
    items = _forwarded(world, 3, section="G.3")
    login_as(world.users["co_lead"])
    section = factories.get_section("G.3")
    data = {
        "action": "link",
        "revision_item": world.revision.id,
        "scope": "all",
        "loaded_at": "2999-01-01T00:00:00+00:00",
    }
    page = client.post(f"/triage/bulk?section={section.id}", data=data, follow_redirects=True)
    assert "3 items changed" in page.get_data(as_text=True)
    linked = set(
        db.session.scalars(select(RevisionLink.feedback_id).where(RevisionLink.revision_item_id == world.revision.id))
    )
    assert {i.id for i in items} <= linked


def test_bulk_publish_drafted_responses(client, world, login_as):
    a, b = _forwarded(world, 2, status="accepted")
    factories.create_response(a, published=False)
    login_as(world.users["co_lead"])
    data = {
        "action": "publish",
        "ids": [a.id, b.id],
        f"version_{a.id}": a.lock_version,
        f"version_{b.id}": b.lock_version,
    }
    html = client.post("/triage/bulk", data=data, follow_redirects=True).get_data(as_text=True)
    assert "1 item changed" in html and "no drafted response" in html
    db.session.refresh(a)
    assert a.response.published
    assert db.session.scalar(select(Activity).where(Activity.action == "triage.publish", Activity.feedback_id == a.id))
