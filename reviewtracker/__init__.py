"""ReviewTracker: the review of the draft GCM implementation guidance by its pilot countries."""

from __future__ import annotations

import logging
from typing import Any

from apiflask import APIFlask
from flask import Flask

from reviewtracker.config import CONFIGS, Config, ProductionConfig

BLUEPRINT_PACKAGES = (
    "auth",
    "admin",
    "documents",
    "rounds",
    "feedback",
    "feedback_import",
    "consolidation",
    "triage",
    "revisions",
    "exports",
    "dashboard",
    "api",
)


def create_app(config: str | type[Config] | None = None, **overrides: Any) -> Flask:
    """Build the application: configuration, extensions, blueprints, error handlers, commands."""
    import os

    # APIFlask is Flask that also generates the API's OpenAPI document from its schemas (api/document.py);
    # errors keep the app's own handlers (errors.py), and the document is served by the api blueprint.
    app = APIFlask(
        __name__,
        template_folder="../templates",
        instance_relative_config=True,
        json_errors=False,
        spec_path=None,
        docs_path=None,
    )
    config_class = (
        CONFIGS[config or os.environ.get("REVIEWTRACKER_ENV", "development")]
        if not isinstance(config, type)
        else config
    )
    app.config.from_object(config_class)
    app.config.update(overrides)
    if issubclass(config_class, ProductionConfig):
        ProductionConfig.check(app.config)
    os.makedirs(app.instance_path, exist_ok=True)

    register_logging(app)
    register_database_options(app)
    register_extensions(app)
    register_url_converters(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_security(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_logging(app: Flask) -> None:
    """Log to stderr at INFO (gunicorn collects it)."""
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def register_database_options(app: Flask) -> None:
    """Normalise the database URI and engine options; SQLite pragmas are set per connection (database.py)."""
    from reviewtracker.database import configure_engine_options

    configure_engine_options(app)


def register_extensions(app: Flask) -> None:
    """Bind the unbound extension objects of extensions.py."""
    from reviewtracker import i18n
    from reviewtracker.auth import sessions
    from reviewtracker.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Config.PROJECT_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app, babel)
    sessions.init_app(app, login_manager)


def register_url_converters(app: Flask) -> None:
    """`<int:...>` accepts only ids the database can hold (parsing.py); before the routes are added."""
    from reviewtracker import parsing

    parsing.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Each feature package exposes `bp` in its views module."""
    import importlib

    for name in BLUEPRINT_PACKAGES:
        module = importlib.import_module(f"reviewtracker.{name}.views")
        app.register_blueprint(module.bp)


def register_errorhandlers(app: Flask) -> None:
    """HTML or JSON error pages (errors.py)."""
    from reviewtracker import errors

    errors.init_app(app)


def register_security(app: Flask) -> None:
    """Security headers, proxy handling (security.py)."""
    from reviewtracker import security

    security.init_app(app)


def register_template_helpers(app: Flask) -> None:
    """Permission predicates and formatting helpers available in every template."""
    from reviewtracker import templating

    templating.init_app(app)


def register_commands(app: Flask) -> None:
    """The `flask` command groups (cli.py)."""
    from reviewtracker import cli

    cli.init_app(app)
