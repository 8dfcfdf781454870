"""Finding recommendations by words or by reference: one interface over SQLite and PostgreSQL.

`parse_query("A/HRC/59/15 para. 140.44")` reads what a person typed: a document symbol, a
paragraph and words. `restrict(stmt, query)` keeps the matching recommendations of a SELECT;
`rank(stmt, query)` orders them by relevance to the words: FTS5 with bm25() on SQLite, the
generated tsvector with ts_rank() on PostgreSQL (tamatch/models/recommendation_search.py). A
reference is matched exactly (same symbol, or a symbol under it such as its addendum; same
paragraph), the index only narrowing the rows. `highlights(ids, query)` gives each text as
segments (text, matched) that templates escape and wrap in <mark>; no HTML is made here.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import REGCONFIG

from tamatch.extensions import db
from tamatch.models import Recommendation
from tamatch.models.recommendation_search import FTS_TABLE, PG_COLUMN, PG_CONFIG

MAX_WORDS = 12
SORTED_MATCHES = 2_000  # SQLite: up to this many matches are sorted, more are read in order
NEWEST = (Recommendation.issued_on.desc().nulls_last(), Recommendation.id.desc())
START, STOP = "\x02", "\x03"  # match markers the databases put around highlighted words
Segment = tuple[str, bool]

# "A/HRC/59/15", "CEDAW/C/HTI/CO/8-9", "E/C.12/GBR/CO/6", "A/HRC/40/6/Add.1": two slashes, or
# one and a digit ("A/73"), so that "and/or" stays two words.
_SYMBOL = re.compile(
    r"(?<![\w/])[^\W\d_][\w.\-()]*(?:/[\w.\-()]+){2,}(?![\w/])"
    r"|(?<![\w/])[^\W\d_][\w.\-]*/(?=[\w.\-]*\d)[\w.\-]+(?![\w/])"
)
# "para. 140.44", "paragraph 21", "paras 3", "par. 5", "párr. 12", "§ 8"; or a bare "140.44".
_PARAGRAPH = re.compile(
    r"(?:\b(?:paragraphs?|paras?|parr?|párr)\.?|§)\s*(\d+(?:\.\d+)*)\b"
    r"|(?<![\w.])(\d+(?:\.\d+)+)(?![\w.])",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[^\W_]+")  # letters and digits, as both tokenizers split words


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """What a person typed, read as a document symbol, a paragraph and words."""

    text: str = ""
    symbol: str | None = None
    paragraph: str | None = None
    words: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        return bool(self.text)

    @property
    def searchable(self) -> bool:
        """Something in it can match: a reference or a word."""
        return bool(self.symbol or self.paragraph or self.words)

    @property
    def is_reference(self) -> bool:
        return bool(self.symbol or self.paragraph)


def parse_query(text: str | None) -> SearchQuery:
    """ "A/HRC/59/15 para. 140.44" -> symbol and paragraph; "torture prisons" -> two words."""
    text = re.sub(r"\s+", " ", text or "").strip()
    rest, symbol, paragraph = text, None, None
    if match := _SYMBOL.search(rest):
        symbol = match.group(0).rstrip(".,;:")
        rest = rest[: match.start()] + " " + rest[match.end() :]
    if match := _PARAGRAPH.search(rest):
        paragraph = match.group(1) or match.group(2)
        rest = rest[: match.start()] + " " + rest[match.end() :]
    words = tuple(dict.fromkeys(t.casefold() for t in _TOKEN.findall(rest)))[:MAX_WORDS]
    return SearchQuery(text, symbol, paragraph, words)


def restrict(stmt: sa.Select, query: SearchQuery) -> sa.Select:
    """`stmt` (a SELECT from recommendation) kept to the matches of `query`; a query with
    nothing searchable in it ("%") matches nothing."""
    if not query.given:
        return stmt
    if not query.searchable:
        return stmt.where(sa.false())
    if query.paragraph:
        stmt = stmt.where(Recommendation.paragraph == query.paragraph)
    backend = _backend()
    if query.symbol:
        stmt = stmt.where(backend.same_document(query.symbol))
    if query.words or (query.symbol and backend.indexes_symbols):
        stmt = backend.restrict(stmt, query)
    return stmt


def rank(stmt: sa.Select, query: SearchQuery) -> sa.Select:
    """`stmt`, restricted by `restrict`, ordered by relevance to the words of `query`, then
    newest first. Relevance is computed for every row `stmt` gives: keep them few."""
    if not query.words:
        return stmt.order_by(*NEWEST)
    return _backend().rank(stmt, query)


def count_words(query: SearchQuery, limit: int) -> int | None:
    """Matches of the words alone, counting no further than `limit` + 1, when the index can
    count them without reading the table (SQLite); None otherwise."""
    if not query.words or query.is_reference:
        return None
    return _backend().count_words(query, limit)


def canonical_symbol(symbol: str) -> str:
    """ "a/hrc/40/6/add.1" -> "A/HRC/40/6/Add.1": UN symbols in capitals, but for the
    segments the UN writes in lower case (Add., Corr., Rev., Amend.)."""
    return _LOWER_SEGMENTS.sub(lambda m: m.group(1).title() + ".", symbol.upper())


_LOWER_SEGMENTS = re.compile(r"(?<=/)(ADD|CORR|REV|AMEND)\.")


def highlights(ids: Iterable[int], query: SearchQuery) -> dict[int, list[Segment]]:
    """The texts of `ids` as (text, matched) segments for the words of `query`."""
    ids = list(ids)
    if not ids or not query.words:
        return {}
    return {rec_id: segments(marked) for rec_id, marked in _backend().marked(ids, query)}


def segments(marked: str) -> list[Segment]:
    """ "a \x02b\x03 c" -> [("a ", False), ("b", True), (" c", False)]."""
    out: list[Segment] = []
    for part in re.split(f"({START}[^{STOP}]*{STOP})", marked):
        if part.startswith(START) and part.endswith(STOP):
            out.append((part[1:-1], True))
        elif part := part.replace(START, "").replace(STOP, ""):
            out.append((part, False))
    return out


def excerpt(parts: list[Segment], width: int = 300, before: int = 80) -> list[Segment]:
    """At most about `width` characters of `parts`, starting a little before the first match,
    with "…" where text was left out."""
    total = sum(len(text) for text, _hit in parts)
    if total <= width:
        return parts
    first = next((i for i, (_t, hit) in enumerate(parts) if hit), None)
    offset = sum(len(t) for t, _h in parts[:first]) if first is not None else 0
    start = max(0, min(offset - before, total - width))
    if start:
        cut = parts_text(parts).rfind(" ", 0, start + 1)
        start = cut + 1 if cut > start - 30 else start
    out, position = ([("…", False)] if start else []), 0
    for text, hit in parts:
        left, right = max(start - position, 0), min(start + width - position, len(text))
        if left < right:
            out.append((text[left:right], hit))
        position += len(text)
    return [*out, ("…", False)] if start + width < total else out


def parts_text(parts: list[Segment]) -> str:
    return "".join(text for text, _hit in parts)


class _Sqlite:
    """FTS5: one MATCH expression of the words, bm25() for relevance.

    SQLite keeps no statistics, so the plan is chosen here: a search matching few rows is
    read from the index and sorted; one matching many is read newest first from the table's
    indexes, the matches tested against the index's result (built once).
    """

    table = sa.table(FTS_TABLE, sa.column("rowid"))
    name = sa.literal_column(FTS_TABLE)
    indexes_symbols = False  # symbols are found by their B-tree index, not the FTS one

    @staticmethod
    def same_document(symbol):
        """The symbol, or one under it ("A/HRC/40/6" and "A/HRC/40/6/Add.1"), as the UN
        writes them: a range of the symbol's index (SQLite compares bytes)."""
        wanted, column = canonical_symbol(symbol), Recommendation.document_symbol
        under = sa.and_(column >= wanted + "/", column < wanted + "0")  # "0" follows "/"
        return sa.or_(column == wanted, under)

    def restrict(self, stmt, query):
        matches = sa.select(self.table.c.rowid).where(self._match(query))
        counted = sa.select(sa.func.count()).select_from(
            matches.limit(SORTED_MATCHES + 1).subquery()
        )
        many = db.session.scalar(counted) > SORTED_MATCHES
        # "id + 0" keeps SQLite from looking the matches up one by one and sorting them all.
        key = Recommendation.id + 0 if many else Recommendation.id
        return stmt.where(key.in_(matches))

    def count_words(self, query, limit):
        first = sa.select(self.table.c.rowid).where(self._match(query))
        counted = sa.select(sa.func.count()).select_from(first.limit(limit + 1).subquery())
        return db.session.scalar(counted)

    def rank(self, stmt, query):
        # Scores of the rows `stmt` gives, computed once (MATERIALIZED): the FTS index is read
        # in its own order, never probed once per row of another index.
        rows = stmt.with_only_columns(Recommendation.id).order_by(None)
        scored = (
            sa.select(
                self.table.c.rowid.label("id"),
                # Weights follow FTS_COLUMNS: the text, then the symbol and paragraph.
                sa.func.bm25(self.name, 1.0, 4.0, 4.0).label("score"),
            )
            # "+ 0": the FTS index is scanned once and each match tested against `rows`,
            # instead of one MATCH query per row of `rows`.
            .where(self._match(query), (self.table.c.rowid + 0).in_(rows))
            .cte("search_scores")
            .prefix_with("MATERIALIZED")
        )
        ranked = stmt.join(scored, scored.c.id == Recommendation.id)
        return ranked.order_by(scored.c.score, *NEWEST)

    def marked(self, ids, query):
        highlighted = sa.func.highlight(self.name, 0, START, STOP)
        stmt = sa.select(self.table.c.rowid, highlighted).where(
            self._match(query), self.table.c.rowid.in_(ids)
        )
        return db.session.execute(stmt).all()

    def _match(self, query: SearchQuery) -> sa.ColumnElement[bool]:
        return self.name.op("MATCH")(self._expression(query))

    @staticmethod
    def _expression(query: SearchQuery) -> str:
        """Quoted tokens (nothing a user types is read as FTS5 syntax); the last word is also
        a prefix ("defend" finds "defenders")."""
        parts = [f'"{word}"' for word in query.words]
        parts[-1] += "*"
        return " AND ".join(parts)


class _Postgres:
    """The generated tsvector with its GIN index; ts_rank() for relevance. PostgreSQL's
    planner, with the statistics autovacuum keeps, chooses the plan."""

    vector = sa.literal_column(f"recommendation.{PG_COLUMN}")
    indexes_symbols = True  # the tsvector holds each symbol as one lexeme: a prefix finds it

    @staticmethod
    def same_document(symbol):
        """The symbol, or one under it, in any case (the index narrows the rows first; a
        range would follow the collation, not the characters)."""
        stored, wanted = sa.func.upper(Recommendation.document_symbol), symbol.upper()
        under = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%"
        return sa.or_(stored == wanted, stored.like(under, escape="\\"))

    def restrict(self, stmt, query):
        return stmt.where(self.vector.op("@@")(self._tsquery(query, symbol=True)))

    def count_words(self, query, limit):
        return None  # the GIN index has no counts of its own: count the rows

    def rank(self, stmt, query):
        relevance = sa.func.ts_rank(self.vector, self._tsquery(query, symbol=False))
        return stmt.order_by(relevance.desc(), *NEWEST)

    def marked(self, ids, query):
        options = f"StartSel={START}, StopSel={STOP}, HighlightAll=true"
        config = sa.cast(PG_CONFIG, REGCONFIG)
        headline = sa.func.ts_headline(
            config, Recommendation.text, self._tsquery(query, symbol=False), options
        )
        stmt = sa.select(Recommendation.id, headline).where(Recommendation.id.in_(ids))
        return db.session.execute(stmt).all()

    @staticmethod
    def _tsquery(query: SearchQuery, symbol: bool):
        """to_tsquery of quoted lexemes, the last word and the symbol as prefixes."""
        parts = [f"'{word}'" for word in query.words]
        if parts:
            parts[-1] += ":*"
        if symbol and query.symbol:
            parts.append("'" + query.symbol.casefold().replace("'", "''") + "':*")
        return sa.func.to_tsquery(sa.cast(PG_CONFIG, REGCONFIG), " & ".join(parts))


_BACKENDS = {"sqlite": _Sqlite(), "postgresql": _Postgres()}


def _backend() -> _Sqlite | _Postgres:
    return _BACKENDS[db.session.get_bind().dialect.name]
