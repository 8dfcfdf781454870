"""Forms of the recommendations area: the upload of an export, and the check of its columns."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, SubmitField

from tamatch.forms import as_choices
from tamatch.i18n.content import text_language_choices
from tamatch.recommendations.import_formats import FORMATS, REQUIRED, SYNONYMS
from tamatch.recommendations.import_labels import FIELD_LABELS, FORMAT_LABELS

MAPPED_FIELDS = tuple(dict.fromkeys(f for fmt in FORMATS for f in SYNONYMS[fmt]))


def _language_choices() -> list[tuple[str, str]]:
    return [("", _l("Not said")), *text_language_choices()]


def _format_field() -> SelectField:
    return SelectField(
        _l("Format"),
        choices=as_choices(
            [("auto", _l("Detect from the file")), *((f, FORMAT_LABELS[f]) for f in FORMATS)]
        ),
        default="auto",
    )


def _language_field() -> SelectField:
    return SelectField(
        _l("Language of the texts"),
        description=_l(
            "Say it when you know it. A file in another language of recommendations already "
            "held (the French export of the same report) adds their texts in that language."
        ),
        choices=_language_choices,
        default="",
    )


class ImportForm(FlaskForm):
    """One export file and its format; nothing is written before the preview is confirmed."""

    file = FileField(
        _l("Export file (CSV or XLSX)"),
        validators=[FileRequired()],
        render_kw={"accept": ".csv,.txt,.xlsx"},
    )
    fmt = _format_field()
    language = _language_field()
    submit = SubmitField(_l("Upload and preview"))


class ColumnField(SelectField):
    """Which column of the file holds one field; "" when none does. Its choices are the
    file's columns, set by `PreviewForm.set_columns` once the file is read (after the form
    is validated): a column number beyond the file's is dropped by the preview."""

    def pre_validate(self, form) -> None:
        if self.data not in (None, "") and not str(self.data).isdigit():
            raise ValueError(self.gettext("Not a valid choice."))


class PreviewForm(FlaskForm):
    """The choices on the preview of an import: format, language and one column per field."""

    fmt = _format_field()
    language = _language_field()
    mapped_fmt = HiddenField()  # the format the column choices below were made for
    preview = SubmitField(_l("Show the preview again"))
    confirm = SubmitField(_l("Import"))
    cancel = SubmitField(_l("Cancel"))

    def set_columns(self, headers: list[str], letters: list[str]) -> None:
        """Offer the file's columns ("B: Text") in every column choice."""
        choices = as_choices(
            [("", _l("Not in the file"))]
            + [(str(i), f"{letters[i]}: {h or _l('(no header)')}") for i, h in enumerate(headers)]
        )
        for name in MAPPED_FIELDS:
            getattr(self, f"col_{name}").choices = choices

    def mapping(self, fmt: str) -> dict[str, int]:
        """The columns chosen for the fields of `fmt` (field -> column index)."""
        found = {}
        for name in SYNONYMS[fmt]:
            value = getattr(self, f"col_{name}").data
            if value not in (None, "") and str(value).isdigit():
                found[name] = int(value)
        return found

    def column_fields(self, fmt: str) -> list:
        """The column choices of `fmt`'s fields, required ones first."""
        names = sorted(SYNONYMS[fmt], key=lambda n: n not in REQUIRED[fmt])
        return [getattr(self, f"col_{name}") for name in names]

    def check_columns(self, fmt: str) -> bool:
        """Each required field has a column, and no column is chosen for two fields; the
        errors go under the fields."""
        ok = True
        taken: dict[int, str] = {}
        for column in self.column_fields(fmt):
            name = column.name.removeprefix("col_")
            value = column.data
            if value in (None, ""):
                if name in REQUIRED[fmt]:
                    column.errors = [*column.errors, _l("Choose the column that holds it.")]
                    ok = False
                continue
            index = int(value)
            if index in taken:
                column.errors = [*column.errors, _l(
                    "This column is already chosen for \u201c%(field)s\u201d.",
                    field=FIELD_LABELS[taken[index]],
                )]  # fmt: skip
                ok = False
            taken.setdefault(index, name)
        return ok


for _name in MAPPED_FIELDS:
    setattr(
        PreviewForm,
        f"col_{_name}",
        ColumnField(
            FIELD_LABELS[_name], choices=as_choices([("", _l("Not in the file"))]), default=""
        ),
    )
