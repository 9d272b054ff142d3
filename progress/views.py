"""Progress pages: the item control's POST target, reset, dashboard, public page and badge.

Every change goes through `progress.services`; these views only find the roadmap and item the
person may see (drafts are 404 for learners, keys are looked up inside that roadmap only) and
pick the response: a redirect back to the item without JavaScript, JSON with fresh bar markup
with it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.validators import slug_re
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.api_throttle import client_ip
from common.ratelimit import failure_record, failures_wait
from progress import badges, parts
from progress.models import STATUS_CODES, Progress
from progress.page import PageProgress, page_progress, page_progress_forget, status_label
from progress.services import (
    InvalidStatusError,
    ProgressError,
    TopicNotTrackableError,
    learner_for,
    learner_roadmaps,
    progress_reset,
    progress_set,
    roadmap_summary,
)
from roadmaps.models import Phase, Roadmap, Topic

if TYPE_CHECKING:
    from accounts.models import User

ACTIVITY_WEEKS = 12


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _refuse(request: HttpRequest, message: str, status: int) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"error": message}, status=status)
    return render(request, "progress/refused.html", {"message": message}, status=status)


_SESSIONS_USED_UP = (
    "Too many signed-out visitors have started marking from your network. Sign in to keep "
    "your marks, or try again later."
)


def _new_anonymous_session(request: HttpRequest) -> bool | None:
    """True when this mark starts a signed-out visitor's session, False when it does not, None
    when the visitor's address has started too many sessions in the window (each lives two weeks
    in the database, so they are what an address must not create without limit)."""
    if request.user.is_authenticated or request.session.session_key is not None:
        return False
    rate = settings.PROGRESS_ANON_SESSION_RATE
    if failures_wait("anon-session", client_ip(request), rate) is not None:
        return None
    return True


@never_cache
@require_POST
def progress_update(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    return _update(request, slug=slug, key=key, status=request.POST.get("status", ""))


@never_cache
@require_POST
def progress_mark(request: HttpRequest, slug: str) -> HttpResponse:
    """The roadmap page's one form (`#pcf`) without JavaScript: the pressed button is named
    after its item, so the form posts `<key>=<status>` beside the CSRF token (a status code of
    `STATUS_CODES` or its full name). The item page's form adds `next`, its own address, to come
    back there instead of to the roadmap."""
    marks = [
        (name, values)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "next")
    ]
    if len(marks) != 1 or len(marks[0][1]) != 1:
        return _refuse(request, "Press one item's button to mark it.", 400)
    key, status = marks[0][0], str(marks[0][1][0])
    status = STATUS_CODES.get(status, status)
    if not slug_re.fullmatch(key):
        raise Http404("No such item.")
    return _update(
        request, slug=slug, key=key, status=status, return_to=request.POST.get("next", "")
    )


def _update(
    request: HttpRequest, *, slug: str, key: str, status: str, return_to: str = ""
) -> HttpResponse:
    roadmap = get_object_or_404(Roadmap.objects.visible_to(request.user), slug=slug)
    topic = get_object_or_404(
        Topic.objects.select_related("section__phase"), roadmap=roadmap, key=key
    )
    topic.roadmap = roadmap
    # Both the item control's post and the page form's (`progress_mark`) come through here,
    # so the signed-out sessions' limit holds for either.
    new_visitor = _new_anonymous_session(request)
    if new_visitor is None:
        return _refuse(request, _SESSIONS_USED_UP, 429)
    try:
        progress_set(user=learner_for(request), topic=topic, status=status)
    except InvalidStatusError as error:
        return _refuse(request, str(error), 400)
    except TopicNotTrackableError as error:
        return _refuse(request, str(error), 409)
    except ProgressError as error:  # pragma: no cover - learner_for always gives a learner
        return _refuse(request, str(error), 403)
    if new_visitor:
        failure_record("anon-session", client_ip(request), settings.PROGRESS_ANON_SESSION_RATE)
    anchor = f"{roadmap.get_absolute_url()}#topic-{topic.key}"
    if not _wants_json(request):
        # Only the item's own page is a place to return to: no redirect elsewhere.
        return redirect(return_to if return_to == topic.get_absolute_url() else anchor)

    page_progress_forget(request)
    return _marked_json(request, roadmap=roadmap, topic=topic, status=status)


def _marked_json(
    request: HttpRequest, *, roadmap: Roadmap, topic: Topic, status: str
) -> JsonResponse:
    """What the page's script redraws after a mark: the panel, the phase, the other parts."""
    progress = page_progress(request, roadmap)
    phase = topic.section.phase if topic.section else None
    context = {"roadmap": roadmap, "progress": progress}
    summary = progress.summary
    counts = summary.items if summary else None
    message = f"{topic.title}: {status_label(status)}."
    if counts:
        message += f" {counts.done} of {counts.total} done ({counts.percent}%)."
        if summary and summary.is_complete:
            message += f" {progress.completion_headline}"
    return JsonResponse(
        {
            "topic": topic.key,
            "status": status,
            "message": message,
            # With the request, so the markup matches the page's (signed-in links included).
            "roadmap_html": render_to_string(
                "progress/_roadmap_summary.html", context, request=request
            ),
            "phase_id": phase.pk if phase else None,
            # The page's other parts that a mark changes, by element id (progress.parts).
            "parts": _page_parts(progress, phase),
            "phase_html": render_to_string(
                "progress/_phase_summary.html",
                {
                    "phase": phase,
                    "phase_summary": summary.phase(phase.pk) if summary and phase else None,
                },
            )
            if phase
            else "",
        }
    )


def _page_parts(progress: PageProgress, phase: Phase | None) -> dict[str, str]:
    summary = progress.summary
    found = {
        parts.STICKY_ID: parts.sticky_html(summary.items if summary else None),
        parts.COMPLETION_ID: parts.completion_html(progress),
    }
    if phase is not None:
        counts = parts.phase_counts(progress, phase.pk)
        found[f"ovp-{phase.position}"] = parts.phase_row_html(phase.position, counts)
        found[f"nvp-{phase.position}"] = parts.phase_nav_html(phase.position, counts)
    return found


@never_cache
@require_http_methods(["GET", "POST"])
def progress_reset_view(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = get_object_or_404(Roadmap.objects.visible_to(request.user), slug=slug)
    learner = learner_for(request)
    if request.method == "POST":
        count = progress_reset(user=learner, roadmap=roadmap)
        messages.success(
            request, f"Your progress on {roadmap.display_title} was reset ({count} items)."
        )
        return redirect(f"{roadmap.get_absolute_url()}#progress-roadmap")
    summary = roadmap_summary(user=learner, roadmap=roadmap)
    return render(request, "progress/reset_confirm.html", {"roadmap": roadmap, "summary": summary})


def _activity(user: Any, *, today: dt.date) -> dict[str, Any]:
    """Changes per day over the last weeks, from each row's last change (a row that changed
    twice counts on its latest day only), laid out as week columns for the heat-map, each
    column with the month label it carries (if any)."""
    start = today - dt.timedelta(days=today.weekday() + 7 * (ACTIVITY_WEEKS - 1))
    since = dt.datetime.combine(start, dt.time.min, tzinfo=timezone.get_current_timezone())
    # Counted per local day in SQL: a learner who marked thousands of items costs ~84 rows.
    per_day = dict(
        Progress.objects.filter(user=user, updated_at__gte=since)
        .annotate(day=TruncDate("updated_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values_list("day")
        .annotate(changes=Count("pk"))
    )
    top = max(per_day.values(), default=0)
    weeks = []
    for week in range(ACTIVITY_WEEKS):
        days = []
        for weekday in range(7):
            day = start + dt.timedelta(days=7 * week + weekday)
            count = per_day.get(day, 0)
            level = 0 if not count else 1 + (3 * count) // (top + 1)
            days.append({"date": day, "count": count, "level": level, "future": day > today})
        weeks.append({"days": days, "month": ""})
    _label_months(weeks)
    return {"weeks": weeks, "total": sum(per_day.values()), "since": start, "levels": range(4)}


def _label_months(weeks: list[dict[str, Any]]) -> None:
    """Name each month above the week column holding its 1st day (days to come are not shown,
    nor their months); the first column names its own month too, unless the next column
    already carries a label (the two would overlap)."""
    starts = [
        n
        for n, week in enumerate(weeks)
        if any(d["date"].day == 1 and not d["future"] for d in week["days"])
    ]
    for n in starts:
        first = next(d["date"] for d in weeks[n]["days"] if d["date"].day == 1)
        weeks[n]["month"] = f"{first:%b}"
    if weeks and not any(n <= 1 for n in starts):
        weeks[0]["month"] = f"{weeks[0]['days'][0]['date']:%b}"


@never_cache
@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)  # login_required
    summaries = learner_roadmaps(user=user)
    recent = (
        Progress.objects.filter(user=user)
        .select_related("topic", "roadmap")
        .order_by("-updated_at", "-pk")[:10]
    )
    return render(
        request,
        "progress/dashboard.html",
        {
            "summaries": summaries,
            "recent": recent,
            "activity": _activity(user, today=timezone.localdate()),
        },
    )


def _public_user(username: str) -> Any:
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None or not getattr(user, "is_profile_public", False):
        raise Http404("No public profile here.")
    return user


@require_GET
def public_profile(request: HttpRequest, username: str) -> HttpResponse:
    user = _public_user(username)
    summaries = learner_roadmaps(user=user, published_only=True)
    return render(
        request,
        "progress/public_profile.html",
        {"profile": user, "summaries": summaries, "site_url": settings.SITE_URL},
    )


@require_GET
def badge(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    user = _public_user(username)
    roadmap = get_object_or_404(Roadmap.objects.published(), slug=slug)
    theme = request.GET.get("theme", "light")
    if theme not in badges.THEMES:
        return HttpResponse(
            f"Unknown theme; use one of: {', '.join(badges.THEMES)}.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    summary = roadmap_summary(user=user, roadmap=roadmap)
    response = HttpResponse(
        badges.badge_svg(title=roadmap.title, counts=summary.items, theme=theme),
        content_type="image/svg+xml; charset=utf-8",
    )
    # Short-lived: README hosts proxy and cache images; a profile turned private must stop
    # showing within minutes.
    response["Cache-Control"] = "public, max-age=300"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
