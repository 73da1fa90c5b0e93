"""Accounts: creation with a one-time invitation link, new links, edits, (de)activation and self-protection."""

from __future__ import annotations

import re
import time

from sqlalchemy import select

from reviewtracker.extensions import db
from reviewtracker.models import Activity, Role, User
from tests.factories import create_organisation, create_user, get_country

PASSWORD = "a-long-new-password"


def _link(response) -> str:
    match = re.search(r'value="(https?://[^"]+/set-password/[^"]+)"', response.get_data(as_text=True))
    assert match, "the page shows the one-time link"
    return match.group(1)


def _create(client, **fields):
    data = {"email": "new.person@example.org", "name": "New Person", "role": "contributor", "locale": "fr"}
    data.update(fields)
    return client.post("/admin/users/new", data=data)


def test_create_user_shows_a_link_that_works_once(app, client, admin):
    kenya = get_country("KE")
    org = create_organisation("KE", name="Kenya Red Cross")
    response = _create(client, country=str(kenya.id), organisation=str(org.id))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    link = _link(response)
    user = db.session.scalar(select(User).where(User.email == "new.person@example.org"))
    assert user.password_hash is None and user.country_id == kenya.id and user.organisation_id == org.id
    assert user.locale == "fr"
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.post("/logout")
    assert client.get("/" + path).status_code == 200
    set_response = client.post("/" + path, data={"new_password": PASSWORD, "confirm": PASSWORD})
    assert set_response.status_code == 302
    assert client.get("/" + path).status_code == 404  # single use
    login = client.post("/login", data={"email": "new.person@example.org", "password": PASSWORD})
    assert login.status_code == 302 and "/login" not in login.headers["Location"]
    activity = db.session.scalars(select(Activity.action).where(Activity.target_id == user.id)).all()
    assert {"user.create", "user.invite"} <= set(activity)
    token_part = path.rsplit("/", 1)[1]
    assert not any(token_part in str(a.after) for a in db.session.scalars(select(Activity)))  # no secret stored


def test_create_user_refuses_an_organisation_of_another_country(app, client, admin):
    moroccan_org = create_organisation("MA")
    response = _create(client, country=str(get_country("KE").id), organisation=str(moroccan_org.id))
    assert "The organisation belongs to another country." in response.get_data(as_text=True)
    assert 'value="New Person"' in response.get_data(as_text=True)  # typed text kept
    assert db.session.scalar(select(User).where(User.email == "new.person@example.org")) is None


def test_create_user_refuses_a_duplicate_email_and_a_missing_country(app, client, admin):
    create_user("member", None, email="taken@example.org")
    assert "already exists" in _create(client, email="TAKEN@example.org", role="member").get_data(as_text=True)
    assert "need a country" in _create(client).get_data(as_text=True)


def test_new_link_for_an_existing_user_is_a_reset_link_and_the_old_one_dies(app, client, admin):
    user = create_user("member", None)
    first = _link(client.post(f"/admin/users/{user.id}/link"))
    second_page = client.post(f"/admin/users/{user.id}/link")
    assert "Password reset link" in second_page.get_data(as_text=True)
    second = _link(second_page)
    assert client.get("/" + first.split("/", 3)[3]).status_code == 404
    assert client.get("/" + second.split("/", 3)[3]).status_code == 200


def test_deactivation_ends_the_users_sessions(app, client, admin, login_as):
    from tests.conftest import IsolatedClient

    victim = create_user("focal_point", "KE")
    db.session.commit()
    other = IsolatedClient(app, app.response_class, use_cookies=True)
    with other.session_transaction() as session:
        session["_user_id"] = victim.session_token
        session["_fresh"] = True
        session["login_at"] = session["seen_at"] = int(time.time())
    assert other.get("/profile").status_code == 200
    response = client.post(f"/admin/users/{victim.id}/active", data={"active": "0"})
    assert response.status_code == 302
    assert "deactivated" in client.get(response.headers["Location"]).get_data(as_text=True)
    after = other.get("/profile")
    assert after.status_code == 302 and "/login" in after.headers["Location"]
    db.session.refresh(victim)
    assert victim.active is False
    assert client.post(f"/admin/users/{victim.id}/active", data={"active": "1"}).status_code == 302
    db.session.refresh(victim)
    assert victim.active is True


def test_admin_cannot_deactivate_or_demote_themselves(app, client, admin):
    response = client.post(f"/admin/users/{admin.id}/active", data={"active": "0"}, follow_redirects=True)
    assert "You cannot deactivate your own account" in response.get_data(as_text=True)
    response = client.post(f"/admin/users/{admin.id}", data={"name": "Boss", "role": "member", "locale": ""})
    assert "You cannot remove your own administrator role" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.active and admin.role == Role.admin


def test_edit_user_changes_role_and_records_before_and_after(app, client, admin):
    user = create_user("member", None, name="Old Name")
    response = client.post(
        f"/admin/users/{user.id}",
        data={"name": "New Name", "role": "co_lead", "lead_agency": "", "locale": "es"},
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.name, user.role, user.locale) == ("New Name", Role.co_lead, "es")
    entry = db.session.scalar(select(Activity).where(Activity.action == "user.update"))
    assert entry.before["name"] == "Old Name" and entry.after["role"] == "co_lead"


def test_user_list_filters_and_search(app, client, admin):
    create_user("contributor", "KE", name="Wanjiru Kamau")
    create_user("contributor", "MA", name="Youssef Alami")
    create_user("member", None, name="Inactive Member", active=False)
    page = client.get(f"/admin/users?country={get_country('MA').id}").get_data(as_text=True)
    assert "Youssef Alami" in page and "Wanjiru Kamau" not in page
    page = client.get("/admin/users?q=wanjiru").get_data(as_text=True)
    assert "Wanjiru Kamau" in page and "Youssef Alami" not in page
    page = client.get("/admin/users?active=0").get_data(as_text=True)
    assert "Inactive Member" in page and "Wanjiru Kamau" not in page
    page = client.get("/admin/users?role=member&sort=-name").get_data(as_text=True)
    assert "Inactive Member" in page and "Youssef" not in page
    assert client.get("/admin/users?sort=password_hash").status_code == 400
    assert client.get("/admin/users?role=emperor").status_code == 400
