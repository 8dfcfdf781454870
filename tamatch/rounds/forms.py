"""Forms of match rounds: settings, runs, pins and bars, consent."""

import dataclasses

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from solver.profiles import ScoreWeights
from solver.settings import COVERAGE_FIRST, LDC_TRANSITION_YEARS, TIME_LIMIT
from tamatch.forms import (
    REGIONAL_GROUP_LABELS,
    BoundedIntegerField,
    MultiCheckboxField,
    NotInPast,
    as_choices,
)
from tamatch.offers.forms import GroupCheckboxField

WEIGHT_LABELS = {
    "theme": _l("Shared themes"),
    "kind": _l("Fit of the kinds of support"),
    "priority": _l("The need's priority"),
    "ldc": _l("Least developed country"),
    "ldc_graduated": _l("Graduated from the LDC category recently"),
    "sids": _l("Small island developing State"),
    "lldc": _l("Landlocked developing country"),
    "south_south": _l("South-South exchange"),
    "urgency": _l("Urgency (the need starts soon)"),
    "urgent_days": _l("Days within which a start counts as urgent"),
    "mechanism": _l("Each further recommending mechanism"),
    "mechanism_cap": _l("Most points for further mechanisms"),
    "interest": _l("The partner asked to support the need (half when interested)"),
}
LIMITS = frozenset({"urgent_days", "mechanism_cap"})
DEFAULT_WEIGHTS = dataclasses.asdict(ScoreWeights())  # the one copy lives in solver/


# Finer weights that an organiser may leave empty (the default of ScoreWeights then holds).
OPTIONAL_WEIGHTS = frozenset(
    {"urgent_days", "mechanism", "mechanism_cap", "ldc_graduated", "interest"}
)


def _weight_field(name: str) -> BoundedIntegerField:
    required = Optional() if name in OPTIONAL_WEIGHTS else InputRequired()
    return BoundedIntegerField(
        WEIGHT_LABELS[name],
        default=DEFAULT_WEIGHTS[name],
        validators=[required, NumberRange(min=0, max=1000)],
    )


class RoundForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    serves = StringField(
        _l("Council session or theme it serves"),
        description=_l("For example: HRC 61, or Access to justice in the Pacific."),
        validators=[InputRequired(), Length(max=200)],
    )
    submission_deadline = DateField(
        _l("Submission deadline"), validators=[InputRequired(), NotInPast()]
    )
    followup_months = StringField(
        _l("Follow-up stages (months after the start)"),
        default="6",
        description=_l("One or more numbers separated by commas, such as 6, 12."),
        validators=[InputRequired(), Length(max=40)],
    )
    theme_ids = MultiCheckboxField(
        _l("Themes covered"), description=_l("None ticked: every theme.")
    )
    regional_groups = GroupCheckboxField(
        _l("Regional groups covered"),
        description=_l("None ticked: every group."),
        choices=as_choices((g.value, label) for g, label in REGIONAL_GROUP_LABELS.items()),
    )
    weight_theme = _weight_field("theme")
    weight_kind = _weight_field("kind")
    weight_priority = _weight_field("priority")
    weight_ldc = _weight_field("ldc")
    weight_ldc_graduated = _weight_field("ldc_graduated")
    weight_sids = _weight_field("sids")
    weight_lldc = _weight_field("lldc")
    weight_south_south = _weight_field("south_south")
    weight_urgency = _weight_field("urgency")
    weight_urgent_days = _weight_field("urgent_days")
    weight_mechanism = _weight_field("mechanism")
    weight_mechanism_cap = _weight_field("mechanism_cap")
    weight_interest = _weight_field("interest")
    max_per_state = BoundedIntegerField(
        _l("Most matches per State (fairness cap)"),
        description=_l("Leave empty for no cap."),
        validators=[Optional(), NumberRange(min=1, max=1000)],
    )
    coverage_first = BooleanField(
        _l("Serve as many needs as possible first"), default=COVERAGE_FIRST
    )
    time_limit = BoundedIntegerField(
        _l("Solver time limit (seconds)"),
        default=TIME_LIMIT,
        validators=[InputRequired(), NumberRange(min=1, max=600)],
    )
    ldc_transition_years = BoundedIntegerField(
        _l("Years a graduated LDC keeps a priority"),
        description=_l(
            "A State that left the least developed country category this many years ago or "
            "less earns the points for a recently graduated LDC. 0 turns them off."
        ),
        default=LDC_TRANSITION_YEARS,
        validators=[Optional(), NumberRange(min=0, max=10)],
    )
    submit = SubmitField(_l("Save round"))

    def validate_followup_months(self, field) -> None:
        try:
            months = [int(part) for part in field.data.replace(";", ",").split(",") if part.strip()]
        except ValueError:
            raise ValidationError(_l("Use whole numbers of months, such as 6, 12.")) from None
        if not months or any(m < 1 or m > 60 for m in months):
            raise ValidationError(_l("Each stage is between 1 and 60 months."))
        field.months = tuple(sorted(set(months)))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        defaults = ScoreWeights()
        values = [  # a weight left empty is its default
            getattr(defaults, name) if f.data is None else f.data
            for name, f in zip(WEIGHT_LABELS, self.weight_fields(), strict=True)
            if name not in LIMITS  # a number of days or a cap gives no points of its own
        ]
        if all(v == 0 for v in values):  # every score would be 0: nothing to rank matches by
            self.weight_theme.errors.append(
                _l("At least one weight must be above 0, or no match ranks above another.")
            )
            return False
        return valid

    @property
    def weights(self) -> dict[str, int]:
        values = {name: getattr(self, f"weight_{name}").data for name in WEIGHT_LABELS}
        return {name: value for name, value in values.items() if value is not None}

    def weight_fields(self):
        return [getattr(self, f"weight_{name}") for name in WEIGHT_LABELS]


class RunForm(FlaskForm):
    label = StringField(
        _l("Label of this run"),
        description=_l("To tell runs apart, for example: cap 2 per State."),
        validators=[Optional(), Length(max=200)],
    )
    submit = SubmitField(_l("Solve now"))


class PublishForm(FlaskForm):
    answers_due = DateField(
        _l("Answers due by"),
        description=_l(
            "The last day on which the States and partners can answer; what is not accepted "
            "by both sides then lapses. 14 days from today unless you choose."
        ),
        validators=[Optional(), NotInPast()],
    )
    confirm_stale = BooleanField(_l("Publish anyway, although the round changed since this run"))
    submit = SubmitField(_l("Publish these proposals"))


class PairRuleForm(FlaskForm):
    need_id = BoundedIntegerField(validators=[InputRequired()])
    offer_id = BoundedIntegerField(validators=[InputRequired()])
    kind = RadioField(choices=as_choices([("pin", _l("Pin")), ("forbid", _l("Bar"))]))
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Your answer"),
        choices=as_choices([("accept", _l("Accept")), ("decline", _l("Decline"))]),
        validators=[InputRequired()],
    )
    reason = TextAreaField(
        _l("Reason (required when declining)"), validators=[Optional(), Length(max=1000)]
    )
    submit = SubmitField(_l("Send answer"))


class ActionForm(FlaskForm):
    """A POST with only a CSRF token (buttons behind confirmations)."""
