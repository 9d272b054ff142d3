"""Link health in the admin: what the checker found at each URL (list, filters, the evidence
page) and the editors' decisions (recheck now, accept as OK, ignore, clear).

`roadmaps.admin` imports this module (it shows `link_badge` next to resources and counts broken
links per roadmap with `broken_link_count`), which registers `LinkStatusAdmin` when the admin
autodiscovers the app.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from roadmaps.linkcheck import queue
from roadmaps.linkcheck import services as linkcheck
from roadmaps.linkcheck.sources import url_uses_beyond_resources
from roadmaps.models import LinkStatus, Resource, Roadmap


def link_badge(result: str | None, confirmed_broken: bool = False) -> str:
    if not result:
        return format_html('<span title="{}">{}</span>', "Not checked yet", "not checked")
    label = "broken (hidden)" if confirmed_broken else result
    # Colours come from classes in static/roadmaps/admin.css: the CSP allows no inline style.
    known = result if result in LinkStatus.Result.values else "unknown"
    return format_html(
        '<span class="link-badge link-badge--{}" title="{}">{}</span>',
        known,
        dict(LinkStatus.Result.choices).get(result, result),
        label,
    )


def broken_link_count() -> Coalesce:
    """Per roadmap: its distinct URLs confirmed broken (and not accepted), as a subquery."""
    broken = LinkStatus.objects.broken_for_learners().for_url(OuterRef("url"))
    urls = (
        Resource.objects.filter(roadmap=OuterRef("pk"))
        .filter(Exists(broken))
        .order_by()
        .values("roadmap")
        .annotate(n=Count("url", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(urls, output_field=IntegerField()), 0)


class LinkRoadmapFilter(admin.SimpleListFilter):
    title = "roadmap"
    parameter_name = "roadmap"

    def lookups(self, request, model_admin):  # type: ignore[no-untyped-def]
        return list(Roadmap.objects.order_by("title").values_list("slug", "title"))

    def queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        if self.value():
            return queryset.filter(
                Exists(Resource.objects.filter(url=OuterRef("url"), roadmap__slug=self.value()))
            )
        return queryset


# What the checker found, shown read-only on a link's page.
LINK_EVIDENCE_FIELDS: list[str] = [
    "http_status",
    "error",
    "suggestion",
    "final_url",
    "chain",
    "checked_at",
    "last_ok_at",
    "failing_since",
    "consecutive_failures",
    "confirmed_broken",
    "confirmed_at",
    "check_count",
    "next_check_at",
]


@admin.register(LinkStatus)
class LinkStatusAdmin(admin.ModelAdmin):
    """ "Link health": what the checker found at each URL, and the editor's decisions."""

    # The URL itself opens the evidence page; "Open" visits the site (no nested links).
    list_display = [
        "url",
        "badge",
        "http_status",
        "broken_flag",
        "consecutive_failures",
        "checked_at",
        "last_ok_at",
        "resource_count",
        "override",
        "open_link",
    ]
    list_filter = ["result", "confirmed_broken", "override", LinkRoadmapFilter]
    search_fields = ["url", "error", "final_url"]
    ordering = ["-confirmed_broken", "result", "url"]
    actions = ["recheck_now", "accept_as_ok", "ignore_links", "clear_decision"]
    fieldsets = [
        (None, {"fields": ["url_link", "badge", "override", "used_by"]}),
        (
            "Evidence",
            {"fields": tuple(LINK_EVIDENCE_FIELDS)},
        ),
    ]
    readonly_fields = ["url_link", "badge", "used_by", *LINK_EVIDENCE_FIELDS]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # rows come from resources' URLs

    def get_queryset(self, request: HttpRequest) -> QuerySet[LinkStatus]:
        uses = (
            Resource.objects.filter(url=OuterRef("url"))
            .order_by()
            .values("url")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(_resources=Coalesce(Subquery(uses, output_field=IntegerField()), 0))
        )

    @admin.display(description="URL", ordering="url")
    def url_link(self, status: LinkStatus) -> str:
        return format_html(
            '<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>', status.url, status.url
        )

    @admin.display(description="Open")
    def open_link(self, status: LinkStatus) -> str:
        return format_html(
            '<a href="{}" rel="noopener noreferrer" target="_blank">visit</a>', status.url
        )

    @admin.display(description="Result", ordering="result")
    def badge(self, status: LinkStatus) -> str:
        return link_badge(status.result, status.confirmed_broken)

    @admin.display(description="Confirmed broken", ordering="confirmed_broken")
    def broken_flag(self, status: LinkStatus) -> str:
        # "yes" only where true: the boolean icon put a red cross on every healthy row.
        return "yes" if status.confirmed_broken else ""

    @admin.display(description="Resources", ordering="_resources")
    def resource_count(self, status: LinkStatus) -> int:
        return getattr(status, "_resources", 0)

    @admin.display(description="Used by")
    def used_by(self, status: LinkStatus) -> str:
        resources = Resource.objects.filter(url=status.url).select_related("roadmap")
        uses = [
            (
                reverse("admin:roadmaps_resource_change", args=[r.pk]),
                r.title,
                r.roadmap.display_title,
            )
            for r in resources
        ]
        # Rows of the other URL sources (e.g. courses), with where editors find them.
        uses += [(u.edit_path, u.title, u.place) for u in url_uses_beyond_resources([status.url])]
        if not uses:
            return "No resource uses this URL any more."
        return format_html(
            "<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a> ({})</li>', uses)
        )

    @admin.display(description="Redirect chain")
    def chain(self, status: LinkStatus) -> str:
        if not status.redirect_chain:
            return "-"
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li>{} &rarr; {}</li>",
                ((hop.get("url", ""), hop.get("status", "")) for hop in status.redirect_chain),
            ),
        )

    def _urls(self, queryset: QuerySet[LinkStatus]) -> list[str]:
        return list(queryset.values_list("url", flat=True))

    @admin.action(description="Recheck now", permissions=["change"])
    def recheck_now(self, request: HttpRequest, queryset: QuerySet[LinkStatus]) -> None:
        urls = self._urls(queryset)
        if queue.links_queue_recheck(urls=urls):
            self.message_user(request, f"{len(urls)} link(s) queued for a check now.")
        else:
            self.message_user(
                request,
                f"{len(urls)} link(s) marked due: the next 'manage.py check_links' run checks "
                "them first (no background worker is configured).",
                messages.WARNING,
            )

    @admin.action(description="Accept as OK (never hide or report)", permissions=["change"])
    def accept_as_ok(self, request: HttpRequest, queryset: QuerySet[LinkStatus]) -> None:
        count = linkcheck.links_override(
            urls=self._urls(queryset), override=LinkStatus.Override.ACCEPTED
        )
        self.message_user(request, f"{count} link(s) accepted as OK.", messages.SUCCESS)

    @admin.action(description="Ignore (stop checking)", permissions=["change"])
    def ignore_links(self, request: HttpRequest, queryset: QuerySet[LinkStatus]) -> None:
        count = linkcheck.links_override(
            urls=self._urls(queryset), override=LinkStatus.Override.IGNORED
        )
        self.message_user(request, f"{count} link(s) ignored.", messages.SUCCESS)

    @admin.action(description="Clear the decision (check normally)", permissions=["change"])
    def clear_decision(self, request: HttpRequest, queryset: QuerySet[LinkStatus]) -> None:
        count = linkcheck.links_override(
            urls=self._urls(queryset), override=LinkStatus.Override.NONE
        )
        self.message_user(request, f"{count} link(s) back to normal checking.", messages.SUCCESS)
