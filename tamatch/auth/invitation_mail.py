"""The e-mail that carries a one-time link to choose a password (invitation or sign-in reset)."""

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from tamatch.i18n.locales import DEFAULT_LOCALE
from tamatch.models import OutboxMessage, User
from tamatch.notifications.services import send_mail, site_url


def invitation_link(token: str) -> str:
    """The absolute one-time link behind `token`, on PUBLIC_BASE_URL."""
    return site_url("auth.accept", token=token)


def mail_invitation(user: User, token: str) -> OutboxMessage:
    """E-mail `user` their one-time link, in their language; it goes through the outbox."""
    with force_locale(user.locale or DEFAULT_LOCALE):
        subject = _("Your invitation to tamatch")
        body = _(
            "Hello %(name)s,\n\nyou are invited to tamatch, the Item 10 voluntary platform of "
            "the Human Rights Council. Choose your password with this one-time link; it "
            "expires in %(days)s days:\n\n%(link)s\n\nIf you did not expect this e-mail, "
            "ignore it: nothing happens until the link is used.",
            name=user.name,
            days=current_app.config["INVITATION_DAYS"],
            link=invitation_link(token),
        )
    return send_mail(user.email, subject, body)
