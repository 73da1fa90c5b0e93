"""Revision items: codes, status moves, links, the next draft, and their pages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from reviewtracker.documents import services as documents_services
from reviewtracker.errors import ValidationError, WorkflowError
from reviewtracker.extensions import db
from reviewtracker.models import Activity, DocumentVersion, RevisionLink, RevisionStatus, Section
from reviewtracker.revisions import services
from reviewtracker.revisions.services import RevisionConflictError
from tests import factories


def test_codes_are_allocated_in_sequence(world, rq):
    co_lead = world.users["co_lead"]
    world.revision.code = "R-009"
    first = services.create_revision_item(co_lead, title="A", description=None, section_ids=[], owner_agency_id=None)
    second = services.create_revision_item(
        co_lead, title="B", description="x", section_ids=[factories.get_section("G.2").id], owner_agency_id=None
    )
    assert (first.code, second.code) == ("R-010", "R-011")
    assert [s.code for s in second.sections] == ["G.2"]
    with pytest.raises(ValidationError):
        services.create_revision_item(co_lead, title="  ", description=None, section_ids=[], owner_agency_id=None)
    with pytest.raises(WorkflowError):
        services.create_revision_item(
            world.users["member"], title="C", description=None, section_ids=[], owner_agency_id=None
        )


def test_status_moves_and_applied_needs_a_version(world, rq):
    co_lead, item = world.users["co_lead"], world.revision
    with pytest.raises(WorkflowError):
        services.update_revision_item(co_lead, item, expected_version=item.lock_version, status="applied")
    services.update_revision_item(co_lead, item, expected_version=item.lock_version, status="agreed")
    services.update_revision_item(co_lead, item, expected_version=item.lock_version, status="drafted")
    with pytest.raises(WorkflowError, match="version"):
        services.update_revision_item(co_lead, item, expected_version=item.lock_version, status="applied")
    version = factories.get_version("G")
    services.update_revision_item(
        co_lead, item, expected_version=item.lock_version, status="applied", applied_version_id=version.id
    )
    assert item.status == RevisionStatus.applied and item.applied_version_id == version.id
    with pytest.raises(RevisionConflictError):
        services.update_revision_item(co_lead, item, expected_version=item.lock_version - 1, title="Other")


def test_link_and_unlink_keep_history(world, rq):
    co_lead, item = world.users["co_lead"], world.revision
    (other,) = [factories.create_feedback(world.users["contributor_other"], world.round, state="forwarded")]
    link = services.link_revision_item(co_lead, item, other)
    assert link.linked_by_id == co_lead.id and link.linked_at is not None
    with pytest.raises(WorkflowError, match="already"):
        services.link_revision_item(co_lead, item, other)
    with pytest.raises(WorkflowError):
        services.link_revision_item(co_lead, item, world.draft)
    services.unlink_revision_item(co_lead, item, other)
    assert db.session.scalar(select(RevisionLink).where(RevisionLink.feedback_id == other.id)) is None
    actions = list(
        db.session.scalars(select(Activity.action).where(Activity.feedback_id == other.id).order_by(Activity.id))
    )
    assert actions == ["revision.link", "revision.unlink"]


def test_next_version_copies_the_tree_with_predecessors(world, rq):
    source = factories.get_version("G")
    version = documents_services.create_version(world.users["admin"], source.document, label="Revised draft")
    assert version.number == source.number + 1 and version.predecessor_id == source.id
    old = {s.code: s.id for s in db.session.scalars(select(Section).where(Section.version_id == source.id))}
    new = list(db.session.scalars(select(Section).where(Section.version_id == version.id)))
    assert len(new) == len(old) and all(s.predecessor_id == old[s.code] for s in new)
    item = services.create_revision_item(
        world.users["co_lead"], title="New text", description=None, section_ids=[new[0].id], owner_agency_id=None
    )
    assert item.sections[0].version_id == version.id


def test_index_groups_by_section_with_counts(client, world, login_as):
    login_as(world.users["member"])
    html = client.get("/revisions/").get_data(as_text=True)
    assert world.revision.code in html and "G.2.1" in html
    html = client.get(f"/revisions/{world.revision.id}").get_data(as_text=True)
    assert world.forwarded.display_id in html and "Kenya" in html
    assert "Save revision item" not in html  # members read only


def test_create_and_edit_pages(client, world, login_as):
    login_as(world.users["co_lead"])
    page = client.post(
        "/revisions/new", data={"title": "Add a data step", "sections": [factories.get_section("G.3").id]}
    )
    assert page.status_code == 302
    stale = client.post(
        f"/revisions/{world.revision.id}",
        data={"version": world.revision.lock_version - 1, "title": "My wording", "status": "proposed"},
    )
    assert stale.status_code == 409 and "My wording" in stale.get_data(as_text=True)
    ok = client.post(
        f"/revisions/{world.revision.id}",
        data={"version": world.revision.lock_version, "title": "My wording", "status": "agreed"},
    )
    assert ok.status_code == 302
    db.session.refresh(world.revision)
    assert (world.revision.title, world.revision.status) == ("My wording", RevisionStatus.agreed)


def test_next_version_page(client, world, login_as):
    login_as(world.users["co_lead"])
    document_id = factories.get_version("B").document_id
    page = client.post("/revisions/next-version", data={"document": document_id, "label": "Revised draft"})
    assert page.status_code == 302
    labels = list(db.session.scalars(select(DocumentVersion.label).where(DocumentVersion.document_id == document_id)))
    assert "Revised draft" in labels


def test_response_templates(client, world, login_as):
    login_as(world.users["co_lead"])
    client.post(
        "/revisions/templates", data={"name": "Thanks", "text_en": "Thank you.", "text_fr": "Merci.", "active": "y"}
    )
    html = client.get(f"/triage/{world.forwarded.id}").get_data(as_text=True)
    assert "Start from a template" in html
    from reviewtracker.models import ResponseTemplate

    template = db.session.scalar(select(ResponseTemplate))
    html = client.get(f"/triage/{world.forwarded.id}?template={template.id}&lang=fr").get_data(as_text=True)
    assert "Merci." in html
