"""Generic .xlsx support for every feature: one text policy, one formula-injection guard, safe uploads and writes.

The public API lives in five modules and is re-exported here, so callers import from `reviewtracker.spreadsheets`:
cells (normalize_text, has_visible_text, sanitize_cell for CSV, xlsx_text, safe_download_name, SpreadsheetError),
uploads (check_xlsx_upload), reading (read_sheet_rows), writing (atomic_write, new_xlsxwriter_workbook, write_row,
write_text) and tables (Column, Formats, Table, sheet_name: the header-and-rows sheets of generated workbooks).
"""

from reviewtracker.spreadsheets.cells import (
    MAX_CELL_CHARS,
    TRUNCATION_MARK,
    SpreadsheetError,
    has_visible_text,
    normalize_text,
    safe_download_name,
    sanitize_cell,
    xlsx_text,
)
from reviewtracker.spreadsheets.reading import MAX_EMPTY_RUN, read_sheet_rows
from reviewtracker.spreadsheets.tables import Column, Formats, Table, sheet_name
from reviewtracker.spreadsheets.uploads import (
    DEFAULT_MAX_ENTRIES,
    DEFAULT_MAX_RATIO,
    DEFAULT_MAX_UNCOMPRESSED,
    check_xlsx_upload,
)
from reviewtracker.spreadsheets.writing import (
    SafeWorkbook,
    atomic_write,
    new_xlsxwriter_workbook,
    write_row,
    write_text,
)

__all__ = [
    "DEFAULT_MAX_ENTRIES",
    "DEFAULT_MAX_RATIO",
    "DEFAULT_MAX_UNCOMPRESSED",
    "MAX_CELL_CHARS",
    "MAX_EMPTY_RUN",
    "TRUNCATION_MARK",
    "Column",
    "Formats",
    "SafeWorkbook",
    "SpreadsheetError",
    "Table",
    "atomic_write",
    "check_xlsx_upload",
    "has_visible_text",
    "new_xlsxwriter_workbook",
    "normalize_text",
    "read_sheet_rows",
    "safe_download_name",
    "sanitize_cell",
    "sheet_name",
    "write_row",
    "write_text",
    "xlsx_text",
]
