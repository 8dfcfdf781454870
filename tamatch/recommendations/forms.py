"""Forms of the recommendations area: the upload of an export to import."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField

from tamatch.forms import as_choices


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
