"""Most needs any assignment could serve, stored on each solve run

With "serve as many as possible first" the run's page reports the score gap at the coverage
reached, beside how many needs any assignment could serve at most (solve_run.needs_bound).
Runs made before have no such bound (NULL): their page says nothing about it.

Revision ID: 9c4d2e6f1a70
Revises: 9d4c1b7e2a60
Create Date: 2026-12-02 21:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "9c4d2e6f1a70"
down_revision = "9d4c1b7e2a60"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("solve_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("needs_bound", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("solve_run", schema=None) as batch_op:
        batch_op.drop_column("needs_bound")
