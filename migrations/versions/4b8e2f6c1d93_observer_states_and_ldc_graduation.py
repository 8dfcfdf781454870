"""Observer States and LDC graduation as a dated fact

- state.membership: 'member' or 'observer' (the State of Palestine, the Holy See). An observer
  sits in no UN regional group, so state.regional_group becomes nullable, with a check that
  every member State still has one.
- state.is_ldc (a flag that goes stale the day a State graduates) becomes state.ldc_listed (on
  the UN list of LDCs, now or before) and state.ldc_graduation_on (the day the General Assembly
  set for leaving it). "LDC on a day" is computed from the two (State.is_ldc_on / State.ldc_on).
- Existing rows: a State flagged LDC stays listed; the graduation days below are written for the
  States a database already holds (the same facts as seeds/states.csv, with their sources in
  seeds/README.md). Bangladesh, Lao PDR and Nepal, flagged LDC until now, graduated on
  24 November 2026 (A/RES/76/8); Solomon Islands is to graduate on 13 December 2027. The
  observer States are added where the State table is already seeded.
- match_round.ldc_transition_years (0 to 10, default 3): how many years after graduating a State
  keeps the smaller LDC priority in the round's runs (RunSettings.ldc_transition_years).

Downgrade: is_ldc is "LDC today" again; the observer rows are deleted (which fails, as it
should, while anything refers to them).

Revision ID: 4b8e2f6c1d93
Revises: 4a7e2c9d1b30
Create Date: 2026-12-03 06:40:00.000000

"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "4b8e2f6c1d93"
down_revision = "4a7e2c9d1b30"
branch_labels = None
depends_on = None

GROUPS = ("african", "asia_pacific", "eastern_european", "grulac", "weog")
# iso3 -> the day it left (or is to leave) the LDC list; frozen here, as of this revision.
GRADUATION = {
    "CPV": "2007-12-20",
    "MDV": "2011-01-01",
    "WSM": "2014-01-01",
    "GNQ": "2017-06-04",
    "VUT": "2020-12-04",
    "BTN": "2023-12-13",
    "STP": "2024-12-13",
    "BGD": "2026-11-24",
    "LAO": "2026-11-24",
    "NPL": "2026-11-24",
    "SLB": "2027-12-13",
}
OBSERVERS = (("PSE", "State of Palestine"), ("VAT", "Holy See"))


def upgrade():
    with op.batch_alter_table("state", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("membership", sa.String(length=8), nullable=False, server_default="member")
        )
        batch_op.alter_column("is_ldc", new_column_name="ldc_listed", existing_type=sa.Boolean())
        batch_op.add_column(sa.Column("ldc_graduation_on", sa.Date(), nullable=True))
        batch_op.alter_column(
            "regional_group",
            existing_type=sa.Enum(*GROUPS, name="regional_group", native_enum=False),
            nullable=True,
        )
    with op.batch_alter_table("state", schema=None) as batch_op:
        batch_op.alter_column("membership", server_default=None, existing_type=sa.String(8))
        batch_op.create_check_constraint(
            op.f("ck_state_membership"), "membership IN ('member', 'observer')"
        )
        batch_op.create_check_constraint(
            op.f("ck_state_member_has_group"),
            "membership = 'observer' OR regional_group IS NOT NULL",
        )
        batch_op.create_check_constraint(
            op.f("ck_state_graduation_of_ldc"), "ldc_graduation_on IS NULL OR ldc_listed"
        )
    with op.batch_alter_table("match_round", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "ldc_transition_years", sa.Integer(), nullable=False, server_default="3"
            )
        )
    with op.batch_alter_table("match_round", schema=None) as batch_op:
        batch_op.alter_column("ldc_transition_years", server_default=None,
                              existing_type=sa.Integer())  # fmt: skip
        batch_op.create_check_constraint(
            op.f("ck_match_round_transition_range"), "ldc_transition_years BETWEEN 0 AND 10"
        )
    state = sa.table(
        "state",
        sa.column("iso3", sa.String),
        sa.column("name", sa.String),
        sa.column("membership", sa.String),
        sa.column("regional_group", sa.String),
        sa.column("ldc_listed", sa.Boolean),
        sa.column("ldc_graduation_on", sa.Date),
        sa.column("is_sids", sa.Boolean),
        sa.column("is_lldc", sa.Boolean),
    )
    connection = op.get_bind()
    for iso3, day in GRADUATION.items():
        connection.execute(
            state.update()
            .where(state.c.iso3 == iso3)
            .values(ldc_listed=True, ldc_graduation_on=dt.date.fromisoformat(day))
        )
    seeded = connection.scalar(sa.select(sa.func.count()).select_from(state))
    present = set(connection.scalars(sa.select(state.c.iso3)))
    rows = [
        {"iso3": iso3, "name": name, "membership": "observer", "regional_group": None,
         "ldc_listed": False, "ldc_graduation_on": None, "is_sids": False, "is_lldc": False}
        for iso3, name in OBSERVERS
        if seeded and iso3 not in present
    ]  # fmt: skip
    if rows:
        connection.execute(state.insert(), rows)


def downgrade():
    with op.batch_alter_table("match_round", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_match_round_transition_range"), type_="check")
    with op.batch_alter_table("match_round", schema=None) as batch_op:
        batch_op.drop_column("ldc_transition_years")
    state = sa.table(
        "state",
        sa.column("iso3", sa.String),
        sa.column("membership", sa.String),
        sa.column("ldc_listed", sa.Boolean),
        sa.column("ldc_graduation_on", sa.Date),
    )
    with op.batch_alter_table("state", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_state_graduation_of_ldc"), type_="check")
        batch_op.drop_constraint(op.f("ck_state_member_has_group"), type_="check")
        batch_op.drop_constraint(op.f("ck_state_membership"), type_="check")
    connection = op.get_bind()
    connection.execute(state.delete().where(state.c.membership == "observer"))
    connection.execute(
        state.update()
        .where(state.c.ldc_graduation_on <= sa.func.current_date())
        .values(ldc_listed=False)
    )
    with op.batch_alter_table("state", schema=None) as batch_op:
        batch_op.alter_column(
            "regional_group",
            existing_type=sa.Enum(*GROUPS, name="regional_group", native_enum=False),
            nullable=False,
        )
        batch_op.drop_column("ldc_graduation_on")
        batch_op.alter_column("ldc_listed", new_column_name="is_ldc", existing_type=sa.Boolean())
        batch_op.drop_column("membership")
