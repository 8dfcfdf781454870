"""The names of the import formats and of the fields a column can give, for people."""

from flask_babel import lazy_gettext as _l

FORMAT_LABELS = {
    "uhri": _l("Universal Human Rights Index export"),
    "upr-info": _l("UPR Info database export"),
    "ohchr-matrix": _l("OHCHR thematic list of UPR recommendations (matrix)"),
}
# What each column of a file can be, in the words of the field.
FIELD_LABELS = {
    "text": _l("Recommendation text"),
    "state": _l("State under review (or State addressed)"),
    "recommending": _l("Recommending State(s)"),
    "response": _l("Response (position of the State)"),
    "position_source": _l("Source of position"),
    "symbol": _l("Document symbol"),
    "paragraph": _l("Paragraph"),
    "body": _l("Body or mechanism"),
    "session": _l("Session"),
    "cycle": _l("Cycle"),
    "date": _l("Date of the document"),
    "themes": _l("Themes"),
    "theme_code": _l("Theme code"),
    "theme_name": _l("Theme name (description)"),
    "affected": _l("Affected persons"),
    "sdgs": _l("SDGs"),
    "targets": _l("SDG targets"),
    "issues": _l("Issues (UPR Info)"),
}
