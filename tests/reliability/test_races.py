"""Races with real parallel requests: threads hitting the app served on a loopback port, one winner, no 500."""

from __future__ import annotations

from datetime import timedelta

import requests
from sqlalchemy import select

from reviewtracker.extensions import db
from reviewtracker.models import Activity, Feedback, FeedbackState, OneTimeToken, RevisionItem, TokenPurpose
from tests.races import TIMEOUT, race, signed_in, statuses
from tests.world import build_world

PARALLEL = 8


def api_token(user) -> str:
    """A personal API token for the user (committed, so the server sees it)."""
    from reviewtracker.api.auth import create_api_token

    _token, raw = create_api_token(user, "race")
    db.session.commit()
    return raw


def test_an_invitation_link_redeemed_by_eight_clients_at_once_works_once(live, make_user):
    """Eight parallel POSTs of one invitation link: one sets the password, seven get the "not valid" page."""
    from reviewtracker.auth.services import issue_token

    user = make_user("contributor")
    user.password_hash = None
    raw = issue_token(user, TokenPurpose.invitation, timedelta(days=7), None)
    sessions = [requests.Session() for _ in range(PARALLEL)]

    def send(i: int) -> requests.Response:
        password = f"chosen-password-{i}"
        data = {"new_password": password, "confirm": password}
        return sessions[i].post(f"{live}/set-password/{raw}", data=data, allow_redirects=False, timeout=TIMEOUT)

    answers = race(PARALLEL, send)
    assert statuses(answers) == [302] + [404] * (PARALLEL - 1), [a.text[:300] for a in answers]
    for loser in (a for a in answers if a.status_code == 404):
        assert "This link is not valid any more" in loser.text
    token = db.session.scalar(select(OneTimeToken).where(OneTimeToken.user_id == user.id))
    assert token.used_at is not None
    redeemed = db.session.scalars(select(Activity).where(Activity.action == "auth.invitation_redeemed")).all()
    assert len(redeemed) == 1
    winner = next(i for i, a in enumerate(answers) if a.status_code == 302)
    check = requests.post(
        f"{live}/login",
        data={"email": user.email, "password": f"chosen-password-{winner}"},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert check.status_code == 302  # the winner's password is the one that holds


def test_a_reset_link_redeemed_by_eight_clients_at_once_works_once(live, make_user):
    """The same for a password-reset link of an active account."""
    from reviewtracker.auth.services import issue_token

    user = make_user("focal_point")
    raw = issue_token(user, TokenPurpose.password_reset, timedelta(hours=2), None)
    data = {"new_password": "a-new-long-password", "confirm": "a-new-long-password"}
    answers = race(
        PARALLEL,
        lambda i: requests.post(f"{live}/set-password/{raw}", data=data, allow_redirects=False, timeout=TIMEOUT),
    )
    assert statuses(answers) == [302] + [404] * (PARALLEL - 1)
    redeemed = db.session.scalars(select(Activity).where(Activity.action == "auth.password_reset_redeemed")).all()
    assert len(redeemed) == 1


def _edit_data(item: Feedback, comment: str) -> dict:
    return {
        "section_id": str(item.section_id),
        "type": item.type.value,
        "priority": item.priority.value,
        "language": "en",
        "comment": comment,
        "lock_version": str(item.lock_version),
        "submit": "Submit",
    }


def test_parallel_submits_of_one_draft_from_the_edit_page_give_one_submission_and_conflict_pages(live):
    """Eight tabs press "Submit" on the same draft: one submits, the others see the conflict page with their text."""
    world = build_world()
    http = signed_in(live, world.users["contributor"])
    cookies = http.cookies.get_dict()
    item = world.draft
    url, data = f"{live}/feedback/{item.id}/edit", _edit_data(item, "")  # built here: threads have no app context

    def send(i: int) -> requests.Response:
        typed = {**data, "comment": f"Typed in tab {i}"}
        return requests.post(url, data=typed, cookies=cookies, allow_redirects=False, timeout=TIMEOUT)

    answers = race(PARALLEL, send)
    assert 500 not in statuses(answers) and 503 not in statuses(answers), [a.text[:300] for a in answers]
    assert statuses(answers) == [302] + [409] * (PARALLEL - 1)
    for i, answer in enumerate(answers):
        if answer.status_code == 409:
            assert "Someone else changed this item" in answer.text
            assert f"Typed in tab {i}" in answer.text  # the loser's typed text is shown back
    submitted = db.session.scalars(select(Activity).where(Activity.action == "feedback.submit")).all()
    assert len(submitted) == 1
    assert db.session.get(Feedback, item.id).state == FeedbackState.submitted


def test_parallel_submit_buttons_on_one_draft_give_one_submission_and_no_500(live):
    """Eight POSTs of the item page's Submit button: one submission, the others a 409 page, never a 500."""
    world = build_world()
    cookies = signed_in(live, world.users["contributor"]).cookies.get_dict()
    url = f"{live}/feedback/{world.draft.id}/submit"
    answers = race(PARALLEL, lambda i: requests.post(url, cookies=cookies, allow_redirects=False, timeout=TIMEOUT))
    assert statuses(answers) == [302] + [409] * (PARALLEL - 1), [a.text[:300] for a in answers]
    assert all("<html" in a.text for a in answers if a.status_code == 409)
    submitted = db.session.scalars(select(Activity).where(Activity.action == "feedback.submit")).all()
    assert len(submitted) == 1


def _api_losers_are_json_conflicts(answers: list[requests.Response]) -> None:
    codes = statuses(answers)
    assert codes[0] == 200 and codes.count(200) == 1, [(a.status_code, a.text[:200]) for a in answers]
    for loser in (a for a in answers if a.status_code != 200):
        assert loser.status_code in (409, 412), loser.text[:300]  # 412: it arrived after the winner committed
        body = loser.json()
        assert body["status"] == loser.status_code and body["message"]


def test_parallel_api_submits_of_one_draft_give_one_submission_and_json_conflicts(live):
    """Eight API clients submit the same draft with the same If-Match: one 200, the others 409/412 JSON."""
    world = build_world()
    item = world.draft
    headers = {"Authorization": f"Bearer {api_token(world.users['contributor'])}", "If-Match": f'"{item.lock_version}"'}
    url = f"{live}/api/v1/feedback/{item.id}/submit"
    answers = race(PARALLEL, lambda i: requests.post(url, headers=headers, timeout=TIMEOUT))
    _api_losers_are_json_conflicts(answers)
    submitted = db.session.scalars(select(Activity).where(Activity.action == "feedback.submit")).all()
    assert len(submitted) == 1


def test_parallel_api_status_changes_give_one_change_and_json_conflicts(live):
    """Eight API clients move the same item at once: one change is recorded, the others get 409/412 JSON."""
    world = build_world()
    item = world.forwarded
    headers = {"Authorization": f"Bearer {api_token(world.users['co_lead'])}", "If-Match": f'"{item.lock_version}"'}
    url = f"{live}/api/v1/feedback/{item.id}/status"
    answers = race(
        PARALLEL, lambda i: requests.put(url, headers=headers, json={"status": "in_review"}, timeout=TIMEOUT)
    )
    _api_losers_are_json_conflicts(answers)
    changed = db.session.scalars(select(Activity).where(Activity.action == "triage.status")).all()
    assert len(changed) == 1


def test_co_leads_saving_one_revision_item_at_once_get_one_save_and_conflict_pages(live, make_user):
    """Co-leads save the same revision item at once: one save, the others the conflict page with their title."""
    world = build_world()
    item = world.revision
    leads = [world.users["co_lead"], *(make_user("co_lead") for _ in range(PARALLEL - 1))]
    cookies = [signed_in(live, lead).cookies.get_dict() for lead in leads]
    url, version, status = f"{live}/revisions/{item.id}", str(item.lock_version), item.status.value

    def send(i: int) -> requests.Response:
        data = {"version": version, "title": f"Title from co-lead {i}", "status": status}
        return requests.post(url, data=data, cookies=cookies[i], allow_redirects=False, timeout=TIMEOUT)

    answers = race(PARALLEL, send)
    assert statuses(answers) == [302] + [409] * (PARALLEL - 1), [a.text[:300] for a in answers]
    winner = next(i for i, a in enumerate(answers) if a.status_code == 302)
    for i, answer in enumerate(answers):
        if answer.status_code == 409:
            assert f"Title from co-lead {i}" in answer.text  # the typed title is kept
            assert f"Title from co-lead {winner}" in answer.text  # next to the saved one
    assert db.session.get(RevisionItem, item.id).title == f"Title from co-lead {winner}"
