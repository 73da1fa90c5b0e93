"""Upload safety for .xlsx files, checked before any parsing: type, size, zip bombs, XML bombs, macros, links."""

from __future__ import annotations

import io
import logging
import math
import os
import zipfile
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse

from reviewtracker.spreadsheets.cells import SpreadsheetError

log = logging.getLogger(__name__)


DEFAULT_MAX_UNCOMPRESSED = 100 * 1024 * 1024
DEFAULT_MAX_ENTRIES = 1_000
DEFAULT_MAX_RATIO = 100  # Apache POI's default; real workbooks stay far below it
RATIO_GRACE_BYTES = 100 * 1024  # small parts may compress extremely well and still be harmless
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
