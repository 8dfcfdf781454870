"""Explanations, unmatched reasons and audit entries as facts, rendered for each reader

The solver's English sentences in run_outcome.explanation and run_outcome.reason go: they were
written for nobody in particular, so they showed a confidential need's State and its flags to
whoever read them, and could not be translated. Explanations become facts (a code, its points,
its arguments as ids); the stored sentences cannot be read back into facts, so they are dropped
(the outcome keeps its score and its reason code, which pages render). Audit entries learn the
need they concern, so that only the need's readers see their details.

Revision ID: 5b8e2c7d9a41
Revises: c0a5e7d1e2b3
Create Date: 2026-12-02 07:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5b8e2c7d9a41"
down_revision = 'c0a5e7d1e2b3'
branch_labels = None
depends_on = None

# Audit entries whose object belongs to one need: object type -> table with a need_id column.
NEED_OWNED = {"proposal": "proposal", "engagement": "engagement", "pairrule": "pair_rule"}


def upgrade():
    with op.batch_alter_table("run_outcome", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reasons", sa.JSON(), nullable=True))
    op.execute("UPDATE run_outcome SET explanation = '[]', reasons = '[]'")
    with op.batch_alter_table("run_outcome", schema=None) as batch_op:
        batch_op.alter_column("reasons", existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column("reason")

    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("need_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_audit_entry_need_id"), ["need_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_audit_entry_need_id_need"),
            "need",
            ["need_id"],
            ["id"],
            ondelete="SET NULL",
        )
    _backfill_audit_needs()


def _backfill_audit_needs():
    """Entries on a need, on a row of one need, or naming a need in their values."""
    op.execute(
        "UPDATE audit_entry SET need_id = object_id WHERE object_type = 'need' "
        "AND object_id IN (SELECT id FROM need)"
    )
    for object_type, table in NEED_OWNED.items():
        op.execute(
            f"UPDATE audit_entry SET need_id = (SELECT {table}.need_id FROM {table} "
            f"WHERE {table}.id = audit_entry.object_id) WHERE object_type = '{object_type}'"
        )
    connection = op.get_bind()
    entry = sa.table(
        "audit_entry",
        sa.column("id", sa.Integer),
        sa.column("after", sa.JSON),
        sa.column("need_id", sa.Integer),
    )
    needs = set(connection.scalars(sa.text("SELECT id FROM need")))
    rows = connection.execute(
        sa.select(entry.c.id, entry.c.after).where(
            entry.c.need_id.is_(None), entry.c.after.is_not(None)
        )
    )
    for entry_id, after in rows.all():
        need_id = _named_need(after)
        if need_id in needs:
            connection.execute(
                sa.update(entry).where(entry.c.id == entry_id).values(need_id=need_id)
            )


def _named_need(after) -> int | None:
    """The need an entry's values name: {"need_id": 7} or {"item": "need:7"}."""
    if not isinstance(after, dict):
        return None
    if isinstance(after.get("need_id"), int):
        return after["need_id"]
    item = after.get("item")
    if isinstance(item, str) and item.startswith("need:") and item[5:].isdigit():
        return int(item[5:])
    return None


def downgrade():
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_audit_entry_need_id_need"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_audit_entry_need_id"))
        batch_op.drop_column("need_id")

    with op.batch_alter_table("run_outcome", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reason", sa.String(length=500), nullable=False, server_default="")
        )
    op.execute("UPDATE run_outcome SET explanation = '[]'")
    with op.batch_alter_table("run_outcome", schema=None) as batch_op:
        batch_op.alter_column("reason", existing_type=sa.String(length=500), server_default=None)
        batch_op.drop_column("reasons")
