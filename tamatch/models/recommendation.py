"""Recommendations addressed to States by the human-rights mechanisms."""

from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tamatch.extensions import db
from tamatch.models.base import enum_column, link_table, text_locale_column
from tamatch.models.recommendation_search import install as install_search_index
from tamatch.models.reference import AffectedGroup, Mechanism, Sdg, SdgTarget, State, Theme


class Response(StrEnum):
    """The State's position on a recommendation, as its source gives it.

    The UPR knows two positions, supported and noted; a State may also support part of a
    recommendation ("Supported/Noted"), say it is already implemented, or (early cycles)
    reject it. Treaty-body and special-procedure recommendations have none (None). The text
    the source used is kept beside the code (`Recommendation.response_text`).
    """

    SUPPORTED = "supported"
    PARTIALLY_SUPPORTED = "partially_supported"
    NOTED = "noted"
    REJECTED = "rejected"
    IMPLEMENTED = "implemented"
    PENDING = "pending"


DATED_FILTERS = (
    "state_id",
    "mechanism_id",
    "body",
    "cycle",
    "session",
    "document_symbol",
    "paragraph",
    "response",
)

recommendation_theme = link_table("recommendation_theme", "recommendation", "theme")
recommendation_affected_group = link_table(
    "recommendation_affected_group", "recommendation", "affected_group"
)
recommendation_sdg = link_table("recommendation_sdg", "recommendation", "sdg")
recommendation_sdg_target = link_table("recommendation_sdg_target", "recommendation", "sdg_target")
recommendation_recommending_state = link_table(
    "recommendation_recommending_state",
    "recommendation",
    "state",
    column="recommending_state_id",
)


class Recommendation(db.Model):
    """One recommendation: who made it, to which State, its text, taxonomy and response."""

    __tablename__ = "recommendation"
    # Each filter of the list with the date it is ordered by: SQLite (which keeps no
    # statistics) then reads a filtered list newest first from the index, without sorting.
    __table_args__ = (
        sa.Index("ix_recommendation_state_mechanism", "state_id", "mechanism_id"),
        *(
            sa.Index(f"ix_recommendation_{column}_date", column, "issued_on")
            for column in DATED_FILTERS
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable key of the source record (symbol, paragraph, State); imports upsert on it.
    external_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    mechanism_id: Mapped[int] = mapped_column(sa.ForeignKey("mechanism.id"))
    body: Mapped[str] = mapped_column(sa.String(200))
    session: Mapped[str | None] = mapped_column(sa.String(60))
    cycle: Mapped[int | None] = mapped_column()
    # The document the recommendation is in ("A/HRC/40/6") and its paragraph ("28.164").
    document_symbol: Mapped[str | None] = mapped_column(sa.String(120))
    paragraph: Mapped[str | None] = mapped_column(sa.String(40))
    issued_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    state_id: Mapped[int] = mapped_column(sa.ForeignKey("state.id"))
    text: Mapped[str] = mapped_column(sa.Text)
    # The language of `text` as the source gave it; other languages of the source are kept in
    # `translations` (the UN's own versions, never a machine translation).
    text_locale: Mapped[str | None] = text_locale_column()
    response: Mapped[Response | None] = mapped_column(enum_column(Response, "response"))
    # The position as the source wrote it ("Accepted", "Supported/Noted"), and where it was
    # given ("A/HRC/40/6/Add.1 - Para. 2"); a text no code fits is kept here with no code.
    response_text: Mapped[str | None] = mapped_column(sa.String(200))
    response_source: Mapped[str | None] = mapped_column(sa.String(200))

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
    sdg_targets: Mapped[list[SdgTarget]] = relationship(
        secondary=recommendation_sdg_target, order_by="SdgTarget.id"
    )
    recommending_states: Mapped[list[State]] = relationship(
        secondary=recommendation_recommending_state
    )
    translations: Mapped[list["RecommendationText"]] = relationship(
        back_populates="recommendation",
        cascade="all, delete-orphan",
        order_by="RecommendationText.locale",
    )

    @property
    def reference(self) -> str:
        """The citation as the UN writes it, "A/HRC/40/6 para. 28.164", or the session."""
        if not self.document_symbol:
            place = self.session or self.body
            return f"{place}, para. {self.paragraph}" if self.paragraph else place
        if self.paragraph:
            return f"{self.document_symbol} para. {self.paragraph}"
        return self.document_symbol


class RecommendationText(db.Model):
    """The text of a recommendation in another language of its source (the UN's own version)."""

    __tablename__ = "recommendation_text"

    recommendation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recommendation.id", ondelete="CASCADE"), primary_key=True
    )
    locale: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    text: Mapped[str] = mapped_column(sa.Text)

    recommendation: Mapped[Recommendation] = relationship(back_populates="translations")


install_search_index(Recommendation.__table__)
