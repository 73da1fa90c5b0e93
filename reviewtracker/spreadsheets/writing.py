"""Writing workbooks safely: XlsxWriter defaults, typed cell writes through the guard, atomic file replacement."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import itertools
import math
import numbers
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

import xlsxwriter

from reviewtracker.spreadsheets.cells import _MAX_EXACT_INT, xlsx_text


def atomic_write(final_path: str | os.PathLike, writer_fn: Callable[[str], Any]) -> tuple[str, int]:
    """Write a file via writer_fn(temp_path), then rename it into place; return its sha256 hex and size."""
    final_path = os.fspath(final_path)
    folder = os.path.dirname(os.path.abspath(final_path))
    # Same folder, so os.replace is a rename within one filesystem: readers see the old file or the new one.
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".", suffix=".tmp", delete=False) as handle:
        temp_path = handle.name
    try:
        writer_fn(temp_path)
        digest, size = hashlib.sha256(), 0
        with open(temp_path, "rb+") as written:  # opened for writing so that fsync works everywhere
            for chunk in iter(lambda: written.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
            os.fsync(written.fileno())
        os.replace(temp_path, final_path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_path)
        raise
    if os.name == "posix":  # make the rename durable too; the file is already in place, so best effort
        with contextlib.suppress(OSError):
            fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    return digest.hexdigest(), size


# Format attributes that belong to one workbook's style tables, not to the look of a cell: never copied.
_FORMAT_BOOKKEEPING = frozenset({"xf_format_indices", "dxf_format_indices", "xf_index", "dxf_index", "_format_key"})


class SafeWorkbook(xlsxwriter.Workbook):
    """An XlsxWriter workbook whose worksheets can mark risky text as text with Excel's quote-prefix style."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._quote_prefixed: dict[int, Any] = {}

    def add_worksheet(self, name: str | None = None, worksheet_class: Any = None) -> Any:
        """A worksheet that write_row can find its workbook's quote-prefix formats from."""
        sheet = super().add_worksheet(name, worksheet_class)
        sheet.quote_prefixed = self.quote_prefixed
        return sheet

    def quote_prefixed(self, fmt: Any) -> Any:
        """fmt (or the default format) with the quote-prefix style added; one new format per fmt."""
        key = id(fmt)  # formats live as long as the workbook, so their ids stay unique
        if key not in self._quote_prefixed:
            combined = self.add_format()
            if fmt is not None:  # XlsxWriter has no public copy: take the look, leave the style-table bookkeeping
                combined.__dict__.update({k: v for k, v in vars(fmt).items() if k not in _FORMAT_BOOKKEEPING})
            combined.set_quote_prefix()
            self._quote_prefixed[key] = combined
        return self._quote_prefixed[key]


def new_xlsxwriter_workbook(path: str | os.PathLike, constant_memory: bool = True) -> SafeWorkbook:
    """Return an XlsxWriter workbook that never turns text into formulas, links or numbers."""
    # strings_to_urls would also hit Excel's cap of 65,530 links per sheet
    return SafeWorkbook(
        os.fspath(path),
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "constant_memory": constant_memory,
            "default_date_format": "yyyy-mm-dd",
        },
    )


def write_row(
    worksheet: Any, row: int, values: Sequence[Any], formats: Any = None, *, skip_blanks: bool = False
) -> None:
    """Write one row by value type, sanitising all text; formats is one Format or one per column.

    skip_blanks leaves None cells empty instead of writing formatted blanks (smaller files, faster writes).
    """
    if formats is None or isinstance(formats, xlsxwriter.format.Format):
        cell_formats: Iterable[Any] = itertools.repeat(formats)
    else:
        cell_formats = itertools.chain(formats, itertools.repeat(None))
    # Dispatch on the exact type of the values an export mostly holds; anything else takes the general path.
    for col, (value, fmt) in enumerate(zip(values, cell_formats, strict=False)):
        kind = type(value)
        if kind is str:
            write_text(worksheet, row, col, value, fmt)  # every text goes through the full guard
        elif value is None:
            if fmt is not None and not skip_blanks:  # XlsxWriter ignores a blank without a format anyway
                worksheet.write_blank(row, col, None, fmt)
        elif kind is int and -_MAX_EXACT_INT <= value <= _MAX_EXACT_INT:
            worksheet.write_number(row, col, float(value), fmt)
        elif kind is dt.datetime and not value.utcoffset():  # naive (SQLite) or any UTC zone (PostgreSQL's)
            worksheet.write_datetime(row, col, value.replace(tzinfo=None), fmt)  # the wall time is already UTC
        else:
            _write_cell(worksheet, row, col, value, fmt)


def _write_cell(worksheet: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    number = isinstance(value, numbers.Real | Decimal)  # Decimal (SQL NUMERIC) is not a numbers.Real
    if value is None or (number and math.isnan(value)):
        worksheet.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        worksheet.write_boolean(row, col, value, fmt)
    elif isinstance(value, int) and abs(value) > _MAX_EXACT_INT:
        worksheet.write_string(row, col, str(value), fmt)  # Excel would round it to 15 digits
    elif number and math.isfinite(value):
        worksheet.write_number(row, col, float(value), fmt)
    elif isinstance(value, dt.datetime) and value.tzinfo is not None:  # Excel has no zones: write UTC
        worksheet.write_datetime(row, col, value.astimezone(dt.UTC).replace(tzinfo=None), fmt)
    elif isinstance(value, dt.date | dt.time | dt.timedelta):
        worksheet.write_datetime(row, col, value, fmt)
    else:
        write_text(worksheet, row, col, value if isinstance(value, str) else str(value), fmt)


def write_text(worksheet: Any, row: int, col: int, value: str, fmt: Any = None) -> None:
    """Write text as a string cell; text that could start a formula gets the quote-prefix style, no apostrophe.

    The worksheet must come from new_xlsxwriter_workbook, which knows the workbook's formats.
    """
    text, risky = xlsx_text(value)
    if risky:
        quote_prefixed = getattr(worksheet, "quote_prefixed", None)
        if quote_prefixed is None:
            raise TypeError("write_row and write_text need a worksheet of a new_xlsxwriter_workbook() workbook.")
        # An apostrophe in the value would be read back as part of the text (the round trip would change it).
        fmt = quote_prefixed(fmt)
    worksheet.write_string(row, col, text, fmt)
