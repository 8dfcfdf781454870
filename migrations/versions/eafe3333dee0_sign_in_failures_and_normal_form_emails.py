"""sign-in failures per e-mail and network; e-mail addresses in one normal form

Replaces the per-account lock (failed_logins, locked_until) with a growing wait per e-mail
and network (sign_in_failure). Puts every account's e-mail in its normal form, refusing to go
on when two accounts differ only in case, and adds the check that keeps it so. Voids the
unused invitation links of accounts that have a password (a link never replaces one).

Revision ID: eafe3333dee0
Revises: 3f3c375d75f7
Create Date: 2026-12-01 23:08:07.954349

"""
import unicodedata
from collections import defaultdict
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'eafe3333dee0'
down_revision = '3f3c375d75f7'
branch_labels = None
depends_on = None

user_account = sa.table(
    "user_account",
    sa.column("id", sa.Integer),
    sa.column("email", sa.String),
    sa.column("password_hash", sa.String),
)
invitation = sa.table(
    "invitation",
    sa.column("user_id", sa.Integer),
    sa.column("used_at", sa.DateTime(timezone=True)),
)


def normalise_email(email):
    """A copy of tamatch.models.account.normalise_email as it was when this was written."""
    return unicodedata.normalize("NFC", email.strip()).lower()


def _normalise_emails(connection):
    rows = connection.execute(
        sa.select(user_account.c.id, user_account.c.email).order_by(user_account.c.id)
    ).all()
    groups = defaultdict(list)
    for row in rows:
        groups[normalise_email(row.email)].append(row)
    conflicts = {key: group for key, group in groups.items() if len(group) > 1}
    if conflicts:
        lines = [
            f"  {key}: " + ", ".join(f"#{r.id} {r.email!r}" for r in group)
            for key, group in sorted(conflicts.items())
        ]
        raise RuntimeError(
            "Accounts whose e-mail addresses differ only in case or spaces; merge or rename "
            "them (one address per person), then run the upgrade again:\n" + "\n".join(lines)
        )
    for key, (row,) in groups.items():
        if row.email != key:
            connection.execute(
                user_account.update().where(user_account.c.id == row.id).values(email=key)
            )


def upgrade():
    connection = op.get_bind()
    _normalise_emails(connection)
    with_password = sa.select(user_account.c.id).where(user_account.c.password_hash.is_not(None))
    connection.execute(
        invitation.update()
        .where(invitation.c.used_at.is_(None), invitation.c.user_id.in_(with_password))
        .values(used_at=datetime.now(UTC))
    )
    op.create_table('sign_in_failure',
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('network', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('email = lower(trim(email))', name=op.f('ck_sign_in_failure_email_normal_form')),
    sa.CheckConstraint('failures > 0', name=op.f('ck_sign_in_failure_failures_positive')),
    sa.PrimaryKeyConstraint('email', 'network', name=op.f('pk_sign_in_failure'))
    )
    with op.batch_alter_table('sign_in_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_failure_last_failure_at'), ['last_failure_at'], unique=False)

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')
        batch_op.create_check_constraint(
            op.f('ck_user_account_email_normal_form'), 'email = lower(trim(email))'
        )


def downgrade():
    # The e-mail addresses stay in their normal form: nothing recorded what they were before.
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_account_email_normal_form'), type_='check')
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('sign_in_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_failure_last_failure_at'))

    op.drop_table('sign_in_failure')
