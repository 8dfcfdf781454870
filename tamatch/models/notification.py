"""In-app notifications and the record of outgoing e-mail."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tamatch.extensions import db
from tamatch.models.account import User
from tamatch.models.base import UTCDateTime, utcnow


class Notification(db.Model):
    """Something waiting for a user: a proposal to answer, a match agreed, a report due."""

    __tablename__ = "notification"
    __table_args__ = (sa.Index("ix_notification_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    link: Mapped[str] = mapped_column(sa.String(300), default="")
    # What the e-mail says (only what anyone may read); None: the same as `body`.
    mail_body: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When it went out by e-mail, alone or in a daily digest; None: the digest still owes it.
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class OutboxMessage(db.Model):
    """An e-mail the platform wrote; in development it stays here and is never sent."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254), index=True)
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent: Mapped[bool] = mapped_column(default=False)
