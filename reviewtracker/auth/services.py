"""Account operations shared by the pages, the admin screens and the CLI. They flush, never commit."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from reviewtracker.audit import record_activity
from reviewtracker.errors import ServiceError, ValidationError
from reviewtracker.extensions import db
from reviewtracker.models import ActivityCategory, OneTimeToken, TokenPurpose, User
from reviewtracker.models._base import utcnow
from reviewtracker.spreadsheets import normalize_text


def hash_token(raw: str) -> str:
    """Tokens are stored as SHA-256 hashes: a database leak does not leak working links."""
    return hashlib.sha256(raw.encode()).hexdigest()


def find_user_by_email(email: str) -> User | None:
    """Case-insensitive e-mail lookup."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """Check a password; record the attempt (never the password). Inactive users cannot sign in."""
    user = find_user_by_email(email)
    if user is None or not user.active or not user.check_password(password):
        record_activity(
            user if user is not None else None,
            ActivityCategory.auth,
            "auth.login_failed",
            after={"email": email.strip().lower()[:254]},
        )
        return None
    user.last_login_at = utcnow()
    record_activity(user, ActivityCategory.auth, "auth.login", target=user)
    return user


def log_out(user: User) -> None:
    """End every session of the user: a cookie copied before logout no longer works."""
    user.revoke_sessions()
    record_activity(user, ActivityCategory.auth, "auth.logout", target=user)


def change_password(user: User, current: str, new: str) -> None:
    """Change a password after checking the current one; ends every session."""
    if not user.check_password(current):
        raise ValidationError(_("The current password is wrong."))
    user.set_password(new)
    user.revoke_sessions()
    record_activity(user, ActivityCategory.auth, "auth.password_changed", target=user)


def issue_token(user: User, purpose: TokenPurpose, ttl: timedelta, created_by: User | None) -> str:
    """Create a one-time link token and return it in clear (shown once; only its hash is stored)."""
    raw = secrets.token_urlsafe(32)
    now = utcnow()
    # An older unused link of the same purpose stops working when a new one is issued.
    for old in db.session.scalars(
        select(OneTimeToken).where(
            OneTimeToken.user_id == user.id, OneTimeToken.purpose == purpose, OneTimeToken.used_at.is_(None)
        )
    ):
        old.used_at = now
    db.session.add(
        OneTimeToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=hash_token(raw),
            created_by_id=created_by.id if created_by else None,
            expires_at=now + ttl,
        )
    )
    db.session.flush()
    return raw


def find_valid_token(raw: str) -> OneTimeToken | None:
    """The unused, unexpired token matching a link, if any."""
    token = db.session.scalar(select(OneTimeToken).where(OneTimeToken.token_hash == hash_token(raw)))
    if token is None or token.used_at is not None:
        return None
    expires = token.expires_at if token.expires_at.tzinfo else token.expires_at.replace(tzinfo=utcnow().tzinfo)
    if expires < utcnow():
        return None
    return token


class LinkUsedError(ServiceError):
    """The link was used (or replaced) by another request first."""

    status_code = 404


def claim_token(token: OneTimeToken, now: datetime) -> None:
    """Mark the link used in one conditional UPDATE; LinkUsedError when another request claimed it first.

    A read ("is it unused?") followed by a write lets parallel requests all pass the read; the database's
    row lock decides instead: only one UPDATE finds used_at still NULL, the others match 0 rows.
    """
    claimed = db.session.execute(
        update(OneTimeToken)
        .where(OneTimeToken.id == token.id, OneTimeToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise LinkUsedError(_("This link is not valid any more. Ask an administrator for a new one."))
    set_committed_value(token, "used_at", now)


def redeem_token(token: OneTimeToken, new_password: str, now: datetime | None = None) -> User:
    """Use a link once to set a password; the account becomes usable, other sessions end."""
    user = token.user
    claim_token(token, now or utcnow())
    user.set_password(new_password)
    user.revoke_sessions()
    record_activity(user, ActivityCategory.auth, f"auth.{token.purpose.value}_redeemed", target=user)
    return user


def update_profile(user: User, name: str, locale: str) -> None:
    """Change one's display name and interface language."""
    user.name = normalize_text(name)  # the one text policy: NFC, no control characters
    user.locale = locale
