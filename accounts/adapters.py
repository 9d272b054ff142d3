"""allauth hooks: where our rules differ from allauth's defaults."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount import app_settings
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from allauth.socialaccount.providers.base import AuthProcess
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import render
from django.urls import reverse

from accounts.models import User


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        """Stop a social sign-in that would collide with an existing account by email.

        allauth has already matched the login to an account by a connected social account, or
        (SOCIALACCOUNT_EMAIL_AUTHENTICATION) by an email address the provider says is verified.
        What is left is an email the provider does not vouch for: connecting on it would let
        anyone who adds a victim's address to their GitHub account take over the victim's
        account. Instead of allauth's signup form we say plainly what to do: sign in to the
        existing account, then connect the provider from Settings.
        """
        if sociallogin.is_existing:
            return
        if sociallogin.state.get("process") == AuthProcess.CONNECT:
            return  # connecting to the signed-in account, whatever the email
        emails = {address.email.lower() for address in sociallogin.email_addresses}
        if sociallogin.user is not None and sociallogin.user.email:
            emails.add(sociallogin.user.email.lower())
        if emails and _users_by_email(emails).filter(Q(is_staff=True) | Q(is_superuser=True)):
            raise ImmediateHttpResponse(
                render(
                    request,
                    "accounts/staff_account_exists.html",
                    {"provider": sociallogin.provider},
                    status=409,
                )
            )
        if emails and _email_taken(emails):
            raise ImmediateHttpResponse(
                render(
                    request,
                    "socialaccount/account_exists.html",
                    {"provider": sociallogin.provider},
                    status=409,
                )
            )

    def authenticate_by_email(self, sociallogin: SocialLogin) -> tuple[Any, str] | None:
        """Never sign in to a staff account by email, however verified.

        Signing in by a matching verified email also connects the provider and can wipe the
        account's password (allauth's email authentication). For a learner that is convenience;
        for an editor or an administrator it would hand the admin to whoever controls a GitHub
        or Google account with that address. Staff connect providers themselves, signed in, from
        Settings; `pre_social_login` then explains this to the person at the door.
        """
        match = super().authenticate_by_email(sociallogin)
        if match is not None and (match[0].is_staff or match[0].is_superuser):
            return None
        return match

    def list_apps(
        self, request: HttpRequest | None, provider: str | None = None, client_id: str | None = None
    ) -> list[SocialApp]:
        """Provider apps come from settings (the environment) only, never database rows.

        This also saves allauth's per-render query for SocialApp rows.
        """
        apps = []
        for provider_id, config in app_settings.PROVIDERS.items():
            for app_config in config.get("APPS") or []:
                app = SocialApp(
                    provider=provider_id,
                    client_id=app_config["client_id"],
                    secret=app_config["secret"],
                    key=app_config.get("key", ""),
                    settings=app_config.get("settings", {}),
                )
                if provider and provider != provider_id:
                    continue
                if client_id and client_id != app.client_id:
                    continue
                apps.append(app)
        return apps

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: Any) -> Any:
        user = super().populate_user(request, sociallogin, data)
        # GitHub gives "name"; Google gives given and family names.
        name = data.get("name") or f"{data.get('first_name') or ''} {data.get('last_name') or ''}"
        name = " ".join(name.split())
        if name and not user.display_name:
            user.display_name = name[:120]
        return user

    def get_connect_redirect_url(self, request: HttpRequest, socialaccount: Any) -> str:
        return reverse("accounts:settings") + "#connected-accounts"


def _email_matches(emails: set[str], field: str = "email") -> Q:
    matches = Q()
    for email in emails:
        matches |= Q(**{f"{field}__iexact": email})
    return matches


def _users_by_email(emails: set[str]) -> QuerySet[User]:
    """Users whose own or any confirmed-or-not address is one of `emails`."""
    return User.objects.filter(
        _email_matches(emails) | _email_matches(emails, "emailaddress__email")
    ).distinct()


def _email_taken(emails: set[str]) -> bool:
    matches = _email_matches(emails)
    return User.objects.filter(matches).exists() or EmailAddress.objects.filter(matches).exists()
