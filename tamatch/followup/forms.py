"""Forms of the follow-up: the progress report, evidence, comments, reviews, outcomes, practices."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import InputRequired, Length, Optional

from tamatch.followup.evidence import ACCEPT, max_bytes, megabytes
from tamatch.forms import TextLanguageField, as_choices
from tamatch.labels import IMPLEMENTATION_LABELS, OUTCOME_LABELS, RATING_LABELS


def _narrative(label, description):
    return TextAreaField(label, description=description, validators=[Optional(), Length(max=20000)])


class ReportForm(FlaskForm):
    achievements = _narrative(_l("Achievements"), _l("What was done and what changed."))
    challenges = _narrative(_l("Challenges"), _l("What proved hard."))
    obstacles = _narrative(_l("Obstacles"), _l("What stands in the way now."))
    lessons = _narrative(_l("Lessons learnt"), _l("What others could take from this."))
    text_locale = TextLanguageField()
    save = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Submit report"))


def status_field(label: str) -> SelectField:
    """One implementation-status select per recommendation, added to the form at run time."""
    return SelectField(
        label,
        choices=as_choices([("", _l("Choose a status")), *IMPLEMENTATION_LABELS.items()]),
        validators=[Optional()],
    )


class EvidenceForm(FlaskForm):
    """Add a link or a file (or both) to a report."""

    url = URLField(_l("Link"), validators=[Optional(), Length(max=1000)])
    file = FileField(_l("File"), render_kw={"accept": ACCEPT})

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.file.description = _(
            "PDF, Word (DOCX), Excel (XLSX) or an image (PNG, JPEG, GIF, WebP), up to %(n)s MB.",
            n=megabytes(max_bytes()),
        )
        self.url.description = _("A web page that backs the report, starting with https://.")


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Your comment"), validators=[InputRequired(), Length(max=10000)])
    organisers_only = BooleanField(
        _l("Show to organisers only"),
        description=_l("Choose this when publishing the comment could expose you to reprisals."),
    )
    submit = SubmitField(_l("Post comment"))


class ReviewForm(FlaskForm):
    rating = RadioField(
        _l("Progress"), choices=as_choices(RATING_LABELS.items()), validators=[InputRequired()]
    )
    comment = TextAreaField(_l("Assessment"), validators=[Optional(), Length(max=10000)])
    submit = SubmitField(_l("Record assessment"))


class OutcomeForm(FlaskForm):
    outcome = RadioField(
        _l("Outcome"), choices=as_choices(OUTCOME_LABELS.items()), validators=[InputRequired()]
    )
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=10000)])
    submit = SubmitField(_l("Record outcome"))


class PracticeForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    summary = TextAreaField(
        _l("Lessons learnt, for peers"),
        description=_l("Publishing shares this text, the themes and kinds of support with all."),
        validators=[InputRequired(), Length(min=20, max=20000)],
    )
    submit = SubmitField(_l("Publish as a good practice"))
