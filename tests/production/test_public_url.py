"""Links in invitations and workbooks point at the port `make run` serves on, unless PUBLIC_URL says otherwise."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys

import pytest

from reviewtracker.config import PROJECT_DIR, public_url

# Builds the app as wsgi.py does, then prints an invitation link (the CLI) and a workbook's item link.
LINKS = """
import json
from reviewtracker import create_app
from reviewtracker.exports.consolidated_rows import item_link_builder
from reviewtracker.extensions import db

app = create_app()
with app.app_context():
    db.create_all()
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--email", "ana@example.org", "--name", "Ana", "--role", "admin"]
    )
    print(json.dumps({"invitation": result.output.strip().splitlines()[-1], "workbook": item_link_builder()(7)}))
"""


def _make_run_environment(*make_args: str) -> dict[str, str]:
    """The variables `make run` sets on the command that starts the app (read from `make -n`, nothing started)."""
    shown = subprocess.run(
        ["make", "-n", "run", *make_args], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    ).stdout
    line = next(line for line in shown.splitlines() if "flask run" in line)
    words = shlex.split(line)
    return dict(word.split("=", 1) for word in words[: next(i for i, w in enumerate(words) if "=" not in w)])


def _links(tmp_path, **environment: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PUBLIC_URL", "HOST", "PORT", "REVIEWTRACKER_ENV"}}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'links.sqlite3'}", **environment)
    done = subprocess.run(
        [sys.executable, "-c", LINKS], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_make_run_on_another_port_writes_that_port_into_links(tmp_path):
    links = _links(tmp_path, **_make_run_environment("PORT=5101"))
    assert links["invitation"].startswith("http://127.0.0.1:5101/set-password/")
    assert links["workbook"] == "http://127.0.0.1:5101/triage/7"


def test_a_set_public_url_wins_over_host_and_port(tmp_path):
    environment = _make_run_environment("PORT=5101", "HOST=0.0.0.0")
    links = _links(tmp_path, PUBLIC_URL="https://reviews.example.org", **environment)
    assert links["invitation"].startswith("https://reviews.example.org/set-password/")
    assert links["workbook"] == "https://reviews.example.org/triage/7"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "http://127.0.0.1:5000"),
        ({"HOST": "0.0.0.0", "PORT": "8080"}, "http://127.0.0.1:8080"),  # noqa: S104 - a wildcard is no link
        ({"HOST": "::1", "PORT": "5101"}, "http://[::1]:5101"),
        ({"HOST": "review.local", "PUBLIC_URL": "https://x.example"}, "https://x.example"),
    ],
)
def test_public_url_follows_host_and_port(environ, expected):
    assert public_url(environ) == expected
