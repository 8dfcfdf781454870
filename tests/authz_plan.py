"""The planning rows of the authorisation matrix (merged into tests/authz_table.TABLE).

"own" is HTI's plan (tests/world_plan.py). A public measure, cluster, institution or indicator
is visible to everyone, a members one to the signed-in, an internal one to HTI's focal points
alone: another State's focal point gets 404 for what it may not see and 403 for what it sees
but may not change. POSTs without a valid body answer with a flash and a redirect (302), a
re-rendered form (200) or 400; deletions the rules refuse redirect with the reason.
"""

from tests.authz_table import FOCAL_ONLY, NOT_FOUND, PUBLIC, only, status

# columns:   anon fo  fx  po  px  cs  org rev adm
OWN_WRITE = "302 200 403 403 403 403 403 403 403"  # a visible object only its State changes
OWN_HIDDEN = "302 200 404 403 403 403 403 403 403"  # an internal one
INTERNAL = "302 200 404 404 404 404 404 404 404"  # reading an internal object (signed out: sign in)
MEMBERS_READ = status(PUBLIC, anonymous=302)
DUE_READERS = "302 200 200 200 200 403 403 403 403"  # focal points and partners

P = "/planning"
M, IND, C, N = P + "/measures", P + "/indicators", P + "/clusters", P + "/institutions"


def _write(action: str, code: int) -> dict:
    """A write on the visible and the internal variant of an object kind, both answering
    `code` to the focal point of the State."""
    return {
        "visible": (action.format(kind="public"), only(OWN_WRITE, code)),
        "internal": (action.format(kind="internal"), only(OWN_HIDDEN, code)),
    }


def _form(path: str) -> dict:
    return {
        "visible": (path.format(kind="public"), OWN_WRITE),
        "internal": (path.format(kind="internal"), OWN_HIDDEN),
    }


PLAN_TABLE: dict[tuple[str, str], dict[str, tuple]] = {
    ("planning.dashboard", "GET"): {"-": (P + "/", FOCAL_ONLY)},
    ("planning.tracker", "GET"): {
        "-": (P + "/recommendations", FOCAL_ONLY),
        "filtered": (P + "/recommendations?unclustered=1&without_measure=1", FOCAL_ONLY),
    },
    ("planning.assign", "POST"): {
        "nothing ticked": (P + "/recommendations/assign", only(FOCAL_ONLY, 302))
    },
    # measures
    ("planning.measures", "GET"): {
        "-": (M, PUBLIC),
        "any State, overdue": (M + "?state=&overdue=1", PUBLIC),
    },
    ("planning.export_measures", "GET"): {
        "csv": (M + "/export.csv?state=", PUBLIC),
        "xlsx": (M + "/export.xlsx", PUBLIC),
        "unknown": (M + "/export.pdf", NOT_FOUND),
    },
    ("planning.new_measure", "GET"): {"-": (M + "/new", FOCAL_ONLY)},
    ("planning.new_measure", "POST"): {"-": (M + "/new", FOCAL_ONLY)},
    ("planning.measure", "GET"): {
        "public": (M + "/{measure_public}", PUBLIC),
        "members": (M + "/{measure_members}", MEMBERS_READ),
        "internal": (M + "/{measure_internal}", INTERNAL),
        "missing": (M + "/999999", status(NOT_FOUND, anonymous=302)),
    },
    ("planning.edit_measure", "GET"): _form(M + "/{{measure_{kind}}}/edit"),
    ("planning.edit_measure", "POST"): _form(M + "/{{measure_{kind}}}/edit"),
    ("planning.add_update", "POST"): _write(M + "/{{measure_{kind}}}/updates", 302),
    ("planning.apply_outcome", "POST"): {
        "no status": (M + "/{measure_public}/outcomes/{eng_done}", only(OWN_WRITE, 400))
    },
    # The public and members measures have comments or needs: deleting them is refused.
    ("planning.delete_measure", "POST"): {
        "commented": (M + "/{measure_public}/delete", only(OWN_WRITE, 302)),
        "support asked": (M + "/{measure_members}/delete", only(OWN_WRITE, 302)),
        "internal": (M + "/{measure_internal}/delete", only(OWN_HIDDEN, 302)),
    },
    ("planning.comment_measure", "POST"): {
        "public": (M + "/{measure_public}/comments", "302 403 403 403 403 302 403 403 403"),
        "members": (M + "/{measure_members}/comments", "302 403 403 403 403 302 403 403 403"),
        "internal": (M + "/{measure_internal}/comments", "302 403 404 404 404 404 404 404 404"),
    },
    # indicators
    ("planning.new_indicator", "GET"): _form(M + "/{{measure_{kind}}}/indicators/new"),
    ("planning.new_indicator", "POST"): _form(M + "/{{measure_{kind}}}/indicators/new"),
    ("planning.indicator", "GET"): {
        "public": (IND + "/{indicator_public}", PUBLIC),
        "internal": (IND + "/{indicator_internal}", INTERNAL),
    },
    ("planning.edit_indicator", "GET"): _form(IND + "/{{indicator_{kind}}}/edit"),
    ("planning.edit_indicator", "POST"): _form(IND + "/{{indicator_{kind}}}/edit"),
    ("planning.record_value", "POST"): _form(IND + "/{{indicator_{kind}}}/values"),
    # The focal point deletes the value first: the other State then finds nothing (404).
    ("planning.delete_value", "POST"): {
        "public": (P + "/values/{value_public}/delete", only(OWN_HIDDEN, 302)),
        "internal": (P + "/values/{value_internal}/delete", only(OWN_HIDDEN, 302)),
    },
    # The public indicator has a comment: deleting it is refused.
    ("planning.delete_indicator", "POST"): {
        "commented": (IND + "/{indicator_public}/delete", only(OWN_WRITE, 302)),
        "internal": (IND + "/{indicator_internal}/delete", only(OWN_HIDDEN, 302)),
    },
    # institutions
    ("planning.institutions", "GET"): {"-": (N, FOCAL_ONLY)},
    ("planning.institutions", "POST"): {"-": (N, FOCAL_ONLY)},
    ("planning.institution", "GET"): {
        "named by a public measure": (N + "/{institution}", PUBLIC),
        "named by an internal one": (N + "/{institution_hidden}", INTERNAL),
    },
    ("planning.edit_institution", "GET"): (
        edit_institution := {
            "visible": (N + "/{institution}/edit", OWN_WRITE),
            "internal": (N + "/{institution_hidden}/edit", OWN_HIDDEN),
        }
    ),
    ("planning.edit_institution", "POST"): edit_institution,
    ("planning.archive_institution", "POST"): {
        "visible": (N + "/{institution}/archive", only(OWN_WRITE, 302)),
        "internal": (N + "/{institution_hidden}/archive", only(OWN_HIDDEN, 302)),
    },
    ("planning.delete_institution", "POST"): {
        "in use": (N + "/{institution}/delete", only(OWN_WRITE, 302)),
        "internal, in use": (N + "/{institution_hidden}/delete", only(OWN_HIDDEN, 302)),
    },
    # clusters
    ("planning.clusters", "GET"): {"-": (C, FOCAL_ONLY)},
    ("planning.suggest_clusters", "GET"): {"-": (C + "/suggestions", FOCAL_ONLY)},
    ("planning.create_cluster", "POST"): {"no title": (C, only(FOCAL_ONLY, 302))},
    ("planning.cluster", "GET"): {
        "of a public measure": (C + "/{cluster}", PUBLIC),
        "of an internal measure": (C + "/{cluster_hidden}", INTERNAL),
        "of no measure": (C + "/{cluster_spare}", INTERNAL),
    },
    ("planning.edit_cluster", "GET"): (
        edit_cluster := {
            "visible": (C + "/{cluster}/edit", OWN_WRITE),
            "internal": (C + "/{cluster_hidden}/edit", OWN_HIDDEN),
        }
    ),
    ("planning.edit_cluster", "POST"): edit_cluster,
    ("planning.split_cluster", "POST"): {
        "nothing ticked": (C + "/{cluster}/split", only(OWN_WRITE, 302)),
        "internal": (C + "/{cluster_hidden}/split", only(OWN_HIDDEN, 302)),
    },
    ("planning.merge_cluster", "POST"): {
        "no other": (C + "/{cluster}/merge", only(OWN_WRITE, 400)),
        "internal": (C + "/{cluster_hidden}/merge", only(OWN_HIDDEN, 400)),
    },
    ("planning.remove_from_cluster", "POST"): {
        "nothing ticked": (C + "/{cluster}/remove", only(OWN_WRITE, 302)),
        "internal": (C + "/{cluster_hidden}/remove", only(OWN_HIDDEN, 302)),
    },
    ("planning.delete_cluster", "POST"): {
        "with a measure": (C + "/{cluster}/delete", only(OWN_WRITE, 302)),
        "internal, with a measure": (C + "/{cluster_hidden}/delete", only(OWN_HIDDEN, 302)),
    },
    # calendar, what is due, the feed
    ("planning.calendar", "GET"): {"-": (P + "/calendar", FOCAL_ONLY)},
    ("planning.calendar", "POST"): {"-": (P + "/calendar", FOCAL_ONLY)},
    ("planning.edit_deadline", "GET"): {"own": (P + "/calendar/{deadline}/edit", OWN_HIDDEN)},
    ("planning.edit_deadline", "POST"): {"own": (P + "/calendar/{deadline}/edit", OWN_HIDDEN)},
    ("planning.delete_deadline", "POST"): {
        "own": (P + "/calendar/{deadline}/delete", only(OWN_HIDDEN, 302))
    },
    ("planning.due", "GET"): {"-": (P + "/due", DUE_READERS)},
    ("planning.issue_feed", "POST"): {"-": (P + "/due/feed", DUE_READERS)},
    ("planning.revoke_feed", "POST"): {"-": (P + "/due/feed/revoke", only(DUE_READERS, 302))},
    # The address is the credential: whoever has it reads the calendar, signed in or not.
    ("planning.feed", "GET"): {
        "live": (P + "/feed/{feed}.ics", PUBLIC),
        "unknown": (P + "/feed/cal_not-a-token.ics", NOT_FOUND),
    },
    # reports (the State's own, internal measures included)
    ("planning.reports", "GET"): {"-": (P + "/reports", FOCAL_ONLY)},
    ("planning.midterm_report", "GET"): {
        "docx": (P + "/reports/midterm.docx", FOCAL_ONLY),
        "xlsx": (P + "/reports/midterm.xlsx?cycle=4", FOCAL_ONLY),
        "unknown": (P + "/reports/midterm.pdf", only(FOCAL_ONLY, 404)),
    },
    ("planning.treaty_followup_report", "GET"): {
        "docx": (P + "/reports/treaty-followup.docx", FOCAL_ONLY),
        "one deadline": (P + "/reports/treaty-followup.xlsx?deadline={deadline}", OWN_HIDDEN),
    },
}
# The JSON API: the same rules, 401 without a token; an empty or unknown body is 422.
API = "/api/v1"
API_ALL = "401 200 200 200 200 200 200 200 200"
API_INTERNAL = "401 200 404 404 404 404 404 404 404"
API_CREATE = "401 422 422 403 403 403 403 403 403"
API_WRITE = "401 422 403 403 403 403 403 403 403"
API_WRITE_HIDDEN = "401 422 404 404 404 404 404 404 404"


def _api(path: str, visible: str, hidden: str, read: bool) -> dict:
    return {
        "visible": (API + path.format(kind=visible), API_ALL if read else API_WRITE),
        "internal": (API + path.format(kind=hidden), API_INTERNAL if read else API_WRITE_HIDDEN),
    }


for _kind, _visible, _hidden in (
    ("institution", "{{institution}}", "{{institution_hidden}}"),
    ("cluster", "{{cluster}}", "{{cluster_hidden}}"),
    ("measure", "{{measure_public}}", "{{measure_internal}}"),
    ("indicator", "{{indicator_public}}", "{{indicator_internal}}"),
):
    _one = f"/{_kind}s/{{kind}}"
    PLAN_TABLE[(f"api.{_kind}", "GET")] = _api(_one, _visible[1:-1], _hidden[1:-1], True)
    PLAN_TABLE[(f"api.patch_{_kind}", "PATCH")] = _api(_one, _visible[1:-1], _hidden[1:-1], False)
    if _kind != "indicator":
        PLAN_TABLE[(f"api.{_kind}s", "GET")] = {"-": (f"{API}/{_kind}s", API_ALL)}
        PLAN_TABLE[(f"api.post_{_kind}", "POST")] = {"-": (f"{API}/{_kind}s", API_CREATE)}
PLAN_TABLE[("api.measures", "GET")]["filtered"] = (
    f"{API}/measures?overdue=true&state=HTI",
    API_ALL,
)
PLAN_TABLE[("api.measure", "GET")]["members"] = (API + "/measures/{measure_members}", API_ALL)
PLAN_TABLE[("api.measure_indicators", "GET")] = _api(
    "/measures/{kind}/indicators", "{measure_public}", "{measure_internal}", True
)
PLAN_TABLE[("api.post_indicator", "POST")] = _api(
    "/measures/{kind}/indicators", "{measure_public}", "{measure_internal}", False
)
PLAN_TABLE[("api.indicator_values", "GET")] = _api(
    "/indicators/{kind}/values", "{indicator_public}", "{indicator_internal}", True
)
PLAN_TABLE[("api.post_value", "POST")] = _api(
    "/indicators/{kind}/values", "{indicator_public}", "{indicator_internal}", False
)
PLAN_JSON_BODIES: dict[tuple[str, str], dict] = {
    key: ({"nothing": 1} if key[1] == "PATCH" else {})
    for key in PLAN_TABLE
    if key[0].startswith("api.") and key[1] in ("POST", "PATCH")
}

PLAN_FORM_BODIES: dict[tuple[str, str], dict[str, str]] = {
    ("planning.comment_measure", "POST"): {"body": "A comment from the matrix."},
    # An edit form posted empty would keep the values it was loaded with: send a bad one.
    ("planning.edit_measure", "POST"): {"title": ""},
    ("planning.edit_cluster", "POST"): {"title": ""},
    ("planning.edit_institution", "POST"): {"name": ""},
    ("planning.edit_indicator", "POST"): {"definition": ""},
    ("planning.edit_deadline", "POST"): {"title": ""},
}
