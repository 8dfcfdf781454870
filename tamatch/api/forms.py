"""Forms of the API token pages: issuing a token and revoking one."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, Length

from tamatch.api.tokens import DEFAULT_LIFETIME_DAYS, LIFETIMES_DAYS
from tamatch.forms import as_choices


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        description=_l("What the token is for, e.g. the national tracking database."),
        validators=[DataRequired(), Length(max=100)],
    )
    days = RadioField(
        _l("Valid for"),
        choices=as_choices((d, _l("%(n)d days", n=d)) for d in LIFETIMES_DAYS),
        coerce=int,
        default=DEFAULT_LIFETIME_DAYS,
    )
    # A token outlives the session: issuing one needs the password again, not a cookie alone.
    password = PasswordField(
        _l("Your password"),
        description=_l("Issuing a token needs your password again."),
        validators=[DataRequired(), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )


class RevokeForm(FlaskForm):
    """A button with its CSRF token."""
