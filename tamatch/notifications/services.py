"""Telling people what waits for them: an in-app notification and an e-mail each.

E-mail goes through Flask-Mail only when MAIL_SEND is on (production); otherwise it is kept in
the outbox table, which admins read at /notifications/outbox, and never leaves the machine.
Links in e-mails are absolute, on PUBLIC_BASE_URL. A user who chose the daily digest gets no
e-mail per notification: `send_digests` (tamatch.daily) sends them one a day with all of them.
"""

import logging
from collections.abc import Iterable

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_mail import Message

from tamatch.extensions import db, mail
from tamatch.i18n.locales import DEFAULT_LOCALE
from tamatch.models import Notification, OutboxMessage, User
from tamatch.models.base import utcnow

log = logging.getLogger(__name__)


def notify(users: Iterable[User], subject, body, link: str = "", mail_body=None) -> int:
    """Add a notification and an e-mail for each active user; returns how many were told.

    `subject`, `body` and `mail_body` may be lazy strings (`lazy_gettext`): each recipient gets
    them in the language of their account (English when they chose none). `mail_body` replaces
    `body` in the e-mail: an e-mail leaves the platform, so it says only what anyone may read
    (tamatch/rounds/render.py renders it for no reader in particular).
    """
    count = 0
    for user in {u.id: u for u in users if u is not None and u.active}.values():
        with force_locale(user.locale or DEFAULT_LOCALE):
            subject_text, body_text = str(subject), str(body)
            mail_text = body_text if mail_body is None else str(mail_body)
        note = Notification(
            user_id=user.id,
            subject=subject_text,
            body=body_text,
            link=link,
            mail_body=None if mail_text == body_text else mail_text,
        )
        db.session.add(note)
        if not user.email_digest:
            send_mail(user.email, subject_text, f"{mail_text}\n\n{absolute_url(link)}".strip())
            note.emailed_at = utcnow()
        count += 1
    db.session.flush()
    return count


def absolute_url(link: str) -> str:
    """`link` made absolute on PUBLIC_BASE_URL when it is site-relative ("/rounds/…")."""
    if not link.startswith("/") or link.startswith("//"):
        return link
    return f"{current_app.config.get('PUBLIC_BASE_URL', '').rstrip('/')}{link}"


def site_url(endpoint: str, **values) -> str:
    """The absolute address of `endpoint`, in a request, a job or the CLI alike."""
    return absolute_url(current_app.url_map.bind("").build(endpoint, values))


def send_mail(recipient: str, subject: str, body: str) -> OutboxMessage:
    """Keep the message in the outbox, and send it when MAIL_SEND is on."""
    message = OutboxMessage(recipient=recipient, subject=subject, body=body)
    db.session.add(message)
    if current_app.config.get("MAIL_SEND"):
        try:
            mail.send(Message(subject=subject, recipients=[recipient], body=body))
            message.sent = True
        except OSError:  # a mail server being down must not undo the action itself
            log.exception("e-mail to a user could not be sent")
    return message


def unread_count(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def mark_read(user: User, notification_id: int | None = None) -> int:
    """Mark one notification (or all) of `user` read; returns how many changed."""
    stmt = sa.update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    return db.session.execute(stmt.values(read_at=utcnow())).rowcount
