"""The README's production set-up for real: gunicorn with 2 workers, PostgreSQL, Redis-backed login limits.

The session cookie is `__Host-session` with Secure, so an HTTP client (`requests`) does not send it back over
plain http. The test does what a scripted attacker does instead: it reads the cookie and the CSRF token from
the login page once and sends them explicitly with every guess. The production configuration is unchanged.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from reviewtracker.config import PROJECT_DIR

PG_URL = os.environ.get("TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/7"  # a database number the app and other tests do not use
BIN = Path(sys.executable).parent
PASSWORD = "a-long-admin-password-2026"
ATTEMPTS = 12  # bounded: the limit is 5, and everything goes to 127.0.0.1 only


def _pg_admin():
    engine = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as error:
        engine.dispose()
        pytest.skip(f"PostgreSQL is not reachable at {PG_URL}: {error}")
    return engine


def _redis():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {error}")
    return client


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def production_env(tmp_path):
    """A fresh PostgreSQL database, migrated and seeded through the CLI, and the environment of the README."""
    redis_client = _redis()
    admin = _pg_admin()
    name = f"rt_prod_{uuid.uuid4().hex[:10]}"
    prefix = f"rt-test-{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "LOGIN_RATE", "RATELIMIT", "FLASK_"))}
    env.pop("TRUSTED_PROXIES", None)
    env.update(
        REVIEWTRACKER_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(48),
        DATABASE_URL=f"{PG_URL.rsplit('/', 1)[0]}/{name}",
        REDIS_URL=REDIS_URL,
        RATELIMIT_KEY_PREFIX=prefix,
        FLASK_APP="wsgi.py",
        BACKUP_DIR=str(tmp_path / "backups"),
        EXPORTS_DIR=str(tmp_path / "exports"),
    )
    try:
        for args in (
            ["db", "upgrade"],
            ["seed", "reference"],
            ["users", "create", "--email", "admin@example.org", "--name", "Admin", "--role", "admin"],
        ):
            if args[0] == "users":
                args = [*args, "--password", PASSWORD]
            done = subprocess.run([str(BIN / "flask"), *args], env=env, cwd=PROJECT_DIR, capture_output=True, text=True)
            assert done.returncode == 0, f"flask {' '.join(args[:2])}: {done.stderr[-2000:]}"
        yield env, redis_client, prefix
    finally:
        for key in redis_client.scan_iter(match=f"*{prefix}*"):
            redis_client.delete(key)
        redis_client.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def gunicorn(production_env, tmp_path):
    """gunicorn -w 2 on a free loopback port; stopped through its own process handle."""
    env, redis_client, prefix = production_env
    port = _free_port()
    access_log = tmp_path / "access.log"
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 - closed below, after the process ends
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            "%(p)s %(s)s %(m)s %(U)s",  # worker pid first: shows which worker answered
            "wsgi:app",
        ],
        env=env,
        cwd=PROJECT_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    import requests

    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90  # a loaded CI machine boots workers slowly
        while True:
            try:
                if requests.get(f"{base}/login", timeout=10).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or still booting
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("gunicorn did not start:\n" + (tmp_path / "gunicorn.log").read_text()[-3000:])
            time.sleep(0.2)
        yield base, access_log, redis_client, prefix
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.mark.slow
def test_login_brute_force_is_limited_across_both_workers(gunicorn):
    """Five wrong passwords per minute in total, whichever worker answers: the rest get 429 (shared Redis)."""
    import requests

    base, access_log, redis_client, prefix = gunicorn
    page = requests.get(f"{base}/login", timeout=30)
    assert page.status_code == 200
    cookie = page.cookies.get("__Host-session")
    set_cookie = page.headers["Set-Cookie"]
    assert cookie and "Secure" in set_cookie and "HttpOnly" in set_cookie and "Domain" not in set_cookie
    assert "Strict-Transport-Security" not in page.headers  # plain http here; the proxy's https gets HSTS
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)

    def guess(i: int) -> int:
        response = requests.post(
            f"{base}/login",
            data={"csrf_token": token, "email": "admin@example.org", "password": f"guess-{i}"},
            cookies={"__Host-session": cookie},  # sent explicitly, as an attacker's script would
            headers={"Connection": "close"},  # a new connection each time, so both workers take some
            allow_redirects=False,
            timeout=30,
        )
        assert "Traceback" not in response.text
        return response.status_code

    # Two at a time: one sync worker is busy hashing a password, so the other worker takes the next guess.
    with ThreadPoolExecutor(max_workers=2) as pool:
        codes = list(pool.map(guess, range(ATTEMPTS)))

    assert sorted(codes) == [200] * 5 + [429] * (ATTEMPTS - 5), codes  # 200 = the "wrong password" page
    served = [line.split() for line in access_log.read_text().splitlines() if " POST /login" in line]
    workers = {pid for pid, *_ in served}
    assert len(workers) == 2, f"only one worker answered: {served}"
    assert any(redis_client.scan_iter(match=f"*{prefix}*")), "the limiter's counters are not in Redis"

    # The account still works after the storm, once the limit window allows it again: not tested (60 s);
    # a fresh address is not available on loopback, so the per-account limit is what answered here.
