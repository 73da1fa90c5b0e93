"""The dashboards' figures against counts computed directly from the database for a seeded round."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from reviewtracker.extensions import db
from reviewtracker.models import AnswerState, Feedback, GuidingAnswer, GuidingQuestion, Response, Section
from reviewtracker.triage.workflow import DECIDED
from tests.dashboard.conftest import table_with

PROGRESS = "In draft: being written"
COVERAGE = "Comments sent per country"


def direct_counts(round_id: int, country_id: int, *, as_country: bool = False) -> list[int]:
    """Drafted … acknowledged straight from the tables (deleted items never count).

    `as_country`: a country counts an item as triaged once its decision is published (DECIDED + published).
    """

    def count(*conditions) -> int:
        stmt = select(func.count(Feedback.id)).where(
            Feedback.round_id == round_id, Feedback.country_id == country_id, Feedback.deleted_at.is_(None), *conditions
        )
        return db.session.scalar(stmt)

    fwd = Feedback.state == "forwarded"
    published = Feedback.id.in_(select(Response.feedback_id).where(Response.published.is_(True)))
    acknowledged = Feedback.id.in_(
        select(Response.feedback_id).where(Response.published.is_(True), Response.acknowledgement.is_not(None))
    )
    return [
        count(Feedback.state.in_(["draft", "returned"])),
        count(Feedback.state == "submitted"),
        count(fwd),
        count(fwd, Feedback.status != "new", *((published, Feedback.status.in_(DECIDED)) if as_country else ())),
        count(fwd, published),
        count(fwd, acknowledged),
    ]


def guiding_cell(round_id: int, country_id: int) -> str:
    total = db.session.scalar(select(func.count(GuidingQuestion.id)).where(GuidingQuestion.round_id == round_id))
    done = db.session.scalar(
        select(func.count(GuidingAnswer.id))
        .join(GuidingQuestion, GuidingQuestion.id == GuidingAnswer.question_id)
        .where(
            GuidingQuestion.round_id == round_id,
            GuidingAnswer.country_id == country_id,
            GuidingAnswer.state == AnswerState.submitted,
        )
    )
    return "All answered" if total and done == total else f"{done} of {total} answered"


def _progress_rows(html: str) -> dict[str, list[str]]:
    rows = table_with(html, PROGRESS)[1:]
    return {re.search(r"\((\w\w)\)", row[0]).group(1): row[1:] for row in rows}


def test_working_group_progress_matches_the_database(client, login_as, seeded):
    login_as(seeded.users["member"])
    html = client.get(f"/dashboard/?round={seeded.round.id}").get_data(as_text=True)
    rows = _progress_rows(html)
    assert set(rows) == {"KE", "MA"}
    for code, country in (("KE", seeded.extra["ke"]), ("MA", seeded.extra["ma"])):
        expected = [str(n) for n in direct_counts(seeded.round.id, country.id)]
        assert rows[code][:6] == expected, code
        assert rows[code][6] == guiding_cell(seeded.round.id, country.id)
    assert rows["KE"][:6] == ["3", "2", "4", "3", "2", "1"]  # the seed, counted by hand
    assert rows["MA"][6] == "1 of 2 answered"


def test_other_rounds_never_mix_in(client, login_as, seeded):
    login_as(seeded.users["co_lead"])
    html = client.get(f"/dashboard/?round={seeded.extra['other_round'].id}").get_data(as_text=True)
    rows = _progress_rows(html)
    assert rows["KE"][:6] == ["0", "0", "1", "0", "0", "0"]


def test_coverage_cells_match_the_database_at_every_depth(client, login_as, seeded):
    login_as(seeded.users["admin"])
    for depth in (0, 1):
        html = client.get(f"/dashboard/?round={seeded.round.id}&depth={depth}").get_data(as_text=True)
        rows = table_with(html, COVERAGE)
        header = rows[0][1:]
        for row in rows[1:]:
            country = seeded.extra["ke"] if row[0] == "KE" else seeded.extra["ma"]
            for code, cell in zip(header, row[1:], strict=True):
                if code.endswith("*"):
                    continue
                expected = db.session.scalar(
                    select(func.count(Feedback.id))
                    .join(Section, Section.id == Feedback.section_id)
                    .where(
                        Feedback.round_id == seeded.round.id,
                        Feedback.country_id == country.id,
                        Feedback.deleted_at.is_(None),
                        Feedback.state == "forwarded",  # the working group counts what reached it
                        (Section.code == code) | Section.code.startswith(code + "."),
                    )
                )
                assert int(cell) == expected, (depth, row[0], code)


def test_distributions_and_lists(client, login_as, seeded):
    login_as(seeded.users["co_lead"])
    html = client.get(f"/dashboard/?round={seeded.round.id}").get_data(as_text=True)
    statuses = dict(row[:2] for row in table_with(html, "Triage status")[1:])
    assert statuses["New"] == "2" and statuses["In review"] == "1" and statuses["Deferred"] == "1"
    assert sum(int(n) for n in statuses.values()) == direct_counts(seeded.round.id, seeded.extra["ke"].id)[2] + 2
    weeks = table_with(html, "Submissions per week")[1:]
    assert sum(int(row[1]) for row in weeks) == 6  # forwarded items of both countries in the round
    mine = html.split('id="dash-mine"', 1)[1].split("</section>", 1)[0]
    assert seeded.extra["in_review"].display_id in mine  # assigned to me, not decided
    assert seeded.extra["deferred"].display_id in mine  # response drafted by me, not published
    waiting = html.split('id="dash-waiting"', 1)[1].split("</section>", 1)[0]
    shown = re.findall(r"FB-\d{6}", waiting)
    assert shown == [
        seeded.forwarded.display_id,
        seeded.extra["in_review"].display_id,
        seeded.extra["ma_new"].display_id,
    ]  # oldest first


def test_country_dashboard_shows_one_country_only(client, login_as, seeded):
    login_as(seeded.users["focal_point_other"])
    html = client.get(f"/dashboard/country?round={seeded.round.id}").get_data(as_text=True)
    rows = _progress_rows(html)
    assert set(rows) == {"MA"}
    assert rows["MA"][:6] == [str(n) for n in direct_counts(seeded.round.id, seeded.extra["ma"].id, as_country=True)]
    coverage = table_with(html, COVERAGE)
    assert [row[0] for row in coverage[1:]] == ["MA"]
    assert "FB-" not in html.split('id="dash-waiting"', 1)[1] or all(
        db.session.get(Feedback, int(fid)).country_id == seeded.extra["ma"].id
        for fid in re.findall(r"FB-(\d{6})", html)
    )


def test_country_dashboard_lists_sections_without_comments(client, login_as, seeded):
    login_as(seeded.users["focal_point"])
    html = client.get(f"/dashboard/country?round={seeded.round.id}&depth=1").get_data(as_text=True)
    block = html.split('id="dash-uncommented"', 1)[1].split("</section>", 1)[0]
    listed = set(re.findall(r"<strong>([A-Z][\w.]*)</strong>", block))
    sent = set(
        db.session.scalars(
            select(Section.code)
            .join(Feedback, Feedback.section_id == Section.id)
            .where(
                Feedback.round_id == seeded.round.id,
                Feedback.country_id == seeded.extra["ke"].id,
                Feedback.deleted_at.is_(None),
                Feedback.state.in_(["submitted", "forwarded"]),
            )
        )
    )
    assert sent and not listed & sent  # G.2.2, B.07.2, G.2.3, G.1.1 … were commented on
    assert "G.2.5" in listed and "G.0" in listed  # MA's comments on G.0 do not count for KE


def test_figures_are_readable_without_colour_and_without_inline_styles(client, login_as, seeded):
    login_as(seeded.users["co_lead"])
    html = client.get(f"/dashboard/?round={seeded.round.id}").get_data(as_text=True)
    assert " style=" not in html and "<script>" not in html
    assert '<th scope="col">' in html and '<th scope="row">' in html and "<caption" in html
    cells = re.findall(r'<td class="heat-\d">(\d+)</td>', html)
    assert cells and any(int(n) > 0 for n in cells)  # the number is printed in every shaded cell


def test_bad_parameters(client, login_as, seeded):
    login_as(seeded.users["co_lead"])
    assert client.get("/dashboard/?depth=x").status_code == 400
    assert client.get("/dashboard/?round=999999").status_code == 404
    ke_only = seeded.extra["other_round"]
    ke_only.participants = [p for p in ke_only.participants if p.country.code == "KE"]
    db.session.commit()
    login_as(seeded.users["focal_point_other"])
    assert client.get(f"/dashboard/country?round={ke_only.id}").status_code == 404


def test_empty_dashboard_without_rounds(client, login_as, app):
    login_as("member")
    assert "There is no review round yet." in client.get("/dashboard/").get_data(as_text=True)


def test_dashboard_and_tokens_speak_french_and_spanish(client, login_as, seeded):
    login_as(seeded.users["member"])
    for lang, heading, tokens in (
        ("fr", "Avancement par pays", "Jetons d’API personnels"),
        ("es", "Avance por país", "Tokens personales de la API"),
    ):
        seeded.users["member"].locale = lang
        db.session.commit()
        assert heading in client.get(f"/dashboard/?round={seeded.round.id}").get_data(as_text=True)
        assert tokens in client.get("/profile").get_data(as_text=True)
