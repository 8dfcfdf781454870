"""Form pieces shared by the domains: reference-data choices and domain-error display."""

import math
from datetime import date

import sqlalchemy as sa
from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    FloatField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    ValidationError,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, StopValidation

from tamatch.errors import DomainError
from tamatch.extensions import db
from tamatch.i18n.names import current_language, state_name_in, term_name
from tamatch.models import Language, RegionalGroup, State, SupportKind, Theme
from tamatch.reference_cache import cached_choices
from tamatch.request_args import MAX_INT, MAX_NUMBER
from tamatch.taxonomy import theme_tree

REGIONAL_GROUP_LABELS = {
    RegionalGroup.AFRICAN: _l("African Group"),
    RegionalGroup.ASIA_PACIFIC: _l("Asia-Pacific Group"),
    RegionalGroup.EASTERN_EUROPEAN: _l("Eastern European Group"),
    RegionalGroup.GRULAC: _l("Latin American and Caribbean Group"),
    RegionalGroup.WEOG: _l("Western European and others Group"),
}


def as_choices(pairs) -> list[SelectChoice]:
    """WTForms choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes; coerces values to int."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", int)
        super().__init__(*args, **kwargs)

    def pre_validate(self, form) -> None:
        if self.data and self.choices is not None:
            valid = {value for value, *_ in self.iter_choices()}
            if not set(self.data) <= valid:
                raise ValidationError(_l("Not a valid choice."))


class BoundedIntegerField(IntegerField):
    """A whole number an INTEGER column can hold (up to 2^31 - 1 either way): a larger one is
    refused with a message, as a word is, and never reaches the database. Every whole number
    of the app's forms is one (tests/test_hostile_input.py checks)."""

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and abs(self.data) > MAX_INT:
            self.data = None
            raise ValueError(
                _("Enter a number no larger than %(num)s.", num=format_number(MAX_INT))
            )


class BoundedFloatField(FloatField):
    """A measured value: a finite number up to MAX_NUMBER either way (as the API takes it);
    "1e999", "inf" or "nan" are refused with a message, never stored."""

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and not (
            math.isfinite(self.data) and abs(self.data) <= MAX_NUMBER
        ):
            self.data = None
            raise ValueError(
                _(
                    "Enter a number such as 12.5, no larger than %(num)s.",
                    num=format_number(MAX_NUMBER),
                )
            )


class WholeNumberField(BoundedIntegerField):
    """A whole number typed in a text box: what was typed stays in the box when it is not a
    number (a number input would show it empty), and it gets one message, not two."""

    widget = widgets.TextInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("invalid_value_message", _l("Enter a whole number, such as 1500."))
        kwargs.setdefault("render_kw", {"inputmode": "numeric"})
        super().__init__(*args, **kwargs)

    def pre_validate(self, form) -> None:
        if self.process_errors:
            raise StopValidation()  # the conversion message alone; the range would repeat it


class NotInPast:
    """A date that looks forward may not lie before today; a stored date left unchanged
    (an older record edited) stays allowed."""

    def __init__(self, message=None):
        self.message = message or _l("This date is in the past: choose today or a later day.")

    def __call__(self, form, field) -> None:
        if field.data is None or field.data == field.object_data:
            return
        if field.data < date.today():
            raise ValidationError(self.message)


class TextLanguageField(SelectField):
    """ "Language of the text": the language its author writes a need, offer or report in,
    the author's own interface language by default (see tamatch/i18n/content.py)."""

    def __init__(self, label=None, **kwargs):
        from tamatch.i18n.content import text_language_choices

        kwargs.setdefault(
            "description",
            _l("Readers see your text as you wrote it, marked with its language."),
        )
        super().__init__(
            label or _l("Language of the text"),
            choices=text_language_choices,
            default=current_language,
            validators=[Optional()],
            **kwargs,
        )


def term_choices(model) -> list[tuple[int, str]]:
    """(id, name) of every row of a coded taxonomy table, by name in the reader's language."""
    rows = cached_choices(
        model.__name__,
        lambda: [
            (row.id, row.name) for row in db.session.scalars(sa.select(model).order_by(model.name))
        ],
    )
    return sorted(((key, term_name(name)) for key, name in rows), key=lambda c: c[1].casefold())


def load_theme_choices(field) -> None:
    """Fill a theme field and give it the tree of levels the picker shows (group, subgroup,
    theme: tamatch/taxonomy.py), named in the reader's language."""
    field.choices = as_choices(term_choices(Theme))
    rows = cached_choices(
        "Theme.tree",
        lambda: [tuple(r) for r in db.session.execute(
            sa.select(Theme.id, Theme.code, Theme.name, Theme.parent_code))],
    )  # fmt: skip
    field.tree = theme_tree(
        (key, code, term_name(name), parent) for key, code, name, parent in rows
    )


def load_reference_choices(form) -> None:
    """Fill the theme / kind / language choices of a need or offer form."""
    load_theme_choices(form.theme_ids)
    form.support_kind_ids.choices = as_choices(term_choices(SupportKind))
    form.language_ids.choices = as_choices(term_choices(Language))


def state_choices() -> list[tuple[int, str]]:
    """(id, name) of every State, named and ordered in the reader's language."""
    states = cached_choices(
        "State",
        lambda: [(s.id, s.iso3, s.name) for s in db.session.scalars(sa.select(State))],
    )
    names = [(key, state_name_in(iso3, current_language(), name)) for key, iso3, name in states]
    return sorted(names, key=lambda choice: choice[1].casefold())


def show_domain_error(form, error: DomainError) -> None:
    """Put a service's error under its field (or at the form's top) so the form re-renders."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
