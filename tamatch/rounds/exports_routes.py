"""Downloads of a round's proposals and engagements (CSV, XLSX) for organisers."""

from flask import abort
from flask_login import current_user

from tamatch.auth.permissions import ROUND_ROLES, is_organiser, role_required
from tamatch.exports import export_response
from tamatch.extensions import db
from tamatch.models import MatchRound
from tamatch.rounds import bp
from tamatch.rounds.exports import audit_export, engagements_frame, proposals_frame
from tamatch.unit_of_work import unit_of_work

FRAMES = {"proposals": proposals_frame, "engagements": engagements_frame}


@bp.get("/<int:round_id>/export/<what>.<fmt>")
@role_required(*ROUND_ROLES)
def export(round_id: int, what: str, fmt: str):
    match_round = db.session.get(MatchRound, round_id) or abort(404)
    if what not in FRAMES or fmt not in ("csv", "xlsx"):
        abort(404)
    frame = FRAMES[what](match_round, current_user, mine_only=not is_organiser(current_user))
    with unit_of_work(reraise=True):
        audit_export(current_user, match_round, what, fmt, len(frame))
    return export_response(frame, f"round-{round_id}-{what}", fmt)
