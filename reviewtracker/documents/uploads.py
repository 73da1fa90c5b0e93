"""Server-side keeping of an uploaded outline between its preview and its confirmation.

The file is stored under instance/uploads/ with a random name; the name is kept in the user's session, never
taken from the upload or the form, and its SHA-256 is checked again before the import is applied.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import re
import secrets
import time
from pathlib import Path

from flask import current_app, session

SESSION_KEY = "outline_upload"
MAX_AGE_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _folder() -> Path:
    folder = Path(current_app.config.get("UPLOAD_DIR") or Path(current_app.instance_path) / "uploads")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _path(token: str) -> Path:
    if not _TOKEN.match(token):
        raise ValueError("bad upload token")
    return _folder() / f"outline-{token}.upload"


def _purge_old(folder: Path) -> None:
    """Previews nobody confirmed are deleted after a day."""
    limit = time.time() - MAX_AGE_SECONDS
    for path in folder.glob("outline-*.upload"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < limit:
                path.unlink()


def keep_upload(data: bytes, *, version_id: int, mode: str, kind: str, filename: str) -> str:
    """Store the upload and remember it in the session; returns the token the preview form posts back."""
    discard_upload()
    _purge_old(_folder())
    token = secrets.token_hex(16)
    _path(token).write_bytes(data)
    session[SESSION_KEY] = {
        "token": token,
        "version_id": version_id,
        "mode": mode,
        "kind": kind,
        "sha256": hashlib.sha256(data).hexdigest(),
        "filename": filename[:200],
    }
    return token


def kept_upload(token: str, version_id: int) -> tuple[dict, bytes] | None:
    """The stored upload for this version if the posted token matches the session's and the file is intact."""
    info = session.get(SESSION_KEY)
    if not info or not token or info.get("version_id") != version_id:
        return None
    if not hmac.compare_digest(str(info.get("token")), str(token)):
        return None
    try:
        data = _path(info["token"]).read_bytes()
    except (OSError, ValueError):
        return None
    if hashlib.sha256(data).hexdigest() != info.get("sha256"):
        return None
    return info, data


def discard_upload() -> None:
    """Forget the stored upload (after it was applied, or when a new one replaces it)."""
    info = session.pop(SESSION_KEY, None)
    if info:
        with contextlib.suppress(OSError, ValueError):
            _path(str(info.get("token"))).unlink()
