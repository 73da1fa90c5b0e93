"""The models reach the request locale without importing i18n, which imports every model (no import cycle)."""

import subprocess
import sys


def _imported_after(statement: str) -> set[str]:
    """The reviewtracker modules a fresh interpreter has loaded after running statement."""
    code = f"import sys; {statement}; print('\\n'.join(m for m in sys.modules if m.startswith('reviewtracker')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def test_locale_imports_no_models():
    loaded = _imported_after("import reviewtracker.locale")
    assert "reviewtracker.locale" in loaded
    assert not any(name == "reviewtracker.models" or name.startswith("reviewtracker.models.") for name in loaded)
    assert "reviewtracker.i18n" not in loaded


def test_models_import_alone_without_i18n():
    loaded = _imported_after("import reviewtracker.models")
    assert "reviewtracker.i18n" not in loaded


def test_i18n_still_offers_current_language():
    from reviewtracker import i18n, locale

    assert i18n.current_language is locale.current_language
