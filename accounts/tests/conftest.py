from __future__ import annotations

import copy
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.tests.fake_oauth import CLIENT_ID, CLIENT_SECRET, FakeOAuthServer, FakeProvider

APP = {"client_id": CLIENT_ID, "secret": CLIENT_SECRET, "key": ""}


def _providers_with(provider_id: str, **overrides: object) -> dict:
    providers = copy.deepcopy(settings.SOCIALACCOUNT_PROVIDERS)
    providers[provider_id].update({"APPS": [APP], **overrides})
    return providers


@pytest.fixture
def fake_github(settings) -> Iterator[FakeProvider]:
    """A fake GitHub Enterprise on 127.0.0.1; the project is pointed at it through GITHUB_URL."""
    with FakeOAuthServer("github") as github:
        github.profile = {
            "id": 4242,
            "login": "octocat",
            "name": "Octo Cat",
            "email": "octo@example.com",
            "html_url": f"{github.url}/octocat",
        }
        github.emails = [
            {"email": "octo@example.com", "primary": True, "verified": True, "visibility": None}
        ]
        settings.SOCIALACCOUNT_PROVIDERS = _providers_with("github", GITHUB_URL=github.url)
        yield github


@pytest.fixture
def fake_google(settings) -> Iterator[FakeProvider]:
    """A fake Google: authorize, token (with a signed id_token), JWKS and userinfo endpoints."""
    with FakeOAuthServer("google") as google:
        google.claims = {
            "sub": "109876543210",
            "email": "gina@example.com",
            "email_verified": True,
            "name": "Gina Google",
            "given_name": "Gina",
            "family_name": "Google",
        }
        settings.SOCIALACCOUNT_PROVIDERS = _providers_with(
            "google",
            AUTHORIZE_URL=f"{google.url}/o/oauth2/v2/auth",
            ACCESS_TOKEN_URL=f"{google.url}/token",
            IDENTITY_URL=f"{google.url}/oauth2/v2/userinfo",
            CERTS_URL=f"{google.url}/oauth2/v3/certs",
            ID_TOKEN_ISSUER=google.url,
        )
        yield google


def oauth_round_trip(
    client: Client,
    provider: FakeProvider,
    provider_id: str,
    *,
    process: str = "login",
    state: str | None = None,
):
    """Press "Continue with <provider>", let the fake provider approve, return the callback's
    response. The browser's hops to the provider are real HTTP requests to the fake server."""
    start = client.post(reverse(f"{provider_id}_login"), {"process": process})
    assert start.status_code == 302, start.content[:500]
    authorize_url = start["Location"]
    assert authorize_url.startswith(provider.url + "/")
    approved = requests.get(authorize_url, allow_redirects=False, timeout=10)
    assert approved.status_code == 302, approved.text
    callback = urlsplit(approved.headers["Location"])
    assert callback.path == reverse(f"{provider_id}_callback")
    query = dict(parse_qsl(callback.query))
    if state is not None:
        query["state"] = state
    return client.get(callback.path, query)
