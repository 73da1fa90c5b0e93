"""Every figure of the dashboards, counted in one place with the same visibility rules as the pages.

What is counted, per country of a round:
- drafted: items being written (state draft or returned); submitted: waiting with the focal point;
- forwarded: items with the working group; triaged: forwarded and past "new"; answered: forwarded with a
  published response; acknowledged: the submitter reacted to that response;
- commented (coverage, types, weeks): items sent by the country (submitted or forwarded).

Visibility: every figure about items the working group handles (forwarded, triaged, answered, acknowledged,
coverage, statuses, types, weeks, lists) goes through `permissions.feedback_visibility(viewer)`, so the
working group counts forwarded items only and a country user counts their own country only.
Triage figures (triaged, answered, acknowledged, statuses, waiting) also go through
`permissions.triage_visibility(viewer)`: a country counts a decision once its response is published.
The drafted and submitted columns are the one deliberate exception: the working group may not read those
items, but the co-leads report to the Network how far each country has got, so the dashboard shows their
NUMBER per country (never their content, authors or sections). For a focal point the same numbers are
restricted to their own country; a country user's figures never include another country.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Select, and_, exists, func, not_, select

from reviewtracker.documents.outline import section_code_key
from reviewtracker.extensions import db
from reviewtracker.models import (
    AnswerState,
    Country,
    Feedback,
    FeedbackState,
    FeedbackType,
    GuidingAnswer,
    GuidingQuestion,
    Response,
    ReviewRound,
    RoundCountry,
    Section,
    TriageStatus,
    User,
)
from reviewtracker.permissions import (
    can_view_country_queue,
    feedback_visibility,
    sees_unpublished_triage,
    triage_visibility,
)

DRAFTING = (FeedbackState.draft, FeedbackState.returned)
COMMENTED = (FeedbackState.submitted, FeedbackState.forwarded)
OPEN_STATUSES = (TriageStatus.new, TriageStatus.in_review)
ALIVE = Feedback.deleted_at.is_(None)
PUBLISHED = exists().where(Response.feedback_id == Feedback.id, Response.published.is_(True))
ACKNOWLEDGED = exists().where(
    Response.feedback_id == Feedback.id, Response.published.is_(True), Response.acknowledgement.is_not(None)
)


# --- Rounds and countries ------------------------------------------------------------------------


def list_rounds(viewer: User) -> Select:
    """Rounds the viewer may report on: all for the working group, their country's for a focal point."""
    stmt = select(ReviewRound).order_by(ReviewRound.opens_on.desc(), ReviewRound.id.desc())
    if viewer.role.is_working_group:
        return stmt
    return stmt.where(
        ReviewRound.id.in_(select(RoundCountry.round_id).where(RoundCountry.country_id == viewer.country_id))
    )


def list_countries(review_round: ReviewRound, viewer: User) -> list[Country]:
    """The round's countries the viewer may see figures of, by code."""
    stmt = (
        select(Country)
        .join(RoundCountry, RoundCountry.country_id == Country.id)
        .where(RoundCountry.round_id == review_round.id)
        .order_by(Country.code)
    )
    if not viewer.role.is_working_group:
        stmt = stmt.where(Country.id == viewer.country_id)
    return list(db.session.scalars(stmt))


def _in_round(review_round: ReviewRound, countries: list[Country]):
    return and_(ALIVE, Feedback.round_id == review_round.id, Feedback.country_id.in_([c.id for c in countries]))


def visible_in_round(review_round: ReviewRound, viewer: User, countries: list[Country]) -> Select:
    """The round's items the viewer may read (the base of every figure except drafted/submitted)."""
    return select(Feedback).where(_in_round(review_round, countries), feedback_visibility(viewer))


# --- Progress per country ------------------------------------------------------------------------


@dataclass
class Progress:
    """One country's row of the progress table."""

    country: Country
    drafted: int = 0
    submitted: int = 0
    forwarded: int = 0
    triaged: int = 0
    answered: int = 0
    acknowledged: int = 0
    questions_answered: int = 0
    questions_total: int = 0

    @property
    def guiding_done(self) -> bool:
        """Every guiding question has a submitted answer."""
        return self.questions_total > 0 and self.questions_answered >= self.questions_total


def _count_by_country(condition, review_round: ReviewRound, countries: list[Country], viewer: User | None):
    stmt = select(Feedback.country_id, func.count(Feedback.id)).where(_in_round(review_round, countries), condition)
    if viewer is not None:
        stmt = stmt.where(feedback_visibility(viewer))
    return dict(db.session.execute(stmt.group_by(Feedback.country_id)).all())


def country_progress(review_round: ReviewRound, viewer: User, countries: list[Country]) -> list[Progress]:
    """Drafted … acknowledged and the guiding questions, per country (see the module docstring)."""
    forwarded = Feedback.state == FeedbackState.forwarded
    told = triage_visibility(viewer)  # a country counts the decisions it was told of
    counts = {
        # Aggregate numbers only (no visibility filter), restricted to `countries` (module docstring).
        "drafted": _count_by_country(Feedback.state.in_(DRAFTING), review_round, countries, None),
        "submitted": _count_by_country(Feedback.state == FeedbackState.submitted, review_round, countries, None),
        "forwarded": _count_by_country(forwarded, review_round, countries, viewer),
        "triaged": _count_by_country(
            and_(forwarded, Feedback.status.is_not(None), Feedback.status != TriageStatus.new, told),
            review_round,
            countries,
            viewer,
        ),
        "answered": _count_by_country(and_(forwarded, PUBLISHED, told), review_round, countries, viewer),
        "acknowledged": _count_by_country(and_(forwarded, ACKNOWLEDGED, told), review_round, countries, viewer),
    }
    total_questions = len(review_round.questions)
    answered = dict(
        db.session.execute(
            select(GuidingAnswer.country_id, func.count(GuidingAnswer.id))
            .join(GuidingQuestion, GuidingQuestion.id == GuidingAnswer.question_id)
            .where(GuidingQuestion.round_id == review_round.id, GuidingAnswer.state == AnswerState.submitted)
            .group_by(GuidingAnswer.country_id)
        ).all()
    )
    return [
        Progress(
            country=c,
            **{name: by_country.get(c.id, 0) for name, by_country in counts.items()},
            questions_answered=answered.get(c.id, 0),
            questions_total=total_questions,
        )
        for c in countries
    ]


# --- Distributions and time ----------------------------------------------------------------------


def status_counts(review_round: ReviewRound, viewer: User, countries: list[Country]) -> dict[TriageStatus, int]:
    """Forwarded items per triage status (every status listed, zeros included)."""
    stmt = (
        select(Feedback.status, func.count(Feedback.id))
        .where(_in_round(review_round, countries), feedback_visibility(viewer))
        .where(Feedback.state == FeedbackState.forwarded, Feedback.status.is_not(None), triage_visibility(viewer))
        .group_by(Feedback.status)
    )
    found = dict(db.session.execute(stmt).all())
    return {status: found.get(status, 0) for status in TriageStatus}


def type_counts(review_round: ReviewRound, viewer: User, countries: list[Country]) -> dict[FeedbackType, int]:
    """Commented items per feedback type."""
    stmt = (
        select(Feedback.type, func.count(Feedback.id))
        .where(_in_round(review_round, countries), feedback_visibility(viewer), Feedback.state.in_(COMMENTED))
        .group_by(Feedback.type)
    )
    found = dict(db.session.execute(stmt).all())
    return {kind: found.get(kind, 0) for kind in FeedbackType}


def weekly_submissions(review_round: ReviewRound, viewer: User, countries: list[Country]) -> list[tuple[date, int]]:
    """Commented items per week of submission (Monday of the week), with empty weeks in between."""
    stmt = select(Feedback.submitted_at).where(
        _in_round(review_round, countries),
        feedback_visibility(viewer),
        Feedback.state.in_(COMMENTED),
        Feedback.submitted_at.is_not(None),
    )
    # Grouped in Python: week arithmetic differs between SQLite and PostgreSQL, and a round has few items.
    weeks = Counter(_monday(stamp) for stamp in db.session.scalars(stmt))
    if not weeks:
        return []
    first, last = min(weeks), max(weeks)
    out, current = [], first
    while current <= last:
        out.append((current, weeks.get(current, 0)))
        current += timedelta(days=7)
    return out


def _monday(stamp: datetime) -> date:
    day = stamp.date()
    return day - timedelta(days=day.weekday())


# --- Coverage: countries × sections --------------------------------------------------------------


@dataclass
class Coverage:
    """The heatmap: columns (sections at a depth, or a whole document) and a count per country and column."""

    columns: list[tuple[str, str, str]]  # (key, code, title)
    cells: dict[tuple[int, str], int] = field(default_factory=dict)
    depth: int = 0
    max_depth: int = 0

    def count(self, country_id: int, key: str) -> int:
        """Items of a country on a column."""
        return self.cells.get((country_id, key), 0)

    @property
    def highest(self) -> int:
        """The largest cell (for the shading scale)."""
        return max(self.cells.values(), default=0)


def coverage(review_round: ReviewRound, viewer: User, countries: list[Country], depth: int = 0) -> Coverage:
    """Commented items per country and section at `depth` (0 = top-level; deeper items count in their ancestor)."""
    versions = sorted(review_round.versions, key=lambda v: (v.document.position, v.document.code))
    version_ids = [v.id for v in versions]
    sections = list(db.session.scalars(select(Section).where(Section.version_id.in_(version_ids))))
    by_id = {s.id: s for s in sections}
    has_children = {s.parent_id for s in sections if s.parent_id}
    max_depth = max((s.depth for s in sections), default=0)
    depth = max(0, min(depth, max_depth))

    def column_of(section: Section) -> Section:
        node = section
        while node.depth > depth and node.parent_id in by_id:
            node = by_id[node.parent_id]
        return node

    stmt = (
        select(Feedback.country_id, Feedback.version_id, Feedback.section_id, func.count(Feedback.id))
        .where(_in_round(review_round, countries), feedback_visibility(viewer), Feedback.state.in_(COMMENTED))
        .group_by(Feedback.country_id, Feedback.version_id, Feedback.section_id)
    )
    cells: Counter = Counter()
    used: set[str] = set()
    for country_id, version_id, section_id, n in db.session.execute(stmt):
        key = f"s{column_of(by_id[section_id]).id}" if section_id in by_id else f"v{version_id}"
        cells[(country_id, key)] += n
        used.add(key)
    shown = [
        s
        for s in sections
        if s.depth == depth or (s.depth < depth and (s.id not in has_children or f"s{s.id}" in used))
    ]
    position = {v.id: i for i, v in enumerate(versions)}
    shown.sort(key=lambda s: (position[s.version_id], section_code_key(s.code)))
    columns = [(f"s{s.id}", s.code, s.title) for s in shown]
    columns += [(f"v{v.id}", f"{v.document.code} *", v.document.title) for v in versions if f"v{v.id}" in used]
    return Coverage(columns=columns, cells=dict(cells), depth=depth, max_depth=max_depth)


def uncommented_sections(cover: Coverage, country: Country) -> list[tuple[str, str]]:
    """Sections (code, title) of the coverage on which the country has sent nothing yet."""
    return [
        (code, title) for key, code, title in cover.columns if key.startswith("s") and not cover.count(country.id, key)
    ]


# --- Work lists ----------------------------------------------------------------------------------


def waiting_longest(review_round: ReviewRound, viewer: User, countries: list[Country], limit: int = 10) -> Select:
    """Forwarded items still new or in review (for a country: with no published decision yet), oldest first."""
    if sees_unpublished_triage(viewer):
        undecided = Feedback.status.in_(OPEN_STATUSES)
    else:
        undecided = not_(triage_visibility(viewer))
    return (
        visible_in_round(review_round, viewer, countries)
        .where(Feedback.state == FeedbackState.forwarded, undecided)
        .order_by(Feedback.forwarded_at.asc(), Feedback.id.asc())
        .limit(limit)
    )


def assigned_open(review_round: ReviewRound, viewer: User, countries: list[Country]) -> Select:
    """Items assigned to the viewer that are not decided yet."""
    return (
        visible_in_round(review_round, viewer, countries)
        .where(Feedback.assignee_id == viewer.id, Feedback.status.in_(OPEN_STATUSES))
        .order_by(Feedback.forwarded_at.asc(), Feedback.id.asc())
    )


def unpublished_responses(review_round: ReviewRound, viewer: User, countries: list[Country]) -> Select:
    """Items assigned to the viewer, or answered by them, whose drafted response is not published yet."""
    drafted = exists().where(
        Response.feedback_id == Feedback.id,
        Response.published.is_(False),
        (Feedback.assignee_id == viewer.id) | (Response.drafted_by_id == viewer.id),
    )
    return visible_in_round(review_round, viewer, countries).where(drafted).order_by(Feedback.id)


def awaiting_consolidation(review_round: ReviewRound, viewer: User, countries: list[Country]) -> Select:
    """For a focal point: their country's items waiting in the country queue, oldest first."""
    if not can_view_country_queue(viewer):
        return select(Feedback).where(Feedback.id.is_(None))
    return (
        visible_in_round(review_round, viewer, countries)
        .where(Feedback.state == FeedbackState.submitted)
        .order_by(Feedback.submitted_at.asc(), Feedback.id.asc())
    )


def unacknowledged_responses(review_round: ReviewRound, viewer: User, countries: list[Country]) -> Select:
    """For a country: published responses nobody in the country has reacted to yet."""
    pending = exists().where(
        Response.feedback_id == Feedback.id, Response.published.is_(True), Response.acknowledgement.is_(None)
    )
    return (
        visible_in_round(review_round, viewer, countries)
        .where(pending, triage_visibility(viewer))
        .order_by(Feedback.id)
    )
