"""Organisers' pages of match rounds: settings, participation, solving, review and publication."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from solver.settings import LDC_TRANSITION_YEARS
from tamatch.auth.permissions import ROUND_ROLES, SIDE_ROLES, is_organiser, role_required
from tamatch.extensions import db
from tamatch.forms import load_theme_choices
from tamatch.jobs import enqueue_solve
from tamatch.models import (
    MatchRound,
    Need,
    Offer,
    PairRule,
    PairRuleKind,
    RegionalGroup,
    Role,
    RoundStatus,
    SolveRun,
)
from tamatch.request_args import enum_arg, int_arg, paginate
from tamatch.rounds import bp, queries, rules, services
from tamatch.rounds import runs as run_services
from tamatch.rounds.forms import ActionForm, PairRuleForm, PublishForm, RoundForm, RunForm
from tamatch.rounds.lapses import LAPSE_REASON_LABELS
from tamatch.rounds.notify import tell_about_publication
from tamatch.rounds.permissions import can_see_round
from tamatch.rounds.runs import default_answers_due
from tamatch.unit_of_work import unit_of_work

ORGANISER = (Role.ORGANISER,)


def _round(round_id: int) -> MatchRound:
    return db.session.get(MatchRound, round_id) or abort(404)


def _run(run_id: int) -> SolveRun:
    return db.session.get(SolveRun, run_id) or abort(404)


@bp.get("/")
@role_required(*ROUND_ROLES)
def index():
    page = paginate(queries.rounds_query(current_user))
    return render_template("rounds/index.html", page=page)


def _round_data(form: RoundForm) -> services.RoundData:
    return services.RoundData(
        name=form.name.data,
        serves=form.serves.data,
        submission_deadline=form.submission_deadline.data,
        followup_months=form.followup_months.months,
        theme_ids=tuple(form.theme_ids.data or ()),
        regional_groups=tuple(RegionalGroup(g) for g in form.regional_groups.data or ()),
        weights=form.weights,
        max_per_state=form.max_per_state.data,
        coverage_first=form.coverage_first.data,
        time_limit=form.time_limit.data,
        ldc_transition_years=(
            LDC_TRANSITION_YEARS
            if form.ldc_transition_years.data is None
            else form.ldc_transition_years.data
        ),
    )


def _save_round(form: RoundForm, match_round: MatchRound | None):
    load_theme_choices(form.theme_ids)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            if match_round is None:
                match_round = services.create_round(current_user, _round_data(form))
            else:
                services.update_round(current_user, match_round, _round_data(form))
        if not work.failed:
            flash(_("Round saved."), "success")
            return redirect(url_for("rounds.detail", round_id=match_round.id))
    return render_template("rounds/form.html", form=form, match_round=match_round)


@bp.route("/new", methods=["GET", "POST"])
@role_required(*ORGANISER)
def new():
    return _save_round(RoundForm(), None)


@bp.route("/<int:round_id>/edit", methods=["GET", "POST"])
@role_required(*ORGANISER)
def edit(round_id: int):
    match_round = _round(round_id)
    form = RoundForm(obj=match_round)
    if request.method == "GET":
        form.followup_months.data = ", ".join(str(m) for m in match_round.followup_months)
        form.theme_ids.data = [t.id for t in match_round.themes]
        form.regional_groups.data = [g.value for g in match_round.regional_groups]
        for name, value in (match_round.weights or {}).items():
            getattr(form, f"weight_{name}").data = value
    return _save_round(form, match_round)


@bp.get("/<int:round_id>")
@role_required(*ROUND_ROLES)
def detail(round_id: int):
    match_round = _round(round_id)
    if not is_organiser(current_user):
        return _participation_page(match_round)
    return render_template(
        "rounds/detail.html",
        match_round=match_round,
        counts=queries.fitting_counts(match_round),
        rules=queries.pair_rules(match_round),
        moves=sorted(services.TRANSITIONS[match_round.status]),
        run_form=RunForm(),
        action=ActionForm(),
        running=any(not r.finished for r in match_round.runs),
    )


def _participation_page(match_round: MatchRound):
    if not can_see_round(current_user, match_round):
        abort(404)
    rows = queries.participation_rows(current_user, match_round)
    return render_template(
        "rounds/participation.html", match_round=match_round, rows=rows, action=ActionForm()
    )


@bp.post("/<int:round_id>/participation")
@role_required(*SIDE_ROLES)
def participation(round_id: int):
    match_round = _round(round_id)
    model = queries.participant_model(current_user)
    item = db.session.get(model, int_arg("item", source=request.form) or 0) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    take_part = request.form.get("take_part") == "1"
    with unit_of_work() as work:
        services.set_participation(current_user, match_round, item, take_part)
    if not work.failed:
        flash(_("Saved."), "success")
    return redirect(url_for("rounds.detail", round_id=round_id))


@bp.post("/<int:round_id>/status")
@role_required(*ORGANISER)
def change_status(round_id: int):
    match_round = _round(round_id)
    target = enum_arg("target", RoundStatus, source=request.form)
    if not ActionForm().validate_on_submit() or target is None:
        abort(400)
    with unit_of_work() as work:
        services.transition_round(current_user, match_round, target)
    if not work.failed:
        flash(_("The round is now %(status)s.", status=_(target.value)), "success")
    return redirect(url_for("rounds.detail", round_id=round_id))


@bp.post("/<int:round_id>/solve")
@role_required(*ORGANISER)
def solve(round_id: int):
    match_round = _round(round_id)
    form = RunForm()
    if not form.validate_on_submit():
        abort(400)
    with unit_of_work() as work:
        run = run_services.create_run(current_user, match_round, form.label.data or "")
    if work.failed:
        return redirect(url_for("rounds.detail", round_id=round_id))
    enqueue_solve(run.id)
    flash(_("The solve is queued; this page shows its progress."), "info")
    return redirect(url_for("rounds.run", run_id=run.id))


@bp.post("/runs/<int:run_id>/cancel")
@role_required(*ORGANISER)
def cancel(run_id: int):
    run = _run(run_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    with unit_of_work() as work:
        run_services.cancel_run(current_user, run)
    if not work.failed:
        flash(_("Cancelling the solve."), "info")
    return redirect(url_for("rounds.run", run_id=run_id))


@bp.get("/runs/<int:run_id>")
@role_required(*ORGANISER)
def run(run_id: int):
    run = _run(run_id)
    show = request.args.get("show", "matched")
    page = paginate(queries.run_outcomes_query(run, unmatched=show == "unmatched"))
    publish_form = PublishForm()
    publish_form.answers_due.data = publish_form.answers_due.data or default_answers_due()
    return render_template(
        "rounds/run.html",
        run=run,
        publish_form=publish_form,
        stale=run_services.stale_changes(run) if run.finished and not run.published_at else [],
        answers=_answers(run),
        page=page,
        show=show,
        offers=queries.offers_named(page.items),
        summary=run_services.run_summary(run) if run.finished else None,
        action=ActionForm(),
        rule_form=PairRuleForm(),
        other_runs=[r for r in run.round.runs if r.id != run.id and r.finished],
    )


def _answers(run: SolveRun) -> dict | None:
    """The published run's proposals with both sides' answers, a page at a time, and counts."""
    if run.published_at is None:
        return None
    page = paginate(queries.run_answers_query(run), page_arg="answers_page")
    return {
        "page": page,
        "counts": queries.answer_counts(run),
        "lapse_labels": LAPSE_REASON_LABELS,
    }


@bp.post("/runs/<int:run_id>/publish")
@role_required(*ORGANISER)
def publish(run_id: int):
    run = _run(run_id)
    form = PublishForm()
    if not form.validate_on_submit():
        for message in form.answers_due.errors:
            flash(message, "danger")
        return redirect(url_for("rounds.run", run_id=run_id))
    with unit_of_work() as work:
        proposals = run_services.publish_run(
            current_user, run, form.answers_due.data, confirm_stale=form.confirm_stale.data
        )
        tell_about_publication(proposals)
    if work.failed:
        return redirect(url_for("rounds.run", run_id=run_id))
    flash(_("%(n)d proposals sent to the States and partners.", n=len(proposals)), "success")
    return redirect(url_for("rounds.detail", round_id=run.round_id))


@bp.post("/<int:round_id>/rules")
@role_required(*ORGANISER)
def add_rule(round_id: int):
    match_round = _round(round_id)
    form = PairRuleForm()
    if not form.validate_on_submit():
        abort(400)
    need = db.session.get(Need, form.need_id.data) or abort(404)
    offer = db.session.get(Offer, form.offer_id.data) or abort(404)
    kind = PairRuleKind(form.kind.data)
    with unit_of_work() as work:
        rules.set_organiser_rule(
            current_user, match_round, need, offer, kind=kind, reason=form.reason.data or ""
        )
    if not work.failed:
        flash(
            _("Pinned: the next solve must keep this pair.")
            if kind == PairRuleKind.PIN
            else _("Barred: the next solve will not propose this pair."),
            "success",
        )
    return redirect(
        request.form.get("back")
        if request.form.get("back", "").startswith("/rounds/")
        else url_for("rounds.detail", round_id=round_id)
    )


@bp.post("/rules/<int:rule_id>/delete")
@role_required(*ORGANISER)
def delete_rule(rule_id: int):
    rule = db.session.get(PairRule, rule_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    round_id = rule.round_id
    with unit_of_work() as work:
        services.remove_pair_rule(current_user, rule)
    if not work.failed:
        flash(_("Rule removed."), "success")
    return redirect(url_for("rounds.detail", round_id=round_id))


@bp.get("/<int:round_id>/compare")
@role_required(*ORGANISER)
def compare(round_id: int):
    match_round = _round(round_id)
    first, second = _run(int_arg("a") or 0), _run(int_arg("b") or 0)
    if first.round_id != round_id or second.round_id != round_id:
        abort(404)
    changes = run_services.compare_runs(first, second)
    return render_template(
        "rounds/compare.html",
        match_round=match_round,
        first=first,
        second=second,
        changes=changes,
        offers=queries.offers_by_id([c.before for c in changes] + [c.after for c in changes]),
    )
