"""Forms for signing in, passwords and the profile."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from reviewtracker.forms import BaseForm
from reviewtracker.models._base import MAX_EMAIL_CHARS, MAX_NAME_CHARS

MIN_PASSWORD_CHARS = 10


class LoginForm(BaseForm):
    """E-mail and password."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=MAX_EMAIL_CHARS)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Sign in"))


class NewPasswordMixin:
    """A new password typed twice."""

    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_CHARS, max=200)],
        description=_l("At least %(n)d characters.", n=MIN_PASSWORD_CHARS),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))],
    )


class ChangePasswordForm(NewPasswordMixin, BaseForm):
    """Change one's password (ends every other session)."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    submit = SubmitField(_l("Change password"))


class SetPasswordForm(NewPasswordMixin, BaseForm):
    """Set a password from an invitation or reset link."""

    submit = SubmitField(_l("Set password"))


class ProfileForm(BaseForm):
    """The user's name and interface language."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=MAX_NAME_CHARS)])
    locale = SelectField(
        _l("Interface language"),
        choices={"en": "English", "fr": "Français", "es": "Español"},
    )
    submit = SubmitField(_l("Save"))
