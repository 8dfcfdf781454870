"""The e-mail setting of an account: each notification as it comes, or one digest a day."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired

from tamatch.forms import as_choices

IMMEDIATE, DIGEST = "immediate", "digest"


class EmailSettingForm(FlaskForm):
    delivery = RadioField(
        _l("E-mail me"),
        choices=as_choices(
            [
                (IMMEDIATE, _l("each notification as it comes")),
                (DIGEST, _l("one daily digest of all my notifications")),
            ]
        ),
        default=IMMEDIATE,
        validators=[InputRequired(_l("Choose how you want your e-mails."))],
    )
    submit = SubmitField(_l("Save"))
