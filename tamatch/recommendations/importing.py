"""Import recommendations from UHRI and UPR Info exports: validate every row, then upsert."""

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import click
import sqlalchemy as sa
from flask_babel import gettext as _

from tamatch.audit import record
from tamatch.extensions import db
from tamatch.models import (
    AffectedGroup,
    Mechanism,
    MechanismKind,
    Recommendation,
    RecommendationText,
    Sdg,
    SdgTarget,
    State,
    Theme,
    User,
)
from tamatch.models.recommendation import (
    recommendation_affected_group,
    recommendation_recommending_state,
    recommendation_sdg,
    recommendation_sdg_target,
    recommendation_theme,
)
from tamatch.models.reference import receives_from
from tamatch.recommendations import import_formats as formats
from tamatch.recommendations.citations import citation, uhri_keys
from tamatch.recommendations.import_report import ImportReport, RowError
from tamatch.recommendations.responses import ParsedResponse, parse_response
from tamatch.seeding.recommendations import (
    UPR_BODY,
    RecommendationSeed,
    _insert_links,
    _row,
    _Taxonomy,
    insert_recommendations,
)
from tamatch.seeding.reference import ids_by_key

CHUNK = 2000
__all__ = ["ImportReport", "RowError", "import_command", "import_recommendations"]
_LINKS = (
    ("themes", recommendation_theme, "theme_id"),
    ("affected_groups", recommendation_affected_group, "affected_group_id"),
    ("sdgs", recommendation_sdg, "sdg_id"),
    ("sdg_targets", recommendation_sdg_target, "sdg_target_id"),
    ("recommending_states", recommendation_recommending_state, "recommending_state_id"),
)


class _Checker:
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

    def check(self, name: str, data: bytes, wanted: str) -> None:
        self.source, self.number = name, 1
        try:
            table = formats.read_table(data)
        except Exception as error:  # any unreadable file is one clear error
            self.report.error(name, 1, "", _("The file cannot be read: %(e)s", e=error))
            return
        kind = formats.detect_format(table.headers) if wanted == "auto" else wanted
        columns, missing = formats.map_columns(table.headers, kind)
        self.report.sources.append(name)
        self.report.formats.append(kind)
        self.report.encodings.append(table.encoding)
        for field_name in missing:
            self.report.error(name, 1, field_name, _("This column is missing."))
        if missing:
            return
        self.headers = {f: table.headers[i] for f, i in columns.items()}
        parse = self._upr_info_row if kind == formats.UPR_INFO else self._uhri_row
        for self.number, cells in table.rows:
            self.report.rows += 1
            row = {f: formats.unescape(cells[i].strip()) if i < len(cells) else ""
                   for f, i in columns.items()}  # fmt: skip
            if formats.is_voluntary(row.get("response", "")):
                self.report.skipped += 1
            else:
                parse(row)

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
        self._fail("state", _(
            "%(name)s is a non-member observer State: the Universal Periodic Review reviews UN "
            "member States only.", name=name,
        ))  # fmt: skip
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


def check_sources(
    sources: Sequence[tuple[str, bytes]], wanted: str = "auto", language: str | None = None
) -> tuple[list[RecommendationSeed], ImportReport]:
    """Read and validate every row of every (name, bytes) source; writes nothing. `language`
    is the language of the texts (None: not said)."""
    report = ImportReport()
    checker = _Checker(report, language)
    for name, data in sources:
        checker.check(name, data, wanted)
    seeds = list(checker.seeds.values()) if report.ok else []
    return seeds, report


def _stored(keys: list[str]) -> dict[str, tuple[int, dict, dict[str, set[int]]]]:
    """key -> (id, column values, link ids by relation) for the keys already stored."""
    columns = [getattr(Recommendation, c) for c in _COLUMNS]
    rows = db.session.execute(
        sa.select(Recommendation.id, *columns).where(Recommendation.external_key.in_(keys))
    )
    found = {row[1]: (row[0], dict(zip(_COLUMNS, row[1:], strict=True)), {}) for row in rows}
    by_id = {rec_id: key for key, (rec_id, _c, _l) in found.items()}
    for relation, table, column in _LINKS:
        for key in found:
            found[key][2][relation] = set()
        if by_id:
            query = sa.select(table.c.recommendation_id, table.c[column]).where(
                table.c.recommendation_id.in_(list(by_id))
            )
            for rec_id, target in db.session.execute(query):
                found[by_id[rec_id]][2][relation].add(target)
    return found


def _with_former_keys(chunk: Sequence[RecommendationSeed], stored: dict) -> dict:
    """`stored` plus the rows stored under a seed's former key (each row claimed once): they
    are updated, new key included, instead of being imported a second time."""
    todo = {s.former_key: s for s in chunk if s.external_key not in stored and s.former_key}
    if not todo:
        return stored
    claimed = {entry[0] for entry in stored.values()}
    for former, entry in _stored(list(todo)).items():
        if entry[0] not in claimed:
            stored[todo[former].external_key] = entry
            claimed.add(entry[0])
    return stored


_COLUMNS = ("external_key", "mechanism_id", "body", "session", "cycle", "document_symbol",
            "paragraph", "issued_on", "state_id", "text", "text_locale", "response",
            "response_text", "response_source")  # fmt: skip


def write_seeds(
    seeds: Sequence[RecommendationSeed],
    report: ImportReport,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Insert new seeds, update changed ones (replacing their links); flushes, never commits."""
    states, mechanisms = ids_by_key(State, "iso3"), ids_by_key(Mechanism)
    ids = {
        "themes": ids_by_key(Theme),
        "affected_groups": ids_by_key(AffectedGroup),
        "sdgs": ids_by_key(Sdg, "number"),
        "sdg_targets": ids_by_key(SdgTarget),
        "recommending_states": states,
    }
    for start in range(0, len(seeds), CHUNK):
        chunk = seeds[start : start + CHUNK]
        stored = _with_former_keys(chunk, _stored([s.external_key for s in chunk]))
        new, changed, values, versions = [], [], [], []
        for seed in chunk:
            if seed.external_key not in stored:
                new.append(seed)
                continue
            rec_id, current, links = stored[seed.external_key]
            if _other_language(seed, current):
                versions.append({"recommendation_id": rec_id, "locale": seed.text_locale,
                                 "text": seed.text})  # fmt: skip
                continue
            row = _row(seed, states, mechanisms)
            wanted = {r: {ids[r][k] for k in getattr(seed, r) if k in ids[r]} for r in ids}
            if row == current and wanted == links:
                report.unchanged += 1
                continue
            changed.append(seed)
            values.append({"id": rec_id, **row})
        report.created += len(insert_recommendations(new)) if new else 0
        if changed:
            db.session.execute(sa.update(Recommendation), values)
            changed_ids = {
                seed.external_key: v["id"] for seed, v in zip(changed, values, strict=True)
            }
            for _relation, table, _column in _LINKS:
                db.session.execute(
                    sa.delete(table).where(table.c.recommendation_id.in_(changed_ids.values()))
                )
            _insert_links(changed, changed_ids, states)
            report.updated += len(changed)
        report.translated += _store_versions(versions)
        if progress:
            progress(len(chunk))
    db.session.flush()


def _other_language(seed: RecommendationSeed, current: dict) -> bool:
    """Whether a seed is a stored recommendation's text in another language of the source (the
    French export of the same document): kept beside the text, not instead of it. A stored
    text of no known language is never replaced by another text given a language: the other
    text is kept beside it."""
    stored = current["text_locale"]
    if not seed.text_locale or seed.text_locale == stored:
        return False
    return bool(stored) or formats.normalised_text(seed.text) != formats.normalised_text(
        current["text"]
    )


def _store_versions(versions: list[dict]) -> int:
    """Upsert texts in another language; returns how many were new or changed."""
    if not versions:
        return 0
    keys = {(v["recommendation_id"], v["locale"]): v for v in versions}
    ids = list({rec_id for rec_id, _locale in keys})
    held = {
        (row.recommendation_id, row.locale): row
        for row in db.session.scalars(
            sa.select(RecommendationText).where(RecommendationText.recommendation_id.in_(ids))
        )
    }
    count = 0
    for key, version in keys.items():
        row = held.get(key)
        if row is None:
            db.session.add(RecommendationText(**version))
        elif row.text != version["text"]:
            row.text = version["text"]
        else:
            continue
        count += 1
    return count


def import_recommendations(
    sources: Sequence[tuple[str, bytes]],
    wanted: str = "auto",
    actor: User | None = None,
    progress: Callable[[int], None] | None = None,
    language: str | None = None,
) -> ImportReport:
    """Validate all rows, then upsert by external_key unless any row is bad; audits, no commit.
    `language`: the language of the texts, when the user says it."""
    started = time.perf_counter()
    seeds, report = check_sources(sources, wanted, language)
    if report.ok:
        write_seeds(seeds, report, progress)
        record(actor, "recommendations.import", report, after=_audit_counts(report))
    report.seconds = time.perf_counter() - started
    return report


def _audit_counts(report: ImportReport) -> dict:
    names = ("sources", "formats", "rows", "skipped", "created", "updated", "unchanged",
             "translated")  # fmt: skip
    return {name: getattr(report, name) for name in names}


def import_command(
    paths: Sequence[str], fmt: str = "auto", language: str | None = None
) -> ImportReport:
    """Body of `flask recommendations import`: check, write with a progress bar, commit."""
    sources = [(Path(p).name, Path(p).read_bytes()) for p in paths]
    click.echo(_("Checking %(n)s file(s)...", n=len(sources)))
    started = time.perf_counter()
    seeds, report = check_sources(sources, fmt, language)
    for error in report.errors:
        click.echo(error.describe(), err=True)
    for warning in report.warnings:
        click.echo(_("Check: %(w)s", w=warning.describe()), err=True)
    if report.unresolved_states:
        names = ", ".join(f"{n} ({c})" for n, c in report.unresolved_states.most_common())
        click.echo(_("State names not resolved: %(names)s", names=names), err=True)
    if not report.ok:
        db.session.rollback()
        raise click.ClickException(
            _("%(n)s bad row(s); nothing was imported.", n=report.error_count)
        )
    with click.progressbar(length=len(seeds), label=_("Importing")) as bar:
        write_seeds(seeds, report, bar.update)
    record(None, "recommendations.import", report, after=_audit_counts(report))
    db.session.commit()
    report.seconds = time.perf_counter() - started
    for note in report.notes:
        click.echo(note)
    click.echo(report.summary() + f" ({report.seconds:.1f} s)")
    return report
