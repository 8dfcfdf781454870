"""Reference data: States, mechanisms, themes, affected persons, SDGs, kinds, languages."""

from datetime import date
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


class Membership(StrEnum):
    """A State's standing at the United Nations: a member State, or a non-member observer State
    (the State of Palestine, the Holy See), which recommends in the UPR and is reviewed by the
    treaty bodies it is party to, but is not reviewed in the UPR and sits in no regional group."""

    MEMBER = "member"
    OBSERVER = "observer"


def receives_from(membership: Membership, mechanism: "MechanismKind") -> bool:
    """Whether a State of this standing can be addressed by recommendations of this kind of
    mechanism: the UPR reviews the UN member States only; treaty bodies review their States
    parties and special procedures report on any State, observers included."""
    return membership == Membership.MEMBER or mechanism != MechanismKind.UPR


def years_before(on: date, years: int) -> date:
    """The same day `years` years before `on` (28 February for a 29 February)."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


class MechanismKind(StrEnum):
    UPR = "upr"
    TREATY_BODY = "treaty_body"
    SPECIAL_PROCEDURE = "special_procedure"


class State(db.Model):
    """A UN member State or non-member observer State.

    LDC status is a dated fact, never a stored flag: `ldc_listed` says the State is or was on the
    UN list of least developed countries, `ldc_graduation_on` the day the General Assembly set
    for it to leave the list (past: it graduated; future: it is scheduled to). `is_ldc_on(day)`
    and its SQL mirror `ldc_on(day)` are the one rule every page, count and solve uses.
    """

    __tablename__ = "state"
    __table_args__ = (
        sa.CheckConstraint(
            "membership = 'observer' OR regional_group IS NOT NULL", name="member_has_group"
        ),
        sa.CheckConstraint("ldc_graduation_on IS NULL OR ldc_listed", name="graduation_of_ldc"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    iso3: Mapped[str] = mapped_column(sa.String(3), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    membership: Mapped[Membership] = mapped_column(
        enum_column(Membership, "membership"), default=Membership.MEMBER
    )
    regional_group: Mapped[RegionalGroup | None] = mapped_column(
        enum_column(RegionalGroup, "regional_group"), index=True
    )
    ldc_listed: Mapped[bool] = mapped_column(default=False)
    ldc_graduation_on: Mapped[date | None]
    is_sids: Mapped[bool] = mapped_column(default=False)
    is_lldc: Mapped[bool] = mapped_column(default=False)

    def __repr__(self) -> str:
        return f"<State {self.iso3}>"

    @property
    def is_observer(self) -> bool:
        return self.membership == Membership.OBSERVER

    def is_ldc_on(self, day: date) -> bool:
        """Whether the State is a least developed country on `day` (SQL mirror: `ldc_on`)."""
        return self.ldc_listed and (self.ldc_graduation_on is None or self.ldc_graduation_on > day)

    @classmethod
    def ldc_on(cls, day: date) -> sa.ColumnElement[bool]:
        """SQL mirror of `is_ldc_on`."""
        return sa.and_(
            cls.ldc_listed, sa.or_(cls.ldc_graduation_on.is_(None), cls.ldc_graduation_on > day)
        )

    def graduated_within(self, day: date, years: int) -> bool:
        """Whether the State left the LDC list in the `years` years up to `day` (graduated after
        the same day `years` years before, and on or before `day`). SQL mirror:
        `graduated_within_clause`."""
        grad = self.ldc_graduation_on
        return grad is not None and years_before(day, years) < grad <= day

    @classmethod
    def graduated_within_clause(cls, day: date, years: int) -> sa.ColumnElement[bool]:
        """SQL mirror of `graduated_within`."""
        return sa.and_(
            cls.ldc_graduation_on > years_before(day, years), cls.ldc_graduation_on <= day
        )


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
