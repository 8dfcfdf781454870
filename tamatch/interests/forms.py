"""Forms of interests and saved searches."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from tamatch.forms import as_choices
from tamatch.models import InterestLevel

ALL_OFFERS = "all"
LEVEL_LABELS = {
    InterestLevel.INTERESTED: _l("Interested"),
    InterestLevel.VERY_INTERESTED: _l("Very interested"),
}


class InterestForm(FlaskForm):
    offer = SelectField(_l("With the offer"), validators=[InputRequired()])
    level = RadioField(
        _l("How much"),
        choices=as_choices((str(int(k)), v) for k, v in LEVEL_LABELS.items()),
        default=str(int(InterestLevel.INTERESTED)),
        validators=[InputRequired()],
    )
    next = HiddenField()
    submit = SubmitField(_l("Show interest"))


class SaveSearchForm(FlaskForm):
    name = StringField(
        _l("Name of this search"),
        description=_l("Up to 100 characters. You are told when a new need fits it."),
        validators=[InputRequired(), Length(max=100)],
    )
    submit = SubmitField(_l("Save this search"))


class RenameSearchForm(FlaskForm):
    name = StringField(_l("New name"), validators=[InputRequired(), Length(max=100)])
    submit = SubmitField(_l("Rename"))


class ActionForm(FlaskForm):
    """A POST with only a CSRF token (withdraw, delete)."""
