"""Countries, organisations and the audit log page (filters, safe rendering, read-only)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from reviewtracker.audit import record_activity
from reviewtracker.extensions import db
from reviewtracker.models import Activity, ActivityCategory, Country, Organisation
from reviewtracker.models._base import utcnow
from tests.factories import create_organisation, create_user, get_country


def test_add_and_edit_a_country(app, client, admin):
    response = client.post(
        "/admin/countries/new",
        data={"code": "tv", "title_en": "Tuvalu", "title_fr": "Tuvalu", "title_es": "Tuvalu", "champion_since": "2024"},
    )
    assert response.status_code == 302
    tuvalu = db.session.scalar(select(Country).where(Country.code == "TV"))
    assert tuvalu.champion_since == "2024" and tuvalu.active is False  # the checkbox was not ticked
    assert "already exists" in client.post("/admin/countries/new", data={"code": "TV", "title_en": "G"}).get_data(
        as_text=True
    )
    client.post(f"/admin/countries/{tuvalu.id}", data={"title_en": "Republic of Tuvalu", "active": "y"})
    db.session.refresh(tuvalu)
    assert tuvalu.title_en == "Republic of Tuvalu" and tuvalu.active
    page = client.get("/admin/countries").get_data(as_text=True)
    assert "Republic of Tuvalu" in page


def test_organisations_filter_search_and_edit(app, client, admin):
    create_organisation("KE", name="Kenya National Commission on Human Rights")
    create_organisation("MA", name="Conseil national des droits de l'homme")
    page = client.get(f"/admin/organisations?country={get_country('KE').id}").get_data(as_text=True)
    assert "Kenya National Commission" in page and "Conseil national" not in page
    page = client.get("/admin/organisations?q=conseil").get_data(as_text=True)
    assert "Conseil national" in page and "Kenya National" not in page
    assert client.get("/admin/organisations?country=abc").status_code == 400
    org = db.session.scalar(select(Organisation).where(Organisation.name.like("Kenya%")))
    response = client.post(
        f"/admin/organisations/{org.id}",
        data={
            "name": "KNCHR",
            "acronym": "KNCHR",
            "country": org.country_id,
            "stakeholder_type": org.stakeholder_type_id,
        },
    )
    assert response.status_code == 302
    db.session.refresh(org)
    assert org.name == "KNCHR" and org.active is False


def test_moving_an_organisation_with_members_to_another_country_is_refused(app, client, admin):
    member = create_user("contributor", "KE")
    org = member.organisation
    response = client.post(
        f"/admin/organisations/{org.id}",
        data={"name": org.name, "country": get_country("MA").id, "stakeholder_type": org.stakeholder_type_id},
    )
    assert "users of another country belong to this organisation" in response.get_data(as_text=True)


def test_every_admin_change_is_in_the_audit_log(app, client, admin):
    client.post("/admin/countries/new", data={"code": "TV", "title_en": "Tuvalu"})
    page = client.get("/admin/activity?category=admin").get_data(as_text=True)
    assert "<code>country.create</code>" in page and "boss@example.org" in page and "Tuvalu" in page


def test_activity_filters_and_safe_rendering(app, client, admin):
    someone = create_user("focal_point", "MA", email="focal@example.org")
    record_activity(
        someone,
        ActivityCategory.feedback,
        "feedback.submit",
        country_id=someone.country_id,
        after={"comment": "<script>alert(1)</script>"},
    )
    old = record_activity(admin, ActivityCategory.admin, "user.create", after={"email": "x@example.org"})
    db.session.flush()
    old.created_at = utcnow() - timedelta(days=40)
    db.session.commit()
    page = client.get("/admin/activity").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    page = client.get("/admin/activity?actor=focal@").get_data(as_text=True)
    assert "<code>feedback.submit</code>" in page and "<code>user.create</code>" not in page
    page = client.get("/admin/activity?action=user.").get_data(as_text=True)
    assert "<code>user.create</code>" in page and "<code>feedback.submit</code>" not in page
    since = (utcnow() - timedelta(days=2)).date().isoformat()
    page = client.get(f"/admin/activity?from={since}").get_data(as_text=True)
    assert "feedback.submit" in page and "x@example.org" not in page
    until = (utcnow() - timedelta(days=30)).date().isoformat()
    page = client.get(f"/admin/activity?to={until}").get_data(as_text=True)
    assert "x@example.org" in page and "feedback.submit" not in page
    page = client.get(f"/admin/activity?country={get_country('MA').id}&category=feedback").get_data(as_text=True)
    assert "feedback.submit" in page
    assert "feedback.submit" not in client.get(f"/admin/activity?country={get_country('KE').id}").get_data(as_text=True)
    assert client.get("/admin/activity?from=yesterday").status_code == 400
    assert client.get("/admin/activity?category=nonsense").status_code == 400
    count = db.session.scalar(select(db.func.count(Activity.id)))
    assert client.post("/admin/activity").status_code == 405  # read-only
    assert db.session.scalar(select(db.func.count(Activity.id))) == count


def test_contributor_gets_403_on_admin_pages(app, client, login_as):
    login_as("contributor")
    for url in ("/admin/", "/admin/users", "/admin/activity", "/admin/documents", "/admin/rounds"):
        assert client.get(url).status_code == 403
