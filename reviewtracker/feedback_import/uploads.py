"""An uploaded template kept between preview and confirm, under a generated name (never the user's)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import time

from flask import current_app

TOKEN = re.compile(r"[0-9a-f]{32}")
MAX_AGE_SECONDS = 24 * 3600


def upload_dir() -> str:
    """The folder for pending uploads (IMPORT_UPLOAD_DIR, default instance/uploads)."""
    folder = current_app.config.get("IMPORT_UPLOAD_DIR") or os.path.join(current_app.instance_path, "uploads")
    os.makedirs(folder, mode=0o700, exist_ok=True)
    return folder


def _path(token: str) -> str | None:
    if not isinstance(token, str) or not TOKEN.fullmatch(token):
        return None  # a tampered or stale reference never becomes a path
    return os.path.join(upload_dir(), f"{token}.xlsx")


def store_upload(data: bytes) -> tuple[str, str]:
    """Save the checked bytes under a random name; returns (token, sha256). Old pending files are removed."""
    remove_expired()
    token = secrets.token_hex(16)
    path = _path(token)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return token, hashlib.sha256(data).hexdigest()


def load_upload(token: str) -> bytes | None:
    """The stored bytes, or None when the reference is invalid or the file has expired."""
    path = _path(token)
    if path is None or not os.path.exists(path):
        return None
    if time.time() - os.path.getmtime(path) > MAX_AGE_SECONDS:
        discard_upload(token)
        return None
    with open(path, "rb") as handle:
        return handle.read()


def discard_upload(token: str | None) -> None:
    """Delete a stored upload (after it was applied or cancelled)."""
    path = _path(token) if token else None
    if path:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def remove_expired() -> int:
    """Delete pending uploads older than a day; returns how many."""
    folder, removed, now = upload_dir(), 0, time.time()
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if name.endswith(".xlsx") and TOKEN.fullmatch(name[:-5]) and now - os.path.getmtime(path) > MAX_AGE_SECONDS:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
                removed += 1
    return removed
