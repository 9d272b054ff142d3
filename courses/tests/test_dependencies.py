"""The course catalog sits above roadmaps: roadmaps never imports it (its page includes the
courses partial and the link checker reads registered URL sources instead)."""

from __future__ import annotations

from roadmapfinder.tests.test_imports import import_graph, package_graph


def test_courses_depend_on_roadmaps_and_common_only_and_roadmaps_never_on_courses():
    packages = package_graph(import_graph())
    assert packages["courses"] <= {"roadmaps", "common"}
    assert "courses" not in packages["roadmaps"]
    assert "courses" not in packages["common"]
