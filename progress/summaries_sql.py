"""A signed-in learner's summaries of many roadmaps counted in SQL (`account_summaries`): the
second way to the figures of `progress.summaries` (see its note), one aggregate query per
concern whatever the number of roadmaps, for the dashboard, the public profile and the API's
list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection, models
from django.db.models import Aggregate, Count, F, FilteredRelation, Max, Q, Window
from django.db.models.functions import RowNumber

from progress.models import Progress
from progress.summaries import (
    IN_PROGRESS_SHOWN,
    Counts,
    ItemRef,
    PhaseSummary,
    RoadmapSummary,
    phase_summaries,
)
from roadmaps.models import Phase, Section, Topic

if TYPE_CHECKING:
    from roadmaps.models import Roadmap


def account_summaries(roadmaps: list[Roadmap], *, user_id: int) -> dict[int, RoadmapSummary]:
    """Summaries of several roadmaps (by id) for the signed-in learner `user_id`, counted in
    SQL (see the module's note): phases, counts per phase and kind (with the latest mark),
    retired items, items in progress, where to continue. Five queries whatever the number of
    roadmaps or items; four when every roadmap has an item in progress."""
    summaries = {roadmap.pk: RoadmapSummary(roadmap=roadmap) for roadmap in roadmaps}
    if not summaries:
        return summaries
    phases = phase_summaries(summaries)
    _count_items(summaries, phases, user_id=user_id)
    marks = Progress.objects.filter(user_id=user_id, roadmap_id__in=list(summaries)).order_by()
    retired = marks.filter(topic__retired_at__isnull=False).order_by(
        "roadmap_id", "topic__position", "topic_id"
    )
    for roadmap_id, ref in _item_refs(retired):
        summaries[roadmap_id].retired.append(ref)
        summaries[roadmap_id].seen(ref.updated_at)
    for roadmap_id, ref in _item_refs(_recent_in_progress(marks)):
        summaries[roadmap_id].in_progress.append(ref)
    for summary in summaries.values():
        summary.next_up = summary.in_progress[0] if summary.in_progress else None
    waiting = [pk for pk, summary in summaries.items() if summary.next_up is None]
    for roadmap_id, ref in _first_not_started(waiting, user_id=user_id):
        summaries[roadmap_id].next_up = ref
    return summaries


def _count_items(
    summaries: dict[int, RoadmapSummary], phases: dict[int, PhaseSummary], *, user_id: int
) -> None:
    """Active items per phase and kind, the learner's marks among them by status and the time
    of the latest: one GROUP BY over the roadmaps' items joined to the learner's rows."""
    statuses = [Progress.Status.DONE, Progress.Status.IN_PROGRESS, Progress.Status.SKIPPED]
    kinds = [Topic.Kind.PROJECT, Topic.Kind.GOAL]
    columns: dict[str, Aggregate] = {"last": Max("mine__updated_at"), "n_total": Count("pk")}
    for status in statuses:
        columns[f"n_{status}"] = Count("pk", filter=Q(mine__status=status))
    for kind in kinds:
        columns[f"n_{kind}"] = Count("pk", filter=Q(kind=kind))
        for status in statuses:
            columns[f"n_{kind}_{status}"] = Count("pk", filter=Q(kind=kind, mine__status=status))
    rows = (
        Topic.objects.active()
        .filter(roadmap_id__in=list(summaries))
        .annotate(mine=FilteredRelation("progress", condition=Q(progress__user_id=user_id)))
        .order_by()
        .values_list("roadmap_id", "section__phase_id")
        .annotate(**columns)
    )
    # Per row: the latest mark, then the counts of all items, of projects and of goals, each
    # as (total, done, in progress, skipped): the order of Counts' fields. One row per phase
    # (and one for items outside any phase, which count for the roadmap only).
    totals: dict[int, list[int]] = {roadmap_id: [0] * 12 for roadmap_id in summaries}
    for roadmap_id, phase_id, last, *figures in rows:
        summaries[roadmap_id].seen(last)
        totals[roadmap_id] = [a + b for a, b in zip(totals[roadmap_id], figures, strict=True)]
        phase = phases.get(phase_id)
        if phase is not None:
            phase.items, phase.projects, phase.goals = _counts_of(figures)
    for roadmap_id, figures in totals.items():
        summary = summaries[roadmap_id]
        summary.items, summary.projects, summary.goals = _counts_of(figures)


def _counts_of(figures: list[int]) -> tuple[Counts, Counts, Counts]:
    """Items, projects and goals from twelve figures, four each."""
    return Counts(*figures[0:4]), Counts(*figures[4:8]), Counts(*figures[8:12])


def _recent_in_progress(marks: models.QuerySet[Progress]) -> models.QuerySet[Progress]:
    """The learner's IN_PROGRESS_SHOWN most recent items in progress per roadmap (ties in page
    order, as `roadmap_summaries` sorts them)."""
    page_order = [
        F("topic__section__phase__position"),
        F("topic__section__position"),
        F("topic__position"),
        F("topic_id"),
    ]
    recent = Window(
        RowNumber(), partition_by=[F("roadmap_id")], order_by=[F("updated_at").desc(), *page_order]
    )
    return (
        marks.filter(status=Progress.Status.IN_PROGRESS, topic__retired_at__isnull=True)
        .annotate(rank=recent)
        .filter(rank__lte=IN_PROGRESS_SHOWN)
        .order_by("roadmap_id", "rank")
    )


def _item_refs(marks: models.QuerySet[Progress]) -> list[tuple[int, ItemRef]]:
    rows = marks.values_list(
        "roadmap_id", "topic_id", "topic__key", "topic__title", "topic__kind", "status",
        "updated_at",
    )  # fmt: skip
    return [
        (roadmap_id, ItemRef(topic_id, key, title, kind, status, updated_at))
        for roadmap_id, topic_id, key, title, kind, status, updated_at in rows
    ]


# Per roadmap: every active item numbered in page order with the learner's status, the number
# of the furthest item done, then the first item not started after it (else the first one).
_NEXT_UP_SQL = """
WITH ordered AS (
    SELECT t.id AS topic_id, t.roadmap_id, p.status,
           ROW_NUMBER() OVER (
               PARTITION BY t.roadmap_id ORDER BY ph.position, s.position, t.position, t.id
           ) AS n
    FROM {topic} t
    JOIN {section} s ON s.id = t.section_id
    JOIN {phase} ph ON ph.id = s.phase_id
    LEFT JOIN {progress} p ON p.topic_id = t.id AND p.user_id = %s
    WHERE t.roadmap_id IN ({roadmaps}) AND t.retired_at IS NULL
), furthest AS (
    SELECT roadmap_id, COALESCE(MAX(CASE WHEN status = %s THEN n END), 0) AS n
    FROM ordered GROUP BY roadmap_id
), picked AS (
    SELECT o.roadmap_id, COALESCE(MIN(CASE WHEN o.n > f.n THEN o.n END), MIN(o.n)) AS n
    FROM ordered o JOIN furthest f ON f.roadmap_id = o.roadmap_id
    WHERE o.status IS NULL GROUP BY o.roadmap_id
)
SELECT o.roadmap_id, t.id, t.key, t.title, t.kind
FROM picked JOIN ordered o ON o.roadmap_id = picked.roadmap_id AND o.n = picked.n
JOIN {topic} t ON t.id = o.topic_id
"""


def _first_not_started(roadmap_ids: list[int], *, user_id: int) -> list[tuple[int, ItemRef]]:
    """Where to continue on roadmaps with nothing in progress (`_next_up`'s second and third
    rules), in one statement: window functions number the items in page order."""
    if not roadmap_ids:
        return []
    tables = {
        name: connection.ops.quote_name(model._meta.db_table)
        for name, model in (
            ("topic", Topic),
            ("section", Section),
            ("phase", Phase),
            ("progress", Progress),
        )
    }
    sql = _NEXT_UP_SQL.format(**tables, roadmaps=", ".join(["%s"] * len(roadmap_ids)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, *roadmap_ids, Progress.Status.DONE.value])
        rows = cursor.fetchall()
    return [
        (roadmap_id, ItemRef(topic_id, key, title, kind))
        for roadmap_id, topic_id, key, title, kind in rows
    ]
