"""The section tree of a version: add, rename, move, reorder, delete, and copying a tree to a new version."""

from __future__ import annotations

from sqlalchemy import select

from reviewtracker.documents.outline import copy_section_tree, tree_order
from reviewtracker.extensions import db
from reviewtracker.models import Activity, DocumentVersion, Section
from tests.factories import create_feedback, create_round, create_user, get_section, get_version


def _codes_under(parent_code: str | None) -> list[str]:
    version = get_version("G")
    return [s.code for s, _d in tree_order(version) if (s.parent.code if s.parent else None) == parent_code]


def test_version_page_shows_the_tree_in_the_interface_language(app, client, admin):
    version = get_version("G")
    page = client.get(f"/admin/versions/{version.id}").get_data(as_text=True)
    assert "G.2.3" in page and "Step 3: Design" in page
    client.post("/language/fr")
    page = client.get(f"/admin/versions/{version.id}").get_data(as_text=True)
    assert "Étape 3 : Concevoir" in page


def test_add_section_checks_code_pattern_and_uniqueness(app, client, admin):
    version = get_version("G")
    parent = get_section("G.2")
    url = f"/admin/versions/{version.id}/sections"
    ok = client.post(url, data={"parent": parent.id, "code": "g.2.7", "title_en": "Step 7", "title_fr": "Étape 7"})
    assert ok.status_code == 302
    added = db.session.scalar(select(Section).where(Section.version_id == version.id, Section.code == "G.2.7"))
    assert added.parent_id == parent.id and added.title_fr == "Étape 7"
    assert _codes_under("G.2")[-1] == "G.2.7"
    duplicate = client.post(url, data={"code": "G.2.7", "title_en": "Again"})
    assert "already used in this version" in duplicate.get_data(as_text=True)
    bad = client.post(url, data={"code": "G..2", "title_en": "Bad"})
    assert "is not valid" in bad.get_data(as_text=True)
    no_title = client.post(url, data={"code": "G.9"})
    assert no_title.status_code == 400
    assert db.session.scalar(select(Section).where(Section.code.in_(["G..2", "G.9"]))) is None


def test_rename_section(app, client, admin):
    section = get_section("G.3")
    response = client.post(
        f"/admin/sections/{section.id}", data={"code": "G.3", "title_en": "COVID-19", "title_fr": "", "title_es": "X"}
    )
    assert response.status_code == 302
    db.session.refresh(section)
    assert (section.title_en, section.title_fr, section.title_es) == ("COVID-19", None, "X")
    clash = client.post(f"/admin/sections/{section.id}", data={"code": "G.2", "title_en": "Clash"})
    assert "already used" in clash.get_data(as_text=True)


def test_move_section_under_another_parent_and_never_under_itself(app, client, admin):
    section, target = get_section("G.2.6"), get_section("G.1")
    response = client.post(f"/admin/sections/{section.id}/move", data={"parent": target.id})
    assert response.status_code == 302
    assert _codes_under("G.1")[-1] == "G.2.6" and "G.2.6" not in _codes_under("G.2")
    assert [s.position for s in get_section("G.2").children] == [1, 2, 3, 4, 5]
    parent, child = get_section("G.2"), get_section("G.2.1")
    refused = client.post(f"/admin/sections/{parent.id}/move", data={"parent": child.id}, follow_redirects=True)
    assert "Choose a valid parent section" in refused.get_data(as_text=True)
    db.session.refresh(parent)
    assert parent.parent_id is None
    top = client.post(f"/admin/sections/{section.id}/move", data={"parent": ""})
    assert top.status_code == 302 and "G.2.6" in _codes_under(None)


def test_reorder_sections_up_and_down(app, client, admin):
    first, second = get_section("G.2.1"), get_section("G.2.2")
    assert client.post(f"/admin/sections/{second.id}/reorder", data={"direction": "up"}).status_code == 302
    assert _codes_under("G.2")[:2] == ["G.2.2", "G.2.1"]
    client.post(f"/admin/sections/{second.id}/reorder", data={"direction": "down"})
    assert _codes_under("G.2")[:2] == ["G.2.1", "G.2.2"]
    page = client.post(f"/admin/sections/{first.id}/reorder", data={"direction": "up"}, follow_redirects=True)
    assert "already first or last" in page.get_data(as_text=True)
    assert client.post(f"/admin/sections/{first.id}/reorder", data={"direction": "sideways"}).status_code == 400
    assert db.session.scalar(select(Activity).where(Activity.action == "section.reorder")) is not None


def test_delete_section_only_without_children_or_feedback(app, client, admin):
    with_children = get_section("G.2")
    page = client.post(f"/admin/sections/{with_children.id}/delete", follow_redirects=True).get_data(as_text=True)
    assert "has sub-sections" in page
    author = create_user("contributor", "KE")
    create_feedback(author, create_round(), section="G.2.1")
    commented = get_section("G.2.1")
    page = client.post(f"/admin/sections/{commented.id}/delete", follow_redirects=True).get_data(as_text=True)
    assert "has feedback or revision items" in page
    leaf = get_section("G.2.6")
    assert client.post(f"/admin/sections/{leaf.id}/delete").status_code == 302
    assert get_section("G.2.6") is None and get_section("G.2.1") is not None
    entry = db.session.scalar(select(Activity).where(Activity.action == "section.delete"))
    assert entry.before["code"] == "G.2.6"


def test_new_version_copies_the_tree_with_predecessors(app, client, admin):
    source = get_version("G")
    response = client.post(
        f"/admin/documents/{source.document_id}/versions/new",
        data={"label": "Revised draft", "status": "draft", "start": "copy"},
    )
    assert response.status_code == 302
    new = db.session.scalar(select(DocumentVersion).where(DocumentVersion.label == "Revised draft"))
    assert new.number == 2 and new.predecessor_id == source.id
    old_tree = [(s.code, d) for s, d in tree_order(source)]
    new_tree = tree_order(new)
    assert [(s.code, d) for s, d in new_tree] == old_tree
    assert all(s.predecessor.code == s.code and s.predecessor.version_id == source.id for s, _d in new_tree)
    empty = client.post(
        f"/admin/documents/{source.document_id}/versions/new",
        data={"label": "Blank", "status": "draft", "start": "empty"},
    )
    assert empty.status_code == 302
    blank = db.session.scalar(select(DocumentVersion).where(DocumentVersion.label == "Blank"))
    assert blank.number == 3 and tree_order(blank) == []


def test_copy_section_tree_returns_the_number_copied(app):
    source = get_version("B")
    target = DocumentVersion(document=source.document, number=9, label="Copy")
    db.session.add(target)
    db.session.flush()
    copied = copy_section_tree(source, target)
    assert copied == len(source.sections) == len(tree_order(target))


def test_add_document(app, client, admin):
    response = client.post("/admin/documents/new", data={"code": "t", "title_en": "Toolkit"})
    assert response.status_code == 302
    page = client.get("/admin/documents").get_data(as_text=True)
    assert "T — Toolkit" in page
    again = client.post("/admin/documents/new", data={"code": "T", "title_en": "Toolkit"})
    assert "already exists" in again.get_data(as_text=True)
