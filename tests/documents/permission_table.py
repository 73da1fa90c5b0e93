"""Permission rows for the documents routes: every page and action is for administrators only."""

import io

from tests.factories import get_section, get_version
from tests.permission_cases import case

ADMIN = {"admin"}


def _leaf_id(w) -> int:
    return get_section("G.0").id


def _outline(w) -> dict:
    outline = b"- code: G.2\n  title: {en: Six steps}\n  children:\n    - code: G.2.9\n      title: {en: Step 9}\n"
    return {"file": (io.BytesIO(outline), "outline.yaml"), "mode": "extend"}


CASES = [
    case("documents.documents", lambda w: "/admin/documents", ADMIN),
    case("documents.document_new", lambda w: "/admin/documents/new", ADMIN),
    case(
        "documents.document_new",
        lambda w: "/admin/documents/new",
        ADMIN,
        method="POST",
        data=lambda w: {"code": "C", "title_en": "COVID-19 annex"},
        lands="/admin/documents",
    ),
    case("documents.version_new", lambda w: f"/admin/documents/{get_version('G').document_id}/versions/new", ADMIN),
    case(
        "documents.version_new",
        lambda w: f"/admin/documents/{get_version('G').document_id}/versions/new",
        ADMIN,
        method="POST",
        data=lambda w: {"label": "Permission-table draft", "status": "draft", "start": "copy"},
        lands="/admin/versions/",
    ),
    case("documents.version", lambda w: f"/admin/versions/{get_version('G').id}", ADMIN),
    case("documents.version_edit", lambda w: f"/admin/versions/{get_version('G').id}/edit", ADMIN),
    case(
        "documents.version_edit",
        lambda w: f"/admin/versions/{get_version('G').id}/edit",
        ADMIN,
        method="POST",
        data=lambda w: {},
    ),
    case(
        "documents.section_add",
        lambda w: f"/admin/versions/{get_version('G').id}/sections",
        ADMIN,
        method="POST",
        data=lambda w: {"code": "G.9", "title_en": "New"},
    ),
    case("documents.section_edit", lambda w: f"/admin/sections/{_leaf_id(w)}", ADMIN),
    case("documents.section_edit", lambda w: f"/admin/sections/{_leaf_id(w)}", ADMIN, method="POST", data=lambda w: {}),
    case(
        "documents.section_move",
        lambda w: f"/admin/sections/{_leaf_id(w)}/move",
        ADMIN,
        method="POST",
        data=lambda w: {},
    ),
    case(
        "documents.section_reorder",
        lambda w: f"/admin/sections/{_leaf_id(w)}/reorder",
        ADMIN,
        method="POST",
        data=lambda w: {"direction": "down"},
    ),
    case("documents.section_delete", lambda w: f"/admin/sections/{_leaf_id(w)}/delete", ADMIN, method="POST"),
    case("documents.outline_import_page", lambda w: f"/admin/versions/{get_version('G').id}/outline/import", ADMIN),
    case(
        "documents.outline_import_page",
        lambda w: f"/admin/versions/{get_version('G').id}/outline/import",
        ADMIN,
        method="POST",
        data=_outline,
        expect=200,
        note="the preview",
    ),
    case(
        "documents.outline_confirm",
        lambda w: f"/admin/versions/{get_version('G').id}/outline/confirm",
        ADMIN,
        method="POST",
        data=lambda w: {"token": "nothing-kept"},
    ),
    case("documents.outline_export", lambda w: f"/admin/versions/{get_version('G').id}/outline.xlsx", ADMIN),
]
