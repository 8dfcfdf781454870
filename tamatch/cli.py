"""Command-line groups: `seed` (reference and demo data) and `users` (first admin)."""

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from tamatch.errors import DomainError
from tamatch.extensions import db

seed_cli = AppGroup("seed", help="Load reference and demo data (idempotent).")
users_cli = AppGroup("users", help="Manage accounts.")
rounds_cli = AppGroup("rounds", help="Match rounds.")
followup_cli = AppGroup("followup", help="Follow-up of engagements.")
backup_cli = AppGroup("backup", help="Back up and restore the database.")
recommendations_cli = AppGroup("recommendations", help="Recommendations.")
notifications_cli = AppGroup("notifications", help="Notifications and e-mail.")


@recommendations_cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "uhri", "upr-info", "ohchr-matrix"]),
    default="auto",
    show_default=True,
    help="Which export the files are (ohchr-matrix: an OHCHR thematic list saved as CSV/XLSX).",
)
@click.option(
    "--language",
    default=None,
    help="ISO 639-1 code of the language of the texts (fr: the French export of held reports).",
)
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Read FIELD from COLUMN, named by its header or its letter (text=D); repeatable.",
)
@click.option(
    "--check", "check_only", is_flag=True, help="Show how the files are read; write nothing."
)
def import_recommendations_command(
    paths: tuple[str, ...],
    fmt: str,
    language: str | None,
    columns: tuple[str, ...],
    check_only: bool,
) -> None:
    """Import recommendations from UHRI (CSV/XLSX) or UPR Info (CSV) exports or OHCHR thematic
    lists; all or nothing."""
    from tamatch.i18n.content import text_language_codes
    from tamatch.recommendations.import_cli import import_command
    from tamatch.recommendations.import_formats import FORMATS, SYNONYMS

    known = [code for code, _name in text_language_codes()]
    if language is not None and language not in known:
        raise click.BadParameter(f"{language!r} is not one of {', '.join(known)}.")
    fields = sorted({f for kind in FORMATS for f in SYNONYMS[kind]})
    overrides = {}
    for item in columns:
        field, _sep, column = item.partition("=")
        if field.strip() not in fields or not column.strip():
            raise click.BadParameter(
                f"{item!r}: use FIELD=COLUMN, FIELD one of {', '.join(fields)}."
            )
        overrides[field.strip()] = column.strip()
    import_command(paths, fmt, language, overrides, check_only)
    if not check_only:
        click.echo("Run 'flask --app tamatch recommendations relate' to refresh related ones.")


@recommendations_cli.command("relate")
@click.option("--state", "iso3", default=None, help="ISO3 code of one State (default: all).")
def relate(iso3: str | None) -> None:
    """Recompute related recommendations (TF-IDF similarity within each State)."""
    import sqlalchemy as sa

    from tamatch.models import State
    from tamatch.recommendations.related import compute_all, compute_related

    if iso3:
        state = db.session.scalar(sa.select(State).where(State.iso3 == iso3.upper()))
        if state is None:
            raise click.ClickException(f"no State {iso3}")
        written = compute_related(state.id)
    else:
        total = db.session.scalar(sa.select(sa.func.count()).select_from(State)) or 0
        with click.progressbar(length=total, label="States") as bar:
            written = compute_all(progress=lambda done, _total, _rows: bar.update(1))
    db.session.commit()
    click.echo(f"Related recommendations: {written} rows written.")


@seed_cli.command("reference")
def seed_reference() -> None:
    """Load States, mechanisms, themes, affected groups, SDGs, kinds of support, languages."""
    from tamatch.seeding.reference import load_reference

    counts = load_reference()
    db.session.commit()
    click.echo("Reference data: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@seed_cli.command("demo")
@click.option(
    "--scale",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Also generate this many synthetic open needs (and about 15% as many offers).",
)
def seed_demo(scale: int) -> None:
    """Load reference data, demo organisations, accounts, recommendations, needs and offers."""
    from tamatch.seeding.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo

    counts = load_demo(scale=scale)
    db.session.commit()
    click.echo("Demo data: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    click.echo("")
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for account in DEMO_ACCOUNTS:
        click.echo(f"  {account.role.value:<14} {account.email}")


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="Administrator", show_default=True)
def create_admin_command(email: str, name: str) -> None:
    """Create an administrator with a generated password, printed once."""
    from tamatch.auth.services import create_admin

    try:
        user, password = create_admin(email, name)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Administrator {user.email} created. Password (shown once): {password}")


@rounds_cli.command("solve")
@click.argument("round_id", type=int)
@click.option("--label", default="", help="A label to tell this run apart.")
def solve_round(round_id: int, label: str) -> None:
    """Solve a closed round now, in this process, and print the outcome."""
    from tamatch.jobs import worker_identity
    from tamatch.models import MatchRound, RunStatus
    from tamatch.rounds.progress import error_words
    from tamatch.rounds.runs import create_run
    from tamatch.rounds.solving import execute_run

    match_round = db.session.get(MatchRound, round_id)
    if match_round is None:
        raise click.ClickException(f"no round {round_id}")
    try:
        run = create_run(None, match_round, label or "command line")
    except DomainError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Run #{run.id} of round {round_id} ({match_round.name}): solving...")
    execute_run(run.id, worker_identity())
    db.session.refresh(run)
    click.echo(
        f"{run.status.value}: {run.needs_served} of {run.needs_entered} needs served, "
        f"score {run.objective}, bound {run.bound}, gap {100 * (run.gap or 0):.2f} %, "
        f"{run.seconds or 0:.1f} s ({run.solver_status})"
    )
    if run.status != RunStatus.DONE:
        raise click.ClickException(error_words(run) or f"the run ended {run.status.value}")


@rounds_cli.command("expire")
def expire() -> None:
    """Remind both sides of answers due within 3 days, and lapse proposals whose answer
    deadline has passed, freeing what they held (for cron; safe to run twice)."""
    from tamatch.rounds.deadlines import expire_answers, send_answer_reminders

    reminded = send_answer_reminders()
    lapsed = expire_answers()
    db.session.commit()
    click.echo(
        f"Answers: {reminded['proposals']} proposals due soon ({reminded['people']} "
        f"notifications); {lapsed} lapsed unanswered."
    )


@rounds_cli.command("reap")
def reap() -> None:
    """Mark failed the solves whose worker is gone or whose time limit has long passed, so
    their rounds can be solved again (for cron; safe to run twice)."""
    from tamatch.jobs import reap_stale_runs

    reaped = reap_stale_runs()
    db.session.commit()
    click.echo(f"Solves reaped: {len(reaped)}.")


@followup_cli.command("remind")
def remind() -> None:
    """Remind each side of reports due within 30 days or overdue, once per stage, and each
    State of its plan's overdue measures, stale indicators and coming dates (for cron)."""
    from tamatch.followup.schedule import send_reminders
    from tamatch.planning.reminders import send_planning_reminders

    counts = send_reminders()
    plan = send_planning_reminders()
    db.session.commit()
    click.echo(
        f"Reminders: {counts['due']} due soon, {counts['overdue']} overdue; "
        f"{counts['people']} notifications."
    )
    click.echo(
        f"Plans: {plan['measure_overdue']} measures overdue, {plan['indicator_stale']} "
        f"indicators waiting for a value, {plan['deadline_due']} dates within 30 days; "
        f"{plan['plan_people']} notifications."
    )


@notifications_cli.command("digest")
def digest_command() -> None:
    """E-mail each user who chose the daily digest their new notifications (for cron)."""
    from tamatch.notifications.digest import send_digests

    counts = send_digests()
    db.session.commit()
    click.echo(f"Digests: {counts['people']} e-mails, {counts['notifications']} notifications.")


@backup_cli.command("create")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def backup_create(target: Path) -> None:
    """Write a consistent backup of the database to TARGET."""
    from tamatch.backup import BackupError, backup

    try:
        backup(current_app.config["SQLALCHEMY_DATABASE_URI"], target)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {target} ({target.stat().st_size:,} bytes).")


@backup_cli.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.confirmation_option(prompt="This replaces every row of the database. Continue?")
def backup_restore(source: Path) -> None:
    """Replace the database with the backup in SOURCE (stop the app first)."""
    from tamatch.backup import BackupError, restore

    db.session.remove()
    db.engine.dispose()
    try:
        restore(current_app.config["SQLALCHEMY_DATABASE_URI"], source)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored from {source}.")


def init_cli(app: Flask) -> None:
    app.cli.add_command(seed_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(rounds_cli)
    app.cli.add_command(followup_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(notifications_cli)
    app.cli.add_command(recommendations_cli)
