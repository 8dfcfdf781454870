"""Recommendations addressed to States by the human-rights mechanisms."""

from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tamatch.extensions import db
from tamatch.models.base import enum_column, link_table
from tamatch.models.reference import AffectedGroup, Mechanism, Sdg, State, Theme


class Response(StrEnum):
    """The State's position on a recommendation."""

    SUPPORTED = "supported"
    NOTED = "noted"
    PENDING = "pending"


recommendation_theme = link_table("recommendation_theme", "recommendation", "theme")
recommendation_affected_group = link_table(
    "recommendation_affected_group", "recommendation", "affected_group"
)
recommendation_sdg = link_table("recommendation_sdg", "recommendation", "sdg")
recommendation_recommending_state = link_table(
    "recommendation_recommending_state",
    "recommendation",
    "state",
    column="recommending_state_id",
)


class Recommendation(db.Model):
    """One recommendation: who made it, to which State, its text, taxonomy and response."""

    __tablename__ = "recommendation"
    __table_args__ = (sa.Index("ix_recommendation_state_mechanism", "state_id", "mechanism_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable key of the source record (symbol, paragraph, State); imports upsert on it.
    external_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    mechanism_id: Mapped[int] = mapped_column(sa.ForeignKey("mechanism.id"), index=True)
    body: Mapped[str] = mapped_column(sa.String(200))
    session: Mapped[str | None] = mapped_column(sa.String(60))
    cycle: Mapped[int | None] = mapped_column()
    document_symbol: Mapped[str | None] = mapped_column(sa.String(120))
    paragraph: Mapped[str | None] = mapped_column(sa.String(40))
    issued_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    state_id: Mapped[int] = mapped_column(sa.ForeignKey("state.id"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    response: Mapped[Response] = mapped_column(
        enum_column(Response, "response"), default=Response.PENDING, index=True
    )

    # The latest status a submitted State report gave it (None: never reported).
    implementation_status: Mapped[str | None] = mapped_column(sa.String(30))
    implementation_reported_at: Mapped[date | None] = mapped_column(sa.Date)

    mechanism: Mapped[Mechanism] = relationship()
    state: Mapped[State] = relationship(foreign_keys=[state_id])
    themes: Mapped[list[Theme]] = relationship(secondary=recommendation_theme)
    affected_groups: Mapped[list[AffectedGroup]] = relationship(
        secondary=recommendation_affected_group
    )
    sdgs: Mapped[list[Sdg]] = relationship(secondary=recommendation_sdg)
    recommending_states: Mapped[list[State]] = relationship(
        secondary=recommendation_recommending_state
    )

    @property
    def reference(self) -> str:
        """Short citation, e.g. "A/HRC/28/15 para. 115.1"."""
        parts = [self.document_symbol or self.body]
        if self.paragraph:
            parts.append(f"para. {self.paragraph}")
        return " ".join(parts)
