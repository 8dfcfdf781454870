"""Forms of the recommendations area: the upload of an export to import."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField

from tamatch.forms import as_choices
from tamatch.i18n.content import text_language_choices


def _language_choices() -> list[tuple[str, str]]:
    return [("", _l("Not said")), *text_language_choices()]


class ImportForm(FlaskForm):
    """One export file and its format."""

    file = FileField(
        _l("Export file (CSV or XLSX)"),
        validators=[FileRequired()],
        render_kw={"accept": ".csv,.txt,.xlsx"},
    )
    fmt = SelectField(
        _l("Format"),
        choices=as_choices(
            [
                ("auto", _l("Detect from the column headers")),
                ("uhri", _l("Universal Human Rights Index export")),
                ("upr-info", _l("UPR Info database export")),
            ]
        ),
        default="auto",
    )
    language = SelectField(
        _l("Language of the texts"),
        description=_l(
            "Say it when you know it. A file in another language of recommendations already "
            "held (the French export of the same report) adds their texts in that language."
        ),
        choices=_language_choices,
        default="",
    )
