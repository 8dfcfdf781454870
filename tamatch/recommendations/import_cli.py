"""`flask recommendations import`: check the files, show what was found, write with a progress
bar and commit (the checking and writing are tamatch.recommendations.importing's)."""

import time
from collections.abc import Sequence
from pathlib import Path

import click
from flask_babel import gettext as _

from tamatch.audit import record
from tamatch.extensions import db
from tamatch.recommendations.import_labels import FORMAT_LABELS
from tamatch.recommendations.import_report import ImportReport
from tamatch.recommendations.import_writing import write_seeds
from tamatch.recommendations.importing import audit_counts, checked
from tamatch.seeding.recommendations import RecommendationSeed


def import_command(
    paths: Sequence[str],
    fmt: str = "auto",
    language: str | None = None,
    overrides: dict[str, str] | None = None,
    check_only: bool = False,
) -> ImportReport:
    """Body of `flask recommendations import`: check, write with a progress bar, commit.
    `overrides`: field -> header or column letter; `check_only`: show how the files are read
    and what the check found, write nothing."""
    sources = [(Path(p).name, Path(p).read_bytes()) for p in paths]
    click.echo(_("Checking %(n)s file(s)...", n=len(sources)))
    started = time.perf_counter()
    rows, report = checked(sources, fmt, language, None, overrides)
    _echo_findings(report)
    if check_only:
        _echo_preview(rows, report)
        db.session.rollback()
        return report
    if not report.ok:
        db.session.rollback()
        raise click.ClickException(
            _("%(n)s bad row(s); nothing was imported.", n=report.error_count)
        )
    seeds = [seed for _number, seed in rows]
    with click.progressbar(length=len(seeds), label=_("Importing")) as bar:
        write_seeds(seeds, report, bar.update)
    record(None, "recommendations.import", report, after=audit_counts(report))
    db.session.commit()
    report.seconds = time.perf_counter() - started
    for note in report.notes:
        click.echo(note)
    click.echo(report.summary() + f" ({report.seconds:.1f} s)")
    return report


def _echo_findings(report: ImportReport) -> None:
    for error in report.errors:
        click.echo(error.describe(), err=True)
    for warning in report.warnings:
        click.echo(_("Check: %(w)s", w=warning.describe()), err=True)
    if report.unresolved_states:
        names = ", ".join(f"{n} ({c})" for n, c in report.unresolved_states.most_common())
        click.echo(_("State names not resolved: %(names)s", names=names), err=True)


def _echo_preview(rows: list[tuple[int, RecommendationSeed]], report: ImportReport) -> None:
    """`--check`: the formats found and the first recommendations as they would be stored."""
    for name, fmt, encoding in zip(report.sources, report.formats, report.encodings, strict=True):
        click.echo(_("%(name)s: %(format)s, %(encoding)s", name=name,
                     format=FORMAT_LABELS.get(fmt, fmt), encoding=encoding))  # fmt: skip
    for number, seed in rows[:5]:
        reference = " ".join(filter(None, (seed.document_symbol, seed.paragraph)))
        click.echo(_("row %(n)s: %(state)s %(reference)s %(text)s", n=number, state=seed.state,
                     reference=reference, text=seed.text[:80]))  # fmt: skip
    click.echo(_("%(n)s recommendations from %(rows)s rows; %(bad)s bad row(s); nothing was "
                 "written.", n=len(rows), rows=report.rows, bad=report.error_count))  # fmt: skip
