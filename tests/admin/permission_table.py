"""Permission rows for the admin routes: every page and action is for administrators only."""

import io

from reviewtracker.extensions import db
from reviewtracker.models import StakeholderType
from tests.factories import get_country, get_section, get_version
from tests.permission_cases import case

ADMIN = {"admin"}


def _organisation_id(w) -> int:
    return w.users["contributor"].organisation_id


def _question_id(w) -> int:
    return w.round.questions[0].id


def _leaf_id(w) -> int:
    return get_section("G.0").id


def _organisation(w) -> dict:
    cso = db.session.query(StakeholderType).filter_by(code="cso").one()
    return {"name": "Migrant Rights Network", "acronym": "MRN", "country": str(get_country("KE").id),
            "stakeholder_type": str(cso.id), "active": "y"}  # fmt: skip


def _user(w, email: str = "new.person@example.org") -> dict:
    organisation = str(w.users["contributor"].organisation_id)
    return {"email": email, "name": "New Person", "role": "contributor", "locale": "fr",
            "country": str(get_country("KE").id), "organisation": organisation}  # fmt: skip


def _round(w, name: str = "Second round") -> dict:
    return {"name": name, "versions": [str(get_version("G").id)], "opens_on": "2026-01-05",
            "closes_on": "2026-03-31", "countries": [str(get_country("KE").id)]}  # fmt: skip


def _outline(w) -> dict:
    outline = b"- code: G.2\n  title: {en: Six steps}\n  children:\n    - code: G.2.9\n      title: {en: Step 9}\n"
    return {"file": (io.BytesIO(outline), "outline.yaml"), "mode": "extend"}


CASES = [
    case("admin.index", lambda w: "/admin/", ADMIN),
    case("admin.countries", lambda w: "/admin/countries", ADMIN),
    case("admin.country_new", lambda w: "/admin/countries/new", ADMIN),
    case(
        "admin.country_new",
        lambda w: "/admin/countries/new",
        ADMIN,
        method="POST",
        data=lambda w: {"code": "UY", "title_en": "Uruguay", "active": "y"},
        lands="/admin/countries",
    ),
    case("admin.country_edit", lambda w: f"/admin/countries/{get_country('KE').id}", ADMIN),
    case(
        "admin.country_edit",
        lambda w: f"/admin/countries/{get_country('KE').id}",
        ADMIN,
        method="POST",
        data=lambda w: {"title_en": "Kenya", "active": "y"},
    ),
    case("admin.organisations", lambda w: "/admin/organisations", ADMIN),
    case("admin.organisation_new", lambda w: "/admin/organisations/new", ADMIN),
    case(
        "admin.organisation_new",
        lambda w: "/admin/organisations/new",
        ADMIN,
        method="POST",
        data=_organisation,
        lands="/admin/organisations",
    ),
    case("admin.organisation_edit", lambda w: f"/admin/organisations/{_organisation_id(w)}", ADMIN),
    case(
        "admin.organisation_edit",
        lambda w: f"/admin/organisations/{_organisation_id(w)}",
        ADMIN,
        method="POST",
        data=_organisation,
        lands="/admin/organisations",
    ),
    case("admin.users", lambda w: "/admin/users", ADMIN),
    case("admin.user_new", lambda w: "/admin/users/new", ADMIN),
    case(
        "admin.user_new",
        lambda w: "/admin/users/new",
        ADMIN,
        method="POST",
        data=_user,
        expect=200,
        note="shows the link",
    ),
    case("admin.user_edit", lambda w: f"/admin/users/{w.users['contributor'].id}", ADMIN),
    case(
        "admin.user_edit",
        lambda w: f"/admin/users/{w.users['contributor'].id}",
        ADMIN,
        method="POST",
        data=lambda w: _user(w, w.users["contributor"].email),
        lands="/admin/users",
    ),
    case(
        "admin.user_link",
        lambda w: f"/admin/users/{w.users['contributor'].id}/link",
        ADMIN,
        method="POST",
        expect=200,
        note="shows the link",
    ),
    case(
        "admin.user_active",
        lambda w: f"/admin/users/{w.users['contributor'].id}/active",
        ADMIN,
        method="POST",
        data=lambda w: {"active": "0"},
    ),
    case("admin.documents", lambda w: "/admin/documents", ADMIN),
    case("admin.document_new", lambda w: "/admin/documents/new", ADMIN),
    case(
        "admin.document_new",
        lambda w: "/admin/documents/new",
        ADMIN,
        method="POST",
        data=lambda w: {"code": "C", "title_en": "COVID-19 annex"},
        lands="/admin/documents",
    ),
    case("admin.version_new", lambda w: f"/admin/documents/{get_version('G').document_id}/versions/new", ADMIN),
    case(
        "admin.version_new",
        lambda w: f"/admin/documents/{get_version('G').document_id}/versions/new",
        ADMIN,
        method="POST",
        data=lambda w: {"label": "Permission-table draft", "status": "draft", "start": "copy"},
        lands="/admin/versions/",
    ),
    case("admin.version", lambda w: f"/admin/versions/{get_version('G').id}", ADMIN),
    case("admin.version_edit", lambda w: f"/admin/versions/{get_version('G').id}/edit", ADMIN),
    case(
        "admin.version_edit",
        lambda w: f"/admin/versions/{get_version('G').id}/edit",
        ADMIN,
        method="POST",
        data=lambda w: {},
    ),
    case(
        "admin.section_add",
        lambda w: f"/admin/versions/{get_version('G').id}/sections",
        ADMIN,
        method="POST",
        data=lambda w: {"code": "G.9", "title_en": "New"},
    ),
    case("admin.section_edit", lambda w: f"/admin/sections/{_leaf_id(w)}", ADMIN),
    case("admin.section_edit", lambda w: f"/admin/sections/{_leaf_id(w)}", ADMIN, method="POST", data=lambda w: {}),
    case(
        "admin.section_move", lambda w: f"/admin/sections/{_leaf_id(w)}/move", ADMIN, method="POST", data=lambda w: {}
    ),
    case(
        "admin.section_reorder",
        lambda w: f"/admin/sections/{_leaf_id(w)}/reorder",
        ADMIN,
        method="POST",
        data=lambda w: {"direction": "down"},
    ),
    case("admin.section_delete", lambda w: f"/admin/sections/{_leaf_id(w)}/delete", ADMIN, method="POST"),
    case("admin.outline_import_page", lambda w: f"/admin/versions/{get_version('G').id}/outline/import", ADMIN),
    case(
        "admin.outline_import_page",
        lambda w: f"/admin/versions/{get_version('G').id}/outline/import",
        ADMIN,
        method="POST",
        data=_outline,
        expect=200,
        note="the preview",
    ),
    case(
        "admin.outline_confirm",
        lambda w: f"/admin/versions/{get_version('G').id}/outline/confirm",
        ADMIN,
        method="POST",
        data=lambda w: {"token": "nothing-kept"},
    ),
    case("admin.outline_export", lambda w: f"/admin/versions/{get_version('G').id}/outline.xlsx", ADMIN),
    case("admin.rounds", lambda w: "/admin/rounds", ADMIN),
    case("admin.round_new", lambda w: "/admin/rounds/new", ADMIN),
    case("admin.round_new", lambda w: "/admin/rounds/new", ADMIN, method="POST", data=_round, lands="/admin/rounds/"),
    case("admin.round_detail", lambda w: f"/admin/rounds/{w.round.id}", ADMIN),
    case("admin.round_edit", lambda w: f"/admin/rounds/{w.round.id}/edit", ADMIN),
    case(
        "admin.round_edit",
        lambda w: f"/admin/rounds/{w.round.id}/edit",
        ADMIN,
        method="POST",
        data=lambda w: _round(w, w.round.name),
        lands=lambda w: f"/admin/rounds/{w.round.id}",
    ),
    case(
        "admin.round_extend",
        lambda w: f"/admin/rounds/{w.round.id}/extensions/{get_country('KE').id}",
        ADMIN,
        method="POST",
        data=lambda w: {"extended_until": ""},
    ),
    case(
        "admin.question_add",
        lambda w: f"/admin/rounds/{w.round.id}/questions",
        ADMIN,
        method="POST",
        data=lambda w: {"text_en": "Why?"},
    ),
    case("admin.question_edit", lambda w: f"/admin/questions/{_question_id(w)}", ADMIN),
    case(
        "admin.question_edit", lambda w: f"/admin/questions/{_question_id(w)}", ADMIN, method="POST", data=lambda w: {}
    ),
    case(
        "admin.question_move",
        lambda w: f"/admin/questions/{_question_id(w)}/move",
        ADMIN,
        method="POST",
        data=lambda w: {"direction": "down"},
    ),
    case("admin.question_delete", lambda w: f"/admin/questions/{_question_id(w)}/delete", ADMIN, method="POST"),
    case("admin.activity", lambda w: "/admin/activity", ADMIN),
]
