"""create_<model> factories for tests: plain functions that add rows and flush (the test commits if needed)."""

from __future__ import annotations

import itertools
from datetime import timedelta

from sqlalchemy import select

from reviewtracker import clock
from reviewtracker.extensions import db
from reviewtracker.models import (
    Country,
    DocumentVersion,
    Feedback,
    FeedbackEdit,
    FeedbackState,
    FeedbackType,
    GuidanceDocument,
    GuidingQuestion,
    LeadAgency,
    Organisation,
    Response,
    ReviewRound,
    RevisionItem,
    RevisionLink,
    Role,
    RoundCountry,
    Section,
    StakeholderType,
    TriageStatus,
    User,
)
from reviewtracker.models._base import utcnow

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


def get_country(code: str) -> Country:
    """A seeded country by ISO code."""
    return db.session.scalar(select(Country).where(Country.code == code))


def get_section(code: str, document: str | None = None) -> Section:
    """A section of the first version by code (G.2.1, B.07.2)."""
    stmt = select(Section).where(Section.code == code).order_by(Section.version_id)
    return db.session.scalars(stmt).first()


def get_version(document_code: str = "G") -> DocumentVersion:
    """The first version of a document."""
    return db.session.scalar(
        select(DocumentVersion)
        .join(GuidanceDocument)
        .where(GuidanceDocument.code == document_code)
        .order_by(DocumentVersion.number)
    )


def create_organisation(country: str | None = "KE", type_code: str = "cso", name: str | None = None) -> Organisation:
    """An organisation in a country."""
    org = Organisation(
        name=name or f"Organisation {next(_seq)}",
        country=get_country(country) if country else None,
        stakeholder_type=db.session.scalar(select(StakeholderType).where(StakeholderType.code == type_code)),
    )
    db.session.add(org)
    db.session.flush()
    return org


def create_user(
    role: str | Role = Role.contributor,
    country: str | None = "KE",
    *,
    email: str | None = None,
    name: str | None = None,
    password: str = PASSWORD,
    agency: str | None = "IOM",
    locale: str | None = None,
    organisation: Organisation | None = None,
    active: bool = True,
) -> User:
    """A user with a password; country roles get a country and an organisation."""
    role = Role(role)
    n = next(_seq)
    user = User(
        email=email or f"{role.value}{n}@example.org",
        name=name or f"{role.value.replace('_', ' ').title()} {n}",
        role=role,
        locale=locale,
        active=active,
    )
    if role.is_country:
        user.country = get_country(country or "KE")
        user.organisation = organisation or create_organisation(user.country.code)
    if role == Role.co_lead and agency:
        user.lead_agency = db.session.scalar(select(LeadAgency).where(LeadAgency.code == agency))
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def create_round(
    countries: tuple[str, ...] = ("KE", "MA"),
    *,
    is_open: bool = True,
    allow_direct: bool = False,
    name: str | None = None,
    questions: int = 2,
) -> ReviewRound:
    """A round on the first version of every document, open today unless is_open=False."""
    today = clock.round_today()
    opens = today - timedelta(days=10)
    closes = today + timedelta(days=10) if is_open else today - timedelta(days=1)
    review_round = ReviewRound(
        name=name or f"Round {next(_seq)}",
        opens_on=opens,
        closes_on=closes,
        allow_direct_submission=allow_direct,
        versions=[get_version("G"), get_version("B")],
    )
    db.session.add(review_round)
    for code in countries:
        db.session.add(RoundCountry(round=review_round, country=get_country(code)))
    for i in range(1, questions + 1):
        db.session.add(
            GuidingQuestion(
                round=review_round,
                position=i,
                text_en=f"Question {i}?",
                text_fr=f"Question {i} ?",
                text_es=f"¿Pregunta {i}?",
            )
        )
    db.session.flush()
    return review_round


def create_feedback(
    author: User,
    review_round: ReviewRound,
    *,
    section: str | None = "G.2.1",
    state: FeedbackState | str = FeedbackState.draft,
    status: TriageStatus | str | None = None,
    comment: str | None = None,
    type: FeedbackType | str = FeedbackType.substantive,
    **fields,
) -> Feedback:
    """Feedback by an author in a given lifecycle state (forwarded items get triage status 'new')."""
    state = FeedbackState(state)
    sec = get_section(section) if section else None
    version = sec.version if sec else get_version("G")
    item = Feedback(
        round=review_round,
        version=version,
        section=sec,
        type=FeedbackType(type),
        comment=comment or f"Comment {next(_seq)} on {section}",
        author=author,
        country_id=author.country_id,
        organisation_id=author.organisation_id,
        state=state,
        **fields,
    )
    now = utcnow()
    if state in (FeedbackState.submitted, FeedbackState.forwarded, FeedbackState.returned):
        item.submitted_at = now
    if state == FeedbackState.forwarded:
        item.forwarded_at = now
        item.status = TriageStatus(status) if status else TriageStatus.new
    db.session.add(item)
    db.session.flush()
    db.session.add(
        FeedbackEdit(
            feedback=item, number=1, comment=item.comment, proposed_change=item.proposed_change, edited_by_id=author.id
        )
    )
    db.session.flush()
    return item


def create_response(
    feedback: Feedback,
    text: str = "Thank you; the text will change.",
    *,
    published: bool = True,
    by: User | None = None,
) -> Response:
    """A response to feedback, published by default."""
    response = Response(
        feedback=feedback,
        text=text,
        published=published,
        drafted_by_id=by.id if by else None,
        published_at=utcnow() if published else None,
    )
    db.session.add(response)
    db.session.flush()
    return response


def create_revision_item(
    title: str = "Clarify step 1", *, feedback: list[Feedback] = (), sections: list[str] = (), code: str | None = None
) -> RevisionItem:
    """A revision item linked to some feedback."""
    item = RevisionItem(code=code or f"R-{next(_seq):03d}", title=title, sections=[get_section(s) for s in sections])
    db.session.add(item)
    db.session.flush()
    for fb in feedback:
        db.session.add(RevisionLink(revision_item=item, feedback=fb))
    db.session.flush()
    return item
