"""static/css/site.css: the dark palette is declared twice (toggle and system setting)."""

from __future__ import annotations

import re
from pathlib import Path

SITE_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"


def _declarations(block: str) -> dict[str, str]:
    return {
        name: value.strip()
        for name, value in re.findall(r"(--?[\w-]+|color-scheme)\s*:\s*([^;]+);", block)
    }


def test_toggle_and_system_dark_palettes_are_identical():
    css = SITE_CSS.read_text(encoding="utf-8")
    toggle = re.search(r':root\[data-theme="dark"\]\s*\{(.*?)\}', css, re.S)
    system = re.search(
        r"@media \(prefers-color-scheme: dark\)\s*\{\s*"
        r':root:not\(\[data-theme="light"\]\)\s*\{(.*?)\}',
        css,
        re.S,
    )
    assert toggle and system
    toggle_palette = _declarations(toggle.group(1))
    assert len(toggle_palette) > 20
    assert _declarations(system.group(1)) == toggle_palette
