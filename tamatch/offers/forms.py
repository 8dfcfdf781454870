"""The offer form."""

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
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from tamatch.forms import (
    REGIONAL_GROUP_LABELS,
    MultiCheckboxField,
    NotInPast,
    TextLanguageField,
    WholeNumberField,
    as_choices,
)
from tamatch.models import Modality

MODALITY_LABELS = {
    Modality.REMOTE: _l("Remote"),
    Modality.IN_COUNTRY: _l("In the country"),
    Modality.PEER_EXCHANGE: _l("Peer exchange or study visit"),
}


class GroupCheckboxField(MultiCheckboxField):
    def __init__(self, *args, **kwargs):
        kwargs["coerce"] = str
        super().__init__(*args, **kwargs)


class OfferForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(
        _l("Description"),
        description=_l("What you offer, who delivers it, and what a State should expect."),
        validators=[DataRequired(), Length(min=20, max=10000)],
    )
    text_locale = TextLanguageField()
    theme_ids = MultiCheckboxField(_l("Themes"), validators=[DataRequired()])
    support_kind_ids = MultiCheckboxField(_l("Kinds of support"), validators=[DataRequired()])
    language_ids = MultiCheckboxField(_l("Languages"), validators=[DataRequired()])
    modality = SelectField(
        _l("Modality"),
        choices=as_choices((m.value, label) for m, label in MODALITY_LABELS.items()),
        validators=[DataRequired()],
    )
    eligible_all = RadioField(
        _l("Eligible States"),
        choices=as_choices(
            [("all", _l("All UN member States")), ("some", _l("Only those selected below"))]
        ),
        default="all",
    )
    eligible_groups = GroupCheckboxField(
        _l("Regional groups"),
        choices=as_choices((g.value, label) for g, label in REGIONAL_GROUP_LABELS.items()),
    )
    eligible_ldc = BooleanField(_l("Least developed countries"))
    eligible_sids = BooleanField(_l("Small island developing States"))
    eligible_lldc = BooleanField(_l("Landlocked developing countries"))
    eligible_state_ids = MultiCheckboxField(_l("Named States"))
    capacity = WholeNumberField(
        _l("Capacity (number of engagements)"),
        validators=[InputRequired(), NumberRange(min=1, max=10000)],
    )
    budget = WholeNumberField(
        _l("Total budget (USD)"), validators=[InputRequired(), NumberRange(min=0)]
    )
    typical_cost = WholeNumberField(
        _l("Typical cost of one engagement (USD)"),
        validators=[InputRequired(), NumberRange(min=0)],
    )
    window_start = DateField(_l("Available from"), validators=[InputRequired()])
    window_end = DateField(_l("Available until"), validators=[InputRequired(), NotInPast()])
    save_draft = SubmitField(_l("Save as draft"))
    publish = SubmitField(_l("Publish"))
    save = SubmitField(_l("Save changes"))

    # The offer being edited (None for a new one), for the rules on what is already used.
    offer = None

    def validate_window_end(self, field) -> None:
        if self.window_start.data and field.data and field.data < self.window_start.data:
            raise ValidationError(_l("The window must end after it starts."))

    # The service checks these rules again; here they come with every other message at once.
    def validate_eligible_all(self, field) -> None:
        restricted = (
            self.eligible_groups.data
            or self.eligible_ldc.data
            or self.eligible_sids.data
            or self.eligible_lldc.data
            or self.eligible_state_ids.data
        )
        if field.data == "some" and not restricted:
            raise ValidationError(
                _l(
                    "Say which States are eligible: pick groups, categories or States, "
                    "or choose all."
                )
            )

    def validate_typical_cost(self, field) -> None:
        if (
            field.data is not None
            and self.budget.data is not None
            and field.data > self.budget.data
        ):
            raise ValidationError(
                _l("The typical cost of one engagement cannot exceed the total budget.")
            )

    def validate_capacity(self, field) -> None:
        used = self.offer.capacity_used if self.offer is not None else 0
        if field.data is not None and field.data < used:
            raise ValidationError(
                _l("Capacity cannot go below the %(n)d engagements already agreed.", n=used)
            )

    def validate_budget(self, field) -> None:
        used = self.offer.budget_used if self.offer is not None else 0
        if field.data is not None and field.data < used:
            raise ValidationError(_l("Budget cannot go below the %(n)d already committed.", n=used))


class OfferStatusForm(FlaskForm):
    target = StringField(validators=[DataRequired()])
