"""Pages for offers: list, detail, post, edit, open and close."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tamatch.auth.permissions import can_edit_offer, is_own_organisation_partner, role_required
from tamatch.exports import export_response
from tamatch.forms import (
    as_choices,
    load_reference_choices,
    state_choices,
    term_choices,
)
from tamatch.list_exports import audit_list_export, offers_frame
from tamatch.models import Modality, OfferStatus, RegionalGroup, Role, SupportKind, Theme
from tamatch.offers import bp
from tamatch.offers.forms import OfferForm, OfferStatusForm
from tamatch.offers.queries import OfferFilters, get_offer, offers_query
from tamatch.offers.services import (
    TRANSITIONS,
    OfferData,
    create_offer,
    transition_offer,
    update_offer,
)
from tamatch.request_args import enum_arg, int_arg, paginate, text_arg
from tamatch.unit_of_work import unit_of_work


def _filters() -> OfferFilters:
    return OfferFilters(
        q=text_arg("q"),
        organisation_id=int_arg("organisation"),
        theme_id=int_arg("theme"),
        support_kind_id=int_arg("kind"),
        status=enum_arg("status", OfferStatus),
    )


@bp.get("/export.<fmt>")
@login_required
def export(fmt: str):
    """The offers the user may see, as filtered on screen, as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    frame = offers_frame(current_user, _filters())
    with unit_of_work(reraise=True):
        audit_list_export(current_user, "offers", fmt, len(frame))
    return export_response(frame, "offers", fmt)


@bp.get("/")
@login_required
def index():
    filters = _filters()
    page = paginate(offers_query(current_user, filters))
    return render_template(
        "offers/index.html",
        page=page,
        filters=filters,
        themes=term_choices(Theme),
        kinds=term_choices(SupportKind),
        statuses=list(OfferStatus),
    )


@bp.get("/<int:offer_id>")
@login_required
def detail(offer_id: int):
    offer = get_offer(offer_id, current_user)
    moves = (
        sorted(TRANSITIONS[offer.status])
        if is_own_organisation_partner(current_user, offer)
        else []
    )
    return render_template(
        "offers/detail.html", offer=offer, moves=moves, status_form=OfferStatusForm()
    )


def _offer_data(form: OfferForm) -> OfferData:
    return OfferData(
        title=form.title.data,
        description=form.description.data,
        theme_ids=tuple(form.theme_ids.data),
        support_kind_ids=tuple(form.support_kind_ids.data),
        language_ids=tuple(form.language_ids.data),
        modality=Modality(form.modality.data),
        capacity=form.capacity.data,
        budget=form.budget.data,
        typical_cost=form.typical_cost.data,
        window_start=form.window_start.data,
        window_end=form.window_end.data,
        eligible_all=form.eligible_all.data == "all",
        eligible_groups=tuple(RegionalGroup(g) for g in form.eligible_groups.data or ()),
        eligible_ldc=form.eligible_ldc.data,
        eligible_sids=form.eligible_sids.data,
        eligible_lldc=form.eligible_lldc.data,
        eligible_state_ids=tuple(form.eligible_state_ids.data or ()),
        text_locale=form.text_locale.data,
    )


def _prepare(form: OfferForm) -> None:
    load_reference_choices(form)
    form.eligible_state_ids.choices = as_choices(state_choices())


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.PARTNER)
def new():
    form = OfferForm()
    _prepare(form)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            offer = create_offer(current_user, _offer_data(form), publish=bool(form.publish.data))
        if not work.failed:
            published = offer.status == OfferStatus.OPEN
            flash(_("Offer published.") if published else _("Draft saved."), "success")
            return redirect(url_for("offers.detail", offer_id=offer.id))
    return render_template("offers/form.html", form=form, offer=None)


@bp.route("/<int:offer_id>/edit", methods=["GET", "POST"])
@login_required
def edit(offer_id: int):
    offer = get_offer(offer_id, current_user)
    if not can_edit_offer(current_user, offer):
        abort(403)
    form = OfferForm(obj=offer)
    form.offer = offer
    if request.method == "GET":
        form.theme_ids.data = [t.id for t in offer.themes]
        form.support_kind_ids.data = [k.id for k in offer.support_kinds]
        form.language_ids.data = [lang.id for lang in offer.languages]
        form.modality.data = offer.modality.value
        form.eligible_all.data = "all" if offer.eligible_all else "some"
        form.eligible_groups.data = [g.value for g in offer.eligible_groups]
        form.eligible_state_ids.data = [s.id for s in offer.eligible_states]
    _prepare(form)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            update_offer(current_user, offer, _offer_data(form))
        if not work.failed:
            flash(_("Changes saved."), "success")
            return redirect(url_for("offers.detail", offer_id=offer.id))
    return render_template("offers/form.html", form=form, offer=offer)


@bp.post("/<int:offer_id>/status")
@login_required
def change_status(offer_id: int):
    offer = get_offer(offer_id, current_user)
    if not is_own_organisation_partner(current_user, offer):
        abort(403)
    target = enum_arg("target", OfferStatus, source=request.form)
    if not OfferStatusForm().validate_on_submit() or target is None:
        abort(400)
    with unit_of_work() as work:
        transition_offer(current_user, offer, target)
    if not work.failed:
        flash(_("The offer is now %(status)s.", status=_(target.value)), "success")
    return redirect(url_for("offers.detail", offer_id=offer.id))
