"""Shared column helpers: UTC timestamps and StrEnum columns."""

from datetime import UTC, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tamatch.database import Base


def link_table(
    name: str,
    owner: str,
    target: str,
    *,
    owner_column: str | None = None,
    column: str | None = None,
    index: bool = True,
) -> sa.Table:
    """A many-to-many table: rows vanish with their owner; the target side is indexed.

    link_table("need_theme", "need", "theme") has need_id -> need.id and theme_id -> theme.id.
    """
    return sa.Table(
        name,
        Base.metadata,
        sa.Column(
            owner_column or f"{owner}_id",
            sa.ForeignKey(f"{owner}.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            column or f"{target}_id", sa.ForeignKey(f"{target}.id"), primary_key=True, index=index
        ),
    )


def text_locale_column() -> Mapped[str | None]:
    """The language its author wrote a text in (an ISO 639-1 code; NULL: not known)."""
    return mapped_column(sa.String(8))


def utcnow() -> datetime:
    """Aware UTC now, the callable default of every timestamp."""
    return datetime.now(UTC)


def enum_column(enum_cls: type[StrEnum], name: str) -> sa.Enum:
    """A StrEnum stored as its value in a VARCHAR with a CHECK constraint (no native type)."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
    )


class UTCDateTime(sa.types.TypeDecorator):
    """Timezone-aware datetime stored as UTC; SQLite returns naive values, this makes them aware."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use tamatch.models.base.utcnow()")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value
