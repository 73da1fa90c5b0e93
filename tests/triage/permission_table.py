"""Permission rows for the triage routes: the working group reads, co-leads and admins change, countries never."""

from reviewtracker.extensions import db
from tests import factories
from tests.permission_cases import case

WG = {"co_lead", "member", "admin"}
TRIAGERS = {"co_lead", "admin"}


def _item(w):
    return f"/triage/{w.forwarded.id}"


def _v(w):
    return {"version": w.forwarded.lock_version}


def _decided_with_draft(w) -> str:
    """An accepted item whose response is drafted but not published yet: what "publish" is for."""
    item = factories.create_feedback(w.users["contributor"], w.round, state="forwarded", status="accepted")
    factories.create_response(item, published=False)
    db.session.commit()  # the item's version as the co-lead's page would show it, after the draft was saved
    w.extra["decided"] = item
    return f"/triage/{item.id}/publish"


CASES = [
    case("triage.queue", lambda w: "/triage/", WG),
    case("triage.queue", lambda w: "/triage/?view=mine&sort=-priority&q=x", WG, note="filtered"),
    case("triage.detail", _item, WG),
    case("triage.detail", lambda w: f"/triage/{w.draft.id}", set(), note="draft is never in triage"),
    case("triage.detail", lambda w: f"/triage/{w.submitted.id}", set(), note="not forwarded yet"),
    case(
        "triage.bulk_action",
        lambda w: "/triage/bulk",
        TRIAGERS,
        method="POST",
        data=lambda w: {
            "action": "status",
            "status": "in_review",
            "ids": [w.forwarded.id],
            **{f"version_{w.forwarded.id}": w.forwarded.lock_version},
        },
    ),
    case(
        "triage.change_status",
        lambda w: f"{_item(w)}/status",
        TRIAGERS,
        method="POST",
        data=lambda w: {"status": "in_review", **_v(w)},
    ),
    case(
        "triage.assign",
        lambda w: f"{_item(w)}/assign",
        TRIAGERS,
        method="POST",
        data=lambda w: {"assignee": "", "lead_agency": "", **_v(w)},
    ),
    case(
        "triage.tags", lambda w: f"{_item(w)}/tags", TRIAGERS, method="POST", data=lambda w: {"tags": "data", **_v(w)}
    ),
    case("triage.add_note", lambda w: f"{_item(w)}/notes", TRIAGERS, method="POST", data=lambda w: {"body": "Private"}),
    case(
        "triage.save_response",
        lambda w: f"{_item(w)}/response",
        TRIAGERS,
        method="POST",
        data=lambda w: {"text": "Thanks", "language": "en", **_v(w)},
    ),
    case(
        "triage.publish",
        _decided_with_draft,
        TRIAGERS,
        method="POST",
        data=lambda w: {"version": w.extra["decided"].lock_version},
        lands=lambda w: f"/triage/{w.extra['decided'].id}",
    ),
    case(
        "triage.link",
        lambda w: f"/triage/{w.answered.id}/link",
        TRIAGERS,
        method="POST",
        data=lambda w: {"revision_item": str(factories.create_revision_item(feedback=[], sections=["G.2.2"]).id)},
        lands=lambda w: f"/triage/{w.answered.id}",
    ),
    case(
        "triage.link",
        lambda w: f"/triage/{w.answered.id}/link",
        TRIAGERS,
        method="POST",
        data=lambda w: {"revision_item": str(w.revision.id)},
        note="already linked: 409 for triagers",
        expect=409,
    ),
    case("triage.unlink", lambda w: f"{_item(w)}/unlink/{w.revision.id}", TRIAGERS, method="POST", data=lambda w: {}),
]
