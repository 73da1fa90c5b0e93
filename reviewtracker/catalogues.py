"""Translation catalogues: what the code and templates ask to translate, and what fr/es leave untranslated.

One catalogue per language, translations/<lang>/LC_MESSAGES/messages.po, kept with pybabel
(`make translations-extract translations-update translations`). This module reads the same babel.cfg and
keywords as pybabel, so the test suite checks exactly what `pybabel extract` finds.
"""

from __future__ import annotations

import ast
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir, extract_python
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from reviewtracker.config import PROJECT_DIR

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
BABEL_CFG = TRANSLATIONS_DIR / "babel.cfg"
# The keywords the Makefile gives pybabel (-k _l -k _n:1,2) on top of Babel's defaults (_, gettext, ngettext).
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None, "_n": (1, 2)}
IGNORE_DIRS = (".*", "__pycache__", "node_modules")  # = pybabel's --ignore-dirs: _macros/ is scanned
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def _scanned(dirpath: str) -> bool:
    """Look into templates/_macros too (pybabel skips folders starting with '_' unless told otherwise)."""
    name = Path(dirpath).name
    return not (name.startswith(".") or name in IGNORE_DIRS)


def extract_catalog() -> Catalog:
    """Every translatable message of the code and templates, as `pybabel extract` writes them to the .pot."""
    with BABEL_CFG.open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalog = Catalog(project="ReviewTracker")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PROJECT_DIR),
        method_map=method_map,
        options_map=options_map,
        keywords=KEYWORDS,
        directory_filter=_scanned,
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def extract_messages() -> dict[str, list[str]]:
    """Every translatable message (its singular msgid), with where it is used."""
    return {
        _singular(message.id): [f"{path}:{line}" for path, line in message.locations]
        for message in extract_catalog()
        if message.id
    }


def read_catalogue(lang: str) -> Catalog:
    """The language's messages.po."""
    with (TRANSLATIONS_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def load_translations(lang: str) -> dict[str, str]:
    """The language's translations by singular msgid (non-fuzzy, non-empty; the first form of plurals)."""
    found = {}
    for message in read_catalogue(lang):
        text = _forms(message)[0]
        if message.id and text and not message.fuzzy:
            found[_singular(message.id)] = text
    return found


def untranslated_forms(message: Message, num_plurals: int) -> list[int]:
    """The indexes of the forms a catalogue entry leaves empty (all of them when it is fuzzy)."""
    forms = _forms(message)
    wanted = num_plurals if message.pluralizable else 1
    if message.fuzzy:
        return list(range(wanted))
    return [i for i in range(wanted) if i >= len(forms) or not forms[i]]


def missing_translations(lang: str) -> dict[str, list[str]]:
    """Messages used by the interface that the language does not translate yet (any form empty or fuzzy)."""
    catalogue = read_catalogue(lang)
    missing = {}
    for message in extract_catalog():
        if not message.id:
            continue
        entry = catalogue.get(message.id)
        if (
            entry is None
            or entry.pluralizable != message.pluralizable
            or untranslated_forms(entry, catalogue.num_plurals)
        ):
            missing[_singular(message.id)] = [f"{path}:{line}" for path, line in message.locations]
    return missing


def placeholders(text: str) -> list[str]:
    """The %(name)s / {name} placeholders of a message, sorted, so a translation can be compared with it."""
    return sorted(PLACEHOLDER.findall(text))


def _singular(msgid: str | tuple[str, ...]) -> str:
    return msgid[0] if isinstance(msgid, tuple) else msgid


def _forms(message: Message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, (tuple, list)) else (message.string,)


# --- The generic spreadsheet module's messages -------------------------------------------------------
_WORDS = re.compile(r"[A-Za-z]+ [A-Za-z]+")


def extract_plain_messages(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str | None, str | tuple[str, ...], list[str]]]:
    """A Babel extractor (see babel.cfg) for modules that must not import Flask-Babel (spreadsheets/).

    They raise SpreadsheetError("The column {column} is missing.", ...) with plain English str.format
    templates, which the features translate when they show them. So besides the usual gettext calls, every
    sentence-like string literal is a message, except docstrings, f-strings, log lines and errors for developers.
    """
    source = fileobj.read()
    yield from extract_python(io.BytesIO(source), keywords, comment_tags, options)
    tree = ast.parse(source)
    skipped: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skipped.add(id(body[0].value))  # a docstring
        if isinstance(node, ast.JoinedStr):
            skipped.update(id(part) for part in node.values)
        if isinstance(node, ast.Call) and (_is_log_line(node) or _is_programming_error(node)):
            skipped.update(id(arg) for arg in node.args)
        if isinstance(node, ast.Call) and _is_cell_format(node):
            skipped.update(id(part) for arg in node.args for part in ast.walk(arg))
    for node in ast.walk(tree):
        text = node.value if isinstance(node, ast.Constant) and id(node) not in skipped else None
        if isinstance(text, str) and _WORDS.search(text) and not text.startswith(" "):
            yield node.lineno, None, text, []


def _is_log_line(call: ast.Call) -> bool:
    target = call.func.value if isinstance(call.func, ast.Attribute) else None
    return isinstance(target, ast.Name) and target.id in {"log", "logger", "logging"}


def _is_cell_format(call: ast.Call) -> bool:
    """workbook.add_format({...}): its number formats ("yyyy-mm-dd hh:mm") are Excel codes, not sentences."""
    return isinstance(call.func, ast.Attribute) and call.func.attr == "add_format"


def _is_programming_error(call: ast.Call) -> bool:
    """raise ValueError("...") speaks to developers; only SpreadsheetError reaches users."""
    name = call.func.id if isinstance(call.func, ast.Name) else ""
    return name.endswith(("Error", "Exception")) and name != "SpreadsheetError"
