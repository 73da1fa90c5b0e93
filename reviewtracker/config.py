"""Configuration classes, read from environment variables (see README, "Configuration")."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent


def _env_int(name: str, default: int) -> int:
    """Read an integer environment variable, falling back to a default."""
    value = os.environ.get(name)
    return int(value) if value else default


def public_url(environ: Mapping[str, str] = os.environ) -> str:
    """PUBLIC_URL when set; otherwise the address the app serves on, http://HOST:PORT (`make run` passes both)."""
    if environ.get("PUBLIC_URL"):
        return environ["PUBLIC_URL"]
    host = environ.get("HOST") or "127.0.0.1"
    # A wildcard listen address is no link anyone can follow: use loopback (set PUBLIC_URL for other machines).
    host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104  # nosec B104 # compared, not bound
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address in a URL
    return f"http://{host}:{environ.get('PORT') or 5000}"


DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105  # nosec B105 # development only; production refuses it


class Config:
    """Development defaults: SQLite under instance/, in-memory rate limits, no mail."""

    PROJECT_DIR = PROJECT_DIR

    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'instance' / 'reviewtracker.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False

    # Uploads: 5 MB is far above a 10,000-row template (about 1 MB).
    MAX_CONTENT_LENGTH = _env_int("UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
    EXPORTS_DIR = os.environ.get("EXPORTS_DIR", str(PROJECT_DIR / "exports"))
    BACKUP_DIR = os.environ.get("BACKUP_DIR", str(PROJECT_DIR / "instance" / "backups"))
    PUBLIC_URL = public_url()

    # Languages of the interface and of the guidance.
    LANGUAGES = ("en", "fr", "es")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"

    WTF_CSRF_TIME_LIMIT = None  # the session lifetime bounds the token; a long review form must not expire

    # Sessions: revocable (per-user token) with idle and absolute timeouts.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = timedelta(days=0)
    SESSION_IDLE_TIMEOUT = timedelta(minutes=_env_int("SESSION_IDLE_MINUTES", 60))
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=_env_int("SESSION_ABSOLUTE_HOURS", 12))
    PERMANENT_SESSION_LIFETIME = timedelta(hours=_env_int("SESSION_ABSOLUTE_HOURS", 12))

    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "reviewtracker")  # several apps, one Redis
    # Redis unreachable: each worker limits in memory meanwhile, instead of failing every login with a 500.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "5 per minute;20 per hour")
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300 per minute")

    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105  # nosec B105 # a hash algorithm name, not a password
    INVITATION_TTL = timedelta(days=_env_int("INVITATION_TTL_DAYS", 7))

    SMTP_HOST = os.environ.get("SMTP_HOST", "")
    SMTP_PORT = _env_int("SMTP_PORT", 587)
    SMTP_USER = os.environ.get("SMTP_USER", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    MAIL_FROM = os.environ.get("MAIL_FROM", "reviewtracker@localhost")

    TRUSTED_PROXIES = _env_int("TRUSTED_PROXIES", 0)
    PAGE_SIZE = 25


class TestingConfig(Config):
    """Isolated, fast settings for the test suite."""

    TESTING = True
    SECRET_KEY = "testing"  # noqa: S105  # nosec B105 # test-only key
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    LOGIN_RATE_LIMIT = "10000 per minute"  # tests that check the limit lower it
    API_RATE_LIMIT = "10000 per minute"
    # Fast hashing keeps fixtures quick; production keeps Werkzeug's scrypt default.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105  # nosec B105 # an algorithm name
    SMTP_HOST = ""


class ProductionConfig(Config):
    """Production: PostgreSQL, secrets from the environment, secure cookies; fails fast when unset."""

    DEBUG = False
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-session"
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def check(cls, config: dict) -> None:
        """Refuse to start without the settings production cannot guess."""
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not os.environ.get(name)]
        if missing:
            raise RuntimeError(f"Production configuration needs these environment variables: {', '.join(missing)}")
        # Compare with the literal default: Config.SECRET_KEY already holds the environment's value.
        if config["SECRET_KEY"] == DEV_SECRET_KEY or len(config["SECRET_KEY"]) < 32:
            raise RuntimeError("SECRET_KEY must be a random string of at least 32 characters in production")
        if not os.environ.get("REDIS_URL"):
            # In-memory limits are per process: N gunicorn workers allow N times the login attempts.
            logging.getLogger(__name__).warning("REDIS_URL is not set: login rate limits are per worker process")


CONFIGS = {"development": Config, "testing": TestingConfig, "production": ProductionConfig}
