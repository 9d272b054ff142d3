"""Pages of a site list (the catalog): which page a request asks for, which numbers the pager
shows, and the links to them with the request's other query parameters kept.

A page number that is not a whole number reads as page 1; numbers below 1 or past the last page
are clamped to the nearest page, so an old bookmark (a catalog that shrank) still lands on a list.
The page shown says its real number (and the canonical link points at it), so a clamped address
never passes for another page. The API pages the same list with `common.api_pages` (same order,
same numbering); past its end it answers an empty page instead, as JSON clients expect.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.http import HttpRequest

# Pages next to the current one that the pager names; the first and the last are always named.
NEIGHBOURS = 1


def page_count(count: int, size: int) -> int:
    """Pages for `count` items, at least one (an empty list still has its first page)."""
    return max(math.ceil(count / size), 1)


def page_number(raw: str | None, *, last: int) -> int:
    """The page to show for the `page` parameter `raw`, within 1..last."""
    text = (raw or "").strip()
    if not (text.isascii() and text.isdigit()):
        return 1
    if len(text) > 9:  # far past any end; int() of a huge string would cost CPU for nothing
        return last
    return min(max(int(text), 1), last)


def page_window(number: int, last: int) -> list[int | None]:
    """The page numbers a pager shows: the first, the last, and the current one with its
    neighbours; None where numbers are left out (an ellipsis). A gap of one number shows that
    number instead, since the ellipsis would take as much room."""
    shown = {1, last, *range(number - NEIGHBOURS, number + NEIGHBOURS + 1)}
    numbers = sorted(n for n in shown if 1 <= n <= last)
    window: list[int | None] = []
    for n in numbers:
        if window and n - (window[-1] or 0) == 2:
            window.append(n - 1)
        elif window and n - (window[-1] or 0) > 2:
            window.append(None)
        window.append(n)
    return window


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: an ellipsis
    href: str = ""
    current: bool = False


@dataclass(frozen=True)
class Pager:
    """Page `number` of `last`, over `count` items shown `size` at a time."""

    number: int
    last: int
    count: int
    size: int
    path: str  # the list's address
    query: str  # the request's other query parameters (filters), urlencoded; "" when none

    @classmethod
    def for_request(cls, request: HttpRequest, *, count: int, size: int) -> Pager:
        last = page_count(count, size)
        others = request.GET.copy()
        raw = others.pop("page", [""])[-1]
        return cls(
            number=page_number(raw, last=last),
            last=last,
            count=count,
            size=size,
            path=request.path,
            query=others.urlencode(),
        )

    @property
    def start(self) -> int:
        """Offset of the page's first item."""
        return (self.number - 1) * self.size

    @property
    def first_shown(self) -> int:
        return min(self.start + 1, self.count)

    @property
    def last_shown(self) -> int:
        return min(self.start + self.size, self.count)

    @property
    def has_other_pages(self) -> bool:
        return self.last > 1

    def href(self, number: int) -> str:
        """The link to page `number` with the same filters; page 1 carries no `page`, so it
        is the list's own address."""
        parts = [self.query] if self.query else []
        if number > 1:
            parts.append(f"page={number}")
        return self.path + ("?" + "&".join(parts) if parts else "")

    @property
    def previous_href(self) -> str:
        return self.href(self.number - 1) if self.number > 1 else ""

    @property
    def next_href(self) -> str:
        return self.href(self.number + 1) if self.number < self.last else ""

    @property
    def links(self) -> list[PageLink]:
        return [
            PageLink(n, self.href(n), n == self.number) if n is not None else PageLink(None)
            for n in page_window(self.number, self.last)
        ]
