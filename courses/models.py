"""The course catalog: video courses (title, channel, language, level, link) in categories,
linked to the roadmaps they serve.

Courses depend on roadmaps (the link to Roadmap, the http(s)-only URL field, the link checker's
verdicts); roadmaps never imports this app. The roadmap page shows a roadmap's courses through
this app's template tag, and the link checker learns about course URLs from `CoursesConfig`.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q

from common.languages import LANGUAGE_NAMES, language_name
from roadmaps.choices import Level
from roadmaps.models import HttpURLField, LinkStatus, Roadmap
from roadmaps.validators import validate_topic_key

LANGUAGE_CHOICES = list(LANGUAGE_NAMES.items())


class CourseLevel(models.TextChoices):
    """A course's level: the middle three of the roadmaps' five levels, with the same values, so
    a course and a phase at "beginner" mean the same thing."""

    BEGINNER = Level.BEGINNER.value, "Beginner"
    INTERMEDIATE = Level.INTERMEDIATE.value, "Intermediate"
    ADVANCED = Level.ADVANCED.value, "Advanced"


class CourseCategory(models.Model):
    slug = models.SlugField(
        unique=True,
        max_length=80,
        help_text="Used in the catalog's address (/courses/?category=<slug>) and by imports to "
        "find the category. Do not change it once courses use it.",
    )
    name = models.CharField(max_length=80, help_text="As learners see it, e.g. 'Web Development'.")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the catalog's category filter (smallest first)."
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "course category"
        verbose_name_plural = "course categories"

    def __str__(self) -> str:
        return self.name


class CourseQuerySet(models.QuerySet["Course"]):
    def published(self) -> CourseQuerySet:
        return self.filter(is_published=True)

    def visible_to(self, user: object) -> CourseQuerySet:
        """Published courses a person may see: learners never see a course whose link the checker
        confirmed broken (as with resources); editors see them all, `link_broken` set."""
        broken = Exists(LinkStatus.objects.broken_for_learners().for_url(OuterRef("url")))
        courses = self.published()
        if getattr(user, "is_staff", False):
            return courses.annotate(link_broken=broken)
        return courses.exclude(broken)

    def catalog(self, *, category: str = "", language: str = "", level: str = "") -> CourseQuerySet:
        """Courses as the catalog lists them, on the site and in the API alike: filtered by
        category slug, language code and level (each exact; empty means any), featured first,
        then by position and title. Call it on `visible_to(...)`."""
        courses = self
        if category:
            courses = courses.filter(category__slug=category)
        if language:
            courses = courses.filter(language=language)
        if level:
            courses = courses.filter(level=level)
        return courses.select_related("category").order_by("-featured", "position", "title", "pk")

    def for_roadmap(self, roadmap: Roadmap | int) -> CourseQuerySet:
        return self.filter(roadmaps=roadmap)

    def with_roadmaps(self) -> CourseQuerySet:
        """Load each course's published roadmaps into `published_roadmaps` (one more query for
        the whole list, whatever its length)."""
        roadmaps = Roadmap.objects.published().only("id", "slug", "title", "edition")
        return self.prefetch_related(
            Prefetch("roadmaps", queryset=roadmaps.order_by("title"), to_attr="published_roadmaps")
        )


class Course(models.Model):
    key = models.SlugField(
        max_length=100,
        validators=[validate_topic_key],
        help_text="Permanent identifier of the course: imports find the course by it, so "
        "running an import again updates the course instead of adding a copy. Lowercase "
        "letters, digits and hyphens.",
    )
    title = models.CharField(max_length=200, help_text="As learners see it on the course card.")
    channel = models.CharField(
        max_length=120,
        blank=True,
        help_text="The YouTube channel, author or publisher. Leave empty if unknown.",
    )
    url = HttpURLField(
        max_length=500,
        help_text="The course's address, e.g. a YouTube playlist. Only http:// and https:// "
        "addresses are accepted; the link checker checks it like a resource's.",
    )
    language = models.CharField(
        max_length=2,
        choices=LANGUAGE_CHOICES,
        default="en",
        db_index=True,
        help_text="The language the course is taught in; learners filter by it.",
    )
    level = models.CharField(
        max_length=16,
        choices=CourseLevel.choices,
        db_index=True,
        help_text="Who the course is for; learners filter by it.",
    )
    category = models.ForeignKey(
        CourseCategory,
        on_delete=models.PROTECT,
        related_name="courses",
        help_text="The catalog group it is listed under.",
    )
    rating = models.DecimalField(
        max_digits=2,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(5)],
        help_text="Optional, from 0 to 5 (e.g. 4.7). Leave empty to show no rating.",
    )
    badge = models.CharField(
        max_length=40,
        blank=True,
        help_text="Optional short label on the card, e.g. 'Bestseller' or 'New'.",
    )
    is_free = models.BooleanField(default=True, help_text="Untick for paid courses.")
    featured = models.BooleanField(
        default=False, help_text="Featured courses are listed first in the catalog."
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the catalog after featured courses (smallest first)."
    )
    is_published = models.BooleanField(
        default=True,
        db_index=True,
        help_text="Untick to hide the course from learners (the catalog, roadmap pages and the "
        "API) without deleting it.",
    )
    roadmaps = models.ManyToManyField(
        Roadmap,
        blank=True,
        related_name="courses",
        help_text="The roadmaps this course serves: it is shown on their pages, under "
        "'Courses for this roadmap'.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["-featured", "position", "title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                name="course_key_unique",
                violation_error_message="Another course already uses this key.",
            ),
            models.CheckConstraint(
                condition=Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="course_url_http",
                violation_error_message="Enter a full web address starting with http:// or "
                "https://.",
            ),
            models.CheckConstraint(
                condition=Q(language__in=list(LANGUAGE_NAMES)),
                name="course_language_known",
                violation_error_message="Choose one of the site's languages.",
            ),
            models.CheckConstraint(
                condition=Q(level__in=CourseLevel.values),
                name="course_level_known",
                violation_error_message="Choose beginner, intermediate or advanced.",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=0, rating__lte=5),
                name="course_rating_0_to_5",
                violation_error_message="A rating goes from 0 to 5.",
            ),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="course_title_not_empty",
                violation_error_message="Give the course a title.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def language_name(self) -> str:
        return language_name(self.language)
