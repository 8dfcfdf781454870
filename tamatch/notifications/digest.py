"""The daily digest: one e-mail a day to each user who chose it, with all their new notices."""

from itertools import groupby

import sqlalchemy as sa
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from tamatch.extensions import db
from tamatch.i18n.locales import DEFAULT_LOCALE
from tamatch.models import Notification, User
from tamatch.models.base import utcnow
from tamatch.notifications.services import absolute_url, send_mail


def send_digests() -> dict[str, int]:
    """E-mail each active digest user the notifications no e-mail has carried yet, in one
    message in their language, and mark them mailed. Safe to run twice: a notification goes
    into one digest only. Returns {"people": n, "notifications": n}."""
    owed = db.session.scalars(
        sa.select(Notification)
        .join(User, User.id == Notification.user_id)
        .where(Notification.emailed_at.is_(None), User.email_digest.is_(True), User.active)
        .order_by(Notification.user_id, Notification.created_at, Notification.id)
    ).all()
    people = notices = 0
    now = utcnow()
    for _user_id, group in groupby(owed, key=lambda note: note.user_id):
        notes = list(group)
        user = notes[0].user
        with force_locale(user.locale or DEFAULT_LOCALE):
            subject = ngettext(
                "Your tamatch digest: %(num)d notification",
                "Your tamatch digest: %(num)d notifications",
                len(notes),
            )
            send_mail(user.email, subject, _digest_body(notes))
        for note in notes:
            note.emailed_at = now
        people += 1
        notices += len(notes)
    db.session.flush()
    return {"people": people, "notifications": notices}


def _digest_body(notes: list[Notification]) -> str:
    parts = [_("What happened on tamatch since your last digest:")]
    for note in notes:
        text = note.body if note.mail_body is None else note.mail_body
        lines = [f"* {note.subject}", text, absolute_url(note.link) if note.link else ""]
        parts.append("\n".join(line for line in lines if line))
    parts.append(_("You chose one e-mail a day; change it on your account's e-mail page."))
    return "\n\n".join(parts)
