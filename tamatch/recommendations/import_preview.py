"""The preview of an import: what the file is, how its columns are read, and the first
recommendations as they would be stored, all rows checked; nothing is written."""

import itertools
from dataclasses import dataclass, field

import sqlalchemy as sa

from tamatch.extensions import db
from tamatch.models import AffectedGroup, Theme
from tamatch.recommendations import import_formats as formats
from tamatch.recommendations import import_matrix
from tamatch.recommendations.import_report import ImportReport
from tamatch.recommendations.import_sniff import document_kind, document_message
from tamatch.recommendations.importing import checked
from tamatch.seeding.recommendations import RecommendationSeed

SAMPLE_ROWS = 5  # rows of the file shown as they are
SHOWN_RECOMMENDATIONS = 10  # recommendations shown as they would be stored


@dataclass
class ImportPreview:
    """One file as the import would read it."""

    name: str
    fmt: str = formats.UHRI  # the format it is read in (detected or chosen)
    detected: str = formats.UHRI
    encoding: str = ""
    headings: list[str] = field(default_factory=list)
    heading: import_matrix.MatrixHeading = field(default_factory=import_matrix.MatrixHeading)
    headers: list[str] = field(default_factory=list)
    header_row: int = 1
    mapping: dict[str, int] = field(default_factory=dict)  # field -> column index
    sample: list[tuple[int, list[str]]] = field(default_factory=list)
    recommendations: list[tuple[int, RecommendationSeed]] = field(default_factory=list)
    total: int = 0  # recommendations the whole file gives
    report: ImportReport = field(default_factory=ImportReport)
    unreadable: str | None = None  # why the file cannot be read as a table
    theme_names: dict[str, str] = field(default_factory=dict)  # code -> English name
    group_names: dict[str, str] = field(default_factory=dict)  # affected group code -> name

    @property
    def letters(self) -> list[str]:
        return [column_letter(i) for i in range(len(self.headers))]

    @property
    def fields_by_column(self) -> list[str | None]:
        """The field each column of the file gives (None: the column is not read)."""
        found = {index: name for name, index in self.mapping.items()}
        return [found.get(i) for i in range(len(self.headers))]


def column_letter(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA": the column as a spreadsheet names it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _names(model: type[Theme] | type[AffectedGroup], codes: set[str]) -> dict[str, str]:
    if not codes:
        return {}
    query = sa.select(model.code, model.name).where(model.code.in_(sorted(codes)))
    return dict(db.session.execute(query).all())


def build_preview(
    name: str,
    data: bytes,
    wanted: str = "auto",
    language: str | None = None,
    mapping: dict[str, int] | None = None,
) -> ImportPreview:
    """Read `data` as the import would, with the person's `mapping` (field -> column index)
    or the one its headers give; every row is checked, the first recommendations kept."""
    preview = ImportPreview(name)
    kind = document_kind(data)
    if kind is not None:
        preview.unreadable = document_message(kind)
        return preview
    try:
        table = formats.read_table(data)
        preview.headers, preview.headings = table.headers, table.headings
        preview.header_row, preview.encoding = table.header_row, table.encoding
        preview.sample = list(itertools.islice(table.rows, SAMPLE_ROWS))
        table.close()
    except Exception as error:  # any unreadable file is one clear message
        preview.unreadable = str(error)
        return preview
    preview.detected = formats.detect_format(table.headers, table.headings)
    preview.fmt = preview.detected if wanted == "auto" else wanted
    preview.heading = import_matrix.heading(table.headings)
    if mapping is None:
        mapping = formats.map_columns(table.headers, preview.fmt)[0]
    preview.mapping = {f: i for f, i in mapping.items() if 0 <= i < len(table.headers)}
    rows, preview.report = checked([(name, data)], preview.fmt, language, preview.mapping)
    preview.total = len(rows)
    preview.recommendations = rows[:SHOWN_RECOMMENDATIONS]
    preview.theme_names = _names(Theme, {c for _n, r in preview.recommendations for c in r.themes})
    preview.group_names = _names(
        AffectedGroup, {c for _n, r in preview.recommendations for c in r.affected_groups}
    )
    width = len(table.headers)
    preview.sample = [(n, (cells + [""] * width)[:width]) for n, cells in preview.sample]
    return preview
