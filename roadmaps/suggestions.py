"""Learners' resource suggestions: submitting one, and an editor approving or rejecting it.

A suggestion is checked the way content is (the Resource fields' own validators, http(s) only)
plus what only matters for links typed by anyone: no localhost or private address literal
(`linkcheck.http.host_is_private_without_dns`; the address is never visited at submit time), no
duplicate of a resource the item already has or of a suggestion still waiting, and a limit per
learner (`RESOURCE_SUGGESTION_RATE`). Approving creates the Resource through the same write path
as every content edit (`roadmap_content_changed`: new content version, a revision, a link check).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from common.ratelimit import failure_record, failures_wait
from roadmaps.changes import roadmap_content_changed
from roadmaps.linkcheck.http import host_is_private_without_dns
from roadmaps.models import Resource, ResourceSuggestion, Revision, Topic

RATE_SCOPE = "resource-suggestion"


class SuggestionError(Exception):
    """A suggestion that cannot be taken or reviewed; the message is for the person."""


class SuggestionInvalid(SuggestionError):
    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in errors.items()))


class SuggestionRateLimited(SuggestionError):
    def __init__(self, wait: float):
        self.wait = wait
        minutes = max(1, round(wait / 60))
        super().__init__(
            f"You have sent the most suggestions allowed for now; try again in about "
            f"{minutes} minute{'s' if minutes != 1 else ''}. Thank you for helping!"
        )


class SuggestionAlreadyReviewed(SuggestionError):
    pass


def _url_problem(url: str) -> str | None:
    host = urlsplit(url).hostname or ""
    if host_is_private_without_dns(host):
        return "Enter a public web address: local and private network addresses are refused."
    return None


def _duplicate_problem(topic: Topic, url: str) -> str | None:
    if Resource.objects.filter(topic=topic, url=url).exists():
        return "This item already lists that link."
    pending = ResourceSuggestion.objects.filter(
        topic=topic, url=url, status=ResourceSuggestion.Status.PENDING
    )
    if pending.exists():
        return "This link was already suggested for this item and is waiting for review."
    return None


def suggestion_submit(
    *,
    user: Any,
    topic: Topic,
    title: str,
    url: str,
    kind: str,
    language: str,
    note: str = "",
) -> ResourceSuggestion:
    """Store a signed-in learner's suggestion for `topic`. Raises SuggestionRateLimited when
    they used up their suggestions for the window, SuggestionInvalid naming each bad field."""
    who = str(user.pk)
    rate = settings.RESOURCE_SUGGESTION_RATE
    wait = failures_wait(RATE_SCOPE, who, rate)
    if wait is not None:
        raise SuggestionRateLimited(wait)
    suggestion = ResourceSuggestion(
        topic=topic,
        user=user,
        title=title.strip(),
        url=url.strip(),
        kind=kind,
        language=language.strip().lower(),
        note=note.strip(),
    )
    errors: dict[str, list[str]] = {}
    try:
        suggestion.full_clean(validate_constraints=False)
    except ValidationError as error:
        errors = dict(error.message_dict)
    if "url" not in errors:
        problem = _url_problem(suggestion.url) or _duplicate_problem(topic, suggestion.url)
        if problem:
            errors["url"] = [problem]
    if errors:
        raise SuggestionInvalid(errors)
    suggestion.save()
    # Counted once stored: refused attempts (typos, duplicates) do not use up the allowance.
    failure_record(RATE_SCOPE, who, rate)
    return suggestion


def _reviewable(suggestion: ResourceSuggestion) -> ResourceSuggestion:
    locked = ResourceSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if locked.status != ResourceSuggestion.Status.PENDING:
        raise SuggestionAlreadyReviewed(
            f"'{locked.title}' was already reviewed ({locked.get_status_display().lower()})."
        )
    return locked


@transaction.atomic
def suggestion_approve(*, suggestion: ResourceSuggestion, editor: Any) -> Resource:
    """Add the suggested link to its item (last in its list) and record the approval, as one
    content change of the item's roadmap."""
    suggestion = _reviewable(suggestion)
    topic = Topic.objects.select_related("roadmap").get(pk=suggestion.topic_id)
    if Resource.objects.filter(topic=topic, url=suggestion.url).exists():
        raise SuggestionError("The item already lists this link: reject the suggestion instead.")
    last = Resource.objects.filter(topic=topic).aggregate(last=Max("position"))["last"]
    resource = Resource(
        roadmap_id=topic.roadmap_id,
        topic=topic,
        position=0 if last is None else last + 1,
        kind=suggestion.kind,
        title=suggestion.title,
        url=suggestion.url,
        language=suggestion.language,
    )
    resource.full_clean()
    resource.save()
    suggestion.status = ResourceSuggestion.Status.APPROVED
    suggestion.resource = resource
    suggestion.reviewed_by = editor
    suggestion.reviewed_at = timezone.now()
    suggestion.save(update_fields=["status", "resource", "reviewed_by", "reviewed_at"])
    roadmap_content_changed(
        roadmaps=[topic.roadmap_id],
        urls=[resource.url],
        how=Revision.How.ADMIN,
        user=editor,
        message=f"Added the suggested resource '{resource.title}' to '{topic.title}'.",
    )
    return resource


@transaction.atomic
def suggestion_reject(*, suggestion: ResourceSuggestion, editor: Any, reason: str) -> None:
    """Close the suggestion without touching content; `reason` is required and kept."""
    reason = reason.strip()
    if not reason:
        raise SuggestionError("Give a reason for rejecting the suggestion.")
    suggestion = _reviewable(suggestion)
    suggestion.status = ResourceSuggestion.Status.REJECTED
    suggestion.reject_reason = reason[:300]
    suggestion.reviewed_by = editor
    suggestion.reviewed_at = timezone.now()
    suggestion.save(update_fields=["status", "reject_reason", "reviewed_by", "reviewed_at"])
