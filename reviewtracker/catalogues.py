"""Translation catalogues: extract the interface's messages and find what fr/es do not translate yet.

Each feature keeps its own catalogue (translations/<lang>/LC_MESSAGES/<feature>.po); the app merges
them at run time (i18n.py), and the test suite requires every message to be translated in every language.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from reviewtracker.config import PROJECT_DIR

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2), "_n": (1, 2)}
METHOD_MAP = [("reviewtracker/**.py", "python"), ("templates/**.html", "jinja2")]


def _visible_directory(dirpath: str) -> bool:
    """Look into templates/_macros too (Babel skips folders starting with '_' by default)."""
    name = Path(dirpath).name
    return not name.startswith(".") and name not in {"__pycache__", "node_modules"} and ".venv" not in dirpath


def extract_messages() -> dict[str, list[str]]:
    """Every translatable message of the code and templates, with where it is used."""
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(PROJECT_DIR),
        method_map=METHOD_MAP,
        keywords=KEYWORDS,
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
        directory_filter=_visible_directory,
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return found


def load_translations(lang: str) -> dict[str, str]:
    """The merged translations of every feature catalogue of a language (non-fuzzy, non-empty)."""
    merged: dict[str, str] = {}
    for po_path in sorted((TRANSLATIONS_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            msgid = message.id[0] if isinstance(message.id, tuple) else message.id
            text = message.string[0] if isinstance(message.string, tuple) else message.string
            if text:
                merged[msgid] = text
    return merged


def conflicting_translations(lang: str) -> dict[str, dict[str, str]]:
    """Messages translated differently by two feature catalogues (merged at run time, only one would show)."""
    by_message: dict[str, dict[str, str]] = {}
    for po_path in sorted((TRANSLATIONS_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        for message in catalog:
            if message.id and message.string and not message.fuzzy and isinstance(message.id, str):
                by_message.setdefault(message.id, {})[po_path.stem] = message.string
    return {msgid: found for msgid, found in by_message.items() if len(set(found.values())) > 1}


def missing_translations(lang: str) -> dict[str, list[str]]:
    """Messages used by the interface that the language does not translate yet."""
    have = load_translations(lang)
    return {msgid: where for msgid, where in extract_messages().items() if msgid not in have}


def append_to_catalogue(lang: str, domain: str, entries: dict[str, str]) -> Path:
    """Add or replace translations in one feature catalogue (used when writing catalogues)."""
    path = TRANSLATIONS_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
    else:
        catalog = Catalog(locale=lang, domain=domain, project="ReviewTracker")
    catalog.fuzzy = False  # a new catalogue's header is fuzzy, and fuzzy catalogues are not compiled
    for msgid, text in entries.items():
        catalog.add(msgid, text)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True, omit_header=False)
    return path
