"""Themes as a hierarchy: theme.parent_code, and the levels of the Index's codes as themes

Index codes nest by prefix (D23 under D2, D2 under D). Each theme gets the code of the theme it
lies under (theme.parent_code, a foreign key to theme.code): its longest proper prefix that is
itself a theme (A41 under A4; B11 under B, since no B1 is known). "TM-" themes (ours) get none.
LEVELS below is the record of the 21 level themes this adds (letter groups and two-character
groups holding at least two known themes): where the Index's documents give no name, the name
comes from the level's own "- general" theme (D1, E1, D31, E21, E41, E51, A42) or is ours
(seeds/README.md lists which). A level code already present keeps its row and name.

Revision ID: b7e3f1c90d42
Revises: 1a1600a1cda9
Create Date: 2026-12-03 07:20:00.000000

"""

import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b7e3f1c90d42"
down_revision = "1a1600a1cda9"
branch_labels = None
depends_on = None

LEVELS = (
    ("A", "International obligations, cooperation & national framework"),
    ("A2", "Cooperation with international mechanisms"),
    ("A4", "Institutions & policies"),
    ("B", "Cross-cutting issues"),
    ("B3", "Equality & discrimination"),
    ("B5", "Remedies & impunity"),
    ("B7", "Environment & climate change"),
    ("D", "Civil & political rights"),
    ("D2", "Right to life & physical integrity"),
    ("D3", "Liberty and security"),
    ("D4", "Fundamental freedoms & private life"),
    ("E", "Economic, social & cultural rights"),
    ("E2", "Right to an adequate standard of living"),
    ("E3", "Right to work & labour rights"),
    ("E4", "Right to health"),
    ("E5", "Right to education"),
    ("F", "Rights of women, children & persons with disabilities"),
    ("F1", "Rights of women & girls"),
    ("F3", "Children's rights"),
    ("G", "Rights of specific groups of persons"),
    ("H", "Human rights defenders & other persons"),
)
INDEX_CODE = re.compile(r"^[A-HS]\d*$")  # the rule as of this migration (tamatch/taxonomy.py)

theme = sa.table(
    "theme",
    sa.column("id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("name", sa.String),
    sa.column("parent_code", sa.String),
)


def _parent(code: str, known: set[str]) -> str | None:
    if not INDEX_CODE.match(code):
        return None
    return next((code[:n] for n in range(len(code) - 1, 0, -1) if code[:n] in known), None)


def upgrade():
    with op.batch_alter_table("theme", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_code", sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f("ix_theme_parent_code"), ["parent_code"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_theme_parent_code_theme"), "theme", ["parent_code"], ["code"],
            onupdate="CASCADE",
        )  # fmt: skip
        batch_op.create_check_constraint("not_own_parent", "parent_code <> code")
    conn = op.get_bind()
    known = set(conn.execute(sa.select(theme.c.code)).scalars())
    if known:  # an empty database gets its themes from the seeds
        missing = [{"code": c, "name": n} for c, n in LEVELS if c not in known]
        if missing:
            conn.execute(theme.insert(), missing)
        known |= {row["code"] for row in missing}
        for code in sorted(known, key=len):
            parent = _parent(code, known)
            if parent:
                conn.execute(theme.update().where(theme.c.code == code).values(parent_code=parent))


def downgrade():
    with op.batch_alter_table("theme", schema=None) as batch_op:
        batch_op.drop_constraint("not_own_parent", type_="check")
        batch_op.drop_constraint(batch_op.f("fk_theme_parent_code_theme"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_theme_parent_code"))
        batch_op.drop_column("parent_code")
    # The level themes stay: needs, offers and rounds may be tagged with them.
