"""A country sees of the triage only what the working group published: every country-facing output, every state."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from reviewtracker.exports.csv_export import write_csv
from reviewtracker.exports.params import ExportParams
from reviewtracker.exports.services import run_export
from reviewtracker.extensions import db
from reviewtracker.i18n import label
from reviewtracker.models import Export, ExportKind, Feedback, ReviewRound, RevisionStatus, TriageStatus, User
from reviewtracker.models._base import utcnow
from reviewtracker.revisions.services import link_revision_item
from reviewtracker.triage import services as triage
from reviewtracker.triage.workflow import DECIDED
from tests import factories
from tests.api.conftest import make_token

S = TriageStatus
ACTORS = ("focal_point", "contributor")
ID_PATTERN = re.compile(r"FB-\d{6}")


@dataclass
class Case:
    """One item in one triage state, with the texts that must stay hidden until its decision is published."""

    status: TriageStatus
    published: bool
    linked: bool
    item: Feedback
    response_text: str
    revision_code: str | None
    revision_title: str | None
    applied_in: str | None
    ever_published: bool  # published through the service at some point, so a notification exists

    @property
    def visible(self) -> bool:
        """The country may see the outcome: a decision whose response is published."""
        return self.published and self.status in DECIDED

    @property
    def name(self) -> str:
        published = "published" if self.published else "unpublished"
        return f"{self.status.value}/{published}/{'linked' if self.linked else 'unlinked'}"


@dataclass
class Scene:
    """Country KE's round with one item per triage state; the users who read it."""

    round: ReviewRound
    users: dict[str, User]
    co_lead: User
    cases: list[Case]


def _decide(co_lead: User, item: Feedback, status: TriageStatus, original: Feedback) -> None:
    """Move a new item to `status` the way co-leads do: through review, then the decision."""
    if status == S.new:
        return
    triage.change_status(co_lead, item, S.in_review, expected_version=item.lock_version)
    if status != S.in_review:
        duplicate_of = original if status == S.duplicate else None
        triage.change_status(co_lead, item, status, expected_version=item.lock_version, duplicate_of=duplicate_of)


def _respond(co_lead: User, item: Feedback, text: str, publish: bool) -> None:
    triage.save_response(co_lead, item, text=text, language="en", publish=publish, expected_version=item.lock_version)


def _build_case(n: int, status, published, linked, co_lead, author, review_round, original, applied_version) -> Case:
    item = factories.create_feedback(
        author, review_round, state="forwarded", section="G.2.1", comment=f"Scenario comment {n}"
    )
    text = f"RESPONSE-TEXT-{n:02d}"
    ever_published = False
    if published and status == S.in_review:
        # Reopened after a published decision: the real way an item is "in review" with a published response.
        _decide(co_lead, item, S.accepted, original)
        _respond(co_lead, item, text, publish=True)
        triage.change_status(co_lead, item, S.in_review, expected_version=item.lock_version)
        ever_published = True
    elif published and status == S.new:
        # Not reachable through the workflow; data from elsewhere (a seed, an old import) must not leak either.
        _respond(co_lead, item, text, publish=False)
        item.response.published, item.response.published_at = True, utcnow()
    else:
        _decide(co_lead, item, status, original)
        _respond(co_lead, item, text, publish=published)
        ever_published = published
    code = title = applied = None
    if linked:
        code, title = f"R-{900 + n}", f"REVISION-TITLE-{n:02d}"
        revision = factories.create_revision_item(title, code=code, sections=["B.07.2"])
        revision.status, revision.applied_version = RevisionStatus.applied, applied_version
        link_revision_item(co_lead, revision, item)
        applied = applied_version.display_name
    db.session.flush()
    return Case(status, published, linked, item, text, code, title, applied, ever_published)


@pytest.fixture
def scene(app) -> Scene:
    """Every TriageStatus × published or not × linked to a revision item or not, all in country KE."""
    review_round = factories.create_round(("KE", "MA"))
    users = {role: factories.create_user(role, "KE") for role in ACTORS}
    co_lead = factories.create_user("co_lead", None)
    # The original of the duplicates belongs to another country, so KE's outputs hold the cases only.
    original = factories.create_feedback(factories.create_user("contributor", "MA"), review_round, state="forwarded")
    applied_version = factories.get_version("B")  # not the items' version, so its name only comes from the link
    cases = []
    for status in TriageStatus:
        for published in (False, True):
            for linked in (False, True):
                n = len(cases) + 1
                args = (co_lead, users["contributor"], review_round, original, applied_version)
                cases.append(_build_case(n, status, published, linked, *args))
    db.session.commit()
    return Scene(review_round, users, co_lead, cases)


# --- Reading each output: {item id: the text that output shows about the item}, None where it is refused -------


def _main(html: str) -> str:
    return html.split('<main id="main">', 1)[1].split("</main>", 1)[0]


def _rows_by_id(html: str) -> dict[str, str]:
    """Each table row of a list page, keyed by the item id it shows."""
    rows = {}
    for row in re.findall(r"<tr>.*?</tr>", _main(html), flags=re.S):
        found = ID_PATTERN.search(row)
        if found:
            rows[found.group(0)] = row
    return rows


def _by_display_id(scene: Scene, texts: dict[str, str]) -> dict[int, str]:
    return {case.item.id: texts.get(case.item.display_id, "") for case in scene.cases}


def item_pages(client, scene: Scene, user: User) -> dict[int, str]:
    out = {}
    for case in scene.cases:
        response = client.get(f"/feedback/{case.item.id}")
        assert response.status_code == 200, case.name
        out[case.item.id] = _main(response.text)
    return out


def our_feedback(client, scene: Scene, user: User) -> dict[int, str]:
    rows: dict[str, str] = {}
    for page in (1, 2):
        response = client.get(f"/feedback/?sort=id&page={page}")
        assert response.status_code == 200
        rows.update(_rows_by_id(response.text))
    return _by_display_id(scene, rows)


def _matrix_rows(data: bytes) -> dict[str, str]:
    sheet = load_workbook(io.BytesIO(data), read_only=True)["Comment resolution"]
    rows = [[("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "ID"
    return {row[0]: " | ".join(row) for row in rows[1:]}


def _matrix_form(scene: Scene, user: User, **extra) -> dict:
    return {"kind": "matrix", "round_id": scene.round.id, "lang": "en", "country_id": user.country_id, **extra}


def _download_newest_export(client) -> bytes:
    export = db.session.scalars(select(Export).order_by(Export.id.desc())).first()
    response = client.get(f"/exports/{export.id}/download")
    assert response.status_code == 200
    return response.data


def matrix(client, scene: Scene, user: User) -> dict[int, str] | None:
    response = client.post("/exports/new", data=_matrix_form(scene, user))
    if user.role.value != "focal_point":
        assert response.status_code == 403  # only the focal point takes the country's matrix
        return None
    assert response.status_code == 302
    return _by_display_id(scene, _matrix_rows(_download_newest_export(client)))


def matrix_made_by_the_working_group(client, scene: Scene, user: User) -> dict[int, str] | None:
    """A co-lead makes the country's matrix to send it back; the focal point downloads that same file."""
    export = run_export(
        scene.co_lead, ExportKind.matrix, ExportParams(round_id=scene.round.id, country_id=user.country_id)
    )
    db.session.commit()
    response = client.get(f"/exports/{export.id}/download")
    if user.role.value != "focal_point":
        assert response.status_code in (403, 404)
        return None
    assert response.status_code == 200
    return _by_display_id(scene, _matrix_rows(response.data))


def csv_export(client, scene: Scene, user: User, tmp_path) -> dict[int, str]:
    """Countries may not create the CSV; and should any caller write it for one, it holds only what is published."""
    form = {"kind": "csv", "round_id": scene.round.id, "lang": "en"}
    assert client.post("/exports/new", data=form).status_code == 403
    path = tmp_path / f"{user.role.value}.csv"
    write_csv(str(path), ExportParams(round_id=scene.round.id, lang="en"), user, utcnow())
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return _by_display_id(scene, {row[0]: " | ".join(row) for row in rows[1:]})


def _api_text(item: dict, codes: dict[int, str]) -> str:
    """An API item as the words a person would read from it (status label, response, revision codes)."""
    parts = [label(S(item["status"])) if item["status"] else ""]
    if item["response"]:
        parts.append(item["response"]["text"])
    parts += [codes.get(rid, f"revision {rid}") for rid in item["revision_item_ids"]]
    if item["duplicate_of_id"]:  # naming the original says the decision is "duplicate"
        parts.append(label(S.duplicate))
    return " | ".join(parts)


def _revision_codes() -> dict[int, str]:
    from reviewtracker.models import RevisionItem

    return {r.id: r.code for r in db.session.scalars(select(RevisionItem))}


def api_list(client, scene: Scene, user: User) -> dict[int, str]:
    headers = {"Authorization": f"Bearer {make_token(user)}"}
    response = client.get("/api/v1/feedback?per_page=100", headers=headers)
    assert response.status_code == 200
    codes = _revision_codes()
    return {item["id"]: _api_text(item, codes) for item in response.json["items"]}


def api_detail(client, scene: Scene, user: User) -> dict[int, str]:
    headers = {"Authorization": f"Bearer {make_token(user)}"}
    codes, out = _revision_codes(), {}
    for case in scene.cases:
        response = client.get(f"/api/v1/feedback/{case.item.id}", headers=headers)
        assert response.status_code == 200
        out[case.item.id] = _api_text(response.json, codes)
    return out


def country_dashboard(client, scene: Scene, user: User) -> dict[int, str] | None:
    response = client.get(f"/dashboard/country?round={scene.round.id}")
    if user.role.value != "focal_point":
        assert response.status_code == 403
        return None
    assert response.status_code == 200
    items = {}
    for entry in re.findall(r"<li>.*?</li>", _main(response.text), flags=re.S):
        found = ID_PATTERN.search(entry)
        if found:
            items[found.group(0)] = items.get(found.group(0), "") + entry
    return _by_display_id(scene, items)


def notifications(client, scene: Scene, user: User) -> dict[int, str]:
    response = client.get("/feedback/notifications")
    assert response.status_code == 200
    items: dict[str, str] = {}
    # The message itself (the "New" badge beside it marks it unread; it is not a triage status).
    for message in re.findall(r'<span dir="auto">(.*?)</span>', _main(response.text), flags=re.S):
        for found in ID_PATTERN.findall(message):
            items[found] = items.get(found, "") + message
    return _by_display_id(scene, items)


# What each output carries once published: "status" (the decision's label), "response" (its text),
# "revision" (linked revision items' codes), "revision_title", "applied_in" (the version a change went into).
OUTPUTS = {
    "item page": (item_pages, {"status", "response", "revision", "revision_title", "applied_in"}),
    "our feedback": (our_feedback, {"status"}),
    "matrix": (matrix, {"status", "response", "revision", "revision_title", "applied_in"}),
    "matrix made by the working group": (
        matrix_made_by_the_working_group,
        {"status", "response", "revision", "revision_title", "applied_in"},
    ),
    "csv": (csv_export, {"status", "response", "revision"}),
    "api list": (api_list, {"status", "response", "revision"}),
    "api detail": (api_detail, {"status", "response", "revision"}),
    "country dashboard": (country_dashboard, set()),
    "notifications": (notifications, set()),
}


def _hidden_texts(case: Case) -> list[str]:
    texts = [label(s) for s in TriageStatus] + [case.response_text]
    return texts + [t for t in (case.revision_code, case.revision_title, case.applied_in) if t]


def _shown_texts(case: Case, carries: set[str]) -> list[str]:
    wanted = {
        "status": label(case.status),
        "response": case.response_text,
        "revision": case.revision_code,
        "revision_title": case.revision_title,
        "applied_in": case.applied_in,
    }
    return [text for key, text in wanted.items() if key in carries and text]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("output", list(OUTPUTS))
def test_country_output_shows_only_published_triage(client, login_as, scene, actor, output, tmp_path):
    """No unpublished decision, response text or revision item in any country-facing output; published ones shown."""
    user = scene.users[actor]
    login_as(user)
    read, carries = OUTPUTS[output]
    texts = read(client, scene, user, tmp_path) if read is csv_export else read(client, scene, user)
    if texts is None:
        return  # the output is not this actor's (the reader asserted the refusal)
    problems = []
    for case in scene.cases:
        text = texts.get(case.item.id, "")
        if not case.visible:
            problems += [f"{case.name}: shows {t!r}" for t in _hidden_texts(case) if t in text]
        else:
            problems += [f"{case.name}: lacks {t!r}" for t in _shown_texts(case, carries) if t not in text]
    assert not problems, f"{output} as {actor}:\n" + "\n".join(problems)


@pytest.mark.parametrize("actor", ACTORS)
def test_notified_only_of_published_decisions(client, login_as, scene, actor):
    """The author and the focal point hear of a response when it is published, never of a decision alone."""
    user = scene.users[actor]
    login_as(user)
    texts = notifications(client, scene, user)
    for case in scene.cases:
        assert bool(texts[case.item.id]) == case.ever_published, case.name


def _listed_ids(html: str) -> set[str]:
    return set(_rows_by_id(html))


@pytest.mark.parametrize("actor", ACTORS)
def test_filters_match_published_decisions_only(client, login_as, scene, actor):
    """Filtering by a decision finds exactly the items whose decision is published: the page, the API, the matrix."""
    user = scene.users[actor]
    login_as(user)
    headers = {"Authorization": f"Bearer {make_token(user)}"}
    for status in TriageStatus:
        expected = {c.item.display_id for c in scene.cases if c.visible and c.status == status}
        page = client.get(f"/feedback/?status={status.value}")
        assert page.status_code == 200
        assert _listed_ids(page.text) == expected, f"Our feedback, status={status.value}"
        api = client.get(f"/api/v1/feedback?per_page=100&status={status.value}", headers=headers)
        assert {i["display_id"] for i in api.json["items"]} == expected, f"API, status={status.value}"
        if actor == "focal_point":
            created = client.post("/exports/new", data=_matrix_form(scene, user, statuses=[status.value]))
            if status not in DECIDED:  # the form offers a country only the decisions it can see
                assert created.status_code == 400 and "is not a valid choice" in created.text, status
                continue
            assert created.status_code == 302
            assert set(_matrix_rows(_download_newest_export(client))) == expected, f"matrix, status={status.value}"
    revisions = _revision_codes()
    for case in (c for c in scene.cases if c.linked):
        rid = next(r for r, code in revisions.items() if code == case.revision_code)
        api = client.get(f"/api/v1/feedback?revision_item={rid}", headers=headers)
        listed = {i["display_id"] for i in api.json["items"]} if api.status_code == 200 else set()
        assert listed == ({case.item.display_id} if case.visible else set()), case.name


def test_dashboard_counts_published_decisions_only(client, login_as, scene):
    """The focal point's dashboard counts a decision once it is published; the rest is "under review"."""
    login_as(scene.users["focal_point"])
    html = _main(client.get(f"/dashboard/country?round={scene.round.id}").text)
    for status in TriageStatus:
        expected = sum(1 for c in scene.cases if c.visible and c.status == status)
        found = re.search(rf'<th scope="row">{re.escape(label(status))}</th><td>(\d+)</td>', html)
        shown = int(found.group(1)) if found else 0
        assert shown == expected, f"{status.value}: {shown} shown, {expected} published"
    progress = re.search(r"</div></td>\s*<td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>", html)
    decided = sum(1 for c in scene.cases if c.visible)
    assert (int(progress.group(1)), int(progress.group(2))) == (decided, decided), "triaged, answered"


def test_a_reopened_decision_shows_again_only_when_republished(client, login_as, scene):
    """Accepted and published, then reopened and not accepted: the country keeps seeing "under review" (not the new
    decision beside the old answer) until the new response is published, and is then told of it."""
    co_lead, user = scene.co_lead, scene.users["focal_point"]
    case = next(c for c in scene.cases if c.status == S.accepted and c.visible and not c.linked)
    item = db.session.get(Feedback, case.item.id)
    triage.change_status(co_lead, item, S.in_review, expected_version=item.lock_version)
    triage.change_status(co_lead, item, S.not_accepted, expected_version=item.lock_version)
    db.session.commit()
    login_as(user)
    before = notifications(client, scene, user)[item.id]
    page = _main(client.get(f"/feedback/{item.id}").text)
    assert label(S.not_accepted) not in page and label(S.accepted) not in page and case.response_text not in page
    assert "no response published yet" in page
    _respond(co_lead, db.session.get(Feedback, item.id), "NEW-ANSWER", publish=True)
    db.session.commit()
    page = _main(client.get(f"/feedback/{item.id}").text)
    assert label(S.not_accepted) in page and "NEW-ANSWER" in page
    assert notifications(client, scene, user)[item.id].count(item.display_id) == before.count(item.display_id) + 1
