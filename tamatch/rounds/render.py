"""Words for facts: explanations, unmatched reasons and answers, rendered for one reader.

The solver and the services store facts (codes and ids, solver/explain.py); this module turns
them into sentences at display time, in the reader's language, with what the reader may not
see masked: a need's State, its flags and region, its title and text, and the State's reasons,
for anyone `can_see_need` refuses. Pages, the API, exports and notifications all call it.

Every function takes the reader first (`None` is nobody in particular, who reads what the public
reads: an e-mail, which leaves the platform, is written for `None`) and never raises on an
unknown code or id.
"""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import sqlalchemy as sa
from babel.lists import format_list
from flask import g, has_app_context
from flask_babel import format_date, get_locale, ngettext
from flask_babel import gettext as _

from tamatch.auth.permissions import can_see_need, is_organiser, is_own_organisation_partner
from tamatch.extensions import db
from tamatch.i18n.content import isolated
from tamatch.i18n.names import current_language, state_name_in, term_name
from tamatch.models import (
    Decision,
    Language,
    Mechanism,
    MemberAnswer,
    Need,
    Proposal,
    RunOutcome,
    Side,
    State,
    SupportKind,
    Theme,
    User,
    Visibility,
)
from tamatch.rounds.weights_view import run_weights

_FLAGS = {
    "ldc": lambda state: _("%(state)s is a least developed country", state=state),
    "sids": lambda state: _("%(state)s is a small island developing State", state=state),
    "lldc": lambda state: _("%(state)s is a landlocked developing country", state=state),
}
_PRIORITY = {1: lambda: _("low"), 2: lambda: _("normal"), 3: lambda: _("high")}
_UNMATCHED = {
    "no_eligible_offer": lambda: _("No offer in this round is eligible for this need."),
    "taken_by_higher_scoring": lambda: _(
        "Its eligible offers were used up (capacity or budget) by matches scoring higher overall."
    ),
    "state_cap_reached": lambda: _("Its State already has the most matches allowed."),
}
# The hard rules, as short clauses ("No offer fits: <rule>"), masked where they name the State.
_RULES = {
    "not_open_to_state": lambda: _("the offers are not open to its State"),
    "no_shared_kind": lambda: _("no shared kind of support"),
    "no_shared_language": lambda: _("no shared language"),
    "no_date_overlap": lambda: _("the dates do not overlap"),
    "over_budget": lambda: _("outside the offer's budget"),
}


# --- who may read what ---------------------------------------------------------------------


def entitled(reader: User | None, need: Need) -> bool:
    """Whether `reader` may read the confidential parts of what is said about `need`: the one
    rule, `can_see_need`."""
    return can_see_need(reader, need)


def need_label(reader: User | None, need: Need) -> str:
    """The need's title for a reader who may see it; for anyone else, what kind of need it is."""
    if entitled(reader, need):
        return need.title
    if need.visibility == Visibility.CONFIDENTIAL:
        return _("a confidential need")
    return _("a need (sign in to read it)")


def need_phrase(reader: User | None, need: Need) -> str:
    """The need as a sentence names it: "the need “Title”", or need_label's mask."""
    if entitled(reader, need):
        return _("the need “%(title)s”", title=isolated(need.title))
    return need_label(reader, need)


def state_label(reader: User | None, need: Need) -> str:
    """The need's State by name for a reader who may see the need, "the State" otherwise."""
    return need.state.name if entitled(reader, need) else _("the State")


def decision_reason(reader: User | None, proposal: Proposal, side: Side) -> str:
    """The reason `side` gave for its answer, or "" when the reader may not read it.

    The State's reason is the need's text: for the need's readers. The partner's reason is also
    for the partner itself and the organisers.
    """
    reason = proposal.state_reason if side == Side.STATE else proposal.partner_reason
    if side == Side.STATE and not reason:
        reason = _member_decline_reason(proposal)
    if not reason or entitled(reader, proposal.need):
        return reason or ""
    if side == Side.PARTNER and (
        is_organiser(reader) or is_own_organisation_partner(reader, proposal.offer)
    ):
        return reason
    return ""


def _member_decline_reason(proposal: Proposal) -> str:
    """On a joint need, the reason of the member State whose no declined the proposal."""
    if proposal.need.cohort is None:
        return ""
    return (
        db.session.scalar(
            sa.select(MemberAnswer.reason).where(
                MemberAnswer.proposal_id == proposal.id,
                MemberAnswer.decision == Decision.DECLINED,
            )
        )
        or ""
    )


# --- explanations ----------------------------------------------------------------------------


def explanation(reader: User | None, outcome: RunOutcome) -> list[str]:
    """ "Why this match": one sentence per score component with points, then the total."""
    if outcome.offer_id is None:
        return []
    shown = entitled(reader, outcome.need)
    facts = [f for f in _facts(outcome.explanation) if f["points"]]
    lines = [_component(f, shown) for f in facts if shown or f["code"] != "status"]
    hidden = sum(f["points"] for f in facts if f["code"] == "status")
    if hidden and not shown:
        lines.append(_("The State's development status: +%(points)s", points=hidden))
    lines.append(_("Total: %(points)s", points=outcome.score or 0))
    return lines


def unmatched(reader: User | None, outcome: RunOutcome) -> list[str]:
    """Why a need that entered a run got no offer: the rules the offers break, or the reason."""
    if outcome.offer_id is not None:
        return []
    shown = entitled(reader, outcome.need)
    lines = [_unserved(f, shown) for f in _facts(outcome.reasons)]
    if lines:
        return lines
    words = _UNMATCHED.get(outcome.reason_code, _UNMATCHED["no_eligible_offer"])
    return [words()]


def _facts(stored: Any) -> list[dict[str, Any]]:
    """Stored facts, each with a code, points and args (anything else is skipped)."""
    out = []
    for fact in stored if isinstance(stored, list) else ():
        if isinstance(fact, Mapping) and isinstance(fact.get("code"), str):
            args = fact.get("args")
            points = fact.get("points")
            out.append(
                {
                    "code": fact["code"],
                    "points": points if isinstance(points, int) else 0,
                    "args": args if isinstance(args, Mapping) else {},
                }
            )
    return out


def _component(fact: dict[str, Any], shown: bool) -> str:
    render = _COMPONENTS.get(fact["code"])
    if render is None:
        return _("Other: +%(points)s", points=fact["points"])
    return render(fact["args"], fact["points"], shown)


def _priority(args: Mapping, points: int, shown: bool) -> str:
    level = _PRIORITY.get(_int(args.get("level")), _PRIORITY[2])()
    return _("The State gives this need %(level)s priority: +%(points)s", level=level,
             points=points)  # fmt: skip


def _status(args: Mapping, points: int, shown: bool) -> str:
    if args.get("flag") == "ldc_graduated" and shown:
        graduated = _day(args.get("graduated_on"))
        if graduated is not None:
            return _("%(state)s graduated from LDC status on %(date)s: +%(points)s",
                     state=_name(State, "iso3", args.get("state")),
                     date=format_date(graduated, "medium"), points=points)  # fmt: skip
    flag = _FLAGS.get(str(args.get("flag")))
    if flag is None or not shown:
        return _("The State's development status: +%(points)s", points=points)
    state = _name(State, "iso3", args.get("state"))
    return _("%(fact)s: +%(points)s", fact=flag(state), points=points)


def _day(value: Any) -> date | None:
    """A stored ISO date, or None when it is missing or malformed (never raises)."""
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _south(args: Mapping, points: int, shown: bool) -> str:
    provider = _name(State, "iso3", args.get("provider"))
    return _("South-South exchange with %(state)s: +%(points)s", state=provider, points=points)


def _urgency(args: Mapping, points: int, shown: bool) -> str:
    return ngettext("Wanted within %(num)s day: +%(points)s",
                    "Wanted within %(num)s days: +%(points)s", _int(args.get("days")),
                    points=points)  # fmt: skip


def _mechanisms(args: Mapping, points: int, shown: bool) -> str:
    """The mechanisms behind a need name its recommendations: for the need's readers only."""
    mechanisms = _codes(args.get("mechanisms"))
    if not shown:
        return ngettext("Backed by %(num)s mechanism: +%(points)s",
                        "Backed by %(num)s mechanisms: +%(points)s", len(mechanisms),
                        points=points)  # fmt: skip
    names = _list(_names(Mechanism, "code", mechanisms))
    return ngettext("Backed by %(num)s mechanism (%(names)s): +%(points)s",
                    "Backed by %(num)s mechanisms (%(names)s): +%(points)s", len(mechanisms),
                    names=names, points=points)  # fmt: skip


def _theme(args: Mapping, points: int, shown: bool) -> str:
    shared, of = _codes(args.get("shared")), _int(args.get("of"))
    text = ngettext("Shares %(count)s of %(num)s theme", "Shares %(count)s of %(num)s themes",
                    of, count=len(shared))  # fmt: skip
    return _with_names(text, _names(Theme, "code", shared), points)


def _related_theme(args: Mapping, points: int, shown: bool) -> str:
    """A need theme met by a broader or narrower offer theme (D2 and D23)."""
    need_theme, offer_theme = (_names(Theme, "code", [str(args.get(k) or "")])[0] or _("a theme")
                               for k in ("need_theme", "offer_theme"))  # fmt: skip
    return _("%(need_theme)s: same group of rights as %(offer_theme)s: +%(points)s",
             need_theme=need_theme, offer_theme=offer_theme, points=points)  # fmt: skip


def _kind(args: Mapping, points: int, shown: bool) -> str:
    shared, of = _codes(args.get("shared")), _int(args.get("of"))
    text = ngettext("Shares %(count)s of %(num)s kind of support asked for",
                    "Shares %(count)s of %(num)s kinds of support asked for", of,
                    count=len(shared))  # fmt: skip
    return _with_names(text, _names(SupportKind, "code", shared), points)


def _with_names(text: str, names: list[str], points: int) -> str:
    if names:
        return _("%(text)s (%(names)s): +%(points)s", text=text, names=_list(names),
                 points=points)  # fmt: skip
    return _("%(text)s: +%(points)s", text=text, points=points)


def _interest(args: Mapping, points: int, shown: bool) -> str:
    """The partner's interest marked before the round (tamatch/interests)."""
    if _int(args.get("level")) >= 2:
        return _("The partner asked to support this need (very interested): +%(points)s",
                 points=points)  # fmt: skip
    return _("The partner asked to support this need: +%(points)s", points=points)


_COMPONENTS = {
    "theme": _theme,
    "related_theme": _related_theme,
    "kind": _kind,
    "priority": _priority,
    "status": _status,
    "south_south": _south,
    "urgency": _urgency,
    "mechanism": _mechanisms,
    "partner_interest": _interest,
}


def _unserved(fact: dict[str, Any], shown: bool) -> str:
    code, args = fact["code"], fact["args"]
    total = _int(args.get("total"))
    rule = _RULES.get(str(args.get("rule")), lambda: _("another rule"))()
    if code == "no_open_offer":
        return _("No offer is open in this round.")
    if code == "no_offer_in_language":
        names = _list(_names(Language, "code", _codes(args.get("languages"))), "or")
        return _("No offer in %(languages)s.", languages=names or _("its languages"))
    if code == "every_offer_breaks":
        return ngettext("No offer fits: %(rule)s (the only offer).",
                        "No offer fits: %(rule)s (all %(num)s offers).", total,
                        rule=rule)  # fmt: skip
    if code == "some_offers_break":
        return ngettext("%(count)s of %(num)s offer: %(rule)s.",
                        "%(count)s of %(num)s offers: %(rule)s.", total,
                        count=_int(args.get("count")), rule=rule)  # fmt: skip
    return _UNMATCHED["no_eligible_offer"]()


# --- names of ids and codes, looked up once per request -----------------------------------


def _names(model, key: str, codes: Iterable[str]) -> list[str]:
    """The names of reference rows (themes, kinds of support, States...) in the reader's
    language: the database keeps the English one."""
    table = _lexicon(model, key)
    if model is State:
        language = current_language()
        return [state_name_in(code, language, table.get(code, code)) for code in codes]
    return [term_name(table[code]) if code in table else code for code in codes]


def _name(model, key: str, code: Any) -> str:
    return _names(model, key, [str(code)])[0] if code else _("the State")


def _lexicon(model, key: str) -> dict[str, str]:
    """Code -> display name for a reference table, cached on the request (or app) context."""
    cache = g.setdefault("render_lexicon", {}) if has_app_context() else {}
    name = f"{model.__name__}.{key}"
    if name not in cache:
        column = getattr(model, key)
        rows = db.session.execute(sa.select(column, model.name))
        cache[name] = {str(code): display for code, display in rows}
    return cache[name]


def _codes(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _int(value: Any) -> int:
    return value if isinstance(value, int) else 0


def _list(names: list[str], style: str = "standard") -> str:
    if not names:
        return ""
    return format_list(sorted(names), style=style, locale=get_locale() or "en")


# The renderers templates call, with the reader first: explanation_lines(current_user, outcome).
TEMPLATE_FUNCTIONS = {
    "run_weights": run_weights,
    "explanation_lines": explanation,
    "unmatched_lines": unmatched,
    "decision_reason": decision_reason,
    "need_label": need_label,
    "need_phrase": need_phrase,
}
