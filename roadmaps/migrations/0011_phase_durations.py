"""Phase durations in months, weeks or days with the label as written, and phases without a
level. The month range (min_months, max_months) becomes a range in months; a reverse migration
writes ranges in other units back as whole months (rounded outwards)."""

import math
from decimal import Decimal

import django.core.validators
from django.db import migrations, models

MONTHS_PER_UNIT = {
    "months": Decimal(1),
    "weeks": Decimal(12) / Decimal(52),
    "days": Decimal(12) / Decimal(365),
}


def months_to_durations(apps, schema_editor):
    Phase = apps.get_model("roadmaps", "Phase")
    phases = list(Phase.objects.filter(min_months__isnull=False, max_months__isnull=False))
    for phase in phases:
        phase.duration_min = Decimal(phase.min_months)
        phase.duration_max = Decimal(phase.max_months)
        phase.duration_unit = "months"
    Phase.objects.bulk_update(phases, ["duration_min", "duration_max", "duration_unit"], 500)


def durations_to_months(apps, schema_editor):
    Phase = apps.get_model("roadmaps", "Phase")
    phases = list(Phase.objects.exclude(duration_unit=""))
    for phase in phases:
        factor = MONTHS_PER_UNIT[phase.duration_unit]
        phase.min_months = math.floor(phase.duration_min * factor)
        phase.max_months = math.ceil(phase.duration_max * factor)
    Phase.objects.bulk_update(phases, ["min_months", "max_months"], 500)
    # A phase without a level had none before this migration allowed it: the first level.
    Phase.objects.filter(level="").update(level="prerequisite")


class Migration(migrations.Migration):
    dependencies = [
        ("roadmaps", "0010_search_documents_trigrams"),
    ]

    operations = [
        migrations.AddField(
            model_name="phase",
            name="duration_min",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="Start of the time range, e.g. 1 in '1-1.5 months'. Decimals allowed.",
                max_digits=5,
                null=True,
                validators=[django.core.validators.MinValueValidator(Decimal("0"))],
            ),
        ),
        migrations.AddField(
            model_name="phase",
            name="duration_max",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="End of the time range, e.g. 1.5 in '1-1.5 months'; the same as the "
                "start for '2 weeks'.",
                max_digits=5,
                null=True,
                validators=[django.core.validators.MinValueValidator(Decimal("0"))],
            ),
        ),
        migrations.AddField(
            model_name="phase",
            name="duration_unit",
            field=models.CharField(
                blank=True,
                choices=[("months", "Months"), ("weeks", "Weeks"), ("days", "Days")],
                help_text="Unit of the range. Leave the range and its unit empty for phases "
                "without a time range.",
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name="phase",
            name="duration_label",
            field=models.CharField(
                blank=True,
                help_text="Optional: the time as learners read it, kept as written, e.g. "
                "'1\u20131.5 Months' or '20% of your time'. Empty shows the range ('Months 1\u20132').",
                max_length=80,
            ),
        ),
        migrations.RunPython(months_to_durations, durations_to_months),
        migrations.RemoveConstraint(model_name="phase", name="phase_month_range_valid"),
        migrations.RemoveField(model_name="phase", name="min_months"),
        migrations.RemoveField(model_name="phase", name="max_months"),
        migrations.AlterField(
            model_name="phase",
            name="level",
            field=models.CharField(
                blank=True,
                choices=[
                    ("prerequisite", "Prerequisite"),
                    ("beginner", "Beginner"),
                    ("intermediate", "Intermediate"),
                    ("advanced", "Advanced"),
                    ("expert", "Expert"),
                ],
                help_text="Used for filtering and the catalog's level range. Leave empty for a "
                "phase that has no level (e.g. 'Reality Check'): it is shown without one.",
                max_length=16,
            ),
        ),
        migrations.AddConstraint(
            model_name="phase",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("duration_max__isnull", True),
                        ("duration_min__isnull", True),
                        ("duration_unit", ""),
                    ),
                    models.Q(
                        ("duration_max__isnull", False),
                        ("duration_min__isnull", False),
                        models.Q(("duration_unit", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="phase_duration_complete",
                violation_error_message="Give the start, end and unit of the time range, or "
                "none of them.",
            ),
        ),
        migrations.AddConstraint(
            model_name="phase",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("duration_min__isnull", True),
                    ("duration_max__isnull", True),
                    ("duration_min__lte", models.F("duration_max")),
                    _connector="OR",
                ),
                name="phase_duration_ordered",
                violation_error_message="The time range must not end before it starts.",
            ),
        ),
        migrations.AddConstraint(
            model_name="phase",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("duration_min__isnull", True), ("duration_min__gte", 0), _connector="OR"
                ),
                name="phase_duration_not_negative",
                violation_error_message="The time range cannot start below 0.",
            ),
        ),
    ]
