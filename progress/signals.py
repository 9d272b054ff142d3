"""Sign-in merges a visitor's session progress into their account."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import ngettext


def _merge_on_login(sender: type, request: Any, user: Any, **kwargs: Any) -> None:
    from progress.services import progress_merge_session

    # Logins without a request (tests' client.force_login has one; shell logins may not).
    session = getattr(request, "session", None)
    if session is None:
        return
    moved = progress_merge_session(user=user, session=session)
    if moved:
        # Said on the page the learner lands on (allauth redirects to `next` after sign-in or
        # email confirmation). fail_silently: a request without the messages middleware.
        text = ngettext(
            "%(count)d mark you made before signing in moved into your account.",
            "%(count)d marks you made before signing in moved into your account.",
            moved,
        ) % {"count": moved}
        messages.success(request, text, fail_silently=True)


def connect() -> None:
    user_logged_in.connect(_merge_on_login, dispatch_uid="progress-merge-session")
