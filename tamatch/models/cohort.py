"""Peer cohorts: a joint need of several States, led by one focal point of the posting State.

The need's own State leads (its focal point posts the need and invites the others); each other
State is a member whose focal points consent, or not, to the need opening. The need opens only
when every member has consented (tamatch/needs/cohort.py re-checks it under a row lock).
"""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tamatch.extensions import db
from tamatch.models.account import User
from tamatch.models.base import UTCDateTime, enum_column, utcnow
from tamatch.models.need import Need
from tamatch.models.reference import State
from tamatch.models.round import Decision, Proposal


class CohortConsent(StrEnum):
    """A member State's answer to the need opening."""

    INVITED = "invited"  # asked, not answered yet
    CONSENTED = "consented"
    DECLINED = "declined"


class NeedCohort(db.Model):
    """The States that post one need together; `lead` is the focal point who leads them."""

    __tablename__ = "need_cohort"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("need.id", ondelete="CASCADE"), unique=True)
    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    need: Mapped[Need] = relationship(back_populates="cohort")
    lead: Mapped[User] = relationship()
    members: Mapped[list["CohortMember"]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", order_by="CohortMember.id"
    )


class CohortMember(db.Model):
    """One member State of a cohort and its consent to the need opening."""

    __tablename__ = "cohort_member"
    __table_args__ = (
        sa.UniqueConstraint("cohort_id", "state_id"),
        # An answer has its author and time; an open invitation has neither.
        sa.CheckConstraint(
            "(consent = 'invited') = (answered_at IS NULL AND answered_by_id IS NULL)",
            name="answered_iff_not_invited",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(
        sa.ForeignKey("need_cohort.id", ondelete="CASCADE"), index=True
    )
    state_id: Mapped[int] = mapped_column(sa.ForeignKey("state.id"), index=True)
    consent: Mapped[CohortConsent] = mapped_column(
        enum_column(CohortConsent, "cohort_consent"), default=CohortConsent.INVITED
    )
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    cohort: Mapped[NeedCohort] = relationship(back_populates="members")
    state: Mapped[State] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])


class MemberAnswer(db.Model):
    """A member State's answer to a proposal on its joint need.

    The lead State answers on the proposal itself (`Proposal.state_decision`), as any State
    does; each member State answers here. The engagement starts only when the partner, the
    lead and every member accepted (tamatch/rounds/consent.py re-states it in the conditional
    UPDATE that starts it); one member declining declines the proposal. A row exists only once
    the State answered, and a State answers once.
    """

    __tablename__ = "member_answer"
    __table_args__ = (
        sa.UniqueConstraint("proposal_id", "state_id"),
        sa.CheckConstraint("decision <> 'pending'", name="answered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="CASCADE"), index=True
    )
    state_id: Mapped[int] = mapped_column(sa.ForeignKey("state.id"))
    decision: Mapped[Decision] = mapped_column(enum_column(Decision, "member_decision"))
    reason: Mapped[str] = mapped_column(sa.String(1000), default="")
    decided_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    proposal: Mapped[Proposal] = relationship()
    state: Mapped[State] = relationship()
    decided_by: Mapped[User] = relationship()
