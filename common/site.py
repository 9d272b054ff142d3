"""Addresses on the public site as people outside it reach them."""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` (as `reverse()` or `get_absolute_url()` give it, starting with "/") on SITE_URL.

    Canonical links, sitemaps, emails and API payloads use it instead of the request's host,
    which a proxy or a hostile Host header could change.
    """
    return settings.SITE_URL + path
