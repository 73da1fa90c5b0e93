"""API fixtures: personal tokens for any user and a client that sends them."""

from __future__ import annotations

import pytest

from reviewtracker.api.auth import create_api_token
from reviewtracker.extensions import db


def make_token(user, name: str = "test") -> str:
    """A fresh raw token for a user (committed, so the request sees it)."""
    _token, raw = create_api_token(user, name)
    db.session.commit()
    return raw


class Api:
    """Thin wrapper over the test client: JSON in, Bearer token and If-Match headers."""

    def __init__(self, client) -> None:
        self.client = client

    def call(self, method: str, url: str, user=None, *, json=None, if_match=None, headers=None):
        """Send one request as `user` (None: no token at all)."""
        sent = dict(headers or {})
        if user is not None:
            sent["Authorization"] = f"Bearer {make_token(user)}"
        if if_match is not None:
            sent["If-Match"] = f'"{if_match}"'
        return self.client.open(url, method=method, json=json, headers=sent)

    def get(self, url: str, user=None, **kwargs):
        return self.call("GET", url, user, **kwargs)


@pytest.fixture
def api(client) -> Api:
    """An API caller over the isolated test client."""
    return Api(client)
