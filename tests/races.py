"""Real parallel requests: the test app served on a loopback port, sessions signed in, requests fired at once."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
import requests
from werkzeug.serving import make_server

from reviewtracker.extensions import db
from tests.factories import PASSWORD

TIMEOUT = 60  # seconds; a request stuck on a lock fails the test instead of hanging it


@pytest.fixture
def live(app) -> Iterator[str]:
    """The test app (same database as the test) on a free loopback port, threaded; stopped by its handle."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def signed_in(base: str, user) -> requests.Session:
    """A browser-like HTTP session signed in through the real login form."""
    db.session.commit()
    http = requests.Session()
    response = http.post(
        f"{base}/login", data={"email": user.email, "password": PASSWORD}, allow_redirects=False, timeout=TIMEOUT
    )
    assert response.status_code == 302, response.text[:500]
    return http


def race(count: int, send: Callable[[int], requests.Response]) -> list[requests.Response]:
    """Send `count` requests at the same instant from `count` threads; every answer, in thread order."""
    db.session.commit()  # the server's connections must see everything the test prepared
    barrier = threading.Barrier(count)
    answers: list[requests.Response | BaseException | None] = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            answers[i] = send(i)
        except BaseException as error:  # reported by the assertion below
            answers[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(isinstance(a, requests.Response) for a in answers), answers
    db.session.expire_all()
    return answers  # type: ignore[return-value]


def statuses(answers: list[requests.Response]) -> list[int]:
    """The answers' status codes, sorted (the winner's 2xx/3xx first)."""
    return sorted(a.status_code for a in answers)
