"""Sections other apps add to "Download my data", without accounts importing them.

An app registers its section from its AppConfig.ready():

    from accounts.exports import register_export
    register_export("progress", progress_export)   # progress_export(user) -> JSON-able value
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accounts.models import User

ExportFunction = Callable[["User"], Any]

_sections: dict[str, ExportFunction] = {}

# Names the accounts app writes itself; another app taking one would overwrite account data.
RESERVED_SECTIONS = frozenset(
    {"format", "exported_at", "account", "email_addresses", "connected_accounts", "api_tokens"}
)


def register_export(name: str, fn: ExportFunction) -> None:
    """Add a top-level section `name` to every data export; `fn(user)` returns JSON-able data.

    Registering the same name with the same function again is harmless (ready() may run twice
    in tests); a different function under a taken name is a programming error.
    """
    if name in RESERVED_SECTIONS:
        raise ValueError(f"export section {name!r} is reserved for the accounts app")
    existing = _sections.get(name)
    if existing is not None and existing is not fn:
        raise ValueError(f"export section {name!r} is already registered by {existing!r}")
    _sections[name] = fn


def unregister_export(name: str) -> None:
    """Remove a section (for tests)."""
    _sections.pop(name, None)


def registered_exports() -> dict[str, ExportFunction]:
    return dict(_sections)
