"""Recommendations as the UN cites them, and their full-text index

Responses: the codes grow from supported/noted/pending to the positions real files give
(supported, partially supported, noted, rejected, already implemented, pending) and may be
empty (treaty bodies and special procedures take no position); the text the source used and
where the position was given are kept beside the code.

How the old codes map:
- supported -> supported, noted -> noted (the two UPR positions, unchanged).
- pending -> no response (NULL). The old importer wrote "pending" for every value it did not
  recognise ("reject", "implemented", an empty cell, a treaty-body row), so the old code says
  nothing about the State's position. Rows imported from "Supported/Noted" were stored as
  supported and cannot be told apart now; importing the source file again corrects both (the
  import updates every row whose response changed).

Indexes: each list filter with the date (replacing the state, mechanism and response ones).

Full-text index: SQLite FTS5 (external content, kept in step by triggers) or a generated
tsvector column with a GIN index on PostgreSQL, plus PostgreSQL's newest-first list index. The
SQL is the app's (tamatch/models/recommendation_search.py) as of this revision; the migration
test checks that both build the same thing.

Revision ID: dffa19b59bde
Revises: eafe3333dee0
Create Date: 2026-12-01 23:09:32.058738

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'dffa19b59bde'
down_revision = 'eafe3333dee0'
branch_labels = None
depends_on = None

# Each list filter indexed with the date the list is ordered by (SQLite keeps no statistics:
# the filtered list is then read newest first from the index); they replace three indexes.
DATED_FILTERS = (
    'state_id', 'mechanism_id', 'body', 'cycle', 'session', 'document_symbol', 'paragraph',
    'response',
)
SINGLE_INDEXES = ('state_id', 'mechanism_id', 'response')
OLD_CODES = ('supported', 'noted', 'pending')
NEW_CODES = ('supported', 'partially_supported', 'noted', 'rejected', 'implemented', 'pending')

FTS_TABLE = (
    "CREATE VIRTUAL TABLE recommendation_search USING fts5("
    "text, document_symbol, paragraph, content='recommendation', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')"
)
_NEW = (
    "INSERT INTO recommendation_search(rowid, text, document_symbol, paragraph) "
    "VALUES (new.id, new.text, new.document_symbol, new.paragraph);"
)
_OLD = (
    "INSERT INTO recommendation_search(recommendation_search, rowid, text, document_symbol, "
    "paragraph) VALUES ('delete', old.id, old.text, old.document_symbol, old.paragraph);"
)
FTS_TRIGGERS = {
    "recommendation_search_insert": f"AFTER INSERT ON recommendation BEGIN {_NEW} END",
    "recommendation_search_delete": f"AFTER DELETE ON recommendation BEGIN {_OLD} END",
    "recommendation_search_update": (
        "AFTER UPDATE OF text, document_symbol, paragraph ON recommendation "
        f"BEGIN {_OLD} {_NEW} END"
    ),
}
PG_VECTOR = (
    "setweight(to_tsvector('english'::regconfig, "
    "coalesce(document_symbol, '') || ' ' || coalesce(paragraph, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, text), 'B')"
)
PG_DDL = (
    f"ALTER TABLE recommendation ADD COLUMN search_vector tsvector "
    f"GENERATED ALWAYS AS ({PG_VECTOR}) STORED",
    "CREATE INDEX ix_recommendation_search ON recommendation USING gin (search_vector)",
    "CREATE INDEX ix_recommendation_newest ON recommendation (issued_on DESC NULLS LAST, id DESC)",
)


def _response(codes):
    return sa.Enum(*codes, name='response', native_enum=False, create_constraint=True)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == 'sqlite'


def _change_response(old, new, nullable):
    """The response column with another set of codes (and its CHECK constraint)."""
    if _sqlite():
        # SQLite changes a CHECK only by copying the table (foreign keys are off meanwhile,
        # see env.py); the copy takes the new Enum's constraint.
        with op.batch_alter_table('recommendation', recreate='always') as batch_op:
            batch_op.alter_column(
                'response', existing_type=_response(old), type_=_response(new), nullable=nullable
            )
        return
    op.drop_constraint(op.f('ck_recommendation_response'), 'recommendation', type_='check')
    op.alter_column(
        'recommendation',
        'response',
        existing_type=sa.String(max(map(len, old))),
        type_=sa.String(max(map(len, new))),
        nullable=nullable,
    )
    codes = ', '.join(f"'{code}'" for code in new)
    op.create_check_constraint(
        op.f('ck_recommendation_response'), 'recommendation', f'response IN ({codes})'
    )


def upgrade():
    _change_response(OLD_CODES, NEW_CODES, nullable=True)
    op.execute("UPDATE recommendation SET response = NULL WHERE response = 'pending'")
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('response_text', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('response_source', sa.String(length=200), nullable=True))
        for column in SINGLE_INDEXES:
            batch_op.drop_index(f'ix_recommendation_{column}')
        for column in DATED_FILTERS:
            batch_op.create_index(f'ix_recommendation_{column}_date', [column, 'issued_on'])
    if _sqlite():
        op.execute(FTS_TABLE)
        for name, body in FTS_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
        op.execute("INSERT INTO recommendation_search(recommendation_search) VALUES ('rebuild')")
    else:
        for statement in PG_DDL:
            op.execute(statement)


def downgrade():
    if _sqlite():
        for name in FTS_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS recommendation_search")
    else:
        op.drop_index('ix_recommendation_newest', table_name='recommendation')
        op.drop_index('ix_recommendation_search', table_name='recommendation')
        op.drop_column('recommendation', 'search_vector')
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        for column in DATED_FILTERS:
            batch_op.drop_index(f'ix_recommendation_{column}_date')
        for column in SINGLE_INDEXES:
            batch_op.create_index(f'ix_recommendation_{column}', [column])
        batch_op.drop_column('response_source')
        batch_op.drop_column('response_text')
    # Back to three codes: a partial or "already implemented" support was a support, a
    # rejection is what the UPR now calls noted, and no response was stored as pending.
    op.execute(
        "UPDATE recommendation SET response = CASE "
        "WHEN response IN ('partially_supported', 'implemented') THEN 'supported' "
        "WHEN response = 'rejected' THEN 'noted' "
        "WHEN response IS NULL THEN 'pending' ELSE response END"
    )
    _change_response(NEW_CODES, OLD_CODES, nullable=False)
