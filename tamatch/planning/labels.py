"""Display names of the planning domain's codes, shared by pages, exports and the calendar."""

from flask_babel import lazy_gettext as _l

from tamatch.models import DeadlineKind, InstitutionKind, MeasureStatus, MeasureVisibility

MEASURE_STATUS_LABELS = {
    MeasureStatus.PLANNED: _l("Planned"),
    MeasureStatus.IN_PROGRESS: _l("In progress"),
    MeasureStatus.SUSPENDED: _l("Suspended"),
    MeasureStatus.COMPLETED: _l("Completed"),
    MeasureStatus.CANCELLED: _l("Cancelled"),
}
MEASURE_STATUS_BADGES = {
    MeasureStatus.PLANNED: "secondary",
    MeasureStatus.IN_PROGRESS: "primary",
    MeasureStatus.SUSPENDED: "warning",
    MeasureStatus.COMPLETED: "success",
    MeasureStatus.CANCELLED: "dark",
}
MEASURE_VISIBILITY_LABELS = {
    MeasureVisibility.PUBLIC: _l("Public: anyone, also without an account"),
    MeasureVisibility.MEMBERS: _l("Platform members: any signed-in user"),
    MeasureVisibility.INTERNAL: _l("Internal: your State's focal points only"),
}
INSTITUTION_KIND_LABELS = {
    InstitutionKind.MINISTRY: _l("Ministry"),
    InstitutionKind.AGENCY: _l("Agency or office"),
    InstitutionKind.PARLIAMENT: _l("Parliament or a committee"),
    InstitutionKind.JUDICIARY: _l("Court or judicial body"),
    InstitutionKind.NHRI: _l("National human rights institution (independent)"),
    InstitutionKind.LOCAL_GOVERNMENT: _l("Local or regional government"),
    InstitutionKind.OTHER: _l("Other"),
}
DEADLINE_KIND_LABELS = {
    DeadlineKind.UPR_REVIEW: _l("UPR review"),
    DeadlineKind.UPR_MIDTERM: _l("UPR mid-term report"),
    DeadlineKind.TREATY_REPORT: _l("Treaty-body periodic report"),
    DeadlineKind.TREATY_FOLLOWUP: _l("Treaty-body follow-up information"),
    DeadlineKind.VISIT_FOLLOWUP: _l("Special-procedure visit follow-up"),
    DeadlineKind.OTHER: _l("Other deadline"),
}

LABELS = {
    "MEASURE_STATUS_LABELS": MEASURE_STATUS_LABELS,
    "MEASURE_STATUS_BADGES": MEASURE_STATUS_BADGES,
    "MEASURE_VISIBILITY_LABELS": MEASURE_VISIBILITY_LABELS,
    "INSTITUTION_KIND_LABELS": INSTITUTION_KIND_LABELS,
    "DEADLINE_KIND_LABELS": DEADLINE_KIND_LABELS,
}
