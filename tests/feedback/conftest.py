"""Fixtures of the feedback tests: a FeedbackInput builder and the browser fixtures."""

from __future__ import annotations

import pytest

from reviewtracker.feedback.inputs import FeedbackInput
from reviewtracker.models import FeedbackType
from tests import factories


def make_input(section: str | None = "G.2.1", comment: str = "A clear comment.", **fields) -> FeedbackInput:
    """A valid FeedbackInput on a section of the first Guide version (or the whole Guide)."""
    sec = factories.get_section(section) if section else None
    version = sec.version if sec else factories.get_version("G")
    return FeedbackInput(
        version_id=version.id,
        section_id=sec.id if sec else None,
        type=fields.pop("type", FeedbackType.substantive),
        comment=comment,
        **fields,
    )


@pytest.fixture
def feedback_input(app):
    """The make_input builder."""
    return make_input
