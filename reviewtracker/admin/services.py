"""Administration operations on accounts; pages and CLI call the same functions. They never commit."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from reviewtracker.audit import changes, record_activity
from reviewtracker.auth.services import issue_token
from reviewtracker.errors import ValidationError
from reviewtracker.extensions import db
from reviewtracker.models import ActivityCategory, Country, LeadAgency, Organisation, Role, TokenPurpose, User
from reviewtracker.spreadsheets import normalize_text


def _check_assignment(
    role: Role, country: Country | None, organisation: Organisation | None, lead_agency: LeadAgency | None
) -> tuple[Country | None, Organisation | None, LeadAgency | None]:
    """Country roles need a country (and an organisation of it, if any); others have neither; co-leads an agency."""
    if role.is_country and country is None:
        raise ValidationError(_("Contributors and focal points need a country."))
    if not role.is_country:
        country = organisation = None
    if organisation is not None and organisation.country_id not in (None, country.id if country else None):
        raise ValidationError(_("The organisation belongs to another country."))
    return country, organisation, (lead_agency if role.has_lead_agency else None)


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
    email = normalize_text(email).lower()
    if db.session.scalar(select(func.count(User.id)).where(func.lower(User.email) == email)):
        raise ValidationError(_("An account with this e-mail already exists."))
    country, organisation, lead_agency = _check_assignment(role, country, organisation, lead_agency)
    user = User(
        email=email,
        name=normalize_text(name),
        role=role,
        country=country,
        organisation=organisation,
        lead_agency=lead_agency,
        locale=locale or None,
    )
    db.session.add(user)
    db.session.flush()
    record_activity(
        actor,
        ActivityCategory.admin,
        "user.create",
        target=user,
        country_id=country.id if country else None,
        after={"email": email, "role": role, "country": country.code if country else None},
    )
    return user


def update_user(
    actor: User | None,
    user: User,
    *,
    name: str,
    role: Role,
    country: Country | None,
    organisation: Organisation | None,
    lead_agency: LeadAgency | None,
    locale: str | None,
) -> None:
    """Change an account's name, role, country, organisation, agency and language (an admin keeps their role)."""
    if actor is not None and actor.id == user.id and not role.administers:
        raise ValidationError(_("You cannot remove your own administrator role; ask another administrator."))
    country, organisation, lead_agency = _check_assignment(role, country, organisation, lead_agency)
    before, after = changes(
        user,
        name=normalize_text(name),
        role=role,
        country_id=country.id if country else None,
        organisation_id=organisation.id if organisation else None,
        lead_agency_id=lead_agency.id if lead_agency else None,
        locale=locale or None,
    )
    if not after:
        return
    if "role" in after or "country_id" in after:
        # What the user may see changes with the role or the country: sessions opened under the old one end.
        user.revoke_sessions()
    db.session.flush()
    db.session.expire(user, ["country", "organisation", "lead_agency"])  # reload them from the new ids
    record_activity(
        actor,
        ActivityCategory.admin,
        "user.update",
        target=user,
        country_id=user.country_id,
        before=before,
        after=after,
    )


def set_user_active(actor: User | None, user: User, active: bool) -> None:
    """Activate or deactivate an account; deactivation ends its sessions at once."""
    if not active and actor is not None and actor.id == user.id:
        raise ValidationError(_("You cannot deactivate your own account; ask another administrator."))
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
        country_id=user.country_id,
        before={"active": not active},
        after={"active": active},
    )


def issue_user_link(actor: User | None, user: User, purpose: TokenPurpose, ttl: timedelta) -> str:
    """A fresh one-time link token (invitation or password reset); only the event is recorded, never the token."""
    if not user.active:
        raise ValidationError(_("The account is deactivated; reactivate it before sending a link."))
    raw = issue_token(user, purpose, ttl, actor)
    record_activity(
        actor,
        ActivityCategory.admin,
        "user.invite" if purpose == TokenPurpose.invitation else "user.reset_link",
        target=user,
        country_id=user.country_id,
        after={"email": user.email, "expires_in_days": ttl.days},
    )
    return raw
