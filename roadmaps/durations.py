"""A phase's duration: a range (min, max) in months, weeks or days, and the label as written.

Rules, in one place for the model, the content files, the importer of the old site and the
total a catalog card shows:
- A range is two non-negative numbers with at most two decimals ("1-1.5"), the first no larger
  than the second; one number ("2 weeks") is a range of one.
- The unit is months, weeks or days. Totals are in months: a week is 12/52 of a month and a
  day 12/365 (a year of 52 weeks, 365 days), so "6 weeks" counts as about 1.4 months.
- The label is free text kept as written ("1-1.5 Months", "20% of your time"); a phase can
  have a label and no range (percentages), a range and no label, both, or neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import models


class DurationUnit(models.TextChoices):
    MONTHS = "months", "Months"
    WEEKS = "weeks", "Weeks"
    DAYS = "days", "Days"


# Months in one unit, for totals (see the module's rules).
MONTHS_PER_UNIT: dict[str, Decimal] = {
    DurationUnit.MONTHS: Decimal(1),
    DurationUnit.WEEKS: Decimal(12) / Decimal(52),
    DurationUnit.DAYS: Decimal(12) / Decimal(365),
}

# The largest number a range may hold (the model's decimal field has 5 digits, 2 decimals).
MAX_AMOUNT = Decimal("999.99")

_NUMBER = r"\d+(?:\.\d+)?"
_UNITS = {
    "month": DurationUnit.MONTHS,
    "months": DurationUnit.MONTHS,
    "mo": DurationUnit.MONTHS,
    "week": DurationUnit.WEEKS,
    "weeks": DurationUnit.WEEKS,
    "wk": DurationUnit.WEEKS,
    "wks": DurationUnit.WEEKS,
    "day": DurationUnit.DAYS,
    "days": DurationUnit.DAYS,
}
# "1-2 months", "1 - 1.5 Months", "1 to 2 weeks", "10 days", "(0-1 Month)", "0-1" (months).
_RANGE_TEXT = re.compile(
    rf"^\(?\s*(?P<low>{_NUMBER})\s*(?:(?:-|\u2013|\u2014|to)\s*(?P<high>{_NUMBER}))?"
    r"\s*(?P<unit>[a-z]+)?\s*\)?$",
    re.IGNORECASE,
)
EXAMPLES = "'1-2 months', '1-1.5 months', '2 weeks' or '10 days'"


class DurationError(ValueError):
    """A duration that cannot be read; the message says what was expected."""


@dataclass(frozen=True)
class Duration:
    low: Decimal | None = None
    high: Decimal | None = None
    unit: str = ""
    label: str = ""

    @property
    def has_range(self) -> bool:
        return self.low is not None and self.high is not None


def amount(value: object) -> Decimal:
    """A non-negative number with at most two decimals, from text or a YAML number."""
    if isinstance(value, bool):
        raise DurationError(f"expected a number, got {value!r}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise DurationError(f"expected a number, got {value!r}") from None
    if not number.is_finite() or number < 0:
        raise DurationError(f"expected a number of 0 or more, got {value!r}")
    if number != number.quantize(Decimal("0.01")):
        raise DurationError(f"{value!r} has more than two decimals")
    if number > MAX_AMOUNT:
        raise DurationError(f"{value!r} is more than {MAX_AMOUNT}")
    return number.normalize() if number == number.to_integral() else number


def unit_of(word: str | None, *, default: str = DurationUnit.MONTHS) -> str:
    if not word:
        return default
    unit = _UNITS.get(word.lower())
    if unit is None:
        raise DurationError(f"unknown unit {word!r}; use months, weeks or days")
    return str(unit)


def duration_range(low: object, high: object, unit: str) -> Duration:
    """A checked range; raises DurationError naming the rule it breaks."""
    start, end = amount(low), amount(high)
    if start > end:
        raise DurationError(
            f"the range {number_text(start)}-{number_text(end)} ends before it starts"
        )
    return Duration(start, end, unit)


def duration_parse(text: str) -> Duration:
    """A range written as text, e.g. '1-1.5 months', '1-2 Weeks', '10 days' or '0-1' (months,
    as content files of format 1 write `months`). Raises DurationError for anything else."""
    match = _RANGE_TEXT.match(text.strip())
    if not match:
        raise DurationError(f"expected a range like {EXAMPLES}, got {text!r}")
    unit = unit_of(match["unit"])
    return duration_range(match["low"], match["high"] or match["low"], unit)


def number_text(value: Decimal) -> str:
    """1 -> '1', 1.50 -> '1.5': how a range is written in files, labels and the API."""
    text = format(value.normalize(), "f")
    return text


def in_months(value: Decimal | None, unit: str) -> Decimal | None:
    if value is None or not unit:
        return None
    return value * MONTHS_PER_UNIT[unit]


def range_text(duration: Duration, *, dash: str = "-") -> str:
    """'1-1.5 months', '2 weeks', '' without a range."""
    if duration.low is None or duration.high is None:
        return ""
    numbers = number_text(duration.low)
    if duration.high != duration.low:
        numbers += dash + number_text(duration.high)
    return f"{numbers} {duration.unit}"


def timeline_text(duration: Duration) -> str:
    """What a phase's header shows: the label as written, else 'Months 3-4', 'Weeks 1-2' or
    '10 Days' from the range, else ''."""
    if duration.label:
        return duration.label
    if duration.low is None or duration.high is None:
        return ""
    unit = DurationUnit(duration.unit).label
    if duration.low == duration.high:
        # One number is a length ("10 days"), not a place in the roadmap ("Day 10").
        return f"{number_text(duration.low)} {unit[:-1] if duration.low == 1 else unit}"
    return f"{unit} {number_text(duration.low)}\u2013{number_text(duration.high)}"
