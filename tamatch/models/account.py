"""Organisations, user accounts and invitations."""

import secrets
import unicodedata
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from tamatch.extensions import db
from tamatch.models.base import UTCDateTime, enum_column, utcnow
from tamatch.models.reference import State


class Role(StrEnum):
    FOCAL_POINT = "focal_point"
    PARTNER = "partner"
    ORGANISER = "organiser"
    REVIEWER = "reviewer"
    CIVIL_SOCIETY = "civil_society"
    ADMIN = "admin"


class OrganisationKind(StrEnum):
    UN_ENTITY = "un_entity"
    DONOR_AGENCY = "donor_agency"
    PEER_STATE = "peer_state"
    REGIONAL_ORGANISATION = "regional_organisation"
    FUND = "fund"
    CIVIL_SOCIETY = "civil_society"
    NHRI = "nhri"


PARTNER_KINDS = frozenset(
    {
        OrganisationKind.UN_ENTITY,
        OrganisationKind.DONOR_AGENCY,
        OrganisationKind.PEER_STATE,
        OrganisationKind.REGIONAL_ORGANISATION,
        OrganisationKind.FUND,
    }
)
DOMESTIC_KINDS = frozenset({OrganisationKind.CIVIL_SOCIETY, OrganisationKind.NHRI})


def normalise_email(email: str) -> str:
    """The one form in which the platform stores and compares an e-mail address.

    Surrounding white space goes, the text is put in Unicode NFC and lower-cased, local part
    and domain alike (no mail system in use tells "Ana@" from "ana@"). `str.lower`, not
    `casefold`: casefold turns "ß" into "ss", which may name another mailbox.

    >>> normalise_email("  Ana.Lopez@Gov.EXAMPLE ")
    'ana.lopez@gov.example'
    """
    return unicodedata.normalize("NFC", email.strip()).lower()


class Organisation(db.Model):
    """A partner organisation, or a civil-society organisation / NHRI in one State."""

    __tablename__ = "organisation"
    __table_args__ = (
        sa.CheckConstraint(
            "kind NOT IN ('peer_state', 'civil_society', 'nhri') OR state_id IS NOT NULL",
            name="state_required",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(
        enum_column(OrganisationKind, "organisation_kind")
    )
    # The State of a peer-State partner (South-South exchange) or of a CSO / NHRI.
    state_id: Mapped[int | None] = mapped_column(sa.ForeignKey("state.id"), index=True)
    state: Mapped[State | None] = relationship()

    @property
    def is_partner(self) -> bool:
        return self.kind in PARTNER_KINDS


class User(UserMixin, db.Model):
    """A person with an account; the role decides what they see and do."""

    __tablename__ = "user_account"
    __table_args__ = (
        sa.CheckConstraint(
            "role NOT IN ('focal_point') OR state_id IS NOT NULL", name="focal_point_state"
        ),
        sa.CheckConstraint(
            "role NOT IN ('partner', 'civil_society') OR organisation_id IS NOT NULL",
            name="member_organisation",
        ),
        # With the unique e-mail, two accounts cannot differ only in case, whoever writes.
        sa.CheckConstraint("email = lower(trim(email))", name="email_normal_form"),
        # The interface language the person chose (NULL: the browser's preference).
        sa.CheckConstraint(
            "locale IS NULL OR locale IN ('ar', 'zh', 'en', 'fr', 'ru', 'es')", name="ui_locale"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"), index=True)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    state_id: Mapped[int | None] = mapped_column(sa.ForeignKey("state.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id"), index=True
    )
    active: Mapped[bool] = mapped_column(default=True)
    # Flask-Login keeps this in the session instead of the primary key: rotating it on
    # logout (or password change, or disabling) makes every copied cookie worthless.
    session_token: Mapped[str] = mapped_column(
        sa.String(64), unique=True, default=lambda: secrets.token_urlsafe(32)
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Two-factor sign-in (TOTP, RFC 6238); required for admins, organisers and reviewers.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_enabled: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    # E-mail for each notification as it comes (False) or one daily digest of them (True).
    email_digest: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    state: Mapped[State | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    @validates("email")
    def _normalise_email(self, _key: str, email: str) -> str:
        return normalise_email(email)

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def rotate_session_token(self) -> None:
        self.session_token = secrets.token_urlsafe(32)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class Invitation(db.Model):
    """A one-time, expiring link that lets an invited person set their password."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the token: the database never holds a usable link.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])


class SignInFailure(db.Model):
    """Recent failed sign-ins with one e-mail address from one network (tamatch.auth.throttle).

    Keyed by the typed address, known or not, so that the answers tell nothing about accounts;
    by network, so that a stranger's guesses never delay the owner signing in elsewhere.
    """

    __tablename__ = "sign_in_failure"
    __table_args__ = (
        sa.CheckConstraint("failures > 0", name="failures_positive"),
        sa.CheckConstraint("email = lower(trim(email))", name="email_normal_form"),
    )

    email: Mapped[str] = mapped_column(sa.String(254), primary_key=True)
    network: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    failures: Mapped[int] = mapped_column()
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
