"""What partners follow before a round: interest in open needs, and saved needs searches."""

from datetime import datetime
from enum import IntEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tamatch.extensions import db
from tamatch.models.account import User
from tamatch.models.base import UTCDateTime, utcnow
from tamatch.models.need import Need
from tamatch.models.offer import Offer


class InterestLevel(IntEnum):
    """How much a partner wants to support a need with an offer (its bid, in OpenReview's words)."""

    INTERESTED = 1
    VERY_INTERESTED = 2


class Interest(db.Model):
    """A partner asked to support an open need with one of its offers; the solver adds it to
    the pair's score. One row per (offer, need); withdrawing deletes it."""

    __tablename__ = "interest"
    __table_args__ = (
        sa.UniqueConstraint("offer_id", "need_id"),
        sa.CheckConstraint("level BETWEEN 1 AND 2", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offer.id", ondelete="CASCADE"))
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("need.id", ondelete="CASCADE"), index=True)
    level: Mapped[int] = mapped_column(default=int(InterestLevel.INTERESTED))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    offer: Mapped[Offer] = relationship()
    need: Mapped[Need] = relationship()
    created_by: Mapped[User | None] = relationship()


class SavedSearch(db.Model):
    """A needs-list search a user keeps, with its filters as `NeedFilters.to_json()`; the user
    is told when a need that fits it opens (tamatch/interests/alerts.py)."""

    __tablename__ = "saved_search"
    __table_args__ = (sa.UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(100))
    filters: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class SearchAlert(db.Model):
    """A saved search's owner was told of a need: at most once per need per search."""

    __tablename__ = "search_alert"

    saved_search_id: Mapped[int] = mapped_column(
        sa.ForeignKey("saved_search.id", ondelete="CASCADE"), primary_key=True
    )
    need_id: Mapped[int] = mapped_column(
        sa.ForeignKey("need.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
