"""A whole roadmap as one person may see it, loaded in a fixed number of queries.

The one loader of a roadmap's content: the roadmap page renders this tree and the API serializes
it, so both place items and resources by the same rules (retired items and their resources are
left out; a resource belongs to its item, else its phase, else the roadmap).

One query per level of the tree (phases, sections, active topics, resources, FAQs), each filtered
by the roadmap rather than by a list of parent ids, then assembled in Python. A roadmap therefore
costs the same number of queries for 20 items or 2,000, and no query carries thousands of
parameters.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from common.languages import language_name
from roadmaps.models import FAQ, Phase, Resource, ResourceQuerySet, Roadmap, Section, Topic


@dataclass
class TopicNode:
    topic: Topic
    number: int  # 1-based inside its section, as the seed roadmap numbers items
    resources: list[Resource] = field(default_factory=list)


@dataclass
class SectionNode:
    section: Section
    topics: list[TopicNode] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return section_anchor(self.section.phase.position, self.section.position)


@dataclass
class PhaseNode:
    phase: Phase
    sections: list[SectionNode] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)

    @property
    def topic_count(self) -> int:
        return sum(len(section.topics) for section in self.sections)


@dataclass
class RoadmapTree:
    roadmap: Roadmap
    phases: list[PhaseNode]
    resources: list[Resource]  # attached to the roadmap itself
    faqs: list[FAQ]
    languages: list[tuple[str, str]]  # (code, name) of every resource language, English first

    @property
    def topic_count(self) -> int:
        return sum(phase.topic_count for phase in self.phases)

    def sections(self) -> Iterator[SectionNode]:
        for phase in self.phases:
            yield from phase.sections

    def topics(self) -> Iterator[TopicNode]:
        for section in self.sections():
            yield from section.topics

    def all_resources(self) -> Iterator[Resource]:
        """Every resource placed in the tree: the roadmap's, each phase's, each item's."""
        yield from self.resources
        for phase in self.phases:
            yield from phase.resources
        for topic in self.topics():
            yield from topic.resources


def phase_anchor(position: int) -> str:
    return f"phase-{position}"


def section_anchor(phase_position: int, section_position: int) -> str:
    return f"section-{phase_position}-{section_position}"


def topic_anchor(key: str) -> str:
    return f"topic-{key}"


def _place_resources(
    resources: ResourceQuerySet, phases: dict[int, PhaseNode], topics: dict[int, TopicNode]
) -> list[Resource]:
    """Hang each resource on its item, else its phase; returns those of the roadmap itself.
    Resources of retired items are left out with their items."""
    roadmap_resources: list[Resource] = []
    # Learners never get a link confirmed broken (visible_to); editors get every link with its
    # health, so they fix what learners can't see. The API reports the health to everyone.
    for resource in resources.with_link_status():
        if resource.topic_id is not None:
            if resource.topic_id in topics:
                topics[resource.topic_id].resources.append(resource)
        elif resource.phase_id is not None:
            phases[resource.phase_id].resources.append(resource)
        else:
            roadmap_resources.append(resource)
    return roadmap_resources


def roadmap_tree(*, roadmap: Roadmap, user: object, preferred_language: str = "") -> RoadmapTree:
    """Load `roadmap`'s phases, sections, active topics, the resources `user` may see (each
    with its link health, `Resource.objects.with_link_status`) and the FAQs: five queries
    whatever the roadmap's size. Resources in `preferred_language` come first in every list
    (the page passes the learner's preference; the API, cached per audience, keeps the editors'
    order)."""
    phases = [PhaseNode(phase=phase) for phase in Phase.objects.filter(roadmap=roadmap)]
    phase_by_id = {node.phase.pk: node for node in phases}
    for node in phases:
        node.phase.roadmap = roadmap  # spare templates and anchors a query per phase

    sections: dict[int, SectionNode] = {}
    for section in Section.objects.filter(phase__roadmap=roadmap).order_by("position", "id"):
        phase_node = phase_by_id[section.phase_id]
        section.phase = phase_node.phase
        sections[section.pk] = SectionNode(section=section)
        phase_node.sections.append(sections[section.pk])

    topics: dict[int, TopicNode] = {}
    for topic in (
        Topic.objects.active()
        .filter(roadmap=roadmap, section__isnull=False)
        .order_by("position", "id")
    ):
        section_node = sections.get(topic.section_id)  # type: ignore[arg-type]
        if section_node is None:
            # Not this roadmap's section: the admin refuses such a move, but a page must never
            # fail on a row written some other way.
            continue
        topic.section = section_node.section
        topic.roadmap = roadmap
        topic_node = TopicNode(topic=topic, number=len(section_node.topics) + 1)
        section_node.topics.append(topic_node)
        topics[topic.pk] = topic_node

    tree = RoadmapTree(
        roadmap=roadmap,
        phases=phases,
        resources=_place_resources(
            Resource.objects.visible_to(user)
            .filter(roadmap=roadmap)
            .in_reading_order(preferred_language=preferred_language),
            phase_by_id,
            topics,
        ),
        faqs=list(FAQ.objects.filter(roadmap=roadmap)),
        languages=[],
    )
    codes = {resource.language for resource in tree.all_resources()}
    tree.languages = [
        (code, language_name(code))
        for code in sorted(codes, key=lambda code: (code != "en", language_name(code)))
    ]
    return tree
