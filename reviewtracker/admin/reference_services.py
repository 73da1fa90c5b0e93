"""Administration of reference data: champion countries and organisations. Services flush, never commit."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import func, select

from reviewtracker.audit import changes, record_activity
from reviewtracker.errors import ValidationError
from reviewtracker.extensions import db
from reviewtracker.models import ActivityCategory, Country, Organisation, StakeholderType, User
from reviewtracker.spreadsheets import normalize_text

COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")


def _texts(prefix: str, values: dict[str, str | None]) -> dict[str, str | None]:
    """Normalised title_en/fr/es values; empty French or Spanish fall back to English when shown."""
    texts = {f"{prefix}_{lang}": normalize_text(values.get(lang) or "") or None for lang in ("en", "fr", "es")}
    if not texts[f"{prefix}_en"]:
        raise ValidationError(_("The English name is required."))
    return texts


def create_country(
    actor: User | None, *, code: str, names: dict[str, str | None], champion_since: str | None, active: bool
) -> Country:
    """Add a country (ISO 3166 two-letter code, unique)."""
    code = normalize_text(code).upper()
    if not COUNTRY_CODE.match(code):
        raise ValidationError(_("The country code must be two letters (ISO 3166), e.g. KE."))
    if db.session.scalar(select(func.count(Country.id)).where(Country.code == code)):
        raise ValidationError(_("A country with the code %(code)s already exists.", code=code))
    country = Country(
        code=code, champion_since=normalize_text(champion_since or "") or None, active=active, **_texts("title", names)
    )
    db.session.add(country)
    db.session.flush()
    record_activity(
        actor,
        ActivityCategory.admin,
        "country.create",
        target=country,
        country_id=country.id,
        after={"code": code, "name": country.title_en, "active": active},
    )
    return country


def update_country(
    actor: User | None, country: Country, *, names: dict[str, str | None], champion_since: str | None, active: bool
) -> None:
    """Rename a country, change its champion date or (de)activate it; the code is stable."""
    before, after = changes(
        country, champion_since=normalize_text(champion_since or "") or None, active=active, **_texts("title", names)
    )
    if after:
        db.session.flush()
        record_activity(
            actor,
            ActivityCategory.admin,
            "country.update",
            target=country,
            country_id=country.id,
            before=before,
            after=after,
        )


def _organisation_values(
    name: str, acronym: str | None, country: Country | None, stakeholder_type: StakeholderType, active: bool
) -> dict:
    name = normalize_text(name)
    if not name:
        raise ValidationError(_("The name is required."))
    return {
        "name": name,
        "acronym": normalize_text(acronym or "") or None,
        "country_id": country.id if country else None,
        "stakeholder_type_id": stakeholder_type.id,
        "active": active,
    }


def _check_unique_organisation(name: str, country_id: int | None, exclude_id: int | None = None) -> None:
    same_country = Organisation.country_id.is_(None) if country_id is None else Organisation.country_id == country_id
    stmt = select(func.count(Organisation.id)).where(func.lower(Organisation.name) == name.lower(), same_country)
    if exclude_id is not None:
        stmt = stmt.where(Organisation.id != exclude_id)
    if db.session.scalar(stmt):
        raise ValidationError(_("An organisation with this name already exists in this country."))


def create_organisation(
    actor: User | None,
    *,
    name: str,
    acronym: str | None,
    country: Country | None,
    stakeholder_type: StakeholderType,
    active: bool = True,
) -> Organisation:
    """Add an organisation of a country (or an international one without country)."""
    values = _organisation_values(name, acronym, country, stakeholder_type, active)
    _check_unique_organisation(values["name"], values["country_id"])
    organisation = Organisation(**values)
    db.session.add(organisation)
    db.session.flush()
    record_activity(
        actor,
        ActivityCategory.admin,
        "organisation.create",
        target=organisation,
        country_id=values["country_id"],
        after={**values, "country": country.code if country else None},
    )
    return organisation


def update_organisation(
    actor: User | None,
    organisation: Organisation,
    *,
    name: str,
    acronym: str | None,
    country: Country | None,
    stakeholder_type: StakeholderType,
    active: bool,
) -> None:
    """Change an organisation; moving it to another country is refused while its members are elsewhere."""
    values = _organisation_values(name, acronym, country, stakeholder_type, active)
    _check_unique_organisation(values["name"], values["country_id"], exclude_id=organisation.id)
    if values["country_id"] is not None and values["country_id"] != organisation.country_id:
        members_elsewhere = db.session.scalar(
            select(func.count(User.id)).where(
                User.organisation_id == organisation.id, User.country_id != values["country_id"]
            )
        )
        if members_elsewhere:
            raise ValidationError(
                _("%(n)d users of another country belong to this organisation; move them first.", n=members_elsewhere)
            )
    before, after = changes(organisation, **values)
    if after:
        db.session.flush()
        db.session.expire(organisation, ["country", "stakeholder_type"])
        record_activity(
            actor,
            ActivityCategory.admin,
            "organisation.update",
            target=organisation,
            country_id=organisation.country_id,
            before=before,
            after=after,
        )
