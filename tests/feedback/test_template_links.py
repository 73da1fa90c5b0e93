"""The offline Excel template can be found from the round page and from "Our feedback", by those who may use it."""

from __future__ import annotations

from reviewtracker.extensions import db
from tests import factories


def test_round_page_links_to_the_offline_template(world, client, login_as):
    login_as(world.users["contributor"])
    page = client.get(f"/feedback/rounds/{world.round.id}").get_data(as_text=True)
    link = f'href="/feedback/rounds/{world.round.id}/import"'
    assert link in page
    assert client.get(f"/feedback/rounds/{world.round.id}/import").status_code == 200  # the link leads somewhere


def test_our_feedback_links_to_the_template_of_each_round_of_the_country(world, client, login_as):
    other_round = factories.create_round(("MA",))  # Kenya does not take part
    db.session.commit()
    login_as(world.users["focal_point"])
    page = client.get("/feedback/").get_data(as_text=True)
    assert f'href="/feedback/rounds/{world.round.id}/import"' in page
    assert f'href="/feedback/rounds/{other_round.id}/import"' not in page


def test_only_country_users_of_a_participating_country_may_use_the_template(world):
    from reviewtracker.permissions import can_use_offline_template

    kenya_only = factories.create_round(("KE",))
    db.session.commit()
    assert can_use_offline_template(world.users["contributor"], kenya_only)
    assert can_use_offline_template(world.users["focal_point"], kenya_only)
    assert not can_use_offline_template(world.users["contributor_other"], kenya_only)
    for role in ("co_lead", "member", "admin"):
        assert not can_use_offline_template(world.users[role], kenya_only)
