"""Cell text: the input normalisation policy, the formula-injection guards (CSV, xlsx), safe download names, errors."""

from __future__ import annotations

import datetime as dt
import numbers
import os
import re
import unicodedata
from typing import Any

MAX_CELL_CHARS = 32_767  # Excel's limit; counted in UTF-16 units, as Excel counts
TRUNCATION_MARK = "…"

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
    """Input policy: NFC, \\n line ends, no controls but \\n and \\t (bidi marks kept), ends stripped.

    Text in which nothing visible remains (spaces, U+200B, U+2060, U+FEFF, bidi controls, lone combining marks)
    becomes "", so every entry path (forms, import, API) treats it as blank with its usual "required" message.
    """
    text = _LINE_BREAKS.sub("\n", value)
    # Remove controls before NFC: removing one can bring a letter next to its accent, which NFC then joins.
    text = unicodedata.normalize("NFC", _JUNK.sub("", text)).strip()
    return text if has_visible_text(text) else ""


# Spaces, controls, format characters (U+200B, U+2060, U+FEFF, bidi controls) and marks with no base letter.
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Mn", "Mc", "Me"})
# Letters and symbols that are drawn as nothing: Hangul fillers, the blank braille pattern.
_BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def has_visible_text(text: str) -> bool:
    """Whether text shows anything: a character that is not a space, control, format character or lone mark."""
    # Cn (unassigned here) counts as visible: it may be an emoji newer than this Python's Unicode tables.
    return any(unicodedata.category(char) not in _INVISIBLE_CATEGORIES and char not in _BLANK_GLYPHS for char in text)


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


def xlsx_text(value: str) -> tuple[str, bool]:
    """Text for an .xlsx string cell, and whether it needs the quote-prefix style (it could start a formula).

    No guard character is added: the quote-prefix style keeps the cell text in Excel, even after an edit, so the
    value reads back exactly as written (CSV has no styles and keeps sanitize_cell's apostrophe). Tabs stay (they
    are legal in xlsx); other controls go and the length is capped as in sanitize_cell.
    """
    if _already_safe(value):
        return value, False
    text = _JUNK.sub("", _LINE_BREAKS.sub("\n", value))
    return _truncate(text), value[:1] in _RISKY_FIRST or text.lstrip()[:1] in _FORMULA_START


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
