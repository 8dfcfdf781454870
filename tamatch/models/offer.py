"""Offers: support a partner organisation can give, with eligibility, capacity and budget."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tamatch.extensions import db
from tamatch.models.account import Organisation, User
from tamatch.models.base import UTCDateTime, enum_column, link_table, text_locale_column, utcnow
from tamatch.models.reference import Language, RegionalGroup, State, SupportKind, Theme


class OfferStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class Modality(StrEnum):
    REMOTE = "remote"
    IN_COUNTRY = "in_country"
    PEER_EXCHANGE = "peer_exchange"


offer_theme = link_table("offer_theme", "offer", "theme")
offer_support_kind = link_table("offer_support_kind", "offer", "support_kind")
offer_language = link_table("offer_language", "offer", "language")
offer_eligible_state = link_table("offer_eligible_state", "offer", "state")


class OfferEligibleGroup(db.Model):
    """A UN regional group whose States may receive an offer."""

    __tablename__ = "offer_eligible_group"

    offer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("offer.id", ondelete="CASCADE"), primary_key=True
    )
    regional_group: Mapped[RegionalGroup] = mapped_column(
        enum_column(RegionalGroup, "regional_group"), primary_key=True
    )


class Offer(db.Model):
    """What a partner can give. Eligible: everyone, or the union of groups, flags and States."""

    __tablename__ = "offer"
    __table_args__ = (
        sa.CheckConstraint("capacity >= 1", name="capacity_positive"),
        sa.CheckConstraint("budget >= 0 AND typical_cost >= 0", name="money_non_negative"),
        sa.CheckConstraint("window_end >= window_start", name="window_order"),
        # Engagements take capacity and budget with a conditional UPDATE; the database
        # itself refuses to go over.
        sa.CheckConstraint(
            "capacity_used >= 0 AND capacity_used <= capacity", name="capacity_not_exceeded"
        ),
        sa.CheckConstraint(
            "budget_used >= 0 AND budget_used <= budget", name="budget_not_exceeded"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text)
    text_locale: Mapped[str | None] = text_locale_column()  # of the title and description
    status: Mapped[OfferStatus] = mapped_column(
        enum_column(OfferStatus, "offer_status"), default=OfferStatus.DRAFT, index=True
    )
    modality: Mapped[Modality] = mapped_column(enum_column(Modality, "modality"))
    capacity: Mapped[int] = mapped_column()  # number of engagements
    budget: Mapped[int] = mapped_column()  # total, US dollars
    typical_cost: Mapped[int] = mapped_column()  # per engagement, US dollars
    capacity_used: Mapped[int] = mapped_column(default=0, server_default="0")
    budget_used: Mapped[int] = mapped_column(default=0, server_default="0")
    window_start: Mapped[date] = mapped_column(sa.Date)
    window_end: Mapped[date] = mapped_column(sa.Date)
    eligible_all: Mapped[bool] = mapped_column(default=True)
    eligible_ldc: Mapped[bool] = mapped_column(default=False)
    eligible_sids: Mapped[bool] = mapped_column(default=False)
    eligible_lldc: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User | None] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=offer_theme)
    support_kinds: Mapped[list[SupportKind]] = relationship(secondary=offer_support_kind)
    languages: Mapped[list[Language]] = relationship(secondary=offer_language)
    eligible_states: Mapped[list[State]] = relationship(secondary=offer_eligible_state)
    eligible_group_rows: Mapped[list[OfferEligibleGroup]] = relationship(
        cascade="all, delete-orphan"
    )

    @property
    def eligible_groups(self) -> list[RegionalGroup]:
        return [row.regional_group for row in self.eligible_group_rows]

    @eligible_groups.setter
    def eligible_groups(self, groups: list[RegionalGroup]) -> None:
        self.eligible_group_rows = [OfferEligibleGroup(regional_group=g) for g in groups]

    @property
    def remaining_capacity(self) -> int:
        return self.capacity - self.capacity_used

    @property
    def remaining_budget(self) -> int:
        return self.budget - self.budget_used

    def is_eligible(self, state: State, on: date | None = None) -> bool:
        """Whether a State may receive this offer on `on` (today by default: LDC status is
        dated)."""
        return (
            self.eligible_all
            or state.regional_group in self.eligible_groups
            or (self.eligible_ldc and state.is_ldc_on(on or utcnow().date()))
            or (self.eligible_sids and state.is_sids)
            or (self.eligible_lldc and state.is_lldc)
            or any(s.id == state.id for s in self.eligible_states)
        )
