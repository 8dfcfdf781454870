"""One shared world for the authorisation matrix and the leak crawl, built once per module.

HTI is the objects' State ("own"), NPL the other one. Titles and narratives of what must stay
hidden carry marker strings (MARKERS) that the leak tests search for in every response.
"""

import io
from dataclasses import dataclass, field, replace
from datetime import date

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from tamatch.models import (
    Engagement,
    ImplementationStatus,
    Language,
    NeedStatus,
    OfferStatus,
    OrganisationKind,
    OutcomeKind,
    PairRuleKind,
    Proposal,
    ProposalStatus,
    Rating,
    Role,
    RoundStatus,
    RunOutcome,
    RunStatus,
    Side,
    SolveRun,
    SupportKind,
    Theme,
    User,
    Visibility,
)
from tamatch.models.base import utcnow
from tests.factories import Factories, make_round
from tests.world_plan import PLAN_MARKERS, build_plan

ACTORS = (
    "anonymous",
    "focal_own",
    "focal_other",
    "partner_own",
    "partner_other",
    "civil",
    "organiser",
    "reviewer",
    "admin",
)

# marker -> the actors entitled to see it (everyone else must never receive it)
MARKERS = {
    "ZX-CONF-NEED-TITLE": {"focal_own", "organiser"},
    "ZX-CONF-NEED-GAP": {"focal_own", "organiser"},
    "ZX-CONF-ENGAGED-TITLE": {"focal_own", "organiser", "partner_own"},
    "ZX-CONF-ENGAGED-GAP": {"focal_own", "organiser", "partner_own"},
    "ZX-CONF-REPORT": {"focal_own", "organiser", "partner_own"},
    "ZX-DRAFT-NEED-TITLE": {"focal_own"},
    "ZX-DRAFT-NEED-GAP": {"focal_own"},
    "ZX-DRAFT-REPORT": {"partner_own"},
    "ZX-ORG-ONLY-COMMENT": {"organiser", "civil"},  # civil is its author
    "ZX-CONF-PRACTICE": {"focal_own", "organiser", "partner_own"},
    # What the solver said of a confidential need, and what its State answered (issue 10 item 1):
    # the State and its flags in "Why this match", the title and the reason of a declined pair.
    "Haiti is a least developed country": {"focal_own", "organiser"},
    "ZX-CONF-DECLINED-TITLE": {"focal_own", "organiser"},
    "ZX-CONF-DECLINED-GAP": {"focal_own", "organiser"},
    "ZX-CONF-DECLINE-REASON": {"focal_own", "organiser"},
    **PLAN_MARKERS,
}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
GAP = " is the gap described in the State's own words, long enough to pass."


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)


# Facts as the solver stores them: a confidential need's State and its flag must not reach the
# partner in "Why this match" (rendered "Haiti is a least developed country: +10" for its readers).
PLAIN = [{"code": "priority", "points": 10, "args": {"level": 2}}]
FLAGGED = [
    {"code": "status", "points": 10, "args": {"flag": "ldc", "state": "HTI"}},
    {"code": "mechanism", "points": 0, "args": {"mechanisms": ["UPR"]}},
]


def _proposal(db, run, need, offer, status=ProposalStatus.PENDING, facts=PLAIN) -> Proposal:
    outcome = RunOutcome(
        run_id=run.id,
        need_id=need.id,
        offer_id=offer.id,
        score=10,
        cost=20_000,
        explanation=facts,
        alternatives=[],
    )
    db.session.add(outcome)
    db.session.flush()
    proposal = Proposal(
        outcome_id=outcome.id,
        run_id=run.id,
        round_id=run.round_id,
        need_id=need.id,
        offer_id=offer.id,
        score=10,
        cost=20_000,
        status=status,
    )
    db.session.add(proposal)
    db.session.flush()
    return proposal


def _engage(db, run, need, offer, focal, partner):
    from tamatch.rounds.consent import decide

    proposal = _proposal(db, run, need, offer)
    decide(focal, proposal, True)
    engagement = decide(partner, proposal, True).engagement
    db.session.commit()
    return proposal, engagement


def _decline(db, proposal, focal) -> None:
    """The State declines, with a reason its partner may not read, and the other side is told."""
    from tamatch.rounds.consent import decide
    from tamatch.rounds.notify import tell_about_decision

    result = decide(focal, proposal, False, "ZX-CONF-DECLINE-REASON: our defenders are at risk.")
    tell_about_decision(proposal, Side.STATE, result)
    db.session.commit()


def _users(make: Factories) -> dict[str, User]:
    cso = make.organisation(kind=OrganisationKind.CIVIL_SOCIETY, state=make.state("HTI"))
    return {
        "focal_own": make.user(role=Role.FOCAL_POINT, state="HTI"),
        "focal_other": make.user(role=Role.FOCAL_POINT, state="NPL"),
        "partner_own": make.user(role=Role.PARTNER),
        "partner_other": make.user(role=Role.PARTNER),
        "civil": make.user(role=Role.CIVIL_SOCIETY, organisation=cso),
        "organiser": make.user(role=Role.ORGANISER),
        "reviewer": make.user(role=Role.REVIEWER),
        "admin": make.user(role=Role.ADMIN),
        "spare": make.user(role=Role.REVIEWER),  # the target of admin actions
    }


def _posted_confidential_need(make: Factories, focal: User):
    """Through the services, as a focal point posts and edits it, so the audit log has it too."""
    from tamatch.needs.services import NeedData, create_need, update_need

    data = NeedData(
        title="ZX-CONF-NEED-TITLE",
        gap="ZX-CONF-NEED-GAP" + GAP,
        recommendation_ids=(make.recommendation(state="HTI").id,),
        theme_ids=(make.term(Theme).id,),
        support_kind_ids=(make.term(SupportKind).id,),
        language_ids=(make.term(Language, "en").id,),
        cost_min=10_000,
        cost_max=30_000,
        window_start=date(2027, 1, 1),
        window_end=date(2027, 6, 30),
        priority=1,
        visibility=Visibility.CONFIDENTIAL,
    )
    need = create_need(focal, data, publish=True)
    update_need(focal, need, replace(data, priority=2))
    make.db.session.commit()
    return need


def _needs(make: Factories, focal: User) -> dict:
    def need(title, visibility, status=NeedStatus.OPEN, gap="Ordinary"):
        return make.need(title=title, gap=gap + GAP, visibility=visibility, status=status)

    return {
        "need_public": need("Public need", Visibility.PUBLIC),
        "need_members": need("Members need", Visibility.MEMBERS),
        "need_conf": _posted_confidential_need(make, focal),
        "need_draft": need(
            "ZX-DRAFT-NEED-TITLE", Visibility.MEMBERS, NeedStatus.DRAFT, "ZX-DRAFT-NEED-GAP"
        ),
        "need_engaged": need("Engaged need", Visibility.MEMBERS, NeedStatus.MATCHED),
        "need_conf_declined": need(
            "ZX-CONF-DECLINED-TITLE", Visibility.CONFIDENTIAL, gap="ZX-CONF-DECLINED-GAP"
        ),
        "need_conf_engaged": need(
            "ZX-CONF-ENGAGED-TITLE",
            Visibility.CONFIDENTIAL,
            NeedStatus.MATCHED,
            "ZX-CONF-ENGAGED-GAP",
        ),
    }


def _followup(db, w: World, objects: dict) -> None:
    """Reports, evidence, comments, a review, an outcome and a good practice."""
    from tamatch.followup import services
    from tamatch.followup.evidence import add_file

    u = w.users
    shared, secret = objects["eng_shared"], objects["eng_secret"]

    def state_report(engagement, text):
        report = services.report_for(u["focal_own"], engagement.reports_due[0])
        statuses = {r.id: ImplementationStatus.IN_PROGRESS for r in engagement.need.recommendations}
        data = services.ReportData(achievements=text, challenges="Turnover.", statuses=statuses)
        return report, data

    report, data = state_report(shared, "Trained forty staff.")
    evidence = add_file(u["focal_own"], report, FileStorage(io.BytesIO(PDF), filename="a.pdf"))
    services.save_report(u["focal_own"], report, data, submit=True)
    secret_report, data = state_report(secret, "ZX-CONF-REPORT achieved in secret.")
    services.save_report(u["focal_own"], secret_report, data, submit=True)
    draft = services.report_for(u["partner_own"], shared.reports_due[0])
    draft_data = services.ReportData(achievements="ZX-DRAFT-REPORT not yet sent.")
    services.save_report(u["partner_own"], draft, draft_data, submit=False)
    services.add_comment(u["civil"], report, "A public comment from civil society.", False)
    services.add_comment(u["civil"], report, "ZX-ORG-ONLY-COMMENT about reprisals.", True)
    services.review_report(u["reviewer"], report, Rating.LIMITED, "Some progress.")
    db.session.commit()
    w.ids.update(
        report_state=report.id,
        report_draft=draft.id,
        report_secret=secret_report.id,
        evidence=evidence.id,
        due_shared=shared.reports_due[0].id,
    )


def _practice(db, w: World, make: Factories, run, offer, visibility: Visibility) -> tuple:
    """A completed engagement and the State's good practice (a marker title if confidential)."""
    from tamatch.followup import services

    u = w.users
    secret = visibility == Visibility.CONFIDENTIAL
    need = make.need(title="Practice need", status=NeedStatus.MATCHED, visibility=visibility)
    _proposal_row, engagement = _engage(db, run, need, offer, u["focal_own"], u["partner_own"])
    services.record_outcome(u["organiser"], engagement, OutcomeKind.ACHIEVED, "Done well.")
    title = "ZX-CONF-PRACTICE" if secret else "A practice"
    practice = services.publish_good_practice(
        u["focal_own"], engagement, title, "Lessons learnt, told at some length here."
    )
    db.session.commit()
    return engagement.id, practice.id


def build_world(db) -> World:
    """Every object the matrix and the crawl need; commits."""
    from tamatch.api.tokens import create_token
    from tamatch.auth.services import issue_invitation
    from tamatch.followup.schedule import send_reminders
    from tamatch.rounds import services as round_services
    from tamatch.rounds.notify import tell_about_publication

    make = Factories(db)
    w = World(users=_users(make))
    u = w.users
    needs = _needs(make, u["focal_own"])
    offer = make.offer(organisation=u["partner_own"].organisation, title="Open offer")
    draft_offer = make.offer(
        organisation=u["partner_own"].organisation, status=OfferStatus.DRAFT, title="Draft offer"
    )
    match_round = make_round(db, u["organiser"])
    match_round.status = RoundStatus.PUBLISHED  # its run is published: answers are open
    run = SolveRun(round_id=match_round.id, status=RunStatus.DONE, published_at=utcnow())
    db.session.add(run)
    db.session.flush()
    pending = _proposal(db, run, needs["need_public"], offer)
    draft_proposal = _proposal(db, run, needs["need_members"], offer, ProposalStatus.DRAFT)
    conf_pending = _proposal(db, run, needs["need_conf"], offer, facts=FLAGGED)
    declined = _proposal(db, run, needs["need_conf_declined"], offer, facts=FLAGGED)
    tell_about_publication([pending, conf_pending, declined])
    _decline(db, declined, u["focal_own"])
    rule = round_services.set_pair_rule(
        u["organiser"],
        match_round,
        needs["need_members"],
        offer,
        kind=PairRuleKind.FORBID,
        reason="",
    )
    db.session.commit()
    shared_p, shared = _engage(
        db, run, needs["need_engaged"], offer, u["focal_own"], u["partner_own"]
    )
    _secret_p, secret = _engage(
        db, run, needs["need_conf_engaged"], offer, u["focal_own"], u["partner_own"]
    )
    w.ids.update({k: v.id for k, v in needs.items()})
    w.ids.update(
        offer=offer.id,
        offer_draft=draft_offer.id,
        round=match_round.id,
        run=run.id,
        proposal=pending.id,
        proposal_draft=draft_proposal.id,
        proposal_conf=conf_pending.id,
        proposal_declined=declined.id,
        proposal_engaged=shared_p.id,
        rule=rule.id,
        eng_shared=shared.id,
        eng_secret=secret.id,
        rec=needs["need_public"].recommendations[0].id,
        rec_conf=needs["need_conf"].recommendations[0].id,
        user_spare=u["spare"].id,
    )
    _followup(db, w, {"eng_shared": shared, "eng_secret": secret})
    offer = make.offer(organisation=u["partner_own"].organisation, title="Second offer")
    w.ids["eng_done"], w.ids["practice"] = _practice(db, w, make, run, offer, Visibility.MEMBERS)
    w.ids["eng_done_conf"], w.ids["practice_conf"] = _practice(
        db, w, make, run, offer, Visibility.CONFIDENTIAL
    )
    send_reminders(today=date(2099, 1, 1))
    w.tokens = {name: create_token(user, "probe", 90)[1] for name, user in u.items()}
    spare_token, _raw = create_token(u["focal_own"], "spare", 90)
    w.ids["token_spare"] = spare_token.id
    invited = make.user(role=Role.REVIEWER, password_hash=None)  # never set a password
    w.ids["user_invited"] = invited.id
    w.ids["invitation"] = issue_invitation(u["admin"], invited)
    db.session.commit()
    done_need = db.session.get(Engagement, w.ids["eng_done"]).need_id
    build_plan(db, make, w, {**w.ids, "need_done": done_need})
    return w


def fresh_user(db, user: User) -> User:
    """The user as the database has it now (a logout or a password change rotates tokens)."""
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.id == user.id))
