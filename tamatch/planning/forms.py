"""Forms of the plan: institutions, clusters, measures, updates, indicators, values, deadlines."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
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

from tamatch.followup.forms import CommentForm  # noqa: F401 - the same voice as on reports
from tamatch.forms import (
    BoundedFloatField,
    BoundedIntegerField,
    MultiCheckboxField,
    TextLanguageField,
    as_choices,
)
from tamatch.models import MeasureVisibility
from tamatch.planning.labels import (
    DEADLINE_KIND_LABELS,
    INSTITUTION_KIND_LABELS,
    MEASURE_STATUS_LABELS,
    MEASURE_VISIBILITY_LABELS,
)

YEAR = NumberRange(min=1945, max=2100)


class ConfirmForm(FlaskForm):
    """A button that changes or deletes something: the CSRF token and nothing else."""


class InstitutionForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=as_choices(INSTITUTION_KIND_LABELS.items()))
    contact_role = StringField(
        _l("Contact role"),
        description=_l("A role rather than a person, e.g. 'Head of the human rights unit'."),
        validators=[Optional(), Length(max=200)],
    )
    submit = SubmitField(_l("Save institution"))


class ClusterForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=10000)])
    theme_ids = MultiCheckboxField(_l("Themes"))
    institution_ids = MultiCheckboxField(_l("Responsible institutions"))
    recommendation_ids = MultiCheckboxField(_l("Recommendations"))
    submit = SubmitField(_l("Save cluster"))


class SplitForm(FlaskForm):
    title = StringField(
        _l("Title of the new cluster"), validators=[DataRequired(), Length(max=200)]
    )
    recommendation_ids = MultiCheckboxField(_l("Recommendations that move to it"))
    submit = SubmitField(_l("Split off"))


class MergeForm(FlaskForm):
    other = SelectField(_l("Cluster to fold into this one"), coerce=int)
    submit = SubmitField(_l("Merge"))


class RecommendationsForm(FlaskForm):
    """Ticked recommendations for a bulk action (remove from a cluster)."""

    recommendation_ids = MultiCheckboxField(_l("Recommendations"))


class AssignForm(FlaskForm):
    """The tracker's bulk action on the ticked recommendations."""

    recommendation_ids = MultiCheckboxField(_l("Recommendations"))
    action = SelectField(
        _l("Action"),
        choices=as_choices(
            [
                ("assign", _l("Assign to the institution")),
                ("unassign", _l("Take away from the institution")),
                ("cluster", _l("Move into the cluster")),
            ]
        ),
    )
    institution_id = SelectField(_l("Institution"), coerce=int, validators=[Optional()])
    cluster_id = SelectField(_l("Cluster"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Apply to the ticked recommendations"))


class MeasureForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("What will be done"), validators=[Optional(), Length(max=20000)])
    gap = TextAreaField(
        _l("What is missing to do it"),
        description=_l("Used as the gap when you ask partners for support."),
        validators=[Optional(), Length(max=10000)],
    )
    text_locale = TextLanguageField()
    cluster_id = SelectField(_l("Cluster"), coerce=int, validators=[Optional()])
    rec_query = StringField(
        _l("Search your State's recommendations"), validators=[Optional(), Length(max=200)]
    )
    search = SubmitField(_l("Search"))
    recommendation_ids = MultiCheckboxField(_l("Recommendations it answers"))
    institution_ids = MultiCheckboxField(_l("Responsible institutions"))
    start_on = DateField(_l("Start"), validators=[Optional()])
    due_on = DateField(_l("Due"), validators=[Optional()])
    visibility = RadioField(
        _l("Who may see this measure"),
        choices=as_choices((v.value, label) for v, label in MEASURE_VISIBILITY_LABELS.items()),
        default=MeasureVisibility.INTERNAL.value,
    )
    submit = SubmitField(_l("Save measure"))

    def validate_due_on(self, field) -> None:
        if self.start_on.data and field.data and field.data < self.start_on.data:
            raise ValidationError(_l("The due date must not be before the start."))


def status_choices(blank: str | None = None):
    pairs = [(s.value, label) for s, label in MEASURE_STATUS_LABELS.items()]
    return as_choices(([("", blank)] if blank else []) + pairs)


class UpdateForm(FlaskForm):
    note = TextAreaField(_l("What happened"), validators=[Optional(), Length(max=10000)])
    status = SelectField(
        _l("Status"), choices=status_choices(_l("Keep the status")), validators=[Optional()]
    )
    submit = SubmitField(_l("Add to the history"))


class OutcomeChoiceForm(FlaskForm):
    status = SelectField(_l("Status of the measure"), choices=status_choices())
    submit = SubmitField(_l("Apply"))


class IndicatorForm(FlaskForm):
    definition = TextAreaField(
        _l("Definition"),
        description=_l("What is counted or measured, and how."),
        validators=[DataRequired(), Length(max=5000)],
    )
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=60)])
    baseline_value = BoundedFloatField(_l("Baseline value"), validators=[Optional()])
    baseline_year = BoundedIntegerField(_l("Baseline year"), validators=[Optional(), YEAR])
    target_value = BoundedFloatField(_l("Target value"), validators=[Optional()])
    target_year = BoundedIntegerField(_l("Target year"), validators=[Optional(), YEAR])
    source = StringField(_l("Source of the data"), validators=[Optional(), Length(max=300)])
    review_months = BoundedIntegerField(
        _l("A new value is expected every (months)"),
        default=12,
        validators=[InputRequired(), NumberRange(min=1, max=120)],
    )
    submit = SubmitField(_l("Save indicator"))

    def validate_target_year(self, field) -> None:
        if self.baseline_year.data and field.data and field.data < self.baseline_year.data:
            raise ValidationError(_l("The target year must not be before the baseline."))


class ValueForm(FlaskForm):
    observed_on = DateField(_l("Observed on"), validators=[InputRequired()])
    value = BoundedFloatField(_l("Value"), validators=[InputRequired()])
    note = StringField(_l("Note or source"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Record value"))


class DeadlineForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=as_choices(DEADLINE_KIND_LABELS.items()))
    mechanism_id = SelectField(_l("Mechanism"), coerce=int, validators=[Optional()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    due_on = DateField(_l("Date"), validators=[InputRequired()])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=10000)])
    add_midterm = BooleanField(_l("Also add the mid-term report, half-way to the next review"))
    rec_query = StringField(
        _l("Search your State's recommendations"), validators=[Optional(), Length(max=200)]
    )
    search = SubmitField(_l("Search"))
    recommendation_ids = MultiCheckboxField(_l("Recommendations selected for follow-up"))
    submit = SubmitField(_l("Save date"))
