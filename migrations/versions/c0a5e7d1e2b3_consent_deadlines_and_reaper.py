"""consent holds: one active engagement per need, answer deadlines, lapse reasons, run workers

Revision ID: c0a5e7d1e2b3
Revises: acc279bc60b3
Create Date: 2026-12-02 07:30:00

"""
from datetime import datetime, timedelta

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c0a5e7d1e2b3'
down_revision = 'acc279bc60b3'
branch_labels = None
depends_on = None

ACTIVE = sa.text("status = 'active'")


def upgrade():
    connection = op.get_bind()
    doubled = connection.execute(
        sa.text(
            "SELECT need_id FROM engagement WHERE status = 'active' "
            "GROUP BY need_id HAVING COUNT(*) > 1"
        )
    ).scalars().all()
    if doubled:
        raise RuntimeError(
            "These needs have more than one active engagement; cancel or complete all but one "
            f"before upgrading: {', '.join(str(n) for n in doubled)}"
        )
    with op.batch_alter_table('solve_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answers_due', sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column('worker', sa.String(length=200), server_default='', nullable=False)
        )
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('lapse_reason', sa.String(length=20), server_default='', nullable=False)
        )
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('engagement', schema=None) as batch_op:
        batch_op.create_index(
            'uq_engagement_active_need',
            ['need_id'],
            unique=True,
            sqlite_where=ACTIVE,
            postgresql_where=ACTIVE,
        )
    # Runs published before deadlines existed get the default 14 days from their publication.
    runs = sa.table(
        'solve_run',
        sa.column('id', sa.Integer),
        sa.column('published_at', sa.DateTime(timezone=True)),
        sa.column('answers_due', sa.Date),
    )
    for run_id, published_at in connection.execute(
        sa.select(runs.c.id, runs.c.published_at).where(runs.c.published_at.is_not(None))
    ).all():
        if isinstance(published_at, str):  # SQLite hands back text
            published_at = datetime.fromisoformat(published_at)
        connection.execute(
            runs.update()
            .where(runs.c.id == run_id)
            .values(answers_due=(published_at + timedelta(days=14)).date())
        )


def downgrade():
    with op.batch_alter_table('engagement', schema=None) as batch_op:
        batch_op.drop_index('uq_engagement_active_need')
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_column('reminded_at')
        batch_op.drop_column('lapse_reason')
    with op.batch_alter_table('solve_run', schema=None) as batch_op:
        batch_op.drop_column('worker')
        batch_op.drop_column('answers_due')
