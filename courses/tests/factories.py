from __future__ import annotations

import factory

from courses.models import Course, CourseCategory, CourseLevel


class CourseCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseCategory
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.LazyAttribute(lambda category: category.slug.replace("-", " ").title())


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        skip_postgeneration_save = True

    key = factory.Sequence(lambda n: f"course-{n}")
    title = factory.Sequence(lambda n: f"Course {n}")
    channel = "A Channel"
    url = factory.Sequence(lambda n: f"https://videos.example.com/course-{n}")
    language = "en"
    level = CourseLevel.BEGINNER
    category = factory.SubFactory(
        CourseCategoryFactory, slug="web-development", name="Web Development"
    )

    @factory.post_generation
    def roadmaps(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            self.roadmaps.set(extracted)


def version_of(roadmap) -> int:  # type: ignore[no-untyped-def]
    roadmap.refresh_from_db(fields=["content_version"])
    return roadmap.content_version
