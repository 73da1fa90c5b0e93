"""Personal API tokens: issue (shown once), store only a SHA-256 hash, revoke, and authenticate a request."""

from __future__ import annotations

import hashlib
import secrets

from flask import request
from sqlalchemy import select

from reviewtracker.audit import record_activity
from reviewtracker.errors import ValidationError
from reviewtracker.extensions import db
from reviewtracker.models import ActivityCategory, ApiToken, User
from reviewtracker.models._base import utcnow
from reviewtracker.spreadsheets import normalize_text

# "rt_" marks the string as ours (secret scanners can recognise it); the prefix shown in lists is its start.
TOKEN_MARK = "rt_"  # noqa: S105  # nosec B105 # a visible marker, not a secret
PREFIX_CHARS = 10
MAX_TOKEN_NAME = 100
MAX_ACTIVE_TOKENS = 20


def hash_api_token(raw: str) -> str:
    """The stored form of a token: its SHA-256 hex digest (tokens are random, so no salt is needed)."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def list_tokens(user: User) -> list[ApiToken]:
    """A user's tokens, newest first, revoked ones included (they show as revoked)."""
    stmt = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    return list(db.session.scalars(stmt))


def create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Issue a token for the user; returns the row and the raw token, which is never stored nor shown again."""
    from flask_babel import gettext as _

    name = normalize_text(name or "")
    if not name or len(name) > MAX_TOKEN_NAME:
        raise ValidationError(_("Give the token a name of 1 to %(max)d characters.", max=MAX_TOKEN_NAME))
    active = [t for t in list_tokens(user) if t.revoked_at is None]
    if len(active) >= MAX_ACTIVE_TOKENS:
        raise ValidationError(_("You have too many active tokens. Revoke one you no longer use."))
    raw = TOKEN_MARK + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, prefix=raw[:PREFIX_CHARS], token_hash=hash_api_token(raw))
    db.session.add(token)
    db.session.flush()
    record_activity(user, ActivityCategory.auth, "api_token.create", target=token, after={"name": name})
    return token, raw


def revoke_api_token(user: User, token: ApiToken) -> None:
    """Revoke one of the user's tokens; requests sending it get 401 from now on."""
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    db.session.flush()
    record_activity(user, ActivityCategory.auth, "api_token.revoke", target=token, after={"name": token.name})


def bearer_token() -> str | None:
    """The raw token of an `Authorization: Bearer <token>` header, if any."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def user_for_token(raw: str | None) -> tuple[User, ApiToken] | None:
    """The active user behind a valid, unrevoked token (and the token), else None."""
    if not raw or len(raw) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_api_token(raw)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    return token.user, token


def touch_token(token: ApiToken) -> None:
    """Remember when a token was last used, at most once a minute (a write per request would be wasteful)."""
    now = utcnow()
    last = token.last_used_at
    if last is not None and last.tzinfo is None:  # SQLite returns naive datetimes
        from datetime import UTC

        last = last.replace(tzinfo=UTC)
    if last is None or (now - last).total_seconds() > 60:
        token.last_used_at = now
        db.session.commit()
