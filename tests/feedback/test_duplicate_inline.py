"""Marking a duplicate without a usable item number: the triage page again with the message on the number field."""

from __future__ import annotations

from reviewtracker.extensions import db
from reviewtracker.models import TriageStatus


def _post(client, item, **data):
    db.session.refresh(item)
    return client.post(f"/triage/{item.id}/status", data={"version": str(item.lock_version), **data})


def test_duplicate_without_a_number_is_an_inline_error(world, client, login_as):
    login_as(world.users["co_lead"])
    response = _post(client, world.forwarded, status="duplicate")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Give the number of the item this one duplicates." in page
    assert 'id="duplicate_of-error"' in page  # on the field, on the item page (not a bare error page)
    assert world.forwarded.display_id in page
    db.session.refresh(world.forwarded)
    assert world.forwarded.status != TriageStatus.duplicate


def test_duplicate_of_itself_or_of_a_missing_item_is_an_inline_error(world, client, login_as):
    login_as(world.users["co_lead"])
    itself = _post(client, world.forwarded, status="duplicate", duplicate_of=str(world.forwarded.id))
    assert itself.status_code == 400
    assert "An item cannot duplicate itself." in itself.get_data(as_text=True)
    assert 'id="duplicate_of-error"' in itself.get_data(as_text=True)
    missing = _post(client, world.forwarded, status="duplicate", duplicate_of="999999")
    assert missing.status_code == 400
    assert 'id="duplicate_of-error"' in missing.get_data(as_text=True)
    db.session.refresh(world.forwarded)
    assert world.forwarded.status != TriageStatus.duplicate


def test_duplicate_with_a_number_still_works(world, client, login_as):
    login_as(world.users["co_lead"])
    response = _post(client, world.forwarded, status="duplicate", duplicate_of=str(world.answered.id))
    assert response.status_code == 302
    db.session.refresh(world.forwarded)
    assert world.forwarded.status == TriageStatus.duplicate and world.forwarded.duplicate_of_id == world.answered.id
