"""Permission rows for the auth routes."""

from tests.factories import PASSWORD
from tests.permission_cases import case
from tests.world import ACTORS, EVERYONE

ALL = set(ACTORS)
NEW_PASSWORD = "a fresh long passphrase"

CASES = [
    case("auth.home", lambda w: "/", EVERYONE, expect=302, note="each role to its start page"),
    case("auth.login", lambda w: "/login", ALL, expect={"anonymous": 200, "*": 302}, note="signed in: home"),
    case(
        "auth.login",
        lambda w: "/login",
        ALL,
        method="POST",
        data=lambda w: {"email": "x@example.org", "password": "nope"},
        expect={"anonymous": 200, "*": 302},
        note="wrong password: the form again",
    ),
    case("auth.logout", lambda w: "/logout", EVERYONE, method="POST", lands="/login"),
    case("auth.profile", lambda w: "/profile", EVERYONE),
    case("auth.profile", lambda w: "/profile", EVERYONE, method="POST", data=lambda w: {"name": "New", "locale": "fr"}),
    case("auth.change_password", lambda w: "/profile/password", EVERYONE),
    case(
        "auth.change_password",
        lambda w: "/profile/password",
        EVERYONE,
        method="POST",
        data=lambda w: {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        lands="/login",
        note="signs out every session",
    ),
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
