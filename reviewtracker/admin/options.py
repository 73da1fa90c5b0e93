"""Options of the admin forms' select fields, in the interface language (dicts of value → label)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from reviewtracker.extensions import db
from reviewtracker.models import Country, LeadAgency, Organisation, StakeholderType


def country_options(empty: str | None = None, active_only: bool = False) -> dict:
    """Countries by code; `empty` adds a first option meaning none/all."""
    stmt = select(Country).order_by(Country.code)
    if active_only:
        stmt = stmt.where(Country.active.is_(True))
    options = {"": empty} if empty is not None else {}
    options.update({c.id: f"{c.code} — {c.name}" for c in db.session.scalars(stmt)})
    return options


def stakeholder_type_options(empty: str | None = None) -> dict:
    """Stakeholder types in their configured order."""
    options = {"": empty} if empty is not None else {}
    stmt = select(StakeholderType).order_by(StakeholderType.position, StakeholderType.id)
    options.update({t.id: t.title for t in db.session.scalars(stmt)})
    return options


def organisation_options() -> dict:
    """Active organisations with their country code, so the admin picks one of the right country."""
    stmt = (
        select(Organisation)
        .outerjoin(Country, Organisation.country_id == Country.id)
        .where(Organisation.active.is_(True))
        .order_by(Country.code, Organisation.name)
    )
    options = {"": _("(none)")}
    for org in db.session.scalars(stmt):
        where = org.country.code if org.country else _("international")
        options[org.id] = f"{org.name}{f' ({org.acronym})' if org.acronym else ''} — {where}"
    return options


def agency_options() -> dict:
    """Lead agencies (co-leads belong to one)."""
    options = {"": _("(none)")}
    options.update(
        {a.id: f"{a.code} — {a.title}" for a in db.session.scalars(select(LeadAgency).order_by(LeadAgency.code))}
    )
    return options
