"""`GET /api/v1/me`: who the API thinks you are (token or session)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from ninja import Router

from accounts.api_auth import LEARNER_AUTH, LearnerRequest
from accounts.schemas import MeOut
from common.api_errors import ErrorOut
from common.api_request import never_cached
from common.site import absolute_url

router = Router(tags=["me"], auth=LEARNER_AUTH)
# Personal data: no browser or proxy keeps a copy.
router.add_decorator(never_cached, mode="view")


@router.get(
    "/me",
    url_name="me",
    summary="The signed-in learner",
    response={200: MeOut, 401: ErrorOut, 429: ErrorOut},
)
def me(request: LearnerRequest) -> dict[str, Any]:
    """Your account as the API sees it. Useful to check that a token works."""
    user = request.auth
    return {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "preferred_language": user.preferred_language,
        "is_profile_public": user.is_profile_public,
        "is_editor": user.is_editor,
        "date_joined": user.date_joined,
        "progress_url": absolute_url(reverse("api-v1:me_progress_list")),
    }
