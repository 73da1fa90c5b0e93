"""The request's interface language, readable by the models: this module imports no models (no import cycle)."""

from __future__ import annotations

from flask import has_request_context
from flask_babel import get_locale


def current_language() -> str:
    """The two-letter interface language ('en' outside a request)."""
    if not has_request_context():
        return "en"
    locale = get_locale()
    return locale.language if locale else "en"
