"""Pages of interests (a partner's bids on open needs) and saved needs searches."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tamatch.auth.permissions import role_required
from tamatch.auth.routes import safe_next
from tamatch.interests import bp
from tamatch.interests.forms import (
    ALL_OFFERS,
    ActionForm,
    InterestForm,
    RenameSearchForm,
    SaveSearchForm,
)
from tamatch.interests.queries import (
    get_own_interest,
    get_own_search,
    my_interests_query,
    my_searches,
)
from tamatch.interests.services import (
    biddable_offers,
    delete_search,
    rename_search,
    save_search,
    show_interest,
    withdraw_interest,
)
from tamatch.models import InterestLevel, Role
from tamatch.needs.queries import NeedFilters, get_need
from tamatch.request_args import paginate
from tamatch.unit_of_work import unit_of_work


def interest_form(need_id: int) -> InterestForm:
    """The interest form of a need's page for the current partner, its offers as choices."""
    form = InterestForm()
    choices = [(str(o.id), o.title) for o in biddable_offers(current_user)]
    if len(choices) > 1:
        choices.insert(0, (ALL_OFFERS, _("All my offers")))
    form.offer.choices = choices
    form.next.data = form.next.data or url_for("needs.detail", need_id=need_id)
    return form


def _back(need_id: int) -> str:
    return safe_next(request.form.get("next")) or url_for("needs.detail", need_id=need_id)


@bp.post("/needs/<int:need_id>")
@role_required(Role.PARTNER)
def show(need_id: int):
    need = get_need(need_id, current_user)
    form = interest_form(need.id)
    if not form.validate_on_submit():
        flash(_("Choose an offer and how interested you are."), "danger")
        return redirect(_back(need.id))
    offers = biddable_offers(current_user)
    if form.offer.data != ALL_OFFERS:
        offers = [o for o in offers if str(o.id) == form.offer.data]
    with unit_of_work() as work:
        show_interest(current_user, need, offers, InterestLevel(int(form.level.data)))
    if not work.failed:
        flash(_("Your interest is saved; the organisers' solver counts it."), "success")
    return redirect(_back(need.id))


@bp.post("/<int:interest_id>/withdraw")
@role_required(Role.PARTNER)
def withdraw(interest_id: int):
    interest = get_own_interest(interest_id, current_user)
    if not ActionForm().validate_on_submit():
        abort(400)
    need_id = interest.need_id
    with unit_of_work() as work:
        withdraw_interest(current_user, interest)
    if not work.failed:
        flash(_("Your interest is withdrawn."), "success")
    return redirect(_back(need_id))


@bp.get("/")
@role_required(Role.PARTNER)
def index():
    page = paginate(my_interests_query(current_user))
    return render_template("interests/index.html", page=page, form=ActionForm())


@bp.get("/searches")
@role_required(Role.PARTNER)
def searches():
    return render_template(
        "interests/searches.html",
        searches=my_searches(current_user),
        filters_of=NeedFilters.from_json,
        rename_form=RenameSearchForm(formdata=None),
    )


@bp.post("/searches")
@role_required(Role.PARTNER)
def save():
    form = SaveSearchForm()
    filters = NeedFilters.from_args(request.form)
    back = url_for("needs.index", **filters.query_args())
    if not form.validate_on_submit():
        flash(_("Give the search a name of up to 100 characters."), "danger")
        return redirect(back)
    with unit_of_work() as work:
        save_search(current_user, form.name.data, filters)
    if not work.failed:
        flash(_("Search saved: you will be told when a new need fits it."), "success")
    return redirect(back)


@bp.post("/searches/<int:search_id>/rename")
@role_required(Role.PARTNER)
def rename(search_id: int):
    search = get_own_search(search_id, current_user)
    form = RenameSearchForm()
    if not form.validate_on_submit():
        flash(_("Give the search a name of up to 100 characters."), "danger")
        return redirect(url_for("interests.searches"))
    with unit_of_work() as work:
        rename_search(current_user, search, form.name.data)
    if not work.failed:
        flash(_("Search renamed."), "success")
    return redirect(url_for("interests.searches"))


@bp.route("/searches/<int:search_id>/delete", methods=["GET", "POST"])
@role_required(Role.PARTNER)
def delete(search_id: int):
    """GET asks to confirm (no script needed); POST deletes."""
    search = get_own_search(search_id, current_user)
    form = ActionForm()
    if request.method == "GET":
        return render_template("interests/delete.html", search=search, form=form)
    if not form.validate_on_submit():
        abort(400)
    with unit_of_work() as work:
        delete_search(current_user, search)
    if not work.failed:
        flash(_("Search deleted."), "success")
    return redirect(url_for("interests.searches"))
