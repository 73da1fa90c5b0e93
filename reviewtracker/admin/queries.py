"""Read-only queries of the admin pages: filtered lists (returning select()) and the landing-page counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, func, or_, select

from reviewtracker.extensions import db
from reviewtracker.models import (
    Activity,
    ActivityCategory,
    Country,
    DocumentVersion,
    GuidanceDocument,
    Organisation,
    ReviewRound,
    Role,
    RoundCountry,
    Section,
    User,
)

USER_SORTS = {
    "name": User.name,
    "email": User.email,
    "role": User.role,
    "last_login": User.last_login_at,
}


def _like(text: str) -> str:
    """A LIKE pattern matching text literally (a typed % or _ is not a wildcard)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def list_countries() -> Select:
    """Countries with their number of rounds and of users, by code."""
    rounds = select(func.count(RoundCountry.id)).where(RoundCountry.country_id == Country.id).scalar_subquery()
    users = select(func.count(User.id)).where(User.country_id == Country.id).scalar_subquery()
    return select(Country, rounds.label("rounds"), users.label("users")).order_by(Country.code)


def list_organisations(*, country_id: int | None, type_id: int | None, search: str) -> Select:
    """Organisations filtered by country, stakeholder type and a name/acronym search."""
    stmt = select(Organisation).outerjoin(Country, Organisation.country_id == Country.id)
    if country_id:
        stmt = stmt.where(Organisation.country_id == country_id)
    if type_id:
        stmt = stmt.where(Organisation.stakeholder_type_id == type_id)
    if search:
        pattern = _like(search)
        stmt = stmt.where(
            or_(
                func.lower(Organisation.name).like(pattern, escape="\\"),
                func.lower(Organisation.acronym).like(pattern, escape="\\"),
            )
        )
    return stmt.order_by(Country.code, Organisation.name, Organisation.id)


def list_users(*, role: Role | None, country_id: int | None, active: bool | None, search: str, sort: str) -> Select:
    """Accounts filtered by role, country, status and a name/e-mail search; sort is an allow-listed key."""
    stmt = select(User)
    if role:
        stmt = stmt.where(User.in_role(role))
    if country_id:
        stmt = stmt.where(User.country_id == country_id)
    if active is not None:
        stmt = stmt.where(User.active.is_(active))
    if search:
        pattern = _like(search)
        stmt = stmt.where(
            or_(func.lower(User.name).like(pattern, escape="\\"), func.lower(User.email).like(pattern, escape="\\"))
        )
    column = USER_SORTS[sort.lstrip("-")]
    return stmt.order_by(column.desc() if sort.startswith("-") else column.asc(), User.id)


def list_activity(
    *,
    category: ActivityCategory | None,
    actor: str,
    action: str,
    date_from: date | None,
    date_to: date | None,
    country_id: int | None,
) -> Select:
    """Audit rows, newest first, filtered by category, actor e-mail, action prefix, dates and country."""
    stmt = select(Activity).outerjoin(User, Activity.actor_id == User.id)
    if category:
        stmt = stmt.where(Activity.category == category)
    if actor:
        stmt = stmt.where(func.lower(User.email).like(_like(actor), escape="\\"))
    if action:
        escaped = action.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(func.lower(Activity.action).like(f"{escaped}%", escape="\\"))
    if date_from:
        stmt = stmt.where(Activity.created_at >= datetime.combine(date_from, time.min, tzinfo=UTC))
    if date_to:
        stmt = stmt.where(Activity.created_at < datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=UTC))
    if country_id:
        stmt = stmt.where(or_(Activity.country_id == country_id, User.country_id == country_id))
    return stmt.order_by(Activity.created_at.desc(), Activity.id.desc())


def admin_counts() -> dict[str, int]:
    """Totals for the admin landing page."""

    def count(model, *where) -> int:
        return db.session.scalar(select(func.count(model.id)).where(*where)) or 0

    return {
        "countries": count(Country, Country.active.is_(True)),
        "organisations": count(Organisation),
        "users": count(User, User.active.is_(True)),
        "inactive_users": count(User, User.active.is_(False)),
        "pending_invitations": count(User, User.password_hash.is_(None), User.active.is_(True)),
        "documents": count(GuidanceDocument),
        "versions": count(DocumentVersion),
        "sections": count(Section),
        "rounds": count(ReviewRound),
        "activity": count(Activity),
    }
