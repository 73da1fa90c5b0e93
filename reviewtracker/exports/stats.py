"""Totals gathered while the Feedback sheet streams, so the summary sheets need no second pass."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Row

from reviewtracker.exports.lookups import Lookups


@dataclass
class SectionStats:
    """Counts and rating sums of one section (or of a whole document)."""

    total: int = 0
    statuses: Counter = field(default_factory=Counter)
    types: Counter = field(default_factory=Counter)
    usefulness: list[int] = field(default_factory=lambda: [0, 0])  # sum, count
    clarity: list[int] = field(default_factory=lambda: [0, 0])

    @staticmethod
    def mean(pair: list[int]) -> float | None:
        """The mean of a (sum, count) pair, None without ratings."""
        return pair[0] / pair[1] if pair[1] else None


def section_key(row: Row) -> tuple[str, int]:
    """A section id, or the version for comments on a whole document."""
    return ("section", row.section_id) if row.section_id is not None else ("version", row.version_id)


class ExportStats:
    """Every total of the consolidated workbook, in memory proportional to sections × countries, not items."""

    def __init__(self, lookups: Lookups) -> None:
        self.lk = lookups
        self.total = 0
        self.by_status: Counter = Counter()
        self.by_country: Counter = Counter()
        self.by_part: Counter = Counter()
        self.by_type: Counter = Counter()
        self.sections: dict[tuple[str, int], SectionStats] = defaultdict(SectionStats)
        self.coverage: Counter = Counter()
        self.revision_links: dict[int, list[tuple[int, int]]] = defaultdict(list)
        self._keys: dict[tuple[int, int | None], tuple[tuple[str, str | None], tuple[str, int]]] = {}

    def _place_keys(self, row: Row) -> tuple[tuple[str, str | None], tuple[str, int]]:
        """(document part key, section key) of a row, cached per (version, section): rows share few places."""
        keys = self._keys.get((row.version_id, row.section_id))
        if keys is None:
            section = self.lk.section(row.section_id)
            version = self.lk.versions[row.version_id]
            keys = ((version.document_code, section.part_code if section else None), section_key(row))
            self._keys[(row.version_id, row.section_id)] = keys
        return keys

    def add(self, row: Row) -> None:
        """Count one exported item."""
        status, kind = row.status, row.type
        self.total += 1
        self.by_status[status] += 1
        self.by_country[row.country_id] += 1
        self.by_type[kind] += 1
        part, key = self._place_keys(row)
        self.by_part[part] += 1
        stats = self.sections[key]
        stats.total += 1
        stats.statuses[status] += 1
        stats.types[kind] += 1
        for pair, rating in ((stats.usefulness, row.usefulness_rating), (stats.clarity, row.clarity_rating)):
            if rating is not None:
                pair[0] += rating
                pair[1] += 1
        self.coverage[(key, row.country_id)] += 1
        for revision_id in self.lk.revisions.get(row.id, ()):
            self.revision_links[revision_id].append((row.id, row.country_id))
