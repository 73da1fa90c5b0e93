"""The consolidated workbook: Summary, Feedback, By section, Coverage, Revision items, Guiding questions.

Its sheets and the totals behind them are here; the Feedback sheet's columns and rows are in consolidated_rows.
"""

from __future__ import annotations

import contextlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Row, select

from reviewtracker.documents.outline import section_code_key
from reviewtracker.exports.consolidated_rows import FeedbackRowBuilder
from reviewtracker.exports.lookups import ExportLookups, Labels, display_id, export_language, version_name
from reviewtracker.exports.params import ExportParams, describe_filters
from reviewtracker.exports.queries import exported_ids, feedback_conditions, stream_rows
from reviewtracker.extensions import db
from reviewtracker.i18n import LANGUAGE_NAMES
from reviewtracker.models import (
    AnswerState,
    FeedbackType,
    GuidingAnswer,
    GuidingQuestion,
    ReviewRound,
    TriageStatus,
    User,
)
from reviewtracker.spreadsheets import Column, Formats, Table, new_xlsxwriter_workbook, sheet_name, write_row

SHEETS = {
    "summary": _l("Summary"),
    "feedback": _l("Feedback"),
    "sections": _l("By section"),
    "coverage": _l("Coverage"),
    "revisions": _l("Revision items"),
    "questions": _l("Guiding questions"),
}
REVISION_COLUMNS = (
    Column(_l("Code"), 9),
    Column(_l("Title"), 40, "wrap"),
    Column(_l("Target sections"), 18, "wrap"),
    Column(_l("Owner"), 10),
    Column(_l("Status"), 12),
    Column(_l("Applied in"), 22),
    Column(_l("Number of comments"), 12, "number"),
    Column(_l("Countries"), 24, "wrap"),
    Column(_l("Feedback IDs"), 30, "wrap"),
)
QUESTION_COLUMNS = (
    Column(_l("Country"), 16),
    Column(_l("No."), 5, "number"),
    Column(_l("Question"), 50, "wrap"),
    Column(_l("Answer"), 80, "wrap"),
    Column(_l("Submitted on"), 17, "datetime"),
    Column(_l("Submitted by"), 20),
)


# Totals gathered while the Feedback sheet streams, so the summary sheets need no second pass.
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

    def __init__(self, lookups: ExportLookups) -> None:
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


class ConsolidatedWorkbook:
    """Writes one consolidated workbook in a single streamed pass over the exported items."""

    def __init__(self, params: ExportParams, user: User | None, generated_at: datetime) -> None:
        self.params = params
        self.user = user
        self.generated_at = generated_at
        self.labels = Labels(params.lang)
        self.where = feedback_conditions(params, user)
        self.lookups = ExportLookups(params.lang, exported_ids(self.where))
        self.round = db.session.get(ReviewRound, params.round_id)
        self.stats = ExportStats(self.lookups)

    def write(self, path: str) -> int:
        """Write the workbook to path; return the number of feedback rows."""
        workbook = new_xlsxwriter_workbook(path, constant_memory=True)
        try:
            rows = self._write_sheets(workbook)
        except BaseException:
            with contextlib.suppress(Exception):  # release XlsxWriter's temp files; atomic_write drops the file
                workbook.close()
            raise
        workbook.close()
        return rows

    def _write_sheets(self, workbook: Any) -> int:
        fmt = Formats(workbook)
        headers = self.labels.headers
        names = dict(zip(SHEETS, headers(SHEETS.values()), strict=True))
        # Every sheet is added first so the tabs keep their order; constant_memory writes each one row by row.
        sheets = {key: workbook.add_worksheet(sheet_name(name)) for key, name in names.items()}
        builder = FeedbackRowBuilder(self.lookups, self.labels, self.round.name)
        feedback = Table(sheets["feedback"], fmt, builder.columns, headers(c.header for c in builder.columns))
        for row in stream_rows(self.where):
            feedback.add(builder.values(row))
            self.stats.add(row)
        feedback.finish()
        with export_language(self.params.lang):
            self._summary(sheets["summary"], fmt)
            self._by_section(sheets["sections"], fmt)
            self._coverage(sheets["coverage"], fmt)
            self._revisions(sheets["revisions"], fmt)
            self._questions(sheets["questions"], fmt)
        return feedback.rows

    def _round_sections(self) -> list[tuple[tuple[str, int], str, str | None]]:
        """(key, code, title) for the whole documents and every section of the round's versions."""
        version_ids = [v.id for v in self.round.versions]
        if self.params.document_ids:
            docs = set(self.params.document_ids)
            version_ids = [v for v in version_ids if self.lookups.versions[v].document_id in docs]
        entries = []
        for version_id in sorted(version_ids, key=lambda v: self.lookups.versions[v].document_code):
            version = self.lookups.versions[version_id]
            entries.append((("version", version_id), f"{version.document_code} *", _("Whole document")))
            sections = [(sid, s) for sid, s in self.lookups.sections.items() if s.version_id == version_id]
            for sid, section in sorted(sections, key=lambda pair: section_code_key(pair[1].code)):
                entries.append((("section", sid), section.code, section.title))
        return entries

    def _summary(self, sheet: Any, fmt: Formats) -> None:
        lab, lk, stats = self.labels, self.lookups, self.stats
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, 1, 70)
        sheet.set_column(2, 2, 12)
        write_row(sheet, 0, [_("Consolidated feedback workbook")], fmt.title)
        facts = [
            (_("Round"), self.round.name),
            (_("Versions"), "; ".join(version_name(lk, v.id) for v in self.round.versions)),
            (_("Filters"), "; ".join(f"{k}: {v}" for k, v in describe_filters(self.params)) or _("None")),
            (_("Language"), LANGUAGE_NAMES.get(self.params.lang, self.params.lang)),
            (_("Generated on"), self.generated_at),
            (_("Generated by"), self.user.name if self.user else _("Command line (working group)")),
            (_("Feedback items"), stats.total),
        ]
        row = 2
        for name, value in facts:
            write_row(sheet, row, [name, value], [fmt.bold, fmt.datetime if isinstance(value, datetime) else fmt.wrap])
            row += 1
        parts = {}
        for (doc, part), count in stats.by_part.items():
            section = next((s for s in lk.sections.values() if s.code == part), None) if part else None
            parts[f"{part} {section.part_title}" if section else f"{doc} * — {_('Whole document')}"] = count
        tables = [
            (_("Totals by status"), [(lab(s), stats.by_status.get(s, 0)) for s in TriageStatus]),
            (
                _("Totals by country"),
                sorted((lk.country_name(c), n) for c, n in stats.by_country.items()),
            ),
            (_("Totals by document part"), sorted(parts.items(), key=lambda kv: section_code_key(kv[0].split(" ")[0]))),
            (_("Totals by type"), [(lab(t), stats.by_type.get(t, 0)) for t in FeedbackType]),
        ]
        for title, entries in tables:
            row += 1
            write_row(sheet, row, [title, _("Items")], fmt.header)
            row += 1
            for name, count in entries:
                write_row(sheet, row, [name, count])
                row += 1

    def _by_section(self, sheet: Any, fmt: Formats) -> None:
        lab = self.labels
        columns = [Column(_l("Section code"), 10), Column(_l("Section title"), 40, "wrap"), Column(_l("Total"), 8)]
        columns += [Column(lab(s), 11) for s in TriageStatus] + [Column(lab(t), 11) for t in FeedbackType]
        columns += [Column(_l("Mean usefulness"), 11, "mean"), Column(_l("Mean clarity"), 11, "mean")]
        table = Table(sheet, fmt, columns, self.labels.headers(c.header for c in columns))
        for key, code, title in self._round_sections():
            stats = self.stats.sections.get(key)
            if stats is None:
                continue
            table.add(
                [code, title, stats.total]
                + [stats.statuses.get(s, 0) for s in TriageStatus]
                + [stats.types.get(t, 0) for t in FeedbackType]
                + [stats.mean(stats.usefulness), stats.mean(stats.clarity)]
            )
        table.finish()

    def _coverage(self, sheet: Any, fmt: Formats) -> None:
        lk = self.lookups
        country_ids = {p.country_id for p in self.round.participants} | set(self.stats.by_country)
        if self.params.country_ids:
            country_ids &= set(self.params.country_ids)
        countries = sorted(country_ids, key=lambda c: lk.countries[c][0])
        columns = [Column(_l("Section code"), 10), Column(_l("Section title"), 40, "wrap")]
        columns += [Column(lk.country_name(c), 10, "number") for c in countries] + [Column(_l("Total"), 8, "number")]
        table = Table(sheet, fmt, columns, self.labels.headers(c.header for c in columns))
        for key, code, title in self._round_sections():
            counts = [self.stats.coverage.get((key, c), 0) for c in countries]
            table.add([code, title, *counts, sum(counts)])
        table.finish()

    def _revisions(self, sheet: Any, fmt: Formats) -> None:
        lk, lab = self.lookups, self.labels
        table = Table(sheet, fmt, REVISION_COLUMNS, self.labels.headers(c.header for c in REVISION_COLUMNS))
        for revision_id, item in lk.revision_items.items():
            links = self.stats.revision_links.get(revision_id, [])
            countries = sorted({lk.country_name(country_id) for _fid, country_id in links})
            table.add(
                [
                    item.code,
                    item.title,
                    ", ".join(s.code for s in item.sections),
                    lk.agencies.get(item.owner_agency_id),
                    lab(item.status),
                    version_name(lk, item.applied_version_id),
                    len(links),
                    ", ".join(countries),
                    ", ".join(display_id(fid) for fid, _country in links),
                ]
            )
        table.finish()

    def _questions(self, sheet: Any, fmt: Formats) -> None:
        lk = self.lookups
        table = Table(sheet, fmt, QUESTION_COLUMNS, self.labels.headers(c.header for c in QUESTION_COLUMNS))
        stmt = (
            select(GuidingAnswer, GuidingQuestion)
            .join(GuidingQuestion, GuidingQuestion.id == GuidingAnswer.question_id)
            .where(GuidingQuestion.round_id == self.params.round_id, GuidingAnswer.state == AnswerState.submitted)
            .order_by(GuidingAnswer.country_id, GuidingQuestion.position)
        )
        if self.params.country_ids:
            stmt = stmt.where(GuidingAnswer.country_id.in_(self.params.country_ids))
        for answer, question in db.session.execute(stmt):
            table.add(
                [
                    lk.country_name(answer.country_id),
                    question.position,
                    question.text_in(self.params.lang),
                    answer.text,
                    answer.submitted_at,
                    lk.users.get(answer.submitted_by_id),
                ]
            )
        table.finish()


def write_consolidated(path: str, params: ExportParams, user: User | None, generated_at: datetime) -> int:
    """Write the consolidated workbook; return its number of feedback rows."""
    return ConsolidatedWorkbook(params, user, generated_at).write(path)
