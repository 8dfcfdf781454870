"""The language each text is written in; recommendation texts in the other languages of their source

Needs, offers, measures, progress reports and comments learn the language their author wrote
them in (an ISO 639-1 code, NULL where it is not known: every row written before this
revision); recommendations the language of their source text, and a table keeps the UN's own
versions of the text in the source's other languages.

Revision ID: 7c3a1e5d9b20
Revises: 5b8e2c7d9a41
Create Date: 2026-12-02 20:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7c3a1e5d9b20"
down_revision = "5b8e2c7d9a41"
branch_labels = None
depends_on = None

TABLES = ("need", "offer", "measure", "progress_report", "report_comment", "plan_comment",
          "recommendation")  # fmt: skip


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("text_locale", sa.String(length=8), nullable=True))
    op.create_table(
        "recommendation_text",
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendation.id"],
            name=op.f("fk_recommendation_text_recommendation_id_recommendation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "recommendation_id", "locale", name=op.f("pk_recommendation_text")
        ),
    )


def downgrade():
    op.drop_table("recommendation_text")
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("text_locale")
