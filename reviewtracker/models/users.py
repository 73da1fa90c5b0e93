"""Accounts: users with a role, one-time invitation/reset tokens and personal API tokens."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Boolean, ColumnElement, DateTime, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from reviewtracker.extensions import db
from reviewtracker.models._base import MAX_EMAIL_CHARS, MAX_NAME_CHARS, Timestamped, utcnow
from reviewtracker.models.reference import Country, LeadAgency, Organisation


class Role(enum.StrEnum):
    """What a user does in the review."""

    contributor = "contributor"  # a national stakeholder of a pilot country
    focal_point = "focal_point"  # the government focal point of a country
    co_lead = "co_lead"  # working group co-lead (IOM, OHCHR, UNDP)
    member = "member"  # read-only working group member
    admin = "admin"

    # The role groups, defined here once; permissions.py and triage/workflow.py read them.
    @classmethod
    def country_roles(cls) -> frozenset[Role]:
        """Roles that belong to one country and see only its feedback."""
        return _COUNTRY_ROLES

    @classmethod
    def working_group(cls) -> frozenset[Role]:
        """Roles that see every country's forwarded feedback."""
        return _WORKING_GROUP

    @classmethod
    def triagers(cls) -> frozenset[Role]:
        """Working-group roles that change items (members only read)."""
        return _TRIAGERS

    @property
    def is_country(self) -> bool:
        """Country roles belong to one country and see only its feedback."""
        return self in _COUNTRY_ROLES

    @property
    def is_working_group(self) -> bool:
        """Working-group roles see every country's forwarded feedback."""
        return self in _WORKING_GROUP

    @property
    def has_lead_agency(self) -> bool:
        """Co-leads act for one lead agency (IOM, OHCHR or UNDP); no other role has one."""
        return self is Role.co_lead

    @property
    def administers(self) -> bool:
        """The administrator role (accounts, reference data, documents, rounds)."""
        return self is Role.admin


# Module constants, not enum attributes: a set inside the enum body would become a member.
_COUNTRY_ROLES = frozenset({Role.contributor, Role.focal_point})
_WORKING_GROUP = frozenset({Role.co_lead, Role.member, Role.admin})
_TRIAGERS = frozenset({Role.co_lead, Role.admin})


def new_session_token() -> str:
    """A fresh random token; changing it ends every session of the user."""
    return secrets.token_urlsafe(32)


class User(UserMixin, Timestamped, db.Model):
    """A person who signs in."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(MAX_EMAIL_CHARS), unique=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME_CHARS))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20))
    country_id: Mapped[int | None] = mapped_column(ForeignKey("countries.id", ondelete="RESTRICT"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"))
    lead_agency_id: Mapped[int | None] = mapped_column(ForeignKey("lead_agencies.id", ondelete="RESTRICT"))
    locale: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Flask-Login stores this token, not the id, in the session cookie: rotating it revokes all sessions.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    country: Mapped[Country | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    lead_agency: Mapped[LeadAgency | None] = relationship()

    def get_id(self) -> str:
        """The value Flask-Login keeps in the session."""
        return self.session_token

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @classmethod
    def in_role(cls, role: Role) -> ColumnElement[bool]:
        """SQL: the accounts of one role, for selecting people (a country's focal points, a list filter), not access."""
        return cls.role == role

    def set_password(self, password: str) -> None:
        """Hash and store a new password."""

        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)
        self.password_changed_at = utcnow()

    def check_password(self, password: str) -> bool:
        """Whether the password matches (always False before the invitation is accepted)."""
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def revoke_sessions(self) -> None:
        """End every session of this user (logout, password change, deactivation)."""
        self.session_token = new_session_token()

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class TokenPurpose(enum.StrEnum):
    """Why a one-time token was issued."""

    invitation = "invitation"
    password_reset = "password_reset"  # noqa: S105  # nosec B105 # a purpose name, not a password


class OneTimeToken(db.Model):
    """An invitation or password-reset link; only its hash is stored; single use, expiring."""

    __tablename__ = "one_time_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(Enum(TokenPurpose, native_enum=False, length=20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class ApiToken(db.Model):
    """A personal API token; shown once, stored as a SHA-256 hash."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()
