"""The same previewed file confirmed by three sessions at the same moment: one import, two clear messages."""

from __future__ import annotations

import html

from sqlalchemy import func, select

from reviewtracker.extensions import db
from reviewtracker.models import Feedback, FeedbackImport
from tests.feedback_import.conftest import fill, row
from tests.races import TIMEOUT, race, signed_in

SESSIONS = 3


def test_three_sessions_confirming_the_same_file_at_once_make_one_import(live, world):
    users = [world.users["contributor"], world.users["contributor"], world.users["focal_point"]]
    db.session.commit()  # the server's connections must see the world
    sessions = [signed_in(live, user) for user in users]
    template = sessions[0].get(f"{live}/feedback/rounds/{world.round.id}/template.xlsx", timeout=TIMEOUT).content
    data = fill(template, [row("Raced comment one"), row("Raced comment two")])
    for http in sessions:  # each session previews the same file
        sent = http.post(
            f"{live}/feedback/rounds/{world.round.id}/import",
            files={"file": ("ours.xlsx", data)},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        assert sent.status_code == 302, sent.text[:500]
        assert "Confirm the import" in http.get(f"{live}/feedback/imports/preview", timeout=TIMEOUT).text
    before = db.session.scalar(select(func.count(Feedback.id)))

    answers = race(
        SESSIONS,
        lambda i: sessions[i].post(
            f"{live}/feedback/imports/confirm", data={"mode": "draft"}, allow_redirects=False, timeout=TIMEOUT
        ),
    )
    assert [a.status_code for a in answers] == [302] * SESSIONS, [a.text[:300] for a in answers]

    db.session.expire_all()
    assert db.session.scalar(select(func.count(FeedbackImport.id))) == 1
    assert db.session.scalar(select(func.count(Feedback.id))) == before + 2  # the rows of one import only
    winners = [i for i, a in enumerate(answers) if a.headers["Location"].endswith("/feedback/imports")]
    assert len(winners) == 1, [a.headers["Location"] for a in answers]
    for i in set(range(SESSIONS)) - set(winners):  # each loser is back on the preview, with the message
        assert answers[i].headers["Location"].endswith("/feedback/imports/preview")
        page = html.unescape(sessions[i].get(f"{live}/feedback/imports/preview", timeout=TIMEOUT).text)
        assert "nothing was imported again" in page and "Confirm the import" not in page
