"""The need form: posting a need tied to recommendations, with search among them."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from tamatch.forms import (
    MultiCheckboxField,
    NotInPast,
    TextLanguageField,
    WholeNumberField,
    as_choices,
)
from tamatch.models import Priority, Visibility

VISIBILITY_LABELS = {
    Visibility.PUBLIC: _l("Public: anyone, also without an account"),
    Visibility.MEMBERS: _l("Platform members: any signed-in user"),
    Visibility.CONFIDENTIAL: _l("Confidential: organisers, and the partner of an engagement on it"),
}
PRIORITY_LABELS = {
    Priority.HIGH: _l("High"),
    Priority.MEDIUM: _l("Medium"),
    Priority.LOW: _l("Low"),
}


class NeedForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    gap = TextAreaField(
        _l("The gap, in your own words"),
        description=_l("What is missing to implement these recommendations, and why."),
        validators=[DataRequired(), Length(min=20, max=10000)],
    )
    text_locale = TextLanguageField()
    rec_query = StringField(
        _l("Search your State's recommendations"),
        description=_l("Words of the text, a document symbol or a paragraph number."),
        validators=[Optional(), Length(max=200)],
    )
    search = SubmitField(_l("Search"))
    recommendation_ids = MultiCheckboxField(_l("Recommendations this need serves"))
    theme_ids = MultiCheckboxField(_l("Themes"), validators=[DataRequired()])
    institution_ids = MultiCheckboxField(
        _l("Institutions it concerns"),
        description=_l("Optional: your State's institutions that would receive the support."),
    )
    measure_id = HiddenField()  # set when support is asked for a measure of the plan
    support_kind_ids = MultiCheckboxField(_l("Kinds of support"), validators=[DataRequired()])
    language_ids = MultiCheckboxField(_l("Working languages"), validators=[DataRequired()])
    cost_min = WholeNumberField(
        _l("Estimated cost from (USD)"), validators=[InputRequired(), NumberRange(min=0)]
    )
    cost_max = WholeNumberField(
        _l("Estimated cost up to (USD)"), validators=[InputRequired(), NumberRange(min=0)]
    )
    window_start = DateField(_l("Wished start, earliest"), validators=[InputRequired()])
    window_end = DateField(_l("Wished start, latest"), validators=[InputRequired(), NotInPast()])
    priority = RadioField(
        _l("Priority"),
        choices=as_choices((int(p), label) for p, label in PRIORITY_LABELS.items()),
        coerce=int,
        default=int(Priority.MEDIUM),
    )
    visibility = RadioField(
        _l("Who may see this need"),
        choices=as_choices((v.value, label) for v, label in VISIBILITY_LABELS.items()),
        default=Visibility.MEMBERS.value,
    )
    save_draft = SubmitField(_l("Save as draft"))
    publish = SubmitField(_l("Publish"))
    save = SubmitField(_l("Save changes"))

    def validate_recommendation_ids(self, field) -> None:
        # Checked with every other field, not only once the rest is right (one pass).
        if not field.data:
            raise ValidationError(
                _l("Tie the need to at least one recommendation your State received.")
            )

    def validate_cost_max(self, field) -> None:
        low, high = self.cost_min.data, field.data
        if low is not None and high is not None and high < low:
            raise ValidationError(_l("The highest cost must not be below the lowest."))

    def validate_window_end(self, field) -> None:
        if self.window_start.data and field.data and field.data < self.window_start.data:
            raise ValidationError(_l("The window must end after it starts."))


class NeedStatusForm(FlaskForm):
    """One button per allowed move; the target comes from the button's value."""

    target = StringField(validators=[DataRequired()])


class NeedFilterForm(FlaskForm):
    """GET filters of the needs list (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=200)])


class CohortInviteForm(FlaskForm):
    """The lead invites another State to post the need together."""

    state_id = SelectField(_l("State to invite"), coerce=int, validators=[DataRequired()])
    submit = SubmitField(_l("Invite"))


class CohortAnswerForm(FlaskForm):
    """A member State's answer to the need opening: one button each way."""

    consent = SubmitField(_l("Consent for my State"))
    decline = SubmitField(_l("Decline for my State"))
