"""Administration operations on accounts; pages and CLI call the same functions. They never commit."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from reviewtracker.audit import record_activity
from reviewtracker.errors import ValidationError
from reviewtracker.extensions import db
from reviewtracker.models import ActivityCategory, Country, LeadAgency, Organisation, Role, User


def create_user(
    actor: User | None,
    *,
    email: str,
    name: str,
    role: Role,
    country: Country | None = None,
    organisation: Organisation | None = None,
    lead_agency: LeadAgency | None = None,
    locale: str | None = None,
) -> User:
    """Create an account without a password (it is set through the invitation link)."""
    email = email.strip().lower()
    if db.session.scalar(select(func.count(User.id)).where(func.lower(User.email) == email)):
        raise ValidationError(_("An account with this e-mail already exists."))
    if role.is_country and country is None:
        raise ValidationError(_("Contributors and focal points need a country."))
    if not role.is_country:
        country = organisation = None
    if organisation is not None and organisation.country_id not in (None, country.id if country else None):
        raise ValidationError(_("The organisation belongs to another country."))
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        country=country,
        organisation=organisation,
        lead_agency=lead_agency if role == Role.co_lead else None,
        locale=locale,
    )
    db.session.add(user)
    db.session.flush()
    record_activity(
        actor,
        ActivityCategory.admin,
        "user.create",
        target=user,
        after={"email": email, "role": role, "country": country.code if country else None},
    )
    return user


def set_user_active(actor: User | None, user: User, active: bool) -> None:
    """Activate or deactivate an account; deactivation ends its sessions at once."""
    if user.active == active:
        return
    user.active = active
    if not active:
        user.revoke_sessions()
    record_activity(
        actor,
        ActivityCategory.admin,
        "user.activate" if active else "user.deactivate",
        target=user,
        before={"active": not active},
        after={"active": active},
    )
