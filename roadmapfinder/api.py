"""The public JSON API, version 1. Each app contributes a ninja Router from its `api.py`."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="Roadmapfinder API",
    version="1.0.0",
    urls_namespace="api-v1",
    description="Industry-ready learning roadmaps as JSON: public roadmaps, search, and the "
    "signed-in learner's progress.",
)


@api.get("/health", tags=["meta"], summary="Liveness check")
def health(request) -> dict[str, str]:
    """Answers `{"status": "ok"}` when the application is up."""
    return {"status": "ok"}
