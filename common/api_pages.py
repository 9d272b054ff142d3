"""The shape every list answer of the API shares: `count`, `next`, `previous`, then `items`.

`next` and `previous` are absolute URLs (on SITE_URL, like every link the API gives) of the
neighbouring pages with the caller's own query parameters, so a client pages through a filtered
list by following links instead of building URLs; they are null at the ends.
"""

from __future__ import annotations

import math

from django.http import HttpRequest
from ninja import Field, Schema

from common.site import absolute_url


class ListOut(Schema):
    """A page of a list; subclasses add `items`."""

    count: int = Field(description="Items on all pages.", examples=[1])
    next: str | None = Field(
        description="The next page (absolute URL, same query parameters); null on the last.",
        examples=["https://roadmapfinder.example/api/v1/roadmaps?page=2&page_size=20"],
    )
    previous: str | None = Field(
        description="The previous page (absolute URL, same query parameters); null on the first.",
        examples=["https://roadmapfinder.example/api/v1/roadmaps?page=1&page_size=20"],
    )


def page_url(request: HttpRequest, page: int) -> str:
    """This request's URL, absolute, with `page` set and every other query parameter kept."""
    query = request.GET.copy()
    query["page"] = str(page)
    return absolute_url(request.path) + "?" + query.urlencode()


def page_links(
    request: HttpRequest, *, page: int, page_size: int, count: int
) -> dict[str, str | None]:
    """`next` and `previous` for page `page` of `count` items. From a page past the end,
    `previous` leads back to the last page."""
    last = max(math.ceil(count / page_size), 1)
    return {
        "next": page_url(request, page + 1) if page < last else None,
        "previous": page_url(request, min(page - 1, last)) if page > 1 else None,
    }


# A list the API answers in one page (a learner's roadmaps): the same shape, no neighbours.
SINGLE_PAGE: dict[str, str | None] = {"next": None, "previous": None}
