"""`flask seed reference`: GCM objectives, principles, stakeholder types, agencies, countries, guidance outline.

Idempotent: rows are matched on their stable code and updated, so an admin's later corrections of
other rows are kept and the command can run on every start.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from reviewtracker.documents.outline import add_sections
from reviewtracker.extensions import db
from reviewtracker.models import (
    Country,
    DocumentVersion,
    GuidanceDocument,
    GuidingPrinciple,
    LeadAgency,
    Objective,
    StakeholderType,
    VersionStatus,
)

DATA_DIR = Path(__file__).resolve().parent / "data"


def load_yaml(name: str) -> dict[str, Any]:
    """Read one of the seed data files."""
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _texts(prefix: str, value: dict[str, str] | str) -> dict[str, str | None]:
    if isinstance(value, str):
        value = {"en": value}
    return {f"{prefix}_{lang}": value.get(lang) for lang in ("en", "fr", "es")}


def _upsert(model: type, key: str, value: Any, **fields: Any) -> Any:
    row = db.session.scalar(select(model).where(getattr(model, key) == value))
    if row is None:
        row = model(**{key: value})
        db.session.add(row)
    for name, field_value in fields.items():
        setattr(row, name, field_value)
    return row


def seed_reference() -> dict[str, int]:
    """Load or refresh the reference data; returns counts per kind."""
    ref = load_yaml("reference.yaml")
    for item in ref["objectives"]:
        _upsert(Objective, "number", item["number"], **_texts("title", item["title"]), **_texts("short", item["short"]))
    for item in ref["guiding_principles"]:
        _upsert(GuidingPrinciple, "letter", item["letter"], **_texts("title", item["name"]))
    for position, item in enumerate(ref["stakeholder_types"], start=1):
        _upsert(StakeholderType, "code", item["code"], position=position, **_texts("title", item["name"]))
    for item in ref["lead_agencies"]:
        _upsert(LeadAgency, "code", item["code"], **_texts("title", item["name"]))
    for item in ref["countries"]:
        _upsert(
            Country, "code", item["code"], champion_since=item.get("champion_since"), **_texts("title", item["name"])
        )
    db.session.flush()
    sections = seed_outline(load_yaml("guidance.yaml"))
    return {
        "objectives": len(ref["objectives"]),
        "principles": len(ref["guiding_principles"]),
        "stakeholder_types": len(ref["stakeholder_types"]),
        "lead_agencies": len(ref["lead_agencies"]),
        "countries": len(ref["countries"]),
        "sections": sections,
    }


def seed_outline(outline: dict[str, Any]) -> int:
    """Create each document with its first version and section tree, unless the document exists."""
    added = 0
    for position, doc in enumerate(outline["documents"], start=1):
        document = db.session.scalar(select(GuidanceDocument).where(GuidanceDocument.code == doc["code"]))
        if document is not None:
            continue  # the outline is editable data: never overwrite what an admin has changed
        document = GuidanceDocument(code=doc["code"], position=position, **_texts("title", doc["title"]))
        version = DocumentVersion(
            document=document,
            number=1,
            label=doc.get("version_label", "Advanced draft"),
            status=VersionStatus.under_review,
        )
        db.session.add_all([document, version])
        added += add_sections(version, doc["sections"])
    return added
