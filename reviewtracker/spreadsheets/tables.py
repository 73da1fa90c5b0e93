"""XlsxWriter tables for generated workbooks: columns, cell formats, header rows, frozen and filterable headers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reviewtracker.spreadsheets.writing import write_row

MAX_SHEET_NAME = 31
_SHEET_NAME_JUNK = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """A sheet column: header text, width in characters and how its cells look (text, wrap, date, number)."""

    header: object
    width: int
    kind: str = "text"


class Formats:
    """The few cell formats every generated workbook uses, created once per workbook."""

    def __init__(self, workbook: Any) -> None:
        self.header = workbook.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DCE6F1", "border": 1}
        )
        self.text = workbook.add_format({"valign": "top"})
        self.wrap = workbook.add_format({"valign": "top", "text_wrap": True})
        self.date = workbook.add_format({"valign": "top", "num_format": "yyyy-mm-dd"})
        self.datetime = workbook.add_format({"valign": "top", "num_format": "yyyy-mm-dd hh:mm"})
        self.number = workbook.add_format({"valign": "top"})
        self.mean = workbook.add_format({"valign": "top", "num_format": "0.0"})
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.bold = workbook.add_format({"bold": True, "valign": "top"})

    def for_columns(self, columns: Sequence[Column]) -> list[Any]:
        """One format per column, by the column's kind."""
        return [getattr(self, column.kind) for column in columns]


def sheet_name(text: str) -> str:
    """A translated sheet title that Excel accepts (31 characters, none of []:*?/\\)."""
    return _SHEET_NAME_JUNK.sub(" ", text).strip()[:MAX_SHEET_NAME] or "Sheet"


class Table:
    """A worksheet holding one table: header on the first row, frozen and filterable, rows written in order."""

    def __init__(self, sheet: Any, formats: Formats, columns: Sequence[Column], headers: list[str]):
        self.sheet = sheet
        self.formats = formats
        self.cell_formats = formats.for_columns(columns)
        self.width = len(columns)
        for index, column in enumerate(columns):
            self.sheet.set_column(index, index, column.width)
        write_row(self.sheet, 0, headers, formats.header)
        self.sheet.freeze_panes(1, 0)
        self.next_row = 1

    def add(self, values: Sequence[Any]) -> None:
        """Write the next data row; empty cells are skipped rather than written as styled blanks (faster, smaller)."""
        write_row(self.sheet, self.next_row, values, self.cell_formats, skip_blanks=True)
        self.next_row += 1

    @property
    def rows(self) -> int:
        """Data rows written so far."""
        return self.next_row - 1

    def finish(self) -> None:
        """Turn on the filter over the header and every data row."""
        self.sheet.autofilter(0, 0, max(self.next_row - 1, 0), self.width - 1)
