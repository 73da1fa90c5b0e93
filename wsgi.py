"""WSGI entry point: the only place an application is built for serving (gunicorn wsgi:app)."""

from reviewtracker import create_app

app = create_app()
