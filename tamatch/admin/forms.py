"""Admin forms: inviting users and adding organisations."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from tamatch.forms import as_choices
from tamatch.models import OrganisationKind, Role

ROLE_LABELS = {
    Role.FOCAL_POINT: _l("State focal point"),
    Role.PARTNER: _l("Development partner"),
    Role.ORGANISER: _l("Organiser"),
    Role.REVIEWER: _l("Reviewer"),
    Role.CIVIL_SOCIETY: _l("Civil society or NHRI"),
    Role.ADMIN: _l("Administrator"),
}
ORGANISATION_KIND_LABELS = {
    OrganisationKind.UN_ENTITY: _l("UN entity"),
    OrganisationKind.DONOR_AGENCY: _l("Donor agency"),
    OrganisationKind.PEER_STATE: _l("Peer State"),
    OrganisationKind.REGIONAL_ORGANISATION: _l("Regional organisation"),
    OrganisationKind.FUND: _l("Fund"),
    OrganisationKind.CIVIL_SOCIETY: _l("Civil-society organisation"),
    OrganisationKind.NHRI: _l("National human-rights institution"),
}


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class InviteForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(
        _l("Role"), choices=as_choices((r.value, label) for r, label in ROLE_LABELS.items())
    )
    state_id = SelectField(
        _l("State (focal points)"), coerce=_optional_int, validators=[Optional()]
    )
    organisation_id = SelectField(
        _l("Organisation (partners, civil society and NHRIs)"),
        coerce=_optional_int,
        validators=[Optional()],
    )
    submit = SubmitField(_l("Invite"))


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(
        _l("Kind"),
        choices=as_choices((k.value, label) for k, label in ORGANISATION_KIND_LABELS.items()),
    )
    state_id = SelectField(
        _l("State (peer States, civil society, NHRIs)"),
        coerce=_optional_int,
        validators=[Optional()],
    )
    submit = SubmitField(_l("Add organisation"))


class ConfirmForm(FlaskForm):
    """An empty form: a POST with a CSRF token, behind a confirmation."""

    submit = SubmitField(_l("Confirm"))
