"""Each member State of a joint need answers every proposal on it (member_answer)

A joint need is matched as one: the engagement starts only when the partner, the lead State
and every member State accepted; one member's no declines the proposal. The lead answers on
the proposal itself, as any State does. Existing proposals gain no rows: a member that has not
answered is one whose answer is awaited.

Revision ID: 4a7e2c9d1b30
Revises: 9c4d2e6f1a70
Create Date: 2026-12-03 07:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "4a7e2c9d1b30"
down_revision = "9c4d2e6f1a70"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "member_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("state_id", sa.Integer(), nullable=False),
        sa.Column(
            "decision",
            sa.Enum(
                "pending",
                "accepted",
                "declined",
                name="member_decision",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("decision <> 'pending'", name=op.f("ck_member_answer_answered")),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_member_answer_decided_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposal.id"],
            name=op.f("fk_member_answer_proposal_id_proposal"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["state_id"], ["state.id"], name=op.f("fk_member_answer_state_id_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_answer")),
        sa.UniqueConstraint("proposal_id", "state_id", name=op.f("uq_member_answer_proposal_id")),
    )
    with op.batch_alter_table("member_answer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_answer_proposal_id"), ["proposal_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("member_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_answer_proposal_id"))
    op.drop_table("member_answer")
