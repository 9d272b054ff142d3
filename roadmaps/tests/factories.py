from __future__ import annotations

from decimal import Decimal

import factory

from roadmaps.models import FAQ, Level, Phase, Resource, Roadmap, Section, Topic


class RoadmapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Roadmap

    slug = factory.Sequence(lambda n: f"roadmap-{n}")
    title = factory.Sequence(lambda n: f"Roadmap {n}")
    edition = "2026"
    summary = "A generated roadmap."
    category = "Backend"
    status = Roadmap.Status.PUBLISHED
    completion_message = "Well done!"


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    roadmap = factory.SubFactory(RoadmapFactory)
    position = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Phase title {n}")
    level = Level.BEGINNER
    level_label = "Beginner Level"
    duration_min = Decimal(0)
    duration_max = Decimal(1)
    duration_unit = Phase.Unit.MONTHS


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    phase = factory.SubFactory(PhaseFactory)
    position = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Section {n}")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    section = factory.SubFactory(SectionFactory)
    roadmap = factory.LazyAttribute(lambda topic: topic.section.phase.roadmap)
    position = factory.Sequence(lambda n: n)
    key = factory.Sequence(lambda n: f"topic-{n}")
    title = factory.Sequence(lambda n: f"Topic {n}")
    summary = "What it is about"


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    roadmap = factory.SubFactory(RoadmapFactory)
    kind = Resource.Kind.OFFICIAL_DOCS
    title = factory.Sequence(lambda n: f"Resource {n}")
    url = factory.Sequence(lambda n: f"https://docs.example.com/{n}/")
    language = "en"


class FAQFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FAQ

    roadmap = factory.SubFactory(RoadmapFactory)
    question = factory.Sequence(lambda n: f"Question {n}?")
    answer = "An answer."


def roadmap_generate(
    *, slug: str = "generated", phases: int = 4, sections: int = 3, topics: int = 40
) -> Roadmap:
    """A published roadmap with `topics` items spread over phases and sections, plus one
    resource per phase and per tenth item, and a few FAQs; built with bulk inserts."""
    levels = list(Level.values)
    roadmap = RoadmapFactory(slug=slug, title=f"Generated {slug}")
    phase_rows = Phase.objects.bulk_create(
        Phase(
            roadmap=roadmap,
            position=p,
            title=f"Phase {p} title",
            level=levels[min(p * len(levels) // max(phases, 1), len(levels) - 1)],
            level_label="Generated level",
            duration_min=Decimal(p),
            duration_max=Decimal(p + 1),
            duration_unit=Phase.Unit.MONTHS,
            summary=f"Summary of phase {p}",
        )
        for p in range(phases)
    )
    section_rows = Section.objects.bulk_create(
        Section(phase=phase, position=s, title=f"Section {phase.position}.{s}")
        for phase in phase_rows
        for s in range(sections)
    )
    kinds = [Topic.Kind.TOPIC] * 8 + [Topic.Kind.PROJECT, Topic.Kind.GOAL]
    topic_rows = Topic.objects.bulk_create(
        Topic(
            roadmap=roadmap,
            section=section_rows[t % len(section_rows)],
            position=t // len(section_rows),
            key=f"item-{t}",
            title=f"Item {t}",
            summary=f"About item {t}",
            kind=kinds[t % len(kinds)],
        )
        for t in range(topics)
    )
    Resource.objects.bulk_create(
        [
            *(
                Resource(
                    roadmap=roadmap,
                    phase=phase,
                    kind=Resource.Kind.VIDEO_COURSE,
                    title=f"Course for phase {phase.position}",
                    url=f"https://videos.example.com/{slug}/{phase.position}",
                    language="hi" if phase.position % 2 else "en",
                )
                for phase in phase_rows
            ),
            *(
                Resource(
                    roadmap=roadmap,
                    topic=topic,
                    kind=Resource.Kind.OFFICIAL_DOCS,
                    title=f"Docs for {topic.title}",
                    url=f"https://docs.example.com/{slug}/{topic.key}",
                )
                for topic in topic_rows[::10]
            ),
        ]
    )
    FAQ.objects.bulk_create(
        FAQ(roadmap=roadmap, position=i, question=f"Question {i}?", answer="Answer.")
        for i in range(3)
    )
    return roadmap
