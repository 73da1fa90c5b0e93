"""Permission rows for the auth routes."""

from tests.permission_cases import case
from tests.world import ACTORS, EVERYONE

ALL = set(ACTORS)

CASES = [
    case("auth.home", lambda w: "/", EVERYONE),
    case("auth.login", lambda w: "/login", ALL),
    case(
        "auth.login",
        lambda w: "/login",
        ALL,
        method="POST",
        data=lambda w: {"email": "x@example.org", "password": "nope"},
    ),
    case("auth.logout", lambda w: "/logout", EVERYONE, method="POST"),
    case("auth.profile", lambda w: "/profile", EVERYONE),
    case("auth.profile", lambda w: "/profile", EVERYONE, method="POST", data=lambda w: {"name": "New", "locale": "fr"}),
    case("auth.change_password", lambda w: "/profile/password", EVERYONE),
    case("auth.change_password", lambda w: "/profile/password", EVERYONE, method="POST", data=lambda w: {}),
    case("auth.set_password", lambda w: "/set-password/not-a-token", set(), note="invalid token"),
    case(
        "auth.set_password",
        lambda w: "/set-password/not-a-token",
        set(),
        method="POST",
        data=lambda w: {},
        note="invalid token",
    ),
    case("auth.set_language", lambda w: "/language/fr", ALL, method="POST", data=lambda w: {"next": "/profile"}),
]
