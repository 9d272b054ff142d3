"""Email sign-in rules and the environment-driven provider settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.signals import user_logged_in
from django.urls import reverse

from accounts.tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
LOGIN = reverse("account_login")


@pytest.fixture
def verified_learner(learner):
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    return learner


@pytest.mark.django_db
def test_email_sign_in_keeps_the_session_and_fires_user_logged_in(client, verified_learner):
    logins = []

    def record(sender, user, request, **kwargs):
        logins.append(user)

    session = client.session
    session["anonymous_progress"] = {"flask/routing": "in_progress"}
    session.save()
    user_logged_in.connect(record)
    try:
        response = client.post(LOGIN, {"login": verified_learner.email, "password": PASSWORD})
    finally:
        user_logged_in.disconnect(record)

    assert response.status_code == 302
    assert logins == [verified_learner]
    assert client.session["_auth_user_id"] == str(verified_learner.pk)
    assert client.session["anonymous_progress"] == {"flask/routing": "in_progress"}


@pytest.mark.django_db
def test_unverified_password_account_cannot_sign_in(client, learner, mailoutbox):
    EmailAddress.objects.create(user=learner, email=learner.email, verified=False, primary=True)
    response = client.post(LOGIN, {"login": learner.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mailoutbox) == 1  # a fresh confirmation link


@pytest.mark.django_db
def test_failed_logins_are_rate_limited(client, verified_learner):
    for _ in range(5):
        client.post(LOGIN, {"login": verified_learner.email, "password": "wrong-password"})
    # allauth's default "login_failed" limit (5 per 5 minutes per account) now holds even
    # the right password back.
    response = client.post(LOGIN, {"login": verified_learner.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert b"Too many failed login attempts" in response.content


@pytest.mark.django_db
def test_sign_out_needs_a_post(client, verified_learner):
    client.force_login(verified_learner)
    assert client.get(reverse("account_logout")).status_code == 200  # a confirmation page
    assert client.session.get("_auth_user_id") == str(verified_learner.pk)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def _settings_under(env: dict[str, str]) -> dict | str:
    """Import the settings module in a fresh interpreter with `env`; its providers or the error."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GITHUB_", "GOOGLE_", "DJANGO_SETTINGS"))
    }
    code = (
        "import json, roadmapfinder.settings as s; "
        "print(json.dumps({'providers': s.SOCIALACCOUNT_PROVIDERS}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "TESTING": "1", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode:
        return result.stderr.strip().splitlines()[-1]
    return json.loads(result.stdout)["providers"]


def test_provider_credentials_and_urls_come_from_the_environment():
    providers = _settings_under(
        {
            "GITHUB_CLIENT_ID": "gh-id",
            "GITHUB_CLIENT_SECRET": "gh-secret",
            "GITHUB_URL": "https://github.example.org/",
            "GOOGLE_TOKEN_URL": "https://proxy.example.org/token",
        }
    )
    assert isinstance(providers, dict), providers
    assert providers["github"]["APPS"] == [{"client_id": "gh-id", "secret": "gh-secret", "key": ""}]
    assert providers["github"]["GITHUB_URL"] == "https://github.example.org"
    assert providers["google"]["APPS"] == []  # no credentials, so no Google button
    assert providers["google"]["ACCESS_TOKEN_URL"] == "https://proxy.example.org/token"


@pytest.mark.parametrize(
    ("env", "error"),
    [
        ({"GITHUB_CLIENT_ID": "only-the-id"}, "Set both GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET"),
        ({"GITHUB_URL": "javascript:alert(1)"}, "GITHUB_URL must be an http(s) URL"),
        ({"GOOGLE_CERTS_URL": "file:///etc/passwd"}, "GOOGLE_CERTS_URL must be an http(s) URL"),
    ],
)
def test_bad_provider_settings_stop_start_up(env, error):
    outcome = _settings_under(env)
    assert isinstance(outcome, str)
    assert error in outcome
