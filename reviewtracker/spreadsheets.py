"""Generic .xlsx support: cell sanitising, upload safety checks, row reading and atomic file writing."""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import hashlib
import io
import itertools
import logging
import math
import numbers
import os
import re
import tempfile
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

import xlsxwriter
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

log = logging.getLogger(__name__)

MAX_CELL_CHARS = 32_767  # Excel's limit; counted in UTF-16 units, as Excel counts
TRUNCATION_MARK = "…"
DEFAULT_MAX_UNCOMPRESSED = 100 * 1024 * 1024
DEFAULT_MAX_ENTRIES = 1_000
DEFAULT_MAX_RATIO = 100  # Apache POI's default; real workbooks stay far below it
RATIO_GRACE_BYTES = 100 * 1024  # small parts may compress extremely well and still be harmless
MAX_EMPTY_RUN = 1_000  # this many consecutive empty rows end the data
HEADER_SEARCH_ROWS = 10
MAX_HEADER_COLUMNS = 256
UNLABELLED_SCAN_COLUMNS = 20  # columns read right of the last heading, so stray data is reported

_LINE_BREAKS = re.compile(r"\r\n?")
# C0 but tab and LF, DEL, C1, lone surrogates, U+FFFE/U+FFFF: none of them may appear in xlsx XML.
_JUNK = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_FORMULA_START = frozenset("=+-@")
_RISKY_FIRST = _FORMULA_START | frozenset("\t\r\n\x00")
# Every character sanitize_cell would change: _JUNK (which includes CR) plus tab. Text with none of them, no
# formula trigger after its leading whitespace, no leading LF and short enough is already safe: returned as is.
_NEEDS_CLEANING = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SAFE_LENGTH = MAX_CELL_CHARS // 2  # a str this short cannot exceed the limit even in UTF-16 units
_MAX_EXACT_INT = 2**53  # beyond it a float (Excel's only number) loses digits
_FIXED_FORMAT = re.compile(r"0(?:\.(0+))?")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DAMAGED = "The file could not be read as an Excel .xlsx workbook; it may be damaged. Save it again in Excel."
_NOT_XLSX = "The file is not an Excel .xlsx workbook (it looks like {kind})."
_MACROS = "The workbook contains macros; save it as an Excel Workbook (.xlsx) without macros."
_EXTENSIONS = {
    ".xlsm": _MACROS,
    ".xltm": _MACROS,
    ".xls": "Old Excel files (.xls) are not accepted; save the file as .xlsx.",
    ".csv": "CSV files are not accepted; open the file in Excel and save it as .xlsx.",
    ".ods": "OpenDocument files (.ods) are not accepted; save the file as .xlsx.",
}


class SpreadsheetError(Exception):
    """A problem with an uploaded workbook, worded for the person who uploaded it."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None, **params: Any):
        # message is a str.format template, so the app can translate it before filling in the params
        self.message_template = message
        self.row = row
        self.column = column
        self.params = {"row": row, "column": column, **params}
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The message with its parameters filled in."""
        return self.message_template.format(**self.params)

    @property
    def location(self) -> str:
        """Where the problem is, e.g. "Row 7, Section"; empty for whole-file problems."""
        parts = [f"Row {self.row}"] if self.row is not None else []
        return ", ".join([*parts, self.column] if self.column else parts)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


def normalize_text(value: str) -> str:
    """Input policy: NFC, \\n line ends, no controls but \\n and \\t (bidi marks kept), ends stripped."""
    text = _LINE_BREAKS.sub("\n", value)
    # Remove controls before NFC: removing one can bring a letter next to its accent, which NFC then joins.
    return unicodedata.normalize("NFC", _JUNK.sub("", text)).strip()


def sanitize_cell(value: Any) -> Any:
    """Return value safe for a spreadsheet cell; numbers, dates, bools and None pass through unchanged."""
    if type(value) is str and _already_safe(value):  # the common case: one regex scan, no copies
        return value
    return _sanitize(value)


def _already_safe(text: str) -> bool:
    """True only if _sanitize would return text unchanged (tests/test_spreadsheets.py checks that they agree)."""
    return (
        len(text) <= _SAFE_LENGTH
        and _NEEDS_CLEANING.search(text) is None
        and text.lstrip()[:1] not in _FORMULA_START
        and text[:1] != "\n"  # the only risky first character that neither the regex nor the lstrip check sees
    )


def _sanitize(value: Any) -> Any:
    """The full guard, for every value: sanitize_cell's contract."""
    if value is None or isinstance(value, numbers.Number | dt.date | dt.time | dt.timedelta):
        return value
    text = value if isinstance(value, str) else str(value)
    # Spreadsheet apps and CSV readers drop a leading tab/CR/LF/NUL and then evaluate what follows it.
    risky = text[:1] in _RISKY_FIRST
    # A tab becomes a space rather than vanishing, so the words on either side stay apart.
    text = _JUNK.sub("", _LINE_BREAKS.sub("\n", text).replace("\t", " "))
    if risky or text.lstrip()[:1] in _FORMULA_START:
        text = "'" + text  # "-" or "-5" typed by a user is text too, and "-1+1" would compute
    return _truncate(text)


def _truncate(text: str) -> str:
    if len(text) * 2 <= MAX_CELL_CHARS or len(text.encode("utf-16-le")) // 2 <= MAX_CELL_CHARS:
        return text
    budget, units, cut = MAX_CELL_CHARS - len(TRUNCATION_MARK), 0, 0
    for cut, char in enumerate(text):  # noqa: B007 - cut ends as the first character that does not fit
        units += 2 if ord(char) > 0xFFFF else 1
        if units > budget:
            break
    while cut > 0 and _joins_previous(text, cut):
        cut -= 1  # never keep a letter without its accents, or half an emoji sequence or flag
    return text[:cut] + TRUNCATION_MARK


def _joins_previous(text: str, index: int) -> bool:
    char, previous = text[index], text[index - 1]
    if unicodedata.category(char) in ("Mn", "Mc", "Me") or "\u200d" in (char, previous):
        return True
    if "\U0001f3fb" <= char <= "\U0001f3ff" or "\U000e0020" <= char <= "\U000e007f":
        return True  # skin-tone modifiers; tag characters of subdivision flags
    run = 0  # a flag is a pair of regional indicators: keep whole pairs only
    while run < index and "\U0001f1e6" <= text[index - run - 1] <= "\U0001f1ff":
        run += 1
    return "\U0001f1e6" <= char <= "\U0001f1ff" and run % 2 == 1


def safe_download_name(name: str, fallback: str = "download") -> str:
    """Return name fit for Content-Disposition and any OS: no controls, quotes, separators or bidi tricks."""
    kept = []
    for char in unicodedata.normalize("NFC", str(name)):
        category = unicodedata.category(char)
        if category in ("Zs", "Zl", "Zp") or char in "\r\n\t":
            kept.append(" ")
        elif category[0] != "C":  # C*: controls and format characters (U+202E turns "gpj.exe" into "exe.jpg")
            # quotes and separators break headers and paths; ";" and "," confuse some header parsers
            kept.append("_" if char in "\"'\\/:*?<>|;,`" else char)
    text = " ".join("".join(kept).split()).strip(" .")
    stem, ext = os.path.splitext(text)
    if len(text) > 120:
        text = stem[: 120 - len(ext[:16])].rstrip(" .") + ext[:16]
    if re.fullmatch(r"(con|prn|aux|nul|com\d|lpt\d)(\..*)?", text, re.IGNORECASE):
        text = "_" + text  # Windows refuses to save these names
    return text or fallback


def check_xlsx_upload(
    stream: Any,
    *,
    filename: str | None,
    max_bytes: int,
    max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED,
    max_entries: int = DEFAULT_MAX_ENTRIES,
    max_ratio: float = DEFAULT_MAX_RATIO,
) -> bytes:
    """Return the upload's bytes if it is a plain .xlsx that is safe to parse; else raise SpreadsheetError."""
    extension = os.path.splitext((filename or "").strip().lower())[1]
    if extension != ".xlsx":
        raise SpreadsheetError(_EXTENSIONS.get(extension, "Only Excel .xlsx files are accepted."))
    # Read one byte past the limit, so an oversized file is detected without reading all of it.
    data = bytes(stream) if isinstance(stream, bytes | bytearray | memoryview) else stream.read(max_bytes + 1)
    if not data:
        raise SpreadsheetError("The file is empty.")
    if len(data) > max_bytes:
        raise SpreadsheetError("The file is larger than the limit of {limit}.", limit=_human_size(max_bytes))
    if not data.startswith(b"PK\x03\x04"):
        raise SpreadsheetError(_NOT_XLSX, kind=_sniff_kind(data))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_package(archive, max_uncompressed, max_entries, max_ratio)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
        RuntimeError,
        ParseError,
    ) as exc:
        log.info("refused a damaged upload %r: %s", filename, exc)
        raise SpreadsheetError(_DAMAGED) from exc
    return data


def _sniff_kind(data: bytes) -> str:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    kinds = [
        (data.startswith(_OLE_MAGIC), "an old .xls file or a password-protected workbook"),
        (head.startswith(b"%pdf"), "a PDF document"),
        (head.startswith((b"<!doctype html", b"<table", b"<meta")) or b"<html" in head, "an HTML page"),
        (head.startswith(b"<?xml"), "an XML file"),
        (data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in head, "a CSV or text file"),
    ]
    return next((kind for matches, kind in kinds if matches), "a different kind of file")


def _check_package(archive: zipfile.ZipFile, max_uncompressed: int, max_entries: int, max_ratio: float):
    infos = archive.infolist()
    if len(infos) > max_entries:
        raise SpreadsheetError(
            "The workbook has too many parts ({count}; the limit is {limit}).", count=len(infos), limit=max_entries
        )
    # Sizes come from the central directory; zipfile never inflates an entry past its declared size.
    names, total = set(), 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise SpreadsheetError("The workbook is password-protected; remove the password, then upload.")
        if info.filename.lower() in names:  # two parts, one name: two readers could see different data
            raise SpreadsheetError(_DAMAGED)
        names.add(info.filename.lower())
        total += info.file_size
        if info.file_size > RATIO_GRACE_BYTES and info.file_size > max_ratio * max(info.compress_size, 1):
            raise SpreadsheetError("The workbook expands suspiciously ({part}), like a zip bomb.", part=info.filename)
    if total > max_uncompressed:
        raise SpreadsheetError(
            "The workbook is too large once unpacked ({size}; the limit is {limit}).",
            size=_human_size(total),
            limit=_human_size(max_uncompressed),
        )
    if "xl/workbook.xml" not in names or "[content_types].xml" not in names:
        kinds = {
            "word/document.xml": "a Word document",
            "ppt/presentation.xml": "a PowerPoint file",
            "content.xml": "an OpenDocument file",
        }
        kind = next((kind for part, kind in kinds.items() if part in names), "a ZIP archive")
        raise SpreadsheetError(_NOT_XLSX, kind=kind)
    content_types = archive.read("[Content_Types].xml").lower()
    if any(name.endswith("vbaproject.bin") or name.startswith("xl/macrosheets/") for name in names) or any(
        marker in content_types for marker in (b"macroenabled", b"vbaproject", b"macrosheet")
    ):
        raise SpreadsheetError(_MACROS)
    if any(name.startswith("xl/externallinks/") for name in names) or b"externallink" in content_types:
        raise SpreadsheetError(
            "The workbook links to other files; break the links (Data > Edit Links), then upload it again."
        )
    if "xl/connections.xml" in names or any(name.startswith("xl/querytables/") for name in names):
        raise SpreadsheetError("The workbook has external data connections; paste its values into a new one.")
    for info in infos:
        _check_xml_part(archive, info)


def _check_xml_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    # A document type declaration is how entity bombs and external entities get in; no real workbook has one.
    refused = SpreadsheetError(
        "The workbook contains an XML document type declaration ({part}), which is "
        "not allowed; save it again in Excel.",
        part=info.filename,
    )
    name = info.filename.lower()
    if name.endswith(".vml"):  # legacy drawings are not always well-formed XML, so scan their bytes
        content = archive.read(info).lower()
        if b"<!doctype" in content or b"<!entity" in content:
            raise refused
    elif name.endswith((".xml", ".rels")):
        # Parse rather than grep: a UTF-16 part would hide "<!DOCTYPE" from a byte search.
        with archive.open(info) as part:
            try:
                for _event in iterparse(part, events=("start",), forbid_dtd=True):
                    break  # the root element has started, so no DTD can follow
            except DefusedXmlException as exc:
                raise refused from exc


def _human_size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{math.ceil(size / 1024)} KB"


# read_sheet_rows returns every value as text put through normalize_text: dates as ISO strings, numbers as
# Excel shows them for fixed formats such as "0.00", else with up to 15 significant digits. The trap: Excel
# stores a typed "1.10" as the number 1.1 and nothing can bring the zero back, so a number or date in one of
# text_columns (codes) is reported, not converted. Formula and error cells are reported with the cell named.
# Each row dict has "_row" (the Excel row number) and every expected heading (a missing column gives "").
# Reading stops after max_rows data rows (with an error) or after MAX_EMPTY_RUN consecutive empty rows, so a
# sheet "formatted down to row 1,048,576" stays fast. Only an unreadable workbook raises SpreadsheetError.
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


def new_xlsxwriter_workbook(path: str | os.PathLike, constant_memory: bool = True) -> xlsxwriter.Workbook:
    """Return an XlsxWriter workbook that never turns text into formulas, links or numbers."""
    # strings_to_urls would also hit Excel's cap of 65,530 links per sheet
    return xlsxwriter.Workbook(
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
            worksheet.write_string(row, col, sanitize_cell(value), fmt)  # every text goes through the full guard
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
        text = value if isinstance(value, str) else str(value)
        worksheet.write_string(row, col, sanitize_cell(text), fmt)
