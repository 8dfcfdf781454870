"""The authorisation matrix: every route x actor x object variant, with the expected status.

A row is nine statuses, one per actor, in this order (tests/world.py ACTORS):

    anon  focal_own  focal_other  partner_own  partner_other  civil  organiser  reviewer  admin

"own" is relative to the object: its State (HTI) for focal points, its organisation for
partners; civil society is of the object's State. Pages redirect anonymous visitors to the
sign-in page (302), objects they may not see too (tamatch.errors.unseen); the API answers
401. POSTs carry a harmless or invalid body (CSRF off), so an allowed actor gets the
validation answer (200 re-render, 400, 422, 302 with a flash).
"""

# --- named policies -----------------------------------------------------------------------
# columns:     anon fo  fx  po  px  cs  org rev adm
PUBLIC = "200 200 200 200 200 200 200 200 200"
MEMBERS = "302 200 200 200 200 200 200 200 200"
REDIRECTS = "302 302 302 302 302 302 302 302 302"
NOT_FOUND = "404 404 404 404 404 404 404 404 404"
ORGANISER_ONLY = "302 403 403 403 403 403 200 403 403"
ADMIN_ONLY = "302 403 403 403 403 403 403 403 200"
AUDIT_READERS = "302 403 403 403 403 403 200 403 200"
IMPORTERS = AUDIT_READERS
IMPORTERS_302 = "302 403 403 403 403 403 302 403 302"  # back to the upload page
FOCAL_ONLY = "302 200 200 403 403 403 403 403 403"
PARTNER_ONLY = "302 403 403 200 200 403 403 403 403"
PARTICIPANTS = "302 200 200 200 200 403 200 403 403"  # rounds
ASSESSORS = "302 403 403 403 403 403 200 200 403"  # dashboard
# Follow-up pages of an engagement (or its submitted report), by the need's visibility.
ENGAGEMENT = "302 200 404 200 404 200 200 200 404"
ENGAGEMENT_CONF = "302 200 404 200 404 404 200 404 404"
PARTNER_DRAFT = "302 404 404 200 404 404 404 404 404"  # the partner's draft report
# The API: the same rules, 401 without a token.
API = "401 200 200 200 200 200 200 200 200"
API_ROUNDS = "401 200 200 200 200 403 200 403 403"
API_ENGAGEMENT = "401 200 404 200 404 200 200 200 404"
API_ENGAGEMENT_CONF = "401 200 404 200 404 404 200 404 404"
API_PARTNER_DRAFT = "401 404 404 200 404 404 404 404 404"


def status(policy: str, **cells: int) -> str:
    """`policy` with some actors' cells replaced: status(MEMBERS, anonymous=404)."""
    from tests.world import ACTORS

    row = dict(zip(ACTORS, policy.split(), strict=True))
    row.update({actor: str(code) for actor, code in cells.items()})
    return " ".join(row[actor] for actor in ACTORS)


def only(policy: str, allowed_code: int) -> str:
    """The policy with its 200s replaced by `allowed_code` (a POST's validation answer)."""
    return " ".join(str(allowed_code) if c == "200" else c for c in policy.split())


# --- the table: (endpoint, method) -> {variant: (url, row[, body])} -------------------------
# A third element replaces the body FORM_BODIES / JSON_BODIES give that route.
# row columns:  anon fo  fx  po  px  cs  org rev adm
R = "/followup/reports"
E = "/followup/engagements"
TABLE: dict[tuple[str, str], dict[str, tuple]] = {
    ("main.home", "GET"): {"-": ("/", PUBLIC)},
    ("i18n.choose", "POST"): {"-": ("/language", REDIRECTS)},  # anyone chooses a language
    # administration
    ("admin.audit", "GET"): {"-": ("/admin/audit", AUDIT_READERS)},
    ("admin.users", "GET"): {"-": ("/admin/users", ADMIN_ONLY)},
    ("admin.organisations", "GET"): {"-": ("/admin/organisations", ADMIN_ONLY)},
    ("admin.organisations", "POST"): {"-": ("/admin/organisations", ADMIN_ONLY)},
    ("admin.invite", "GET"): {"-": ("/admin/users/invite", ADMIN_ONLY)},
    ("admin.invite", "POST"): {"-": ("/admin/users/invite", ADMIN_ONLY)},
    ("admin.toggle_active", "POST"): {
        "spare": ("/admin/users/{user_spare}/active", only(ADMIN_ONLY, 302))
    },
    ("admin.invited", "GET"): {"-": ("/admin/users/{user_invited}/invited", ADMIN_ONLY)},
    ("admin.reinvite", "POST"): {
        "invited": ("/admin/users/{user_invited}/reinvite", only(ADMIN_ONLY, 302)),
        "has a password": ("/admin/users/{user_spare}/reinvite", only(ADMIN_ONLY, 302)),
    },
    ("admin.reset_sign_in", "POST"): {
        "has a password": ("/admin/users/{user_spare}/reset", only(ADMIN_ONLY, 302)),
        "invited": ("/admin/users/{user_invited}/reset", only(ADMIN_ONLY, 302)),
    },
    # sign-in
    ("auth.login", "GET"): {"-": ("/auth/login", status(REDIRECTS, anonymous=200))},
    ("auth.login", "POST"): {"-": ("/auth/login", status(REDIRECTS, anonymous=200))},
    ("auth.logout", "POST"): {"-": ("/auth/logout", REDIRECTS)},
    ("auth.sign_out_everywhere", "GET"): {"-": ("/auth/sign-out-everywhere", MEMBERS)},
    ("auth.sign_out_everywhere", "POST"): {"-": ("/auth/sign-out-everywhere", REDIRECTS)},
    ("auth.password", "GET"): {"-": ("/auth/password", MEMBERS)},
    ("auth.password", "POST"): {"-": ("/auth/password", MEMBERS)},
    ("auth.two_factor", "GET"): {"-": ("/auth/two-factor", REDIRECTS)},
    ("auth.two_factor", "POST"): {"-": ("/auth/two-factor", REDIRECTS)},
    ("auth.accept", "GET"): {
        "valid": ("/auth/invitation/{invitation}", PUBLIC),
        "bogus": ("/auth/invitation/not-a-token", NOT_FOUND),
    },
    ("auth.accept", "POST"): {
        "valid": ("/auth/invitation/{invitation}", PUBLIC),
        "bogus": ("/auth/invitation/not-a-token", NOT_FOUND),
    },
    # recommendations
    ("recommendations.index", "GET"): {"-": ("/recommendations/", PUBLIC)},
    ("recommendations.export", "GET"): {"-": ("/recommendations/export.csv", PUBLIC)},
    ("recommendations.detail", "GET"): {
        "of public need": ("/recommendations/{rec}", PUBLIC),
        "of confidential need": ("/recommendations/{rec_conf}", PUBLIC),
        "missing": ("/recommendations/999999", NOT_FOUND),
    },
    ("recommendations.import_page", "GET"): {"-": ("/recommendations/import", IMPORTERS)},
    ("recommendations.import_page", "POST"): {"-": ("/recommendations/import", IMPORTERS)},
    # An upload waiting for its confirmation: only its uploader finds it (test_import_preview).
    ("recommendations.import_preview", "GET"): {
        "bogus": ("/recommendations/import/not-a-token", IMPORTERS_302),
    },
    ("recommendations.import_preview", "POST"): {
        "bogus": ("/recommendations/import/not-a-token", IMPORTERS_302),
    },
    # needs
    ("needs.index", "GET"): {"-": ("/needs/", PUBLIC)},
    ("needs.export", "GET"): {
        "csv": ("/needs/export.csv", PUBLIC),
        "xlsx": ("/needs/export.xlsx", PUBLIC),
    },
    ("needs.new", "GET"): {"-": ("/needs/new", FOCAL_ONLY)},
    ("needs.new", "POST"): {"-": ("/needs/new", FOCAL_ONLY)},
    ("needs.detail", "GET"): {
        "public": ("/needs/{need_public}", PUBLIC),
        "members": ("/needs/{need_members}", MEMBERS),
        "confidential": ("/needs/{need_conf}", "302 200 404 404 404 404 200 404 404"),
        "confidential engaged": (
            "/needs/{need_conf_engaged}",
            "302 200 404 200 404 404 200 404 404",
        ),
        "draft": ("/needs/{need_draft}", "302 200 404 404 404 404 404 404 404"),
    },
    ("needs.edit", "GET"): (
        edit_need := {
            "public": ("/needs/{need_public}/edit", "302 200 403 403 403 403 403 403 403"),
            "confidential": ("/needs/{need_conf}/edit", "302 200 404 404 404 404 403 404 404"),
            "draft": ("/needs/{need_draft}/edit", "302 200 404 404 404 404 404 404 404"),
            "matched": ("/needs/{need_engaged}/edit", "302 403 403 403 403 403 403 403 403"),
        }
    ),
    ("needs.edit", "POST"): edit_need,
    ("needs.change_status", "POST"): {
        "public": ("/needs/{need_public}/status", "302 400 403 403 403 403 403 403 403"),
        "confidential": ("/needs/{need_conf}/status", "302 400 404 404 404 404 403 404 404"),
        "draft": ("/needs/{need_draft}/status", "302 400 404 404 404 404 404 404 404"),
    },
    # a joint need's cohort (tests/test_cohorts.py has the member States' side)
    ("needs.invite_to_cohort", "POST"): {
        "draft": ("/needs/{need_draft}/cohort/invite", "302 302 404 403 403 403 403 403 403"),
        "open": ("/needs/{need_public}/cohort/invite", "302 403 403 403 403 403 403 403 403"),
    },
    ("needs.answer_for_cohort", "POST"): {
        "draft": ("/needs/{need_draft}/cohort/answer", "302 403 404 403 403 403 403 403 403"),
        "open": ("/needs/{need_public}/cohort/answer", "302 403 403 403 403 403 403 403 403"),
    },
    ("needs.remove_from_cohort", "POST"): {
        "missing member": (
            "/needs/{need_draft}/cohort/999999/remove",
            "302 404 404 403 403 403 403 403 403",
        ),
    },
    # offers
    ("offers.index", "GET"): {"-": ("/offers/", MEMBERS)},
    ("offers.export", "GET"): {"-": ("/offers/export.xlsx", MEMBERS)},
    ("offers.new", "GET"): {"-": ("/offers/new", PARTNER_ONLY)},
    ("offers.new", "POST"): {"-": ("/offers/new", PARTNER_ONLY)},
    ("offers.detail", "GET"): {
        "open": ("/offers/{offer}", MEMBERS),
        "draft": ("/offers/{offer_draft}", PARTNER_DRAFT),
    },
    ("offers.edit", "GET"): (
        edit_offer := {
            "open": ("/offers/{offer}/edit", "302 403 403 200 403 403 403 403 403"),
            "draft": ("/offers/{offer_draft}/edit", PARTNER_DRAFT),
        }
    ),
    ("offers.edit", "POST"): edit_offer,
    ("offers.change_status", "POST"): {
        "open": ("/offers/{offer}/status", "302 403 403 400 403 403 403 403 403"),
        "draft": ("/offers/{offer_draft}/status", only(PARTNER_DRAFT, 400)),
    },
    # partners' interest in open needs, and saved searches (tests/test_interests.py,
    # tests/test_saved_searches.py have the owner's side)
    ("interests.show", "POST"): {
        "public": ("/interests/needs/{need_public}", "302 403 403 302 302 403 403 403 403"),
        "confidential": ("/interests/needs/{need_conf}", "302 403 403 404 404 403 403 403 403"),
        "confidential engaged": (
            "/interests/needs/{need_conf_engaged}",
            "302 403 403 302 404 403 403 403 403",
        ),
        "draft": ("/interests/needs/{need_draft}", "302 403 403 404 404 403 403 403 403"),
    },
    ("interests.withdraw", "POST"): {
        "missing": ("/interests/999999/withdraw", "302 403 403 404 404 403 403 403 403"),
    },
    ("interests.index", "GET"): {"-": ("/interests/", PARTNER_ONLY)},
    ("interests.searches", "GET"): {"-": ("/interests/searches", PARTNER_ONLY)},
    ("interests.save", "POST"): {
        "-": ("/interests/searches", "302 403 403 302 302 403 403 403 403"),
    },
    ("interests.rename", "POST"): {
        "missing": ("/interests/searches/999999/rename", "302 403 403 404 404 403 403 403 403"),
    },
    ("interests.delete", "GET"): (
        delete_search := {
            "missing": (
                "/interests/searches/999999/delete",
                "302 403 403 404 404 403 403 403 403",
            ),
        }
    ),
    ("interests.delete", "POST"): delete_search,
    # match rounds and consent
    ("rounds.index", "GET"): {"-": ("/rounds/", PARTICIPANTS)},
    ("rounds.new", "GET"): {"-": ("/rounds/new", ORGANISER_ONLY)},
    ("rounds.new", "POST"): {"-": ("/rounds/new", ORGANISER_ONLY)},
    ("rounds.detail", "GET"): {"closed": ("/rounds/{round}", PARTICIPANTS)},
    ("rounds.edit", "GET"): {"closed": ("/rounds/{round}/edit", ORGANISER_ONLY)},
    ("rounds.edit", "POST"): {"closed": ("/rounds/{round}/edit", ORGANISER_ONLY)},
    ("rounds.compare", "GET"): {"-": ("/rounds/{round}/compare?a={run}&b={run}", ORGANISER_ONLY)},
    ("rounds.change_status", "POST"): {"-": ("/rounds/{round}/status", only(ORGANISER_ONLY, 400))},
    ("rounds.solve", "POST"): {"-": ("/rounds/{round}/solve", only(ORGANISER_ONLY, 400))},
    ("rounds.add_rule", "POST"): {"-": ("/rounds/{round}/rules", only(ORGANISER_ONLY, 400))},
    ("rounds.delete_rule", "POST"): {
        "-": ("/rounds/rules/{rule}/delete", only(ORGANISER_ONLY, 302))
    },
    ("rounds.participation", "POST"): {
        "no such item": ("/rounds/{round}/participation", "302 404 404 404 404 403 403 403 403")
    },
    ("rounds.run", "GET"): {"done": ("/rounds/runs/{run}", ORGANISER_ONLY)},
    ("rounds.cancel", "POST"): {"done": ("/rounds/runs/{run}/cancel", only(ORGANISER_ONLY, 302))},
    ("rounds.publish", "POST"): {"done": ("/rounds/runs/{run}/publish", only(ORGANISER_ONLY, 302))},
    ("rounds.consent", "GET"): {"published": ("/rounds/runs/{run}/consent", ORGANISER_ONLY)},
    ("rounds.remind", "POST"): {
        "published": ("/rounds/runs/{run}/remind", only(ORGANISER_ONLY, 302))
    },
    ("rounds.export", "GET"): {
        f"{what}.{fmt}": (f"/rounds/{{round}}/export/{what}.{fmt}", PARTICIPANTS)
        for what in ("proposals", "engagements")
        for fmt in ("csv", "xlsx")
    }
    | {"unknown": ("/rounds/{round}/export/secrets.csv", only(PARTICIPANTS, 404))},
    ("rounds.proposals", "GET"): {
        "-": ("/rounds/proposals", "302 200 200 200 200 403 403 403 403")
    },
    ("rounds.proposal", "GET"): (
        proposal := {
            "published": ("/rounds/proposals/{proposal}", "302 200 404 200 404 403 200 403 403"),
            "confidential need": (
                "/rounds/proposals/{proposal_conf}",
                "302 200 404 200 404 403 200 403 403",
            ),
            "draft": ("/rounds/proposals/{proposal_draft}", "302 404 404 404 404 403 200 403 403"),
        }
    ),
    ("rounds.proposal", "POST"): proposal,
    # follow-up
    ("followup.index", "GET"): {"-": ("/followup/", MEMBERS)},
    ("followup.dashboard", "GET"): {"-": ("/followup/dashboard", ASSESSORS)},
    ("followup.dashboard_download", "GET"): {
        "csv": ("/followup/dashboard/response-by-group.csv", ASSESSORS),
        "xlsx": ("/followup/dashboard/status-by-theme.xlsx", ASSESSORS),
        "unknown": ("/followup/dashboard/secrets.csv", only(ASSESSORS, 404)),
    },
    ("followup.engagement", "GET"): {
        "members": (E + "/{eng_shared}", ENGAGEMENT),
        "confidential": (E + "/{eng_secret}", ENGAGEMENT_CONF),
        "completed": (E + "/{eng_done}", ENGAGEMENT),
        "completed confidential": (E + "/{eng_done_conf}", ENGAGEMENT_CONF),
    },
    ("followup.outcome", "POST"): {
        "members": (E + "/{eng_shared}/outcome", "302 403 404 403 404 403 302 302 404"),
        "confidential": (E + "/{eng_secret}/outcome", "302 403 404 403 404 404 302 404 404"),
    },
    ("followup.practice", "POST"): {
        "members": (E + "/{eng_shared}/practice", "302 302 404 403 404 403 403 403 404"),
        "confidential": (E + "/{eng_secret}/practice", "302 302 404 403 404 404 403 404 404"),
    },
    ("followup.file_report", "POST"): {
        "members": ("/followup/dues/{due_shared}/report", "302 302 404 302 404 403 403 403 404")
    },
    ("followup.report", "GET"): {
        "submitted": (R + "/{report_state}", ENGAGEMENT),
        "partner draft": (R + "/{report_draft}", PARTNER_DRAFT),
        "confidential": (R + "/{report_secret}", ENGAGEMENT_CONF),
    },
    # Only the report's own side may write, and only while it is a draft: viewers get 403.
    ("followup.report", "POST"): {
        "submitted": (R + "/{report_state}", only(ENGAGEMENT, 403)),
        "partner draft": (R + "/{report_draft}", only(PARTNER_DRAFT, 302)),
        "confidential": (R + "/{report_secret}", only(ENGAGEMENT_CONF, 403)),
    },
    ("followup.comment", "POST"): {
        "submitted": (R + "/{report_state}/comments", "302 403 404 403 404 302 403 403 404"),
        "partner draft": (R + "/{report_draft}/comments", only(PARTNER_DRAFT, 403)),
        "confidential": (R + "/{report_secret}/comments", "302 403 404 403 404 404 403 404 404"),
    },
    ("followup.review", "POST"): {
        "submitted": (R + "/{report_state}/reviews", "302 403 404 403 404 403 302 302 404"),
        # A browser always sends the (optional) comment; a client that leaves it out is fine.
        "no comment field": (
            R + "/{report_state}/reviews",
            "302 403 404 403 404 403 302 302 404",
            {"rating": "limited"},
        ),
        "partner draft": (R + "/{report_draft}/reviews", only(PARTNER_DRAFT, 403)),
        "confidential": (R + "/{report_secret}/reviews", "302 403 404 403 404 404 302 404 404"),
    },
    ("followup.add_evidence", "POST"): {
        "submitted": (R + "/{report_state}/evidence", only(ENGAGEMENT, 403)),
        "partner draft": (R + "/{report_draft}/evidence", only(PARTNER_DRAFT, 302)),
        "confidential": (R + "/{report_secret}/evidence", only(ENGAGEMENT_CONF, 403)),
    },
    ("followup.download_evidence", "GET"): {
        "on submitted": ("/followup/evidence/{evidence}", ENGAGEMENT)
    },
    ("followup.delete_evidence", "POST"): {
        "on submitted": ("/followup/evidence/{evidence}/delete", only(ENGAGEMENT, 403))
    },
    ("followup.practices", "GET"): {"-": ("/followup/practices", PUBLIC)},
    ("followup.practice_detail", "GET"): {
        "members": ("/followup/practices/{practice}", PUBLIC),
        "confidential": (
            "/followup/practices/{practice_conf}",
            "404 200 404 200 404 404 200 404 404",
        ),
    },
    # notifications
    ("notifications.index", "GET"): {"-": ("/notifications/", MEMBERS)},
    ("notifications.read", "POST"): {"-": ("/notifications/read", REDIRECTS)},
    ("notifications.email_setting", "GET"): {"-": ("/notifications/email", MEMBERS)},
    ("notifications.email_setting", "POST"): {"-": ("/notifications/email", MEMBERS)},
    ("notifications.outbox", "GET"): {"-": ("/notifications/outbox", ADMIN_ONLY)},
    # public figures
    ("public.index", "GET"): {"-": ("/public/", PUBLIC)},
    ("public.state", "GET"): {
        "own": ("/states/HTI", PUBLIC),
        "other": ("/states/NPL", PUBLIC),
        "unknown": ("/states/XXX", NOT_FOUND),
    },
    # API token pages (session login)
    ("api.manage_tokens", "GET"): {"-": ("/api/v1/tokens/manage", MEMBERS)},
    ("api.manage_tokens", "POST"): {"-": ("/api/v1/tokens/manage", MEMBERS)},
    ("api.revoke", "POST"): {
        "focal_own's": (
            "/api/v1/tokens/manage/{token_spare}/revoke",
            "302 302 404 404 404 404 404 404 404",
        )
    },
    # the JSON API (bearer tokens)
    ("api.openapi", "GET"): {"-": ("/api/v1/openapi.json", PUBLIC)},
    ("api.recommendations", "GET"): {"-": ("/api/v1/recommendations", API)},
    ("api.recommendation", "GET"): {
        "of public need": ("/api/v1/recommendations/{rec}", API),
        "of confidential need": ("/api/v1/recommendations/{rec_conf}", API),
    },
    ("api.needs", "GET"): {"-": ("/api/v1/needs", API)},
    ("api.need", "GET"): {
        "public": ("/api/v1/needs/{need_public}", API),
        "members": ("/api/v1/needs/{need_members}", API),
        "confidential": ("/api/v1/needs/{need_conf}", "401 200 404 404 404 404 200 404 404"),
        "confidential engaged": ("/api/v1/needs/{need_conf_engaged}", API_ENGAGEMENT_CONF),
        "draft": ("/api/v1/needs/{need_draft}", "401 200 404 404 404 404 404 404 404"),
    },
    ("api.post_need", "POST"): {"-": ("/api/v1/needs", "401 422 422 403 403 403 403 403 403")},
    ("api.patch_need", "PATCH"): {
        "public": ("/api/v1/needs/{need_public}", "401 422 403 403 403 403 403 403 403"),
        "confidential": ("/api/v1/needs/{need_conf}", "401 422 404 404 404 404 403 404 404"),
        "draft": ("/api/v1/needs/{need_draft}", "401 422 404 404 404 404 404 404 404"),
    },
    ("api.interests", "GET"): {"-": ("/api/v1/interests", "401 403 403 200 200 403 403 403 403")},
    ("api.post_interest", "POST"): {
        "-": ("/api/v1/interests", "401 403 403 422 422 403 403 403 403"),
    },
    ("api.delete_interest", "DELETE"): {
        "missing": ("/api/v1/interests/999999", "401 403 403 404 404 403 403 403 403"),
    },
    ("api.offers", "GET"): {"-": ("/api/v1/offers", API)},
    ("api.offer", "GET"): {
        "open": ("/api/v1/offers/{offer}", API),
        "draft": ("/api/v1/offers/{offer_draft}", API_PARTNER_DRAFT),
    },
    ("api.rounds", "GET"): {"-": ("/api/v1/rounds", API_ROUNDS)},
    ("api.match_round", "GET"): {"closed": ("/api/v1/rounds/{round}", API_ROUNDS)},
    ("api.proposals", "GET"): {"-": ("/api/v1/proposals", API_ROUNDS)},
    ("api.proposal", "GET"): {
        "published": ("/api/v1/proposals/{proposal}", "401 200 404 200 404 403 200 403 403"),
        "confidential need": (
            "/api/v1/proposals/{proposal_conf}",
            "401 200 404 200 404 403 200 403 403",
        ),
        "draft": ("/api/v1/proposals/{proposal_draft}", "401 404 404 404 404 403 200 403 403"),
    },
    ("api.engagements", "GET"): {"-": ("/api/v1/engagements", API)},
    ("api.engagement", "GET"): {
        "members": ("/api/v1/engagements/{eng_shared}", API_ENGAGEMENT),
        "confidential": ("/api/v1/engagements/{eng_secret}", API_ENGAGEMENT_CONF),
    },
    ("api.engagement_reports", "GET"): {
        "members": ("/api/v1/engagements/{eng_shared}/reports", API_ENGAGEMENT),
        "confidential": ("/api/v1/engagements/{eng_secret}/reports", API_ENGAGEMENT_CONF),
    },
    ("api.start_report", "POST"): {
        "members": (
            "/api/v1/engagements/{eng_shared}/reports",
            "401 422 404 422 404 403 403 403 404",
        ),
        "confidential": (
            "/api/v1/engagements/{eng_secret}/reports",
            "401 422 404 422 404 404 403 404 404",
        ),
    },
    ("api.report", "GET"): {
        "submitted": ("/api/v1/reports/{report_state}", API_ENGAGEMENT),
        "partner draft": ("/api/v1/reports/{report_draft}", API_PARTNER_DRAFT),
        "confidential": ("/api/v1/reports/{report_secret}", API_ENGAGEMENT_CONF),
    },
    ("api.patch_report", "PATCH"): {
        "submitted": ("/api/v1/reports/{report_state}", "401 403 404 403 404 403 403 403 404"),
        "partner draft": ("/api/v1/reports/{report_draft}", API_PARTNER_DRAFT),
        "confidential": (
            "/api/v1/reports/{report_secret}",
            "401 403 404 403 404 404 403 404 404",
        ),
    },
}

# The body each write sends: form fields, or JSON for the API. Unlisted writes send nothing.
FORM_BODIES: dict[tuple[str, str], dict[str, str]] = {
    ("admin.toggle_active", "POST"): {"active": "1"},  # enabling an enabled account
    ("i18n.choose", "POST"): {"locale": "fr", "next": "/"},
    ("rounds.solve", "POST"): {"label": "x" * 201},  # too long: no run is queued
    ("rounds.participation", "POST"): {"item": "0"},
    ("followup.comment", "POST"): {"body": "A comment from the matrix."},
    ("followup.review", "POST"): {"rating": "limited", "comment": ""},
    ("followup.add_evidence", "POST"): {"url": "https://example.org/evidence"},
}
JSON_BODIES: dict[tuple[str, str], dict] = {
    ("api.post_need", "POST"): {},
    ("api.post_interest", "POST"): {},
    ("api.patch_need", "PATCH"): {"nothing": 1},
    ("api.start_report", "POST"): {"stage_months": 0},
    ("api.patch_report", "PATCH"): {},
}
# Session pages under /api/v1 (everything else there is authenticated by bearer token).
SESSION_API = {"api.manage_tokens", "api.revoke"}

from tests.authz_plan import (  # noqa: E402 - uses the policies above
    PLAN_FORM_BODIES,
    PLAN_JSON_BODIES,
    PLAN_TABLE,
)

TABLE.update(PLAN_TABLE)
FORM_BODIES.update(PLAN_FORM_BODIES)
JSON_BODIES.update(PLAN_JSON_BODIES)
