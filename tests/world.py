"""A small, complete world for permission and access tests: country A (KE) and B (MA), every role."""

from __future__ import annotations

from dataclasses import dataclass, field

from reviewtracker.extensions import db
from reviewtracker.models import Feedback, ReviewRound, RevisionItem, User
from tests import factories

ACTORS = (
    "anonymous",
    "contributor",  # country A, author of A's feedback
    "contributor_other",  # country B
    "focal_point",  # country A
    "focal_point_other",  # country B
    "co_lead",
    "member",
    "admin",
)
WORKING_GROUP = {"co_lead", "member", "admin"}
COUNTRY_A = {"contributor", "focal_point"}
EVERYONE = set(ACTORS) - {"anonymous"}


@dataclass
class World:
    """Objects owned by country A (KE) unless named otherwise."""

    users: dict[str, User | None]
    round: ReviewRound
    draft: Feedback
    submitted: Feedback
    forwarded: Feedback
    answered: Feedback
    revision: RevisionItem
    extra: dict = field(default_factory=dict)


def build_world() -> World:
    """Create the world and commit it."""
    users: dict[str, User | None] = {
        "anonymous": None,
        "contributor": factories.create_user("contributor", "KE"),
        "contributor_other": factories.create_user("contributor", "MA"),
        "focal_point": factories.create_user("focal_point", "KE"),
        "focal_point_other": factories.create_user("focal_point", "MA"),
        "co_lead": factories.create_user("co_lead", None, agency="IOM"),
        "member": factories.create_user("member", None),
        "admin": factories.create_user("admin", None),
    }
    review_round = factories.create_round(("KE", "MA"))
    author = users["contributor"]
    draft = factories.create_feedback(author, review_round, state="draft")
    submitted = factories.create_feedback(author, review_round, state="submitted", section="G.2.2")
    forwarded = factories.create_feedback(author, review_round, state="forwarded", section="B.07.2")
    answered = factories.create_feedback(author, review_round, state="forwarded", status="accepted")
    factories.create_response(answered)
    revision = factories.create_revision_item(feedback=[forwarded, answered], sections=["G.2.1"])
    db.session.commit()
    return World(users, review_round, draft, submitted, forwarded, answered, revision)
