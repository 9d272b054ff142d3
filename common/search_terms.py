"""How a typed query becomes the words we look for. The catalog filter and the site-wide search
both use it, so a query means the same thing wherever it is typed."""

from __future__ import annotations

import re

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
_TERM_RE = re.compile(r"[^\W_]+")


def search_terms(query: str) -> list[str]:
    """The words of a query, lowercased, without punctuation; at most MAX_TERMS.

    Letters and digits only, so a term is safe inside a tsquery or a regular expression.
    """
    terms: list[str] = []
    for term in _TERM_RE.findall(query[:MAX_QUERY_LENGTH].lower()):
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]
