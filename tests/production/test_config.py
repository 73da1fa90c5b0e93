"""ProductionConfig in process: refuses to start without secrets, secure cookies, HSTS, proxy handling."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from flask import Flask

from reviewtracker import create_app
from reviewtracker.config import PROJECT_DIR
from reviewtracker.extensions import db

KEY = "k" * 48


@pytest.fixture
def production_app(monkeypatch, tmp_path):
    """A production app over a throwaway SQLite file (in-memory limits: the Redis test is in test_gunicorn.py)."""

    def build(**overrides) -> Flask:
        url = f"sqlite:///{tmp_path / 'prod.sqlite3'}"
        monkeypatch.setenv("SECRET_KEY", KEY)
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.setenv("REVIEWTRACKER_ENV", "production")
        settings = {
            "SECRET_KEY": KEY,
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_STORAGE_URI": "memory://",
            "BACKUP_DIR": str(tmp_path / "backups"),
            **overrides,
        }
        application = create_app(None, **settings)  # REVIEWTRACKER_ENV chooses the configuration
        with application.app_context():
            db.create_all()
        built.append(application)
        return application

    built: list[Flask] = []
    yield build
    for application in built:
        with application.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL"])
def test_production_refuses_to_start_without_its_secrets(monkeypatch, missing):
    """REVIEWTRACKER_ENV=production without SECRET_KEY or DATABASE_URL stops at start-up, naming the variable."""
    monkeypatch.setenv("REVIEWTRACKER_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", KEY)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.delenv(missing)
    with pytest.raises(RuntimeError, match=missing):
        create_app()


def test_production_refuses_a_short_or_default_secret_key(monkeypatch):
    """The development key or a short one is refused."""
    monkeypatch.setenv("SECRET_KEY", "short")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    with pytest.raises(RuntimeError, match="at least 32 characters"):
        create_app("production", SECRET_KEY="short")


def test_production_is_not_in_debug_and_pings_the_pool(production_app):
    """DEBUG off; the pool checks connections before use (a restarted PostgreSQL does not break requests)."""
    application = production_app()
    assert application.debug is False and application.testing is False
    assert application.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
    assert application.config["WTF_CSRF_ENABLED"] is not False


def test_session_cookie_is_host_prefixed_secure_and_httponly(production_app):
    """`__Host-` cookies need Secure, Path=/ and no Domain: browsers drop them otherwise."""
    client = production_app().test_client()
    response = client.get("/login", base_url="https://reviews.example.org")
    cookie = response.headers["Set-Cookie"]
    attributes = [part.strip().lower() for part in cookie.split(";")]
    assert cookie.startswith("__Host-session=")
    assert {"secure", "httponly", "path=/", "samesite=lax"} <= set(attributes)
    assert not any(part.startswith("domain=") for part in attributes)


def test_hsts_only_over_https(production_app):
    """Strict-Transport-Security is sent on HTTPS responses, not on plain HTTP ones."""
    client = production_app().test_client()
    assert "max-age=31536000" in client.get("/login", base_url="https://x.example").headers["Strict-Transport-Security"]
    # (the test client would default to PREFERRED_URL_SCHEME, https in production)
    assert "Strict-Transport-Security" not in client.get("/login", base_url="http://x.example").headers


def test_behind_a_trusted_proxy_the_forwarded_scheme_counts(production_app):
    """With TRUSTED_PROXIES=1, X-Forwarded-Proto https from the proxy makes the request secure (HSTS sent)."""
    client = production_app(TRUSTED_PROXIES=1).test_client()
    response = client.get(
        "/login", base_url="http://x.example", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    )
    assert "Strict-Transport-Security" in response.headers


def test_without_trusted_proxies_forwarded_headers_are_ignored(production_app):
    """A client cannot dodge the per-IP login limit by inventing X-Forwarded-For addresses."""
    application = production_app(LOGIN_RATE_LIMIT="3 per minute")
    client = application.test_client()
    application.config["WTF_CSRF_ENABLED"] = False  # this test is about the limit key, not CSRF
    codes = [
        client.post(
            "/login",
            data={"email": f"nobody{i}@example.org", "password": "guess"},  # a new account each time
            headers={"X-Forwarded-For": f"198.51.100.{i}", "X-Forwarded-Proto": "https"},
            base_url="http://x.example",
        ).status_code
        for i in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]
    plain = client.get("/login", base_url="http://x.example", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in plain.headers


def test_redis_url_becomes_the_shared_rate_limit_storage():
    """REDIS_URL selects Redis for the limiter (read at import time, so checked in a fresh interpreter)."""
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/7", "RATELIMIT_KEY_PREFIX": "rt-x"}
    code = (
        "from reviewtracker.config import ProductionConfig as P; print(P.RATELIMIT_STORAGE_URI, P.RATELIMIT_KEY_PREFIX)"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=PROJECT_DIR, capture_output=True, text=True)
    assert out.stdout.split() == ["redis://127.0.0.1:6379/7", "rt-x"], out.stderr
