"""Tags of the course partials; the roadmap page includes `courses/_roadmap_courses.html`, so
roadmaps never imports this app. Tags only render: the data comes from `courses.catalog`."""

from __future__ import annotations

from django import template

from courses.catalog import roadmap_courses as load_roadmap_courses
from courses.models import Course
from roadmaps.models import Roadmap

register = template.Library()


@register.simple_tag(takes_context=True)
def roadmap_courses(context: template.Context, roadmap: Roadmap) -> list[Course]:
    return load_roadmap_courses(roadmap=roadmap, user=context["request"].user)
