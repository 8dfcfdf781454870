"""The real UHRI theme taxonomy (invented codes leave the Index's namespace); SDG targets

65 of the 118 theme codes were our own, and many reused real Universal Human Rights Index codes
that mean something else (our D23 "Extrajudicial executions" is the Index's D23 "Death penalty").
Real codes now mean what the Index means; themes of our own move to the "TM-" namespace, which
never reuses a real code. Every link (needs, offers, recommendations, plan clusters, good
practices, rounds) to an invented code moves to the theme it meant. OLD_CODES below is the
whole record: each invented code, the code it becomes and the new theme's name; an old code
that is not listed was a real code with its real meaning and keeps it. No old code maps to
nothing: a theme with no real counterpart keeps its meaning under a "TM-" code.

Revision ID: 9d4c1b7e2a60
Revises: e9a1d4c3b7f2
Create Date: 2026-12-02 21:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "9d4c1b7e2a60"
down_revision = "e9a1d4c3b7f2"
branch_labels = None
depends_on = None

# old invented code -> (new code, its name). Codes starting "TM-" are ours; the others are the
# Index's (names as the OHCHR matrices print them, see seeds/README.md).
OLD_CODES = {
    "A1": (
        "TM-scope-of-obligations",
        "Scope of international obligations",
    ),  # was 'Scope of international obligations'
    "A13": ("TM-reservations", "Reservations"),  # was 'Reservations'
    "A2": (
        "TM-cooperation-mechanisms",
        "Cooperation with human rights mechanisms",
    ),  # was 'Cooperation with human rights mechanisms'
    "A23": ("A23", "Follow-up to treaty bodies"),  # was 'Follow-up to treaty bodies'
    "A25": (
        "TM-follow-up-special-procedures",
        "Follow-up to special procedures",
    ),  # was 'Follow-up to special procedures'
    "A26": (
        "TM-cooperation-technical-assistance",
        "Cooperation with human rights mechanisms & requests for technical assistance",
    ),  # was 'Cooperation with human rights mechanisms & requests for technical assistance'
    "A28": (
        "TM-nmirf",
        "National Mechanisms for Implementation, Reporting and Follow-up (NMIRF)",
    ),  # was 'National Mechanisms for Implementation, Reporting and Follow-up (NMIRF)'
    "A31": (
        "TM-2030-agenda",
        "2030 Agenda & other voluntary commitments",
    ),  # was '2030 Agenda & other voluntary commitments'
    "A32": (
        "TM-unilateral-coercive-measures",
        "Unilateral coercive measures",
    ),  # was 'Unilateral coercive measures'
    "A4": (
        "TM-legal-institutional-framework",
        "Legal, institutional & policy framework",
    ),  # was 'Legal, institutional & policy framework'
    "A44": (
        "TM-legal-institutional-reform",
        "Legal & institutional reform",
    ),  # was 'Legal & institutional reform'
    "A46": (
        "A46",
        "National Plans of Action on Human Rights (or specific areas)",
    ),  # was 'National Plans of Action on Human Rights (or specific areas)'
    "A47": (
        "TM-good-governance-corruption",
        "Good governance & corruption",
    ),  # was 'Good governance & corruption'
    "A52": (
        "TM-hr-education-schools",
        "Human rights education in schools",
    ),  # was 'Human rights education in schools'
    "A53": (
        "A53",
        "Professional training in human rights",
    ),  # was 'Professional training in human rights'
    "A6": (
        "A6",
        "Context, statistics, budget, civil society",
    ),  # was 'Data, budget & civil society'
    "A61": (
        "A61",
        "Cooperation with civil society",
    ),  # was 'Cooperation & consultation with civil society'
    "A63": (
        "A63",
        "Budget and resources (for human rights implementation)",
    ),  # was 'Budget & resources (for human rights implementation)'
    "A64": (
        "TM-data-collection-research",
        "Data collection & research",
    ),  # was 'Data collection & research'
    "B1": (
        "TM-self-determination",
        "Right to self-determination",
    ),  # was 'Right to self-determination'
    "B2": ("B41", "Right to development"),  # was 'Right to development'
    "B3": (
        "TM-equality-cross-cutting",
        "Equality & non-discrimination - cross-cutting",
    ),  # was 'Equality & non-discrimination - cross-cutting'
    "B4": ("B6", "Business & Human Rights"),  # was 'Business & human rights'
    "B5": (
        "TM-remedy-impunity-victims",
        "Remedy, impunity & victims",
    ),  # was 'Remedy, impunity & victims'
    "B52": ("TM-rule-of-law-impunity", "Rule of law & impunity"),  # was 'Rule of law & impunity'
    "B6": ("B71", "Human rights and the environment"),  # was 'Human rights & the environment'
    "B61": ("B73", "Human rights and climate change"),  # was 'Human rights & climate change'
    "B7": (
        "TM-intl-criminal-humanitarian-law",
        "International criminal & humanitarian law (including crimes against humanity, war crimes, genocide)",
    ),  # was 'International criminal & humanitarian law (including crimes against humanity, war crimes, genocide)'
    "B8": ("B8", "Human rights & counter-terrorism"),  # was 'Human rights & counter-terrorism'
    "D1": (
        "D1",
        "Civil & political rights - general measures of implementation",
    ),  # was 'Civil & political rights - general measures of implementation'
    "D2": (
        "TM-physical-moral-integrity",
        "Right to physical & moral integrity",
    ),  # was 'Right to physical & moral integrity'
    "D22": ("D23", "Death penalty"),  # was 'Death penalty'
    "D23": (
        "TM-extrajudicial-executions",
        "Extrajudicial, summary or arbitrary executions",
    ),  # was 'Extrajudicial, summary or arbitrary executions'
    "D26": ("D26", "Conditions of detention"),  # was 'Conditions of detention'
    "D28": (
        "TM-sexual-gender-based-violence",
        "Sexual & gender-based violence",
    ),  # was 'Sexual & gender-based violence'
    "D3": (
        "TM-liberty-security",
        "Liberty & security of the person",
    ),  # was 'Liberty & security of the person'
    "D31": ("D33", "Arbitrary arrest and detention"),  # was 'Arbitrary arrest & detention'
    "D4": ("TM-fundamental-freedoms", "Fundamental freedoms"),  # was 'Fundamental freedoms'
    "D41": ("D41", "Freedom of movement"),  # was 'Freedom of movement'
    "D44": ("D44", "Right to peaceful assembly"),  # was 'Right to peaceful assembly'
    "D45": ("D45", "Freedom of association"),  # was 'Freedom of association'
    "D5": (
        "TM-administration-of-justice",
        "Administration of justice",
    ),  # was 'Administration of justice'
    "D52": (
        "TM-access-to-justice",
        "Access to justice & remedy",
    ),  # was 'Access to justice & remedy'
    "E2": (
        "E21",
        "Right to an adequate standard of living - general",
    ),  # was 'Right to an adequate standard of living'
    "E22": ("E22", "Right to food"),  # was 'Right to food'
    "E3": (
        "TM-labour-rights",
        "Right to work and to just & favorable conditions of work & labour rights",
    ),  # was 'Right to work and to just & favorable conditions of work & labour rights'
    "E4": ("E41", "Right to health - General"),  # was 'Right to health'
    "E42": (
        "TM-sexual-reproductive-health",
        "Sexual & reproductive health and rights",
    ),  # was 'Sexual & reproductive health and rights'
    "E43": ("TM-hiv-aids", "HIV/AIDS"),  # was 'HIV/AIDS'
    "E5": ("E51", "Right to education - General"),  # was 'Right to education'
    "E6": ("E7", "Cultural rights"),  # was 'Cultural rights'
    "F1": ("TM-womens-rights", "Women's rights"),  # was "Women's rights"
    "F11": ("F11", "Advancement of women"),  # was 'Advancement of women'
    "F14": (
        "F14",
        "Participation of women in political and public life",
    ),  # was 'Participation of women in political & public life'
    "F3": ("TM-rights-of-the-child", "Rights of the child"),  # was 'Rights of the child'
    "F35": (
        "TM-children-armed-conflict",
        "Children in armed conflict",
    ),  # was 'Children in armed conflict'
    "F4": ("F4", "Persons with disabilities"),  # was 'Rights of persons with disabilities'
    "F43": (
        "F45",
        "Persons with disabilities: independence, inclusion",
    ),  # was 'Persons with disabilities: independence, inclusion'
    "F45": (
        "TM-pwd-exploitation-violence",
        "Persons with disabilities: protection against exploitation, violence & abuse",
    ),  # was 'Persons with disabilities: protection against exploitation, violence & abuse'
    "F46": (
        "TM-pwd-situations-of-risk",
        "Persons with disabilities: protection and safety in situations of risk",
    ),  # was 'Persons with disabilities: protection and safety in situations of risk'
    "G3": ("TM-indigenous-peoples", "Indigenous peoples"),  # was 'Indigenous peoples'
    "G6": ("TM-idps", "Internally displaced persons"),  # was 'Internally displaced persons'
    "G7": ("TM-stateless-persons", "Stateless persons"),  # was 'Stateless persons'
    "G8": ("G9", "Older persons"),  # was 'Older persons'
    "H1": ("H1", "Human rights defenders"),  # was 'Human rights defenders'
}

LINK_TABLES = (
    ("need_theme", "need_id"),
    ("offer_theme", "offer_id"),
    ("recommendation_theme", "recommendation_id"),
    ("cluster_theme", "cluster_id"),
    ("good_practice_theme", "good_practice_id"),
    ("round_theme", "round_id"),
)

theme = sa.table("theme", sa.column("id", sa.Integer), sa.column("code", sa.String),
                 sa.column("name", sa.String))  # fmt: skip


def _ids(conn) -> dict[str, int]:
    return {code: id_ for id_, code in conn.execute(sa.select(theme.c.id, theme.c.code))}


def _move(conn, mapping: dict[str, tuple[str, str]], prefix: str) -> None:
    """Move every link from each old code to its new code, all codes at once (old and new
    codes overlap: our D22 becomes D23 while our D23 becomes TM-extrajudicial-executions)."""
    ids = _ids(conn)
    moving = {old: ids[old] for old in mapping if old in ids}
    for old, old_id in moving.items():  # park the old rows out of the way of the new codes
        conn.execute(theme.update().where(theme.c.id == old_id).values(code=prefix + old))
    ids = _ids(conn)
    for new, name in dict(mapping.values()).items():
        if new not in ids:
            conn.execute(theme.insert().values(code=new, name=name))
        else:
            conn.execute(theme.update().where(theme.c.code == new).values(name=name))
    ids = _ids(conn)
    for table_name, owner in LINK_TABLES:
        link = sa.table(table_name, sa.column(owner, sa.Integer), sa.column("theme_id", sa.Integer))
        for old, old_id in moving.items():
            new_id = ids[mapping[old][0]]
            have = sa.select(link.c[owner]).where(link.c.theme_id == new_id)
            owners = sa.select(link.c[owner]).where(
                link.c.theme_id == old_id, link.c[owner].not_in(have)
            )
            conn.execute(link.insert().from_select([owner, "theme_id"],
                                                   sa.select(owners.subquery().c[owner],
                                                             sa.literal(new_id))))  # fmt: skip
            conn.execute(link.delete().where(link.c.theme_id == old_id))
    for old_id in moving.values():
        conn.execute(theme.delete().where(theme.c.id == old_id))


def upgrade():
    _move(op.get_bind(), OLD_CODES, "old:")
    # The 169 SDG targets (rows from seeds/sdg_targets.csv) and the recommendations' links.
    op.create_table(
        "sdg_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("sdg_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["sdg_id"], ["sdg.id"], name=op.f("fk_sdg_target_sdg_id_sdg")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sdg_target")),
        sa.UniqueConstraint("code", name=op.f("uq_sdg_target_code")),
    )
    with op.batch_alter_table("sdg_target", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sdg_target_sdg_id"), ["sdg_id"], unique=False)
    op.create_table(
        "recommendation_sdg_target",
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("sdg_target_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendation.id"],
            name=op.f("fk_recommendation_sdg_target_recommendation_id_recommendation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sdg_target_id"],
            ["sdg_target.id"],
            name=op.f("fk_recommendation_sdg_target_sdg_target_id_sdg_target"),
        ),
        sa.PrimaryKeyConstraint(
            "recommendation_id", "sdg_target_id", name=op.f("pk_recommendation_sdg_target")
        ),
    )
    with op.batch_alter_table("recommendation_sdg_target", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recommendation_sdg_target_sdg_target_id"), ["sdg_target_id"]
        )


def downgrade():
    op.drop_table("recommendation_sdg_target")
    op.drop_table("sdg_target")
    # Back to the invented codes (no two old codes became one, so the inverse is exact). Real
    # themes the old list did not have stay; where one holds an invented code's code (A28, D23,
    # B6, ...), the invented theme takes that row back, with the links of both.
    conn = op.get_bind()
    inverse: dict[str, tuple[str, str]] = {}
    for old, (new, _name) in OLD_CODES.items():
        inverse.setdefault(new, (old, OLD_NAMES[old]))
    _move(conn, inverse, "new:")


OLD_NAMES = {
    "A1": "Scope of international obligations",
    "A13": "Reservations",
    "A2": "Cooperation with human rights mechanisms",
    "A23": "Follow-up to treaty bodies",
    "A25": "Follow-up to special procedures",
    "A26": "Cooperation with human rights mechanisms & requests for technical assistance",
    "A28": "National Mechanisms for Implementation, Reporting and Follow-up (NMIRF)",
    "A31": "2030 Agenda & other voluntary commitments",
    "A32": "Unilateral coercive measures",
    "A4": "Legal, institutional & policy framework",
    "A44": "Legal & institutional reform",
    "A46": "National Plans of Action on Human Rights (or specific areas)",
    "A47": "Good governance & corruption",
    "A52": "Human rights education in schools",
    "A53": "Professional training in human rights",
    "A6": "Data, budget & civil society",
    "A61": "Cooperation & consultation with civil society",
    "A63": "Budget & resources (for human rights implementation)",
    "A64": "Data collection & research",
    "B1": "Right to self-determination",
    "B2": "Right to development",
    "B3": "Equality & non-discrimination - cross-cutting",
    "B4": "Business & human rights",
    "B5": "Remedy, impunity & victims",
    "B52": "Rule of law & impunity",
    "B6": "Human rights & the environment",
    "B61": "Human rights & climate change",
    "B7": "International criminal & humanitarian law (including crimes against humanity, war crimes, genocide)",
    "B8": "Human rights & counter-terrorism",
    "D1": "Civil & political rights - general measures of implementation",
    "D2": "Right to physical & moral integrity",
    "D22": "Death penalty",
    "D23": "Extrajudicial, summary or arbitrary executions",
    "D26": "Conditions of detention",
    "D28": "Sexual & gender-based violence",
    "D3": "Liberty & security of the person",
    "D31": "Arbitrary arrest & detention",
    "D4": "Fundamental freedoms",
    "D41": "Freedom of movement",
    "D44": "Right to peaceful assembly",
    "D45": "Freedom of association",
    "D5": "Administration of justice",
    "D52": "Access to justice & remedy",
    "E2": "Right to an adequate standard of living",
    "E22": "Right to food",
    "E3": "Right to work and to just & favorable conditions of work & labour rights",
    "E4": "Right to health",
    "E42": "Sexual & reproductive health and rights",
    "E43": "HIV/AIDS",
    "E5": "Right to education",
    "E6": "Cultural rights",
    "F1": "Women's rights",
    "F11": "Advancement of women",
    "F14": "Participation of women in political & public life",
    "F3": "Rights of the child",
    "F35": "Children in armed conflict",
    "F4": "Rights of persons with disabilities",
    "F43": "Persons with disabilities: independence, inclusion",
    "F45": "Persons with disabilities: protection against exploitation, violence & abuse",
    "F46": "Persons with disabilities: protection and safety in situations of risk",
    "G3": "Indigenous peoples",
    "G6": "Internally displaced persons",
    "G7": "Stateless persons",
    "G8": "Older persons",
    "H1": "Human rights defenders",
}
