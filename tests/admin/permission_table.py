"""Permission rows for the admin routes: every page and action is for administrators only."""

from reviewtracker.extensions import db
from reviewtracker.models import StakeholderType
from tests.factories import get_country
from tests.permission_cases import case

ADMIN = {"admin"}


def _organisation_id(w) -> int:
    return w.users["contributor"].organisation_id


def _organisation(w) -> dict:
    cso = db.session.query(StakeholderType).filter_by(code="cso").one()
    return {"name": "Migrant Rights Network", "acronym": "MRN", "country": str(get_country("KE").id),
            "stakeholder_type": str(cso.id), "active": "y"}  # fmt: skip


def _user(w, email: str = "new.person@example.org") -> dict:
    organisation = str(w.users["contributor"].organisation_id)
    return {"email": email, "name": "New Person", "role": "contributor", "locale": "fr",
            "country": str(get_country("KE").id), "organisation": organisation}  # fmt: skip


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
    case("admin.activity", lambda w: "/admin/activity", ADMIN),
]
