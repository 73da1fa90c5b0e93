"""No template or module compares a role directly: access rules are predicates in permissions.py."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEARCHED = ("templates", "reviewtracker")
# `role ==`, `role !=`, `role in`, `role not in` and `.role.value`: a role check written in place.
ROLE_CHECK = re.compile(r"\brole\s*(==|!=|in\b|not\s+in\b)|\.role\.value\b")

# Whole files where a role is the subject, not a check made in passing.
EXEMPT_FILES = {
    "reviewtracker/permissions.py": "the access policy itself: every role check belongs here",
    "reviewtracker/models/users.py": "the Role enum and its groups (Role.working_group() …) are defined here",
    "reviewtracker/cli.py": "the users commands print and set a role: data, not a check",
}
EXEMPT_DIRS = {
    "reviewtracker/seed/": "the demo seed creates users with roles and picks them by role: data being set",
    "reviewtracker/translations/": "catalogues, not code",
}
# Single lines where a role is data (a value being stored, filtered on or validated), with why.
EXEMPT_LINES = {
    ("reviewtracker/triage/workflow.py", "role in m.roles"): "the triage table itself is keyed by role",
    ("reviewtracker/triage/workflow.py", "role not in move.roles"): "the triage table itself is keyed by role",
}


def _exempt(path: str, line: str) -> bool:
    if path in EXEMPT_FILES or any(path.startswith(folder) for folder in EXEMPT_DIRS):
        return True
    return any(path == where and fragment in line for where, fragment in EXEMPT_LINES)


def role_checks() -> list[str]:
    """Every direct role comparison outside the exemptions, as 'path:line: text'."""
    found = []
    for top in SEARCHED:
        for file in sorted((ROOT / top).rglob("*")):
            if file.suffix not in (".py", ".html", ".txt", ".xml", ".j2") or not file.is_file():
                continue
            path = file.relative_to(ROOT).as_posix()
            for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
                if ROLE_CHECK.search(line) and not _exempt(path, line):
                    found.append(f"{path}:{number}: {line.strip()}")
    return found


def test_no_role_is_compared_outside_permissions():
    assert role_checks() == [], "ask a predicate of permissions.py (exposed to templates) instead"


def test_the_pattern_catches_what_it_should():
    for written in ("current_user.role.value == 'focal_point'", "user.role == Role.admin", "user.role in TRIAGERS"):
        assert ROLE_CHECK.search(written), written
    assert ROLE_CHECK.search("actor.role not in COUNTRY_ROLES")
    assert not ROLE_CHECK.search("can_view_exports(current_user)")


def test_every_exemption_is_still_needed():
    """A line exemption that matches nothing any more is removed, so the list stays the truth."""
    for (path, fragment), why in EXEMPT_LINES.items():
        text = (ROOT / path).read_text(encoding="utf-8") if (ROOT / path).exists() else ""
        assert fragment in text, f"{path}: '{fragment}' is gone; drop its exemption ({why})"
