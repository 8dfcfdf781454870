"""Sign-in, invitation acceptance, password change and sign-out-everywhere forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

MIN_PASSWORD_LENGTH = 12


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    submit = SubmitField(_l("Sign in"))


def _new_password_fields():
    password = PasswordField(
        _l("New password"),
        description=_l("At least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=1024)],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    return password, confirm


class TwoFactorForm(FlaskForm):
    code = StringField(
        _l("Six-digit code from your authenticator app"),
        validators=[DataRequired(), Length(min=6, max=10)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    submit = SubmitField(_l("Verify"))


class AcceptInvitationForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Set password and sign in"))


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=1024)])
    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Change password"))


class SignOutEverywhereForm(FlaskForm):
    """A confirmation button with its CSRF token."""

    submit = SubmitField(_l("Sign out everywhere"))


__all__ = [
    "AcceptInvitationForm",
    "ChangePasswordForm",
    "Email",
    "LoginForm",
    "SignOutEverywhereForm",
    "TwoFactorForm",
]
