"""Routes of the revisions feature."""

from flask import Blueprint

bp = Blueprint("revisions", __name__, url_prefix="/revisions")
