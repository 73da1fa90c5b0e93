"""Building a version's section tree from an outline (seed files, YAML or Excel imports)."""

from __future__ import annotations

from typing import Any

from reviewtracker.extensions import db
from reviewtracker.models import DocumentVersion, Section


def titles_of(node: dict[str, Any]) -> dict[str, str | None]:
    """title_en/fr/es columns from an outline node whose title is a string or {en, fr, es}."""
    title = node.get("title") or {}
    if isinstance(title, str):
        title = {"en": title}
    return {f"title_{lang}": (title.get(lang) or None) for lang in ("en", "fr", "es")}


def add_sections(version: DocumentVersion, nodes: list[dict[str, Any]], parent: Section | None = None) -> int:
    """Add a tree of outline nodes under `parent` (or at the top); returns how many sections were added."""
    added = 0
    for position, node in enumerate(nodes, start=1):
        section = Section(version=version, parent=parent, position=position, code=str(node["code"]), **titles_of(node))
        db.session.add(section)
        added += 1 + add_sections(version, node.get("children") or [], section)
    db.session.flush()
    return added
