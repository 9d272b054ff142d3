"""Phase: one step of a roadmap ("Phase 3: Databases"), with an optional level and duration.

The level is one of five (prerequisite ... expert) and is what filters and the catalog's level
range read; a phase may have none ("Reality Check"). The duration is a range in months, weeks
or days plus the label as written (rules in `roadmaps.durations`).

The model belongs to the `roadmaps` app and `roadmaps.models` re-exports it; this module never
imports `roadmaps.models` (the two would import each other), so it names models as strings.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from roadmaps.choices import Accent, Level
from roadmaps.durations import Duration, DurationUnit, in_months, timeline_text

_NO_RANGE = Q(duration_min__isnull=True, duration_max__isnull=True, duration_unit="")
_RANGE = Q(duration_min__isnull=False, duration_max__isnull=False) & ~Q(duration_unit="")


class Phase(models.Model):
    Unit = DurationUnit

    roadmap = models.ForeignKey("roadmaps.Roadmap", on_delete=models.CASCADE, related_name="phases")
    position = models.PositiveSmallIntegerField(
        default=0,
        help_text="The phase number shown to learners ('Phase 0', 'Phase 1', ...). "
        "Phases are renumbered 0, 1, 2, ... in this order when you save.",
    )
    title = models.CharField(max_length=200, help_text="e.g. 'Web Fundamentals'.")
    level = models.CharField(
        max_length=16,
        blank=True,
        choices=Level.choices,
        help_text="Used for filtering and the catalog's level range. Leave empty for a phase "
        "that has no level (e.g. 'Reality Check'): it is shown without one.",
    )
    level_label = models.CharField(
        max_length=80,
        blank=True,
        help_text="The label shown under the title, e.g. 'Mandatory Prerequisites' or "
        "'Beginner Level'. Leave empty to show the level's name.",
    )
    duration_min = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Start of the time range, e.g. 1 in '1-1.5 months'. Decimals allowed.",
    )
    duration_max = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="End of the time range, e.g. 1.5 in '1-1.5 months'; the same as the start "
        "for '2 weeks'.",
    )
    duration_unit = models.CharField(
        max_length=8,
        blank=True,
        choices=DurationUnit.choices,
        help_text="Unit of the range. Leave the range and its unit empty for phases without "
        "a time range.",
    )
    duration_label = models.CharField(
        max_length=80,
        blank=True,
        help_text="Optional: the time as learners read it, kept as written, e.g. "
        "'1\u20131.5 Months' or '20% of your time'. Empty shows the range ('Months 1\u20132').",
    )
    summary = models.CharField(
        max_length=300, blank=True, help_text="One sentence under the phase title."
    )
    accent = models.CharField(
        max_length=12,
        blank=True,
        choices=Accent.choices,
        help_text="Optional colour of the phase's side bar and number; empty uses its level's. "
        "The palette is the level colours, which pass contrast in both themes.",
    )

    class Meta:
        ordering = ["roadmap", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=_NO_RANGE | _RANGE,
                name="phase_duration_complete",
                violation_error_message="Give the start, end and unit of the time range, or "
                "none of them.",
            ),
            models.CheckConstraint(
                condition=Q(duration_min__isnull=True)
                | Q(duration_max__isnull=True)
                | Q(duration_min__lte=models.F("duration_max")),
                name="phase_duration_ordered",
                violation_error_message="The time range must not end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(duration_min__isnull=True) | Q(duration_min__gte=0),
                name="phase_duration_not_negative",
                violation_error_message="The time range cannot start below 0.",
            ),
        ]

    def __str__(self) -> str:
        return f"Phase {self.position}: {self.title}"

    @property
    def label(self) -> str:
        """The level's label as shown; '' for a phase without a level or label."""
        return self.level_label or (self.get_level_display() if self.level else "")

    @property
    def duration(self) -> Duration:
        return Duration(
            self.duration_min, self.duration_max, self.duration_unit, self.duration_label
        )

    @property
    def timeline_text(self) -> str:
        """The phase header's time: the label as written, else 'Months 3-4', 'Weeks 1-2',
        '10 Days', else ''."""
        return timeline_text(self.duration)

    @property
    def min_months(self) -> Decimal | None:
        """The range's start in months (weeks and days converted; see `roadmaps.durations`)."""
        return in_months(self.duration_min, self.duration_unit)

    @property
    def max_months(self) -> Decimal | None:
        return in_months(self.duration_max, self.duration_unit)

    def clean(self) -> None:
        parts = (self.duration_min, self.duration_max, self.duration_unit)
        given = [part not in (None, "") for part in parts]
        if any(given) and not all(given):
            names = ("duration_min", "duration_max", "duration_unit")
            raise ValidationError(
                {
                    name: "Give the start, end and unit of the time range, or none of them."
                    for name, part_given in zip(names, given, strict=True)
                    if not part_given
                }
            )
        low, high = self.duration_min, self.duration_max
        if low is not None and high is not None and low > high:
            raise ValidationError({"duration_max": "The time range must not end before it starts."})
