"""Demo feedback from Kenya (en), Morocco (fr) and Ecuador (es) in every state, plus guiding answers.

Runs inside `flask seed demo` after the demo users and the open round exist; it goes through the real
services, so every item has its original text snapshot, its activity rows and its notifications.
"""

from __future__ import annotations

import itertools
from datetime import date

from sqlalchemy import select

from reviewtracker.consolidation import services as consolidation
from reviewtracker.extensions import db
from reviewtracker.feedback import services
from reviewtracker.feedback.inputs import FeedbackInput
from reviewtracker.models import (
    Country,
    FeedbackLanguage,
    FeedbackType,
    GuidingPrinciple,
    Objective,
    Priority,
    ReviewRound,
    Role,
    Section,
    User,
)
from reviewtracker.seed.reference import load_yaml

# The demo texts are data (seed/data/demo_feedback.yaml): (section or document code, type, priority, covid, text).
_DATA = load_yaml("demo_feedback.yaml")
COMMENTS = {
    lang: [(c["section"], c["type"], c["priority"], c["covid"], c["text"]) for c in items]
    for lang, items in _DATA["comments"].items()
}
ANSWERS: dict[str, str] = _DATA["answers"]
COUNTRY_LANG = {"KE": "en", "MA": "fr", "EC": "es"}


def _section(review_round: ReviewRound, code: str) -> tuple[int, int | None]:
    """(version_id, section_id) of a code in the round; a document code means the whole document."""
    for version in review_round.versions:
        if version.document.code == code:
            return version.id, None
    stmt = select(Section).where(Section.code == code, Section.version_id.in_([v.id for v in review_round.versions]))
    section = db.session.scalar(stmt)
    return section.version_id, section.id


def _input(review_round, spec, lang, n) -> FeedbackInput:
    code, kind, priority, covid, text = spec
    version_id, section_id = _section(review_round, code)
    principles = list(db.session.scalars(select(GuidingPrinciple.id).order_by(GuidingPrinciple.letter)))
    objectives = list(db.session.scalars(select(Objective.id).order_by(Objective.number)))
    return FeedbackInput(
        version_id=version_id,
        section_id=section_id,
        type=FeedbackType(kind),
        priority=Priority(priority),
        comment=text,
        proposed_change=None
        if n % 3
        else text.split(":")[0]
        + " — "
        + {"en": "new wording proposed.", "fr": "nouvelle formulation proposée.", "es": "nueva redacción propuesta."}[
            lang
        ],
        reference=f"p. {10 + n}, § {n % 5 + 1}" if n % 2 else None,
        language=FeedbackLanguage(lang),
        covid=covid,
        principle_ids=principles[n % 10 : n % 10 + 2],
        objective_ids=objectives[n % 23 : n % 23 + 1],
        usefulness_rating=(n % 5) + 1 if n % 4 == 0 else None,
        clarity_rating=((n + 2) % 5) + 1 if n % 4 == 0 else None,
    )


def _people(code: str) -> tuple[User, list[User]]:
    """The demo country's focal point and its contributors."""
    stmt = select(User).join(Country, User.country_id == Country.id).where(Country.code == code).order_by(User.id)
    focal = db.session.scalars(stmt.where(User.in_role(Role.focal_point))).first()
    return focal, list(db.session.scalars(stmt.where(User.in_role(Role.contributor))))


def seed(today: date) -> None:
    """Create the demo feedback in every state and the guiding answers."""
    review_round = db.session.scalar(select(ReviewRound).order_by(ReviewRound.id.desc()))
    if review_round is None:
        return
    for country_code, lang in COUNTRY_LANG.items():
        focal, contributors = _people(country_code)
        authors = itertools.cycle(contributors)
        specs = COMMENTS[lang]
        items = []
        for n, spec in enumerate(specs):
            author = focal if n == len(specs) - 1 else next(authors)
            items.append(
                services.create_feedback(author, review_round, _input(review_round, spec, lang, n), today=today)
            )
        rest = items[1:]  # items[0] stays a draft
        for item in rest:
            services.submit_feedback(item.author, item, today=today)
        # Leave one submitted, return one with a note, merge one, withdraw one; forward the others.
        returned, merged_source, withdrawn = rest[1], rest[2], rest[3]  # rest[0] stays submitted
        consolidation.return_feedback(
            focal,
            returned,
            {
                "en": "Please add the page number and a proposed wording.",
                "fr": "Merci d’ajouter le numéro de page et une formulation.",
                "es": "Por favor, indique la página y una redacción alternativa.",
            }[lang],
        )
        services.withdraw_feedback(withdrawn.author, withdrawn)
        targets = [i for i in rest[4:] if i.state.value == "submitted"]
        if targets:
            consolidation.merge_feedback(focal, targets[0], merged_source)
        for item in rest[4:]:
            if item.state.value == "submitted":
                consolidation.forward_feedback(focal, item)
        questions = review_round.questions
        for question in questions[:2]:
            services.save_guiding_answer(
                contributors[0], review_round, question, ANSWERS[lang], expected_version=None, today=today
            )
        if country_code == "MA":
            for question in questions[2:]:
                services.save_guiding_answer(
                    focal, review_round, question, ANSWERS[lang], expected_version=None, today=today
                )
            services.submit_guiding_answers(focal, review_round, today=today)
    db.session.flush()
