"""Reference data: States, mechanisms, themes, affected persons, SDGs, kinds, languages."""

from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tamatch.extensions import db
from tamatch.models.base import enum_column


class RegionalGroup(StrEnum):
    """The five UN regional groups."""

    AFRICAN = "african"
    ASIA_PACIFIC = "asia_pacific"
    EASTERN_EUROPEAN = "eastern_european"
    GRULAC = "grulac"
    WEOG = "weog"


class MechanismKind(StrEnum):
    UPR = "upr"
    TREATY_BODY = "treaty_body"
    SPECIAL_PROCEDURE = "special_procedure"


class State(db.Model):
    """A UN member State."""

    __tablename__ = "state"

    id: Mapped[int] = mapped_column(primary_key=True)
    iso3: Mapped[str] = mapped_column(sa.String(3), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    regional_group: Mapped[RegionalGroup] = mapped_column(
        enum_column(RegionalGroup, "regional_group"), index=True
    )
    is_ldc: Mapped[bool] = mapped_column(default=False)
    is_sids: Mapped[bool] = mapped_column(default=False)
    is_lldc: Mapped[bool] = mapped_column(default=False)

    def __repr__(self) -> str:
        return f"<State {self.iso3}>"


class Mechanism(db.Model):
    """A human-rights mechanism: the UPR, a treaty body, or the special procedures."""

    __tablename__ = "mechanism"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[MechanismKind] = mapped_column(enum_column(MechanismKind, "mechanism_kind"))


class _CodedTerm:
    """Columns of a taxonomy term: a stable code and a display name."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))


class Theme(_CodedTerm, db.Model):
    """A theme of the Universal Human Rights Index taxonomy (a group of rights).

    `parent_code` is the broader theme it lies under (D23 under D2, D2 under D), by the rule of
    tamatch/taxonomy.py; None at the top level."""

    __tablename__ = "theme"
    __table_args__ = (sa.CheckConstraint("parent_code <> code", name="not_own_parent"),)

    parent_code: Mapped[str | None] = mapped_column(
        sa.String(40), sa.ForeignKey("theme.code", onupdate="CASCADE"), index=True
    )


class AffectedGroup(_CodedTerm, db.Model):
    """A group of affected persons (women, children, persons with disabilities, ...)."""

    __tablename__ = "affected_group"


class SupportKind(_CodedTerm, db.Model):
    """A kind of support: expert advice, training, peer exchange, ..."""

    __tablename__ = "support_kind"


class Language(_CodedTerm, db.Model):
    """A working language of a need or an offer (ISO 639-1 code)."""

    __tablename__ = "language"


class Sdg(db.Model):
    """A Sustainable Development Goal, 1 to 17."""

    __tablename__ = "sdg"
    __table_args__ = (sa.CheckConstraint("number BETWEEN 1 AND 17", name="number_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))

    @property
    def label(self) -> str:
        return f"SDG {self.number}: {self.name}"


class SdgTarget(db.Model):
    """One of the 169 SDG targets ("16.3"), which the Index links recommendations to."""

    __tablename__ = "sdg_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(6), unique=True)
    sdg_id: Mapped[int] = mapped_column(sa.ForeignKey("sdg.id"), index=True)
    title: Mapped[str] = mapped_column(sa.Text)

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}"
