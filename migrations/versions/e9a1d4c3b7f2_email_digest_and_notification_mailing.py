"""E-mail digest choice per account; each notification's e-mail text and when it was mailed

Revision ID: e9a1d4c3b7f2
Revises: 7c3a1e5d9b20
Create Date: 2026-12-02 21:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "e9a1d4c3b7f2"
down_revision = "7c3a1e5d9b20"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("email_digest", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mail_body", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True))
    # Every notification made before this revision was e-mailed at once: no digest owes it.
    op.execute("UPDATE notification SET emailed_at = created_at")


def downgrade():
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_column("emailed_at")
        batch_op.drop_column("mail_body")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("email_digest")
