"""Sign-in merges a visitor's session progress into their account."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in


def _merge_on_login(sender: type, request: Any, user: Any, **kwargs: Any) -> None:
    from progress.services import progress_merge_session

    # Logins without a request (tests' client.force_login has one; shell logins may not).
    session = getattr(request, "session", None)
    if session is not None:
        progress_merge_session(user=user, session=session)


def connect() -> None:
    user_logged_in.connect(_merge_on_login, dispatch_uid="progress-merge-session")
