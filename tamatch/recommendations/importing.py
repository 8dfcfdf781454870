"""Import recommendations from UHRI and UPR Info exports: validate every row, then upsert."""

import time
from collections.abc import Callable, Sequence
from dataclasses import replace

import sqlalchemy as sa
from flask_babel import gettext as _

from tamatch.audit import record
from tamatch.extensions import db
from tamatch.models import Mechanism, MechanismKind, User
from tamatch.models.reference import receives_from
from tamatch.recommendations import import_formats as formats
from tamatch.recommendations import import_matrix
from tamatch.recommendations.citations import citation, uhri_keys
from tamatch.recommendations.import_labels import FIELD_LABELS
from tamatch.recommendations.import_matrix_rows import MatrixRows
from tamatch.recommendations.import_report import ImportReport, RowError
from tamatch.recommendations.import_sniff import (
    document_kind,
    document_message,
    encoding_damage,
    repaired,
)
from tamatch.recommendations.import_writing import write_seeds
from tamatch.recommendations.responses import ParsedResponse, parse_response
from tamatch.seeding.recommendations import (
    UPR_BODY,
    RecommendationSeed,
    _Taxonomy,
)

__all__ = ["ImportReport", "RowError", "import_recommendations"]


class _Checker(MatrixRows):
    """Turns rows into seeds, collecting every error; joint UPR Info rows become one seed."""

    def __init__(self, report: ImportReport, language: str | None = None) -> None:
        self.report = report
        self.language = language  # of the texts of the files, where the user says it
        self.states = formats.StateNames()
        self.taxonomy = _Taxonomy()
        pairs = db.session.execute(sa.select(Mechanism.code, Mechanism.name, Mechanism.kind))
        pairs = pairs.all()
        self.mechanisms = {k.casefold(): code for code, name, _k in pairs for k in (code, name)}
        self.kinds = {code: kind for code, _name, kind in pairs}
        self.seeds: dict[str, RecommendationSeed] = {}
        self.first_row: dict[str, int] = {}
        self.source, self.number, self.headers = "", 0, {}
        self.heading, self.theme_heading = import_matrix.MatrixHeading(), ""

    def check(
        self,
        name: str,
        data: bytes,
        wanted: str,
        mapping: dict[str, int] | None = None,
        overrides: dict[str, str] | None = None,
    ) -> None:
        """Check every row of one file; `mapping` (field -> column index), when given, is the
        person's choice of columns instead of the one read from the headers; `overrides`
        (field -> header or letter) changes some fields of the one read from the headers."""
        self.source, self.number = name, 1
        kind = document_kind(data)
        if kind is not None:  # a Word or PDF file is one clear message, not a bad row
            self.report.error(name, 1, "", document_message(kind))
            return
        try:
            table = formats.read_table(data)
        except Exception as error:  # any unreadable file is one clear error
            self.report.error(name, 1, "", _("The file cannot be read: %(e)s", e=error))
            return
        try:
            self._check_table(name, table, wanted, mapping, overrides)
        finally:
            table.close()  # an XLSX workbook is released even when its rows are not all read

    def _check_table(
        self,
        name: str,
        table: formats.Table,
        wanted: str,
        mapping: dict[str, int] | None,
        overrides: dict[str, str] | None,
    ) -> None:
        fmt = formats.detect_format(table.headers, table.headings) if wanted == "auto" else wanted
        columns, missing = self._columns(table, fmt, mapping, overrides)
        self.report.sources.append(name)
        self.report.formats.append(fmt)
        self.report.encodings.append(table.encoding)
        self.heading = import_matrix.heading(table.headings)
        self.theme_heading = ""
        unnamed = fmt == formats.MATRIX and not self.heading.state and "state" not in columns
        if unnamed:
            self.report.error(name, table.header_row, "", _(
                "The headings above the table do not name the State under review (“UPR "
                "of …”): add that line, or a “State under review” column."
            ))  # fmt: skip
        for field_name in missing:
            label = str(FIELD_LABELS.get(field_name, field_name))
            self.report.error(name, table.header_row, label, _("This column is missing."))
        if missing or unnamed:
            return
        self.headers = {f: table.headers[i] for f, i in columns.items()}
        parse = {formats.UPR_INFO: self._upr_info_row, formats.MATRIX: self._matrix_row}.get(
            fmt, self._uhri_row
        )
        for self.number, cells in table.rows:
            if [c.strip() for c in cells[: len(table.headers)]] == table.headers:
                continue  # the header again (a Word table repeats it on each page)
            if fmt == formats.MATRIX and (theme := import_matrix.theme_row(cells)):
                self.theme_heading = theme  # "Theme: A12 ...": the rows below are under it
                continue
            self.report.rows += 1
            row = {f: formats.unescape(cells[i].strip()) if i < len(cells) else ""
                   for f, i in columns.items()}  # fmt: skip
            self._check_encoding(row)
            if formats.is_voluntary(row.get("response", "")):
                self.report.skipped += 1
            else:
                parse(row)

    def _columns(
        self,
        table: formats.Table,
        fmt: str,
        mapping: dict[str, int] | None,
        overrides: dict[str, str] | None,
    ) -> tuple[dict[str, int], list[str]]:
        """Field -> column index (the person's `mapping`, else the headers'), each field of
        `overrides` read from the column it names instead (a column serves one field: the
        field it served before is left without one); and the required fields missing."""
        if mapping is None:
            columns = formats.map_columns(table.headers, fmt)[0]
        else:
            columns = {f: i for f, i in mapping.items() if 0 <= i < len(table.headers)}
        for field_name, ref in (overrides or {}).items():
            index = formats.column_index(table.headers, ref)
            if index is None:
                self.report.error(self.source, table.header_row, ref,
                                  _("This file has no such column."))  # fmt: skip
                continue
            columns = {f: i for f, i in columns.items() if i != index and f != field_name}
            columns[field_name] = index
        return columns, formats.missing_fields(columns, fmt)

    def _check_encoding(self, row: dict[str, str]) -> None:
        """A warning for each cell that looks mis-decoded; the cell is kept as written."""
        for field_name, value in row.items():
            damaged = encoding_damage(value) if value and not value.isascii() else None
            if damaged is None:
                continue
            self.report.damaged_cells += 1
            fixed = repaired(damaged)
            reason = (
                _("This looks like encoding damage (“%(text)s”; perhaps "
                  "“%(fixed)s”): it is imported as written; save the file as UTF-8 "
                  "from the program that made it and import it again.",
                  text=damaged, fixed=fixed)
                if fixed else
                _("This looks like encoding damage (“%(text)s”): it is imported as "
                  "written; save the file as UTF-8 from the program that made it and import "
                  "it again.", text=damaged)
            )  # fmt: skip
            self.report.warn(self.source, self.number, self.headers[field_name], reason)

    def _fail(self, field_name: str, reason: str) -> None:
        self.report.error(self.source, self.number, self.headers[field_name], reason)

    def _state(self, value: str) -> str | None:
        iso3 = self.states.iso3(value) if value else None
        if not value:
            self._fail("state", _("A State is required."))
        elif iso3 is None:
            self.report.unresolved_states[value] += 1
            self._fail("state", _("Unknown State: %(name)s", name=value))
        return iso3

    def _addressable(self, iso3: str, mechanism: str, name: str) -> bool:
        """The State can receive the mechanism's recommendations (observers: not the UPR's)."""
        kind = self.kinds.get(mechanism, MechanismKind.UPR if mechanism == "UPR" else None)
        if kind is None or receives_from(self.states.membership(iso3), kind):
            return True
        self._fail("state", self._observer(name))
        return False

    def _recommending(self, value: str) -> tuple[str, ...]:
        codes, unknown = self.states.many(value)
        self.report.unresolved_states.update(unknown)
        return tuple(codes)

    def _terms(self, labels: list[str], lookup: Callable[[str], list[str]]) -> tuple[str, ...]:
        codes = []
        for label in labels:
            found = lookup(label)
            if not found:
                self.report.unmapped_terms[label] += 1
            codes.extend(found)
        return tuple(dict.fromkeys(codes))

    def _upr_info_row(self, row: dict[str, str]) -> None:
        iso3 = self._state(row["state"])
        session = int(row["session"]) if row["session"].isdigit() else None
        if session is None:
            self._fail("session", _("Not a session number."))
        if not row["text"]:
            self._fail("text", _("The text is empty."))
        if iso3 is not None and not self._addressable(iso3, "UPR", row["state"]):
            return
        if iso3 is None or session is None or not row["text"] or not self.report.ok:
            return
        issues = [i.strip() for i in row.get("issues", "").split(",") if i.strip()]
        key = f"uprinfo:{session}:{iso3}:{formats.text_hash(row['text'])}"
        seed = RecommendationSeed(
            external_key=key,
            text_locale=self.language,
            state=iso3,
            mechanism="UPR",
            body=UPR_BODY,
            text=row["text"],
            **self._response(row),
            session=f"UPR {session}",
            cycle=formats.upr_cycle(session),
            themes=self._terms(issues, lambda i: formats.issue_terms(i)[0]),
            affected_groups=tuple(
                dict.fromkeys(g for i in issues for g in formats.issue_terms(i)[1])
            ),
            recommending_states=self._recommending(row["recommending"]),
        )
        self._add(key, seed)

    def _response(self, row: dict[str, str], source: str = "") -> dict:
        """Response code, text and source of a row; a text no code fits is reported."""
        parsed: ParsedResponse = parse_response(row.get("response"))
        if parsed.unknown:
            self.report.unknown_responses[parsed.text] += 1
            self.report.warn(self.source, self.number, self.headers["response"], _(
                "The response \u201c%(value)s\u201d is not in the response table; it is kept "
                "as written, without a code.", value=parsed.text,
            ))  # fmt: skip
        return {
            "response": parsed.code,
            "response_text": parsed.text,
            "response_source": source[:200] or None,
        }

    def _add(self, key: str, seed: RecommendationSeed) -> None:
        """Keep the seed, or merge it into the earlier row with the same key (joint ones)."""
        earlier = self.seeds.get(key)
        if earlier is None:
            self.seeds[key] = seed
            self.first_row[key] = self.number
            return
        if earlier.response != seed.response:
            self.report.notes.append(_(
                "%(s)s row %(n)s gives another response than row %(m)s of the same "
                "recommendation; the first is kept.",
                s=self.source, n=self.number, m=self.first_row[key],
            ))  # fmt: skip
        merged = {
            name: tuple(dict.fromkeys(getattr(earlier, name) + getattr(seed, name)))
            for name in ("themes", "affected_groups", "sdgs", "sdg_targets", "recommending_states")
        }
        self.seeds[key] = replace(earlier, **merged)

    def _uhri_row(self, row: dict[str, str]) -> None:
        iso3 = self._state(row["state"])
        if not row["text"]:
            self._fail("text", _("The text is empty."))
        mechanism = formats.mechanism_code(row["body"], self.mechanisms) if "body" in row else "UPR"
        if mechanism is None:
            self._fail("body", _("Unknown body or mechanism: %(b)s", b=row["body"] or "-"))
        issued_on = formats.parse_date(row["date"]) if row.get("date") else None
        if row.get("date") and issued_on is None:
            self._fail("date", _("Not a date (use YYYY-MM-DD)."))
        sdg_cell = formats.parse_sdg_cell(row.get("sdgs", ""))
        if sdg_cell is None:
            self._fail("sdgs", _("SDGs are goals from 1 to 17 or their targets (16.3)."))
        targets = formats.parse_sdg_cell(row.get("targets", ""))  # the export's own column
        if targets is None:
            self._fail("targets", _("SDGs are goals from 1 to 17 or their targets (16.3)."))
        elif sdg_cell is not None:
            sdg_cell = (list(dict.fromkeys(sdg_cell[0] + targets[0])),
                        list(dict.fromkeys(sdg_cell[1] + targets[1])))  # fmt: skip
        cycle = row.get("cycle", "")
        if cycle and not cycle.isdigit():
            self._fail("cycle", _("Not a cycle number."))
        if iso3 and mechanism and not self._addressable(iso3, mechanism, row["state"]):
            return
        if iso3 is None or not row["text"] or mechanism is None or not self.report.ok:
            return
        session = row.get("session", "")
        if mechanism == "UPR" and session.isdigit():
            cycle = cycle or str(formats.upr_cycle(int(session)))
            session = f"UPR {session}"
        cited = citation(row, upr=mechanism == "UPR")
        key, former = uhri_keys(row, cited, iso3)
        seed = RecommendationSeed(
            external_key=key,
            text_locale=self.language,
            former_key=former,
            state=iso3,
            mechanism=mechanism,
            body=UPR_BODY if mechanism == "UPR" else (row.get("body") or mechanism)[:200],
            text=cited.text,
            **self._response(row, cited.position_source),
            session=session[:60] or None,
            cycle=int(cycle) if cycle else None,
            document_symbol=cited.symbol[:120] or None,
            paragraph=cited.paragraph[:40] or None,
            issued_on=issued_on,
            themes=self._terms(formats.split_terms(row.get("themes", "")), self._theme),
            affected_groups=self._terms(
                formats.split_terms(row.get("affected", "")), self.taxonomy.affected
            ),
            sdgs=tuple(sdg_cell[0] if sdg_cell else ()),
            sdg_targets=self._terms(sdg_cell[1] if sdg_cell else [], self._target),
            recommending_states=self._recommending(row.get("recommending", "")),
        )
        self._add_checked(key, seed)

    def _add_checked(self, key: str, seed: RecommendationSeed) -> None:
        """`_add`, unless an earlier row has the same symbol and paragraph but another text."""
        earlier = self.seeds.get(key)
        if earlier and formats.normalised_text(earlier.text) != formats.normalised_text(seed.text):
            column = "paragraph" if "paragraph" in self.headers else "text"
            self._fail(column, _("Same symbol and paragraph as row %(n)s but another text.",
                                 n=self.first_row[key]))  # fmt: skip
            return
        self._add(key, seed)

    def _target(self, code: str) -> list[str]:
        return [code] if code in self.taxonomy.sdg_targets else []

    def _theme(self, label: str) -> list[str]:
        code = self.taxonomy.theme(label)
        return [code] if code else []


def checked(
    sources: Sequence[tuple[str, bytes]],
    wanted: str = "auto",
    language: str | None = None,
    mapping: dict[str, int] | None = None,
    overrides: dict[str, str] | None = None,
) -> tuple[list[tuple[int, RecommendationSeed]], ImportReport]:
    """Every recommendation the rows of the (name, bytes) sources give, with the number of the
    first row of each, and the report; bad rows give none. Writes nothing. `mapping` (field ->
    column index) is the person's choice of columns, for every source; `overrides` (field ->
    header or column letter) changes only those fields, in each source."""
    report = ImportReport()
    checker = _Checker(report, language)
    for name, data in sources:
        checker.check(name, data, wanted, mapping, overrides)
    return [(checker.first_row[k], seed) for k, seed in checker.seeds.items()], report


def check_sources(
    sources: Sequence[tuple[str, bytes]],
    wanted: str = "auto",
    language: str | None = None,
    mapping: dict[str, int] | None = None,
    overrides: dict[str, str] | None = None,
) -> tuple[list[RecommendationSeed], ImportReport]:
    """Read and validate every row of every (name, bytes) source; writes nothing. `language`
    is the language of the texts (None: not said). No seeds when a row is bad."""
    rows, report = checked(sources, wanted, language, mapping, overrides)
    return ([seed for _number, seed in rows] if report.ok else []), report


def import_recommendations(
    sources: Sequence[tuple[str, bytes]],
    wanted: str = "auto",
    actor: User | None = None,
    *,
    progress: Callable[[int], None] | None = None,
    language: str | None = None,
    mapping: dict[str, int] | None = None,
) -> ImportReport:
    """Validate all rows, then upsert by external_key unless any row is bad; audits, no commit.
    `language`: the language of the texts, when the user says it; `mapping`: the columns the
    user chose (field -> column index), instead of those the headers name."""
    started = time.perf_counter()
    seeds, report = check_sources(sources, wanted, language, mapping)
    if report.ok:
        write_seeds(seeds, report, progress)
        record(actor, "recommendations.import", report, after=audit_counts(report))
    report.seconds = time.perf_counter() - started
    return report


def audit_counts(report: ImportReport) -> dict:
    """What an import's audit entry records of its report."""
    names = ("sources", "formats", "rows", "skipped", "created", "updated", "unchanged",
             "translated")  # fmt: skip
    return {name: getattr(report, name) for name in names}
