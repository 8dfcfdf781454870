"""Display names of the platform's states, shared by pages and exports."""

from flask_babel import lazy_gettext as _l

from tamatch.models import (
    Decision,
    EngagementStatus,
    ImplementationStatus,
    NeedStatus,
    OfferStatus,
    OutcomeKind,
    ProposalStatus,
    Rating,
    Response,
    RoundStatus,
    RunStatus,
    Side,
)

ROUND_STATUS_LABELS = {
    RoundStatus.DRAFT: _l("Draft"),
    RoundStatus.OPEN: _l("Open for submissions"),
    RoundStatus.CLOSED: _l("Closed to submissions"),
    RoundStatus.SOLVED: _l("Solved"),
    RoundStatus.PUBLISHED: _l("Published"),
    RoundStatus.ARCHIVED: _l("Archived"),
}
ROUND_ACTIONS = {
    RoundStatus.OPEN: _l("Open for submissions"),
    RoundStatus.CLOSED: _l("Close submissions"),
    RoundStatus.ARCHIVED: _l("Archive"),
}
RUN_STATUS_LABELS = {
    RunStatus.QUEUED: _l("Queued"),
    RunStatus.RUNNING: _l("Running"),
    RunStatus.DONE: _l("Done"),
    RunStatus.FAILED: _l("Failed"),
    RunStatus.CANCELLED: _l("Cancelled"),
}
PROPOSAL_STATUS_LABELS = {
    ProposalStatus.DRAFT: _l("Not published"),
    ProposalStatus.PENDING: _l("Waiting for answers"),
    ProposalStatus.ACCEPTED: _l("Agreed"),
    ProposalStatus.DECLINED: _l("Declined"),
    ProposalStatus.LAPSED: _l("Lapsed"),
}
DECISION_LABELS = {
    Decision.PENDING: _l("No answer yet"),
    Decision.ACCEPTED: _l("Accepted"),
    Decision.DECLINED: _l("Declined"),
}
ENGAGEMENT_STATUS_LABELS = {
    EngagementStatus.ACTIVE: _l("Active"),
    EngagementStatus.COMPLETED: _l("Completed"),
    EngagementStatus.CANCELLED: _l("Cancelled"),
}
IMPLEMENTATION_LABELS = {
    ImplementationStatus.NOT_STARTED: _l("Not started"),
    ImplementationStatus.IN_PROGRESS: _l("In progress"),
    ImplementationStatus.PARTIALLY_IMPLEMENTED: _l("Partially implemented"),
    ImplementationStatus.FULLY_IMPLEMENTED: _l("Fully implemented"),
}
RATING_LABELS = {
    Rating.NO_PROGRESS: _l("No progress"),
    Rating.LIMITED: _l("Limited progress"),
    Rating.SUBSTANTIAL: _l("Substantial progress"),
    Rating.COMPLETE: _l("Complete"),
}
OUTCOME_LABELS = {
    OutcomeKind.ACHIEVED: _l("Achieved"),
    OutcomeKind.PARTLY_ACHIEVED: _l("Partly achieved"),
    OutcomeKind.NOT_ACHIEVED: _l("Not achieved"),
}
SIDE_LABELS = {
    Side.STATE: _l("The State"),
    Side.PARTNER: _l("The partner"),
}
LIGHT_LABELS = {
    "reported": _l("Reported"),
    "due_soon": _l("Due within 30 days"),
    "overdue": _l("Overdue"),
    "later": _l("Not due yet"),
}
# Needs' and offers' states (an offer shares open and draft with needs).
STATUS_LABELS = {
    NeedStatus.DRAFT: _l("Draft"),
    NeedStatus.OPEN: _l("Open"),
    NeedStatus.MATCHED: _l("Matched"),
    NeedStatus.IN_PROGRESS: _l("In progress"),
    NeedStatus.COMPLETED: _l("Completed"),
    NeedStatus.WITHDRAWN: _l("Withdrawn"),
    OfferStatus.CLOSED: _l("Closed"),
}
RESPONSE_LABELS = {
    Response.SUPPORTED: _l("Supported"),
    Response.PARTIALLY_SUPPORTED: _l("Partially supported"),
    Response.NOTED: _l("Noted"),
    Response.REJECTED: _l("Rejected"),
    Response.IMPLEMENTED: _l("Already implemented"),
    Response.PENDING: _l("Pending"),
}


def label(labels: dict, value) -> str:
    """The reader's word for `value` in `labels`; "" for no value."""
    if value is None or value == "":
        return ""
    return str(labels.get(value, value))
