"""Search across roadmap titles, phases, sections, items and resources, one page at a time.

`roadmap_search(query=..., user=..., page=...)` is the one entry point: the /search/ page, the
API's `GET /api/v1/search` and the header's suggestions (`search_suggestions`) all call it.

Order: hits of roadmaps whose title holds every word first, then roadmaps by their best hit,
then inside a roadmap best hit first, items before phases, roadmaps and resources. The answer
is one page of that order plus the honest total, so a query matching 15,000 items costs the
same page of rows as one matching ten.

On PostgreSQL one statement ranks every match and returns only the page's ids and the total
(`COUNT(*) OVER ()`); the page's rows are then loaded by id, one query per kind on the page.
Matching is weighted full-text search (ts_rank) over each table's stored `search_document`
column (a generated tsvector with a GIN index, migration 0009: `StoredDocument`). When
nothing matches, titles are compared by trigram word similarity (pg_trgm, migration 0009), so
"celry" still finds Celery.

On SQLite, the embedded default, every word must appear in one of the same fields
(case-insensitive), hits are ranked in Python with the same field weights, and a word that
matches nothing is corrected to the closest word of the published titles
(`roadmaps.search_vocabulary`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any, NamedTuple

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramSimilarity,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import Expression, F, IntegerField, Q, QuerySet, Value

from common.pager import Pager
from common.search_terms import MAX_QUERY_LENGTH, search_terms
from roadmaps.models import Roadmap
from roadmaps.search_targets import TARGETS, SearchHit, SearchTarget, visible_roadmaps
from roadmaps.search_vocabulary import corrected_terms

__all__ = ["TARGETS", "SearchGroup", "SearchHit", "SearchResults", "roadmap_search"]

SEARCH_CONFIG = "english"
PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
WORD_SIMILARITY = 0.5  # pg_trgm word similarity a title needs to be a close match
MIN_CLOSE_LENGTH = 3  # letters typed before close matches are worth guessing ("i" is not)
# ts_rank's default weights for D, C, B, A; the SQLite fallback scores a field match the same way.
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}


@dataclass
class SearchGroup:
    """The hits of one roadmap on the page shown (a roadmap's hits may go on over the next
    page: `continued` says this group began on an earlier one)."""

    roadmap: Roadmap
    hits: list[SearchHit]
    continued: bool = False

    @property
    def rank(self) -> float:
        return max((hit.rank for hit in self.hits), default=0.0)


@dataclass
class SearchResults:
    """One page of results. `total` counts every hit on every page; `close_matches` says the
    words matched nothing as typed and these are the nearest titles (`corrected` is the query
    as it was corrected, where the fallback corrects words)."""

    query: str
    groups: list[SearchGroup]
    total: int
    page: int
    page_size: int
    close_matches: bool = False
    corrected: str = ""

    @property
    def page_count(self) -> int:
        return max(math.ceil(self.total / self.page_size), 1)

    @property
    def hits(self) -> list[SearchHit]:
        return [hit for group in self.groups for hit in group.hits]

    @property
    def out_of_range(self) -> bool:
        return self.page > self.page_count

    def pager(self, *, path: str, query: str) -> Pager:
        """The site's pager (`common.pager`) over these results; `query` is the other
        parameters of the page's links (the words), urlencoded."""
        return Pager(
            number=min(self.page, self.page_count),
            last=self.page_count,
            count=self.total,
            size=self.page_size,
            path=path,
            query=query,
        )


class _Match(NamedTuple):
    target: int  # index in TARGETS
    pk: int
    roadmap_id: int
    rank: float


# --- PostgreSQL ---------------------------------------------------------------------------------


class StoredDocument(Expression):
    """The searched table's `search_document` column: a stored generated tsvector that
    migration 0009 adds on PostgreSQL only (so no model declares it) and GIN-indexes. It is the
    weighted document of the target's fields (title A, ...), computed once per write: ranking
    reads it instead of running to_tsvector over every matched row."""

    output_field = SearchVectorField()

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        return f"{table}.search_document", []


def _tsquery(terms: list[str]) -> SearchQuery:
    # Every word must match; the last one also as a prefix, so "blue" finds "Blueprints" while
    # the learner is still typing. Terms are letters and digits only, so they cannot inject
    # tsquery operators.
    raw = " & ".join([*terms[:-1], f"{terms[-1]}:*"])
    return SearchQuery(raw, search_type="raw", config=SEARCH_CONFIG)


def _hit_columns(index: int, target: SearchTarget, rows: QuerySet, rank: Any) -> QuerySet:
    """The five columns every kind contributes to the ranked union, in this order (the
    statement in `_postgres_page` names them by position)."""
    return (
        rows.annotate(
            hit_target=Value(index, output_field=IntegerField()),
            hit_id=F("pk"),
            hit_roadmap=F(target.roadmap_field),
            hit_rank=rank,
            hit_priority=Value(target.priority, output_field=IntegerField()),
        )
        .values("hit_target", "hit_id", "hit_roadmap", "hit_rank", "hit_priority")
        .order_by()
    )


def _full_text(index: int, target: SearchTarget, terms: list[str], user: object) -> QuerySet:
    document = StoredDocument()
    query = _tsquery(terms)
    rows = target.rows(user).annotate(search_document=document).filter(search_document=query)
    return _hit_columns(index, target, rows, SearchRank(document, query))


def _trigram(index: int, target: SearchTarget, terms: list[str], user: object) -> QuerySet:
    # `%>` (word similarity at least pg_trgm.word_similarity_threshold, set to WORD_SIMILARITY
    # before the statement) is what the trigram index serves.
    text = " ".join(terms)
    rows = target.rows(user).filter(**{f"{target.title_field}__trigram_word_similar": text})
    # Ties at the threshold are common ("celry" is 0.5 from "Celery" and from "Cells and
    # tables"); the whole title's similarity breaks them in favour of the closer title.
    similarity = TrigramWordSimilarity(text, target.title_field) + TrigramSimilarity(
        target.title_field, text
    )
    return _hit_columns(index, target, rows, similarity)


def _postgres_page(
    parts: list[QuerySet], first_roadmaps: list[int], offset: int, limit: int
) -> tuple[list[_Match], int]:
    """One statement: every match ranked, only the page's rows returned, with the total."""
    sqls: list[str] = []
    params: list[Any] = []
    for part in parts:
        sql, part_params = part.query.sql_with_params()
        sqls.append(f"({sql})")
        params.extend(part_params)
    union = " UNION ALL ".join(sqls)
    statement = (
        f"WITH hits (target, id, roadmap_id, rank, priority) AS ({union}), "  # noqa: S608
        "scored AS (SELECT *, MAX(rank) OVER (PARTITION BY roadmap_id) AS roadmap_rank, "
        "COUNT(*) OVER () AS total FROM hits) "
        "SELECT target, id, roadmap_id, rank, total FROM scored "
        "ORDER BY (roadmap_id = ANY(%s)) DESC, roadmap_rank DESC, roadmap_id, rank DESC, "
        "priority, id LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, first_roadmaps, limit, offset])
        rows = cursor.fetchall()
        if rows or offset == 0:
            total = rows[0][4] if rows else 0
        else:  # past the last page: the total still tells where the results end
            cursor.execute(f"WITH hits AS ({union}) SELECT COUNT(*) FROM hits", params)  # noqa: S608
            total = cursor.fetchone()[0]
    return [_Match(row[0], row[1], row[2], float(row[3])) for row in rows], total


def _postgres_matches(
    terms: list[str], user: object, first_roadmaps: list[int], offset: int, limit: int
) -> tuple[list[_Match], int, bool]:
    exact = [_full_text(i, target, terms, user) for i, target in enumerate(TARGETS)]
    matches, total = _postgres_page(exact, first_roadmaps, offset, limit)
    if total or len("".join(terms)) < MIN_CLOSE_LENGTH:
        return matches, total, False
    close = [_trigram(i, target, terms, user) for i, target in enumerate(TARGETS)]
    with connection.cursor() as cursor:
        # pg_trgm's default (0.6) misses one-letter slips in short words ("celry" and
        # "Celery" score 0.5); the setting is per session and only this query uses it.
        cursor.execute(f"SET pg_trgm.word_similarity_threshold = {WORD_SIMILARITY}")
    matches, total = _postgres_page(close, first_roadmaps, offset, limit)
    return matches, total, bool(total)


# --- SQLite (and any other database) ------------------------------------------------------------


def _fallback_all(terms: list[str], user: object) -> list[_Match]:
    """Every match with its rank; the fields are read as values, never as model instances."""
    matches: list[_Match] = []
    for index, target in enumerate(TARGETS):
        names = [name for name, _weight in target.fields]
        condition = Q()
        for term in terms:
            condition &= reduce(or_, (Q(**{f"{name}__icontains": term}) for name in names))
        rows = target.rows(user).filter(condition).order_by()
        for pk, roadmap_id, *texts in rows.values_list("pk", target.roadmap_field, *names):
            lowered = [str(text or "").lower() for text in texts]
            rank = sum(
                max(
                    (
                        WEIGHTS[weight]
                        for (_n, weight), text in zip(target.fields, lowered, strict=True)
                        if term in text
                    ),
                    default=0.0,
                )
                for term in terms
            )
            matches.append(_Match(index, pk, roadmap_id, rank / len(terms)))
    return matches


def _fallback_page(
    matches: list[_Match], first_roadmaps: list[int], offset: int, limit: int
) -> tuple[list[_Match], int]:
    best: dict[int, float] = {}
    for match in matches:
        best[match.roadmap_id] = max(best.get(match.roadmap_id, 0.0), match.rank)
    first = set(first_roadmaps)
    ordered = sorted(
        matches,
        key=lambda m: (
            m.roadmap_id not in first,
            -best[m.roadmap_id],
            m.roadmap_id,
            -m.rank,
            TARGETS[m.target].priority,
            m.pk,
        ),
    )
    return ordered[offset : offset + limit], len(ordered)


def _fallback_matches(
    terms: list[str], user: object, first_roadmaps: list[int], offset: int, limit: int
) -> tuple[list[_Match], int, list[str]]:
    page, total = _fallback_page(_fallback_all(terms, user), first_roadmaps, offset, limit)
    if total:
        return page, total, terms
    corrected = corrected_terms(terms)
    if corrected == terms:
        return [], 0, terms
    first_roadmaps = _title_matches(corrected, user)
    page, total = _fallback_page(_fallback_all(corrected, user), first_roadmaps, offset, limit)
    return page, total, corrected


# --- Entry point --------------------------------------------------------------------------------


def _title_matches(terms: list[str], user: object) -> list[int]:
    """Roadmaps whose title holds every word: they come first ("python" finds the Python
    roadmap before roadmaps that merely mention Python in many items)."""
    rows = visible_roadmaps(user)
    for term in terms:
        rows = rows.filter(title__icontains=term)
    return list(rows.values_list("pk", flat=True))


def _load_page(matches: list[_Match], user: object) -> list[SearchGroup]:
    """The page's rows, one query per kind present, grouped by roadmap in page order."""
    wanted: dict[int, list[int]] = {}
    for match in matches:
        wanted.setdefault(match.target, []).append(match.pk)
    loaded: dict[tuple[int, int], Any] = {}
    for index, pks in wanted.items():
        target = TARGETS[index]
        for row in target.rows(user).select_related(*target.related).filter(pk__in=pks):
            loaded[(index, row.pk)] = row
    groups: list[SearchGroup] = []
    for match in matches:
        row = loaded.get((match.target, match.pk))
        if row is None:  # deleted between the two queries
            continue
        target = TARGETS[match.target]
        roadmap = target.roadmap(row)
        if not groups or groups[-1].roadmap.pk != roadmap.pk:
            groups.append(SearchGroup(roadmap=roadmap, hits=[]))
        groups[-1].hits.append(target.hit(row, match.rank))
    return groups


def roadmap_search(
    *, query: str, user: object, page: int = 1, page_size: int = PAGE_SIZE
) -> SearchResults:
    """Page `page` of everything matching `query` that `user` may see (module docstring for
    the order). A query without words finds nothing. A page past the end has no groups but
    the true total. Costs three queries on PostgreSQL (title matches, the ranked page, and the
    trigram page only when nothing matched exactly) plus one per kind shown on the page."""
    query = query[:MAX_QUERY_LENGTH]
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    page = max(page, 1)
    results = SearchResults(query=query, groups=[], total=0, page=page, page_size=page_size)
    terms = search_terms(query)
    if not terms:
        return results
    first_roadmaps = _title_matches(terms, user)
    # From page 2 on, the hit before the page comes along: when it is of the same roadmap as
    # the page's first hit, that roadmap's group began on the page before.
    lead = 1 if page > 1 else 0
    offset, limit = (page - 1) * page_size - lead, page_size + lead
    if connection.vendor == "postgresql":
        matches, total, close = _postgres_matches(terms, user, first_roadmaps, offset, limit)
        results.close_matches = close
    else:
        matches, total, used = _fallback_matches(terms, user, first_roadmaps, offset, limit)
        if used != terms:
            results.close_matches = True
            results.corrected = " ".join(used)
    before, matches = (matches[0] if lead and matches else None), matches[lead:]
    results.total = total
    results.groups = _load_page(matches, user)
    if before is not None and results.groups:
        results.groups[0].continued = before.roadmap_id == results.groups[0].roadmap.pk
    return results
