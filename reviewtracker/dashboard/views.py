"""Routes of the dashboard feature."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
