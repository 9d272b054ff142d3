from __future__ import annotations

import json
import re
from typing import Any

from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers import registry
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import DELETE_PHRASE, AccountDeleteForm, ApiTokenForm, ProfileForm
from accounts.models import ApiToken, User
from accounts.services import (
    TokenError,
    api_token_create,
    api_token_revoke,
    user_data_export,
    user_delete,
)


def provider_name(provider_id: str) -> str:
    # From the provider class, not the configured app: an account connected before the
    # operator removed a provider's credentials must still show up (and not fail the page).
    provider_class = registry.get_class(provider_id)
    return provider_class.name if provider_class else provider_id.title()


def _settings_page(
    request: HttpRequest,
    *,
    profile_form: ProfileForm | None = None,
    token_form: ApiTokenForm | None = None,
    new_token: str | None = None,
    status: int = 200,
) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    accounts = list(SocialAccount.objects.filter(user=user).order_by("provider", "pk"))
    connected = [
        {
            "provider": provider_name(account.provider),
            "handle": account.extra_data.get("login") or account.extra_data.get("email") or "",
            "connected_at": account.date_joined,
        }
        for account in accounts
    ]
    connected_ids = {account.provider for account in accounts}
    providers = get_social_adapter(request).list_providers(request)
    context: dict[str, Any] = {
        "profile_form": profile_form or ProfileForm(instance=user),
        "token_form": token_form or ApiTokenForm(),
        "new_token": new_token,
        "tokens": ApiToken.objects.filter(user=user),
        "connected_accounts": connected,
        "connectable_providers": [p for p in providers if p.id not in connected_ids],
        "email_addresses": EmailAddress.objects.filter(user=user).order_by("-primary", "email"),
        "has_password": user.has_usable_password(),
    }
    return render(request, "accounts/settings.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest) -> HttpResponse:
    """The learner's profile, sign-in methods, API tokens and data, on one page."""
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)  # type: ignore[arg-type]
        if form.is_valid():
            form.save()
            messages.success(request, "Your profile was saved.")
            return redirect("accounts:settings")
        return _settings_page(request, profile_form=form, status=400)
    return _settings_page(request, new_token=request.session.pop(NEW_TOKEN_SESSION_KEY, None))


# The session key that carries a new token's raw value from the create POST to the next page.
NEW_TOKEN_SESSION_KEY = "accounts_new_api_token"  # noqa: S105 (a key name, not a secret)


@never_cache
@login_required
@require_POST
def token_create_view(request: HttpRequest) -> HttpResponse:
    # Post/redirect/get: reloading the settings page must not create a second token. The raw
    # value crosses the redirect in the learner's own session (server-side, never a cookie or a
    # message) and is popped by the first page that shows it, so it is displayed exactly once.
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            _token, raw = api_token_create(
                user=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
            )
        except TokenError as error:
            form.add_error("name", str(error))
        else:
            request.session[NEW_TOKEN_SESSION_KEY] = raw
            return redirect("accounts:settings")
    return _settings_page(request, token_form=form, status=400)


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    if api_token_revoke(user=request.user, token_id=token_id):  # type: ignore[arg-type]
        messages.success(request, "The token was revoked; programs using it can no longer sign in.")
    else:
        messages.error(request, "That token does not exist (it may already be revoked).")
    return redirect("accounts:settings")


@never_cache
@login_required
def data_export_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    payload = json.dumps(user_data_export(user=user), cls=DjangoJSONEncoder, indent=2)
    # Usernames may hold any Unicode letter; a header needs plain ASCII.
    safe_name = re.sub(r"[^A-Za-z0-9_.-]+", "-", user.username).strip("-.") or "account"
    filename = f"roadmapfinder-{safe_name}-{timezone.now():%Y-%m-%d}.json"
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_delete_view(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user_delete(user=request.user)  # type: ignore[arg-type]
        logout(request)
        messages.success(request, "Your account and everything in it were deleted.")
        return redirect("/")
    status = 400 if form.is_bound else 200
    return render(
        request, "accounts/delete.html", {"form": form, "phrase": DELETE_PHRASE}, status=status
    )
