"""`flask seed demo`: demo accounts for every role, organisations and a review round open today.

Later features add their own demo content (feedback in every state, triage, revision items,
exports) through the `seed(today)` function of each demo_* module, so that every screen shows realistic data.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from reviewtracker import clock
from reviewtracker.extensions import db
from reviewtracker.models import (
    Country,
    DocumentVersion,
    GuidingQuestion,
    LeadAgency,
    Organisation,
    ReviewRound,
    Role,
    RoundCountry,
    StakeholderType,
    User,
)
from reviewtracker.seed import demo_exports, demo_feedback, demo_triage
from reviewtracker.seed.reference import load_yaml

DEMO_PASSWORD = "review-demo-2026"  # noqa: S105  # nosec B105 # printed for the demo; only the demo data uses it

# Three pilot countries, one per interface language, so the demo shows all three at work.
_PEOPLE = load_yaml("demo_people.yaml")  # editable data: seed/data/demo_people.yaml
DEMO_COUNTRIES = {
    code: {
        "locale": country["locale"],
        "organisations": [(o["name"], o["acronym"], o["type"]) for o in country["organisations"]],
        "people": [(person["name"], person["role"]) for person in country["people"]],
    }
    for code, country in _PEOPLE["countries"].items()
}
WORKING_GROUP = [(person["name"], person["role"], person["agency"]) for person in _PEOPLE["working_group"]]


@dataclass
class DemoLogin:
    """A printed demo login."""

    email: str
    role: str
    country: str


def _email(name: str) -> str:
    """The demo e-mail of a person: the name in ASCII, dots for spaces."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return ascii_name.lower().replace(" ", ".") + "@demo.reviewtracker.org"


def database_is_empty() -> bool:
    """True when no user exists yet (a fresh database)."""
    return (db.session.scalar(select(func.count(User.id))) or 0) == 0


def seed_demo(today: date | None = None) -> list[DemoLogin]:
    """Create demo users, organisations and an open round; returns the logins to print."""
    today = today or clock.round_today()
    types = {t.code: t for t in db.session.scalars(select(StakeholderType))}
    agencies = {a.code: a for a in db.session.scalars(select(LeadAgency))}
    logins: list[DemoLogin] = []
    countries = []
    for code, spec in DEMO_COUNTRIES.items():
        country = db.session.scalar(select(Country).where(Country.code == code))
        countries.append(country)
        orgs = []
        for name, acronym, type_code in spec["organisations"]:
            org = Organisation(name=name, acronym=acronym, country=country, stakeholder_type=types[type_code])
            db.session.add(org)
            orgs.append(org)
        for index, (name, role) in enumerate(spec["people"]):
            user = User(
                email=_email(name),
                name=name,
                role=Role(role),
                country=country,
                organisation=orgs[index % len(orgs)],
                locale=spec["locale"],
            )
            user.set_password(DEMO_PASSWORD)
            db.session.add(user)
            logins.append(DemoLogin(user.email, role, code))
    for name, role, agency in WORKING_GROUP:
        user = User(
            email=_email(name), name=name, role=Role(role), lead_agency=agencies.get(agency) if agency else None
        )
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        logins.append(DemoLogin(user.email, role, agency or ""))
    db.session.flush()
    seed_open_round(today, countries)

    for module in (demo_feedback, demo_triage, demo_exports):  # each builds on the one before
        module.seed(today)
    return logins


def seed_open_round(today: date, countries: list[Country]) -> ReviewRound:
    """A round on the current drafts of every document, open today, with the three guiding questions."""
    versions = list(db.session.scalars(select(DocumentVersion).order_by(DocumentVersion.document_id)))
    review_round = ReviewRound(
        name="Champion countries review of the advanced draft",
        description="Pilot review of the Guide and the Booklet by the champion countries.",
        opens_on=today - timedelta(days=21),
        closes_on=today + timedelta(days=30),
        versions=versions,
    )
    db.session.add(review_round)
    for country in countries:
        db.session.add(RoundCountry(round=review_round, country=country))
    for item in load_yaml("reference.yaml")["guiding_questions"]:
        text = item["text"]
        db.session.add(
            GuidingQuestion(
                round=review_round,
                position=item["number"],
                text_en=text["en"],
                text_fr=text.get("fr"),
                text_es=text.get("es"),
            )
        )
    db.session.flush()
    return review_round
