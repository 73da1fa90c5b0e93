"""Version labels are unique per document, both pages offer the next free one, and both create versions alike."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from reviewtracker.extensions import db
from reviewtracker.models import DocumentVersion, Section
from tests import factories

# (who signs in, the page that creates a version, what it posts besides the label)
PAGES = {
    "next draft": ("co_lead", lambda doc: "/revisions/next-version", lambda doc: {"document": doc.id}),
    "admin": ("admin", lambda doc: f"/admin/documents/{doc.id}/versions/new", lambda doc: {"status": "draft"}),
}


def _labels(document_id: int) -> list[str]:
    stmt = select(DocumentVersion.label).where(DocumentVersion.document_id == document_id)
    return list(db.session.scalars(stmt.order_by(DocumentVersion.number)))


def _prefilled_label(html: str) -> str:
    match = re.search(r'<input[^>]*name="label"[^>]*>', html)
    assert match, "the page has a label field"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


def _page(client, url: str, document) -> str:
    """The page for this document (the next-draft page picks it with ?document=)."""
    return client.get(url + (f"?document={document.id}" if url.startswith("/revisions") else "")).get_data(as_text=True)


@pytest.mark.parametrize("page", PAGES)
def test_the_page_prefills_the_next_free_label(client, world, login_as, page):
    role, url, extra = PAGES[page]
    login_as(world.users[role])
    document = factories.get_version("G").document
    first = _prefilled_label(_page(client, url(document), document))
    assert first and first not in _labels(document.id)
    assert client.post(url(document), data={**extra(document), "label": first}).status_code == 302
    second = _prefilled_label(_page(client, url(document), document))
    assert second and second not in _labels(document.id), "the default must not repeat an existing label"


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("typed", ["Revised draft", "  revised   DRAFT "])
def test_an_existing_label_is_refused_on_the_form(client, world, login_as, page, typed):
    role, url, extra = PAGES[page]
    login_as(world.users[role])
    document = factories.get_version("G").document
    assert client.post(url(document), data={**extra(document), "label": "Revised draft"}).status_code == 302
    before = _labels(document.id)
    answer = client.post(url(document), data={**extra(document), "label": typed})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "is already used by" in html and "invalid-feedback" in html  # the error sits on the label field
    assert _prefilled_label(html) == typed  # the typed text is kept
    assert _labels(document.id) == before


def test_renaming_a_version_to_a_sibling_label_is_refused(client, world, login_as):
    login_as(world.users["admin"])
    source = factories.get_version("G")
    client.post(f"/admin/documents/{source.document_id}/versions/new", data={"label": "Final", "status": "draft"})
    answer = client.post(f"/admin/versions/{source.id}/edit", data={"label": "final", "status": "draft"})
    assert answer.status_code == 400 and "is already used by" in answer.get_data(as_text=True)
    db.session.expire_all()
    assert sorted(_labels(source.document_id)) == sorted({source.label, "Final"})


@pytest.mark.parametrize("page", PAGES)
def test_both_pages_create_the_same_kind_of_version(client, world, login_as, page):
    """One service: a copied tree whose sections remember their predecessors, under a tidy label."""
    role, url, extra = PAGES[page]
    login_as(world.users[role])
    source = factories.get_version("B")
    answer = client.post(url(source.document), data={**extra(source.document), "label": " Second   draft "})
    assert answer.status_code == 302
    version = db.session.scalar(
        select(DocumentVersion).where(DocumentVersion.document_id == source.document_id, DocumentVersion.number == 2)
    )
    assert version.label == "Second draft" and version.predecessor_id == source.id
    copied = db.session.scalars(select(Section).where(Section.version_id == version.id)).all()
    originals = db.session.scalar(select(func.count(Section.id)).where(Section.version_id == source.id))
    assert len(copied) == originals > 0 and all(s.predecessor_id for s in copied)
