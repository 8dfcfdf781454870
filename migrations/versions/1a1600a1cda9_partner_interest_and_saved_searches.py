"""Partners' interest in open needs, saved needs searches and their alerts

interest: a partner asks to support an open need with one of its offers (level 1 interested,
2 very interested), unique per (offer, need); the solver adds it to the pair's score.
saved_search: a user's named needs-list filters. search_alert: a search's owner was told of a
need, once per need per search (its primary key).

Revision ID: 1a1600a1cda9
Revises: 4b8e2f6c1d93
Create Date: 2026-12-03 06:37:52.607637

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "1a1600a1cda9"
down_revision = "4b8e2f6c1d93"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "saved_search",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_saved_search_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_search")),
        sa.UniqueConstraint("user_id", "name", name=op.f("uq_saved_search_user_id")),
    )
    with op.batch_alter_table("saved_search", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_saved_search_user_id"), ["user_id"], unique=False)

    op.create_table(
        "interest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("level BETWEEN 1 AND 2", name=op.f("ck_interest_level_range")),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_interest_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["need_id"], ["need.id"], name=op.f("fk_interest_need_id_need"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offer.id"], name=op.f("fk_interest_offer_id_offer"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interest")),
        sa.UniqueConstraint("offer_id", "need_id", name=op.f("uq_interest_offer_id")),
    )
    with op.batch_alter_table("interest", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interest_need_id"), ["need_id"], unique=False)

    op.create_table(
        "search_alert",
        sa.Column("saved_search_id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["need_id"], ["need.id"], name=op.f("fk_search_alert_need_id_need"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["saved_search_id"],
            ["saved_search.id"],
            name=op.f("fk_search_alert_saved_search_id_saved_search"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("saved_search_id", "need_id", name=op.f("pk_search_alert")),
    )
    with op.batch_alter_table("search_alert", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_alert_need_id"), ["need_id"], unique=False)


def downgrade():
    with op.batch_alter_table("search_alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_alert_need_id"))

    op.drop_table("search_alert")
    with op.batch_alter_table("interest", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interest_need_id"))

    op.drop_table("interest")
    with op.batch_alter_table("saved_search", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saved_search_user_id"))

    op.drop_table("saved_search")
