"""Routes of the triage feature."""

from flask import Blueprint

bp = Blueprint("triage", __name__, url_prefix="/triage")
