"""Permission rows for the revisions routes: the working group reads, co-leads and admins change, countries never."""

from sqlalchemy import select

from reviewtracker.extensions import db
from reviewtracker.models import ResponseTemplate
from tests.permission_cases import case

WG = {"co_lead", "member", "admin"}
TRIAGERS = {"co_lead", "admin"}


def _template_url(w) -> str:
    template = db.session.scalar(select(ResponseTemplate).where(ResponseTemplate.name == "Thanks"))
    if template is None:
        template = ResponseTemplate(name="Thanks", text_en="Thank you.")
    db.session.add(template)
    db.session.flush()
    return f"/revisions/templates/{template.id}"


def _item_data(w) -> dict:
    return {"version": w.revision.lock_version, "title": "Clarify step 2", "status": "proposed"}


CASES = [
    case("revisions.index", lambda w: "/revisions/", WG),
    case("revisions.create", lambda w: "/revisions/new", TRIAGERS),
    case("revisions.create", lambda w: "/revisions/new", TRIAGERS, method="POST", data=lambda w: {"title": "New item"}),
    case("revisions.detail", lambda w: f"/revisions/{w.revision.id}", WG),
    case("revisions.update", lambda w: f"/revisions/{w.revision.id}", TRIAGERS, method="POST", data=_item_data),
    case("revisions.next_version", lambda w: "/revisions/next-version", TRIAGERS),
    case(
        "revisions.next_version",
        lambda w: "/revisions/next-version",
        TRIAGERS,
        method="POST",
        data=lambda w: {"document": str(w.forwarded.version.document_id), "label": "Revised draft"},
    ),
    case("revisions.templates", lambda w: "/revisions/templates", TRIAGERS),
    case(
        "revisions.templates",
        lambda w: "/revisions/templates",
        TRIAGERS,
        method="POST",
        data=lambda w: {"name": "Thanks", "text_en": "Thank you.", "active": "y"},
    ),
    case("revisions.edit_template", _template_url, TRIAGERS),
    case(
        "revisions.edit_template",
        _template_url,
        TRIAGERS,
        method="POST",
        data=lambda w: {"name": "Thanks", "text_en": "Thank you!"},
    ),
]
