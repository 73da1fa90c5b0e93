"""The profile page's personal API tokens: create (the token is shown once) and revoke.

These are HTML form posts signed in by the session cookie, so they live on their own blueprint: it keeps
CSRF protection and the /profile URLs, while the JSON API blueprint accepts tokens only.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from reviewtracker.api import auth
from reviewtracker.errors import ServiceError
from reviewtracker.extensions import db
from reviewtracker.models import ApiToken
from reviewtracker.permissions import login_required

tokens_bp = Blueprint("tokens", __name__, url_prefix="/profile/tokens")
FORM_PREFIX = "token"


class TokenForm(FlaskForm):
    """The name of a new token (to recognise it in the list later)."""

    name = StringField(
        _l("Token name"),
        validators=[DataRequired(), Length(max=auth.MAX_TOKEN_NAME)],
        description=_l("For example the system that will use it."),
    )
    submit = SubmitField(_l("Create token"))


@tokens_bp.app_context_processor
def token_helpers() -> dict:
    """The profile page's token section asks for the list and the form only when it is rendered."""

    def api_tokens() -> list[ApiToken]:
        return auth.list_tokens(current_user) if current_user.is_authenticated else []

    def token_form() -> TokenForm:
        # Prefixed and unbound: the profile form on the same page also has a "name" field.
        return TokenForm(formdata=None, prefix=FORM_PREFIX)

    return {"api_tokens": api_tokens, "token_form": token_form}


@tokens_bp.post("")
@login_required
def create_token():
    """Create a token and show it once (this response is the only place it ever appears)."""
    form = TokenForm(prefix=FORM_PREFIX)
    if not form.validate_on_submit():
        flash(_("Give the token a name of 1 to %(max)d characters.", max=auth.MAX_TOKEN_NAME), "danger")
        return redirect(url_for("auth.profile"))
    try:
        token, raw = auth.create_api_token(current_user, form.name.data)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("auth.profile"))
    db.session.commit()
    # Rendered, not redirected: putting the raw token in the session or a URL would store it somewhere.
    return render_template("api/token_created.html", token=token, raw=raw)


@tokens_bp.post("/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    """Revoke one of one's own tokens (someone else's token does not exist for you)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    auth.revoke_api_token(current_user, token)
    db.session.commit()
    flash(_("The token “%(name)s” is revoked.", name=token.name), "success")
    return redirect(url_for("auth.profile"))
