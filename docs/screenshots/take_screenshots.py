"""Take the README screenshots of a running site (`make run`, or any base URL).

    .venv/bin/python docs/screenshots/take_screenshots.py [http://127.0.0.1:8000]

With RMF_SESSION set to a signed-in learner's session cookie, the learner's views of the Flask
page (progress figures, folded phases, the bar that stays in view) are taken too.

Uses the system Chromium (CHROMIUM_PATH, default /usr/bin/chromium); never downloads a browser.
Pages are captured viewport-sized (or clipped) so each PNG stays small.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

OUT = Path(__file__).parent
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 780}
PANEL = "click:#topic-client-server-model > p > a"
SHOTS: list[tuple[str, str, Any, Any, str | None]] = [
    # (file, path, viewport, theme, scroll-to anchor, or "click:<selector>" to click first)
    ("catalog-light.png", "/", DESKTOP, "light", None),
    ("catalog-dark.png", "/", DESKTOP, "dark", None),
    ("flask-desktop-light.png", "/roadmaps/flask/", DESKTOP, "light", None),
    ("flask-desktop-dark.png", "/roadmaps/flask/", DESKTOP, "dark", "#phase-4"),
    ("flask-phone-light.png", "/roadmaps/flask/", PHONE, "light", "#phase-2"),
    ("flask-phone-dark.png", "/roadmaps/flask/", PHONE, "dark", "#phase-2"),
    ("search-light.png", "/search/?q=jwt", DESKTOP, "light", None),
    # An item opened in place (the side panel; over the page on phones) and its own page.
    ("item-panel-desktop-light.png", "/roadmaps/flask/", DESKTOP, "light", PANEL),
    ("item-panel-phone-dark.png", "/roadmaps/flask/", PHONE, "dark", PANEL),
    ("item-page-light.png", "/roadmaps/flask/items/client-server-model/", DESKTOP, "light", None),
]
LEARNER_SHOTS: list[tuple[str, str, Any, Any, str | None]] = [
    ("flask-learner-desktop-light.png", "/roadmaps/flask/", DESKTOP, "light", None),
    ("flask-learner-desktop-dark.png", "/roadmaps/flask/", DESKTOP, "dark", "#phase-2"),
    ("flask-learner-phone-light.png", "/roadmaps/flask/", PHONE, "light", None),
    ("flask-learner-phone-dark.png", "/roadmaps/flask/", PHONE, "dark", "#phase-2"),
]


def main(base_url: str) -> None:
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        session = os.environ.get("RMF_SESSION", "")
        for name, path, viewport, theme, anchor in SHOTS + (LEARNER_SHOTS if session else []):
            context = browser.new_context(
                viewport=viewport,
                color_scheme=theme,
                device_scale_factor=1,
                is_mobile=viewport is PHONE,
                has_touch=viewport is PHONE,
            )
            if name.startswith("flask-learner-"):
                context.add_cookies([{"name": "sessionid", "value": session, "url": base_url}])
            page = context.new_page()
            page.emulate_media(reduced_motion="reduce")
            click = anchor[len("click:") :] if anchor and anchor.startswith("click:") else None
            page.goto(base_url.rstrip("/") + path + ("" if click else anchor or ""))
            page.wait_for_load_state("networkidle")
            if click:
                page.locator(click).click()
                page.locator("dialog.item-panel[open]").wait_for()
            page.screenshot(path=str(OUT / name))
            context.close()
            print(f"{name}: {(OUT / name).stat().st_size // 1024} KB")  # noqa: T201
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
