"""Building a version's section tree from an outline (seed files, YAML or Excel imports)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

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


def copy_section_tree(source: DocumentVersion, target: DocumentVersion) -> int:
    """Copy the section tree of `source` into `target` (codes, titles, order); returns how many sections were copied.

    Each copy remembers the section it came from (`predecessor_id`), so feedback can follow the text across drafts.
    """
    sections = db.session.scalars(select(Section).where(Section.version_id == source.id)).all()
    by_parent: dict[int | None, list[Section]] = {}
    for section in sections:
        by_parent.setdefault(section.parent_id, []).append(section)

    def copy_children(parent_id: int | None, new_parent: Section | None) -> int:
        copied = 0
        siblings = sorted(by_parent.get(parent_id, []), key=lambda s: (s.position, s.id))
        for position, section in enumerate(siblings, start=1):
            twin = Section(
                version=target,
                parent=new_parent,
                position=position,
                code=section.code,
                title_en=section.title_en,
                title_fr=section.title_fr,
                title_es=section.title_es,
                predecessor_id=section.id,
            )
            db.session.add(twin)
            copied += 1 + copy_children(section.id, twin)
        return copied

    copied = copy_children(None, None)
    db.session.flush()
    return copied


def tree_order(version: DocumentVersion) -> list[tuple[Section, int]]:
    """Every section of a version in reading order (depth first, by position) with its depth from the top."""
    sections = db.session.scalars(select(Section).where(Section.version_id == version.id)).all()
    by_parent: dict[int | None, list[Section]] = {}
    for section in sections:
        by_parent.setdefault(section.parent_id, []).append(section)
    ordered: list[tuple[Section, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for section in sorted(by_parent.get(parent_id, []), key=lambda s: (s.position, s.id)):
            ordered.append((section, depth))
            walk(section.id, depth + 1)

    walk(None, 0)
    return ordered


_NUMBER = re.compile(r"[0-9]+")  # ASCII digits only: a Unicode digit such as "²" passes a digit test, not int()


def section_code_key(code: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key for section codes: G.2.10 after G.2.9 (numbers compare as numbers, letters as text)."""
    return tuple((0, int(part), "") if _NUMBER.fullmatch(part) else (1, 0, part) for part in code.split("."))
