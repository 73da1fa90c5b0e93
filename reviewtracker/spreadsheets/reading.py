"""Reading a sheet's rows as text with row- and column-named errors (never trusting Excel's own guesses)."""

from __future__ import annotations

import datetime as dt
import difflib
import io
import logging
import warnings
from collections.abc import Iterable
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from reviewtracker.spreadsheets.cells import _FIXED_FORMAT, SpreadsheetError, normalize_text
from reviewtracker.spreadsheets.uploads import _DAMAGED

log = logging.getLogger(__name__)


MAX_EMPTY_RUN = 1_000  # this many consecutive empty rows end the data
HEADER_SEARCH_ROWS = 10
MAX_HEADER_COLUMNS = 256
UNLABELLED_SCAN_COLUMNS = 20  # columns read right of the last heading, so stray data is reported


def read_sheet_rows(
    data: bytes,
    sheet_name: str | None = None,
    *,
    expected_headers: list[str],
    header_aliases: dict[str, list[str]] | None = None,
    max_rows: int,
    header_row: int = 1,
    text_columns: Iterable[str] = (),
) -> tuple[list[dict[str, Any]], list[SpreadsheetError]]:
    """Read a sheet of an upload that passed check_xlsx_upload: text rows by heading, and every problem."""
    try:
        with warnings.catch_warnings(action="ignore"):  # openpyxl warns about parts it drops; we read values
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
            try:
                return _read_rows(
                    workbook,
                    sheet_name,
                    expected_headers,
                    header_aliases or {},
                    max_rows,
                    header_row,
                    set(text_columns),
                )
            finally:
                workbook.close()
    except SpreadsheetError:
        raise
    except Exception as exc:  # openpyxl raises many types on damaged files; the user needs one clear message
        log.warning("could not read a workbook", exc_info=True)
        raise SpreadsheetError(_DAMAGED) from exc


def _header_key(value: Any) -> str:
    return " ".join(normalize_text(str(value)).casefold().split())


def _read_rows(workbook, sheet_name, expected, aliases, max_rows, header_row, text_columns):
    sheet_name = sheet_name or workbook.sheetnames[0]
    if sheet_name not in workbook.sheetnames or not hasattr(workbook[sheet_name], "iter_rows"):
        return [], [
            SpreadsheetError(
                "The workbook has no sheet named {sheet}; its sheets are: {sheets}.",
                sheet=sheet_name,
                sheets=", ".join(workbook.sheetnames),
            )
        ]
    sheet = workbook[sheet_name]
    sheet.reset_dimensions()  # a wrong stored size would hide rows, or make every row 16,384 cells wide
    keys = {_header_key(name): name for name in expected}
    keys.update({_header_key(alias): name for name, more in aliases.items() for alias in more})
    top = list(
        sheet.iter_rows(max_row=max(HEADER_SEARCH_ROWS, header_row), max_col=MAX_HEADER_COLUMNS, values_only=True)
    )
    hits = [sum(value is not None and _header_key(value) in keys for value in row) for row in top]
    found = hits[header_row - 1] if header_row <= len(hits) else 0
    best = max(range(len(hits)), key=hits.__getitem__, default=0) + 1
    if hits and hits[best - 1] > found and found < len(expected) / 2:
        return [], [
            SpreadsheetError(
                "The column headings must be on row {expected_row}; they seem to be on row {found_row}.",
                row=best,
                expected_row=header_row,
                found_row=best,
            )
        ]
    if not found:
        return [], [
            SpreadsheetError(
                "Row {row} must hold the column headings: {headings}.", row=header_row, headings=", ".join(expected)
            )
        ]
    headings = [
        (col, normalize_text(str(value)))
        for col, value in enumerate(top[header_row - 1], 1)
        if value is not None and normalize_text(str(value))
    ]
    columns, skipped, errors = {}, set(), []
    for col, text in headings:  # known headings first, so a "renamed" guess never names a present column
        name = keys.get(_header_key(text))
        if name and name not in columns.values():
            columns[col] = name
        else:
            skipped.add(col)
    missing = {_header_key(name): name for name in expected if name not in columns.values()}
    for col, text in headings:
        if col not in skipped:
            continue
        where = {"row": header_row, "found": text, "cell": f"{get_column_letter(col)}{header_row}"}
        guess = difflib.get_close_matches(_header_key(text), list(missing), n=1, cutoff=0.75)
        if keys.get(_header_key(text)):
            errors.append(
                SpreadsheetError(
                    "The column {column} appears twice (again in cell {cell}).", column=keys[_header_key(text)], **where
                )
            )
        elif guess:
            errors.append(
                SpreadsheetError(
                    "The heading {found} in cell {cell} looks like a renamed {column}; change it back to {column}.",
                    column=missing.pop(guess[0]),
                    **where,
                )
            )
        else:
            errors.append(
                SpreadsheetError(
                    "Unknown column {found} in cell {cell}; remove it or use one of: {headings}.",
                    headings=", ".join(expected),
                    **where,
                )
            )
    errors += [
        SpreadsheetError("The column {column} is missing.", row=header_row, column=name) for name in missing.values()
    ]
    width = min(MAX_HEADER_COLUMNS, max(col for col, _ in headings) + UNLABELLED_SCAN_COLUMNS)
    return _read_data(sheet, header_row, width, columns, skipped, expected, max_rows, text_columns, errors)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_data(sheet, header_row, width, columns, skipped, expected, max_rows, text_columns, errors):
    rows, empty_run, unlabelled = [], 0, set()
    for number, cells in enumerate(sheet.iter_rows(min_row=header_row + 1, max_col=width), header_row + 1):
        if all(_is_blank(cell.value) for cell in cells):
            empty_run += 1
            if empty_run >= MAX_EMPTY_RUN:
                break
            continue
        empty_run = 0
        if len(rows) >= max_rows:
            errors.append(
                SpreadsheetError(
                    "The sheet has more than {max_rows} rows of data; split it into smaller files.",
                    row=number,
                    max_rows=max_rows,
                )
            )
            break
        record: dict[str, Any] = {"_row": number, **dict.fromkeys(expected, "")}
        for col, cell in enumerate(cells, 1):
            name = columns.get(col)
            if _is_blank(cell.value) or col in skipped:
                continue
            if name is None:
                if col not in unlabelled:  # one error per column, not one per row
                    unlabelled.add(col)
                    errors.append(
                        SpreadsheetError(
                            "Cell {cell} has a value but its column has no heading.", row=number, cell=cell.coordinate
                        )
                    )
                continue
            record[name], problem = _cell_text(cell, name in text_columns)
            if problem:
                errors.append(
                    SpreadsheetError(problem, row=number, column=name, cell=cell.coordinate, value=str(cell.value))
                )
        rows.append(record)
    return rows, errors


def _cell_text(cell, text_only: bool) -> tuple[str, str | None]:
    value = cell.value
    if cell.data_type == "f":
        return "", "Cell {cell} contains a formula; paste values only."
    if cell.data_type == "e":
        return "", "Cell {cell} shows the error {value}; replace it with a value."
    if isinstance(value, str):
        return normalize_text(value), None
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), None
    if text_only:
        return "", (
            "Cell {cell} holds {value} as a number or date, so Excel may have changed what was typed "
            "(1.10 becomes 1.1); format the column as Text and type the value again."
        )
    if isinstance(value, int | float):
        return _number_text(value, cell.number_format), None
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat(), None
    return normalize_text(str(value)), None


def _number_text(value: float, number_format: str | None) -> str:
    fixed = _FIXED_FORMAT.fullmatch(number_format or "")
    if fixed:  # "0.00" shows 1.1 as 1.10: return what the user sees
        return f"{value:.{len(fixed.group(1) or '')}f}"
    if isinstance(value, int) or (value.is_integer() and abs(value) < 1e15):
        return str(int(value))
    return format(value, ".15g")  # Excel shows 15 significant digits; plain "g" would round to 6
