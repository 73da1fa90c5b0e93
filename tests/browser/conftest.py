"""Browser fixtures for the cross-feature journeys."""

from tests.browser_support import browser, live_server, page  # noqa: F401 - pytest fixtures
