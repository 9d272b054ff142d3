"""Typo tolerance where PostgreSQL's trigrams are not available (SQLite, the embedded default).

A word that matches nothing is replaced by the closest word of the published titles (roadmaps,
phases, sections, items, resources), by difflib's similarity ratio: "celry" becomes "celery".
The vocabulary is built once per catalog stamp (every content write and status change moves
it, `roadmaps.pages.catalog_stamp`), kept in this process's memory, and bounded, so a request
never reads all rows: it reads one stamp and compares a few words against a set.
Only published roadmaps feed it, so no draft's words are ever suggested to anyone.
"""

from __future__ import annotations

import difflib
import re

from common.stored import Store
from roadmaps.models import Phase, Resource, Roadmap, Section, Topic
from roadmaps.pages import catalog_stamp

MAX_WORDS = 20_000
MIN_LENGTH = 3  # shorter words have too many near neighbours to guess from
CUTOFF = 0.75  # "celry"/"celery" is 0.91, "flask"/"fastapi" 0.50
_WORD_RE = re.compile(r"[^\W_]+")
# One vocabulary per process, for the current catalog stamp (`common.stored`).
VOCABULARY: Store[frozenset[str]] = Store(max_entries=1)


def _titles() -> list[str]:
    published = Roadmap.objects.published()
    queries = [
        published.values_list("title", flat=True),
        Phase.objects.filter(roadmap__in=published).values_list("title", flat=True),
        Section.objects.filter(phase__roadmap__in=published).values_list("title", flat=True),
        Topic.objects.active().filter(roadmap__in=published).values_list("title", flat=True),
        Resource.objects.filter(roadmap__in=published).values_list("title", flat=True),
    ]
    return [title for query in queries for title in query.order_by().distinct()]


def title_words() -> frozenset[str]:
    """The distinct lowercase words of published titles, at most MAX_WORDS (the most
    frequent kept), for the current catalog stamp."""
    return VOCABULARY.get("words", catalog_stamp(), _title_words)


def _title_words() -> frozenset[str]:
    counts: dict[str, int] = {}
    for title in _titles():
        for word in _WORD_RE.findall(title.lower()):
            if len(word) >= MIN_LENGTH and not word.isdigit():
                counts[word] = counts.get(word, 0) + 1
    return frozenset(sorted(counts, key=lambda word: (-counts[word], word))[:MAX_WORDS])


def corrected_terms(terms: list[str]) -> list[str]:
    """`terms` with each word that no title word contains replaced by the closest title word
    (if one is close enough); unchanged when nothing needed or could be corrected."""
    words = title_words()
    corrected = []
    for term in terms:
        if len(term) < MIN_LENGTH or any(term in word for word in words):
            corrected.append(term)
            continue
        close = difflib.get_close_matches(term, words, n=1, cutoff=CUTOFF)
        corrected.append(close[0] if close else term)
    return corrected
