"""End-to-end GitHub sign-in against a fake GitHub on 127.0.0.1, through the real views."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.contrib.auth.signals import user_logged_in
from django.urls import reverse

from accounts.models import User
from accounts.oauth.github.views import GitHubAdapter
from accounts.tests.conftest import oauth_round_trip
from accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_PATH = "/login/oauth/access_token"


def _signed_in_user(client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_new_learner_signs_in_with_github(client, fake_github):
    logins = []

    def record(sender, user, request, **kwargs):
        logins.append(user)

    user_logged_in.connect(record)
    session = client.session
    session["anonymous_progress"] = {"flask/http-basics": "done"}
    session.save()
    try:
        response = oauth_round_trip(client, fake_github, "github")
    finally:
        user_logged_in.disconnect(record)

    assert response.status_code == 302
    assert response["Location"] == "/"
    user = _signed_in_user(client)
    assert user is not None
    assert logins == [user]
    # Signing in keeps what the anonymous session held (progress merges it on user_logged_in).
    assert client.session["anonymous_progress"] == {"flask/http-basics": "done"}
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == ("github", "4242")
    assert user.email == "octo@example.com"
    assert user.display_name == "Octo Cat"
    assert EmailAddress.objects.get(user=user).verified
    assert not user.has_usable_password()
    assert not SocialToken.objects.exists()  # we keep no provider tokens


def test_github_round_trip_uses_pkce_and_the_configured_endpoints(client, fake_github):
    oauth_round_trip(client, fake_github, "github")

    method, path, authorize = fake_github.requests[0]
    assert (method, path) == ("GET", "/login/oauth/authorize")
    assert authorize["redirect_uri"] == ["http://testserver/accounts/github/login/callback/"]
    assert authorize["code_challenge_method"] == ["S256"]
    assert set(authorize["scope"][0].split()) == {"read:user", "user:email"}
    assert fake_github.paths()[1:] == [TOKEN_PATH, "/api/v3/user", "/api/v3/user/emails"]
    token_request = fake_github.requests[1][2]
    assert token_request["code_verifier"][0]  # the fake checked it against the challenge


def test_wrong_state_is_refused(client, fake_github):
    response = oauth_round_trip(client, fake_github, "github", state="forged-state-value")

    assert response.status_code == 401
    assert b"could not sign you in" in response.content.lower()
    assert _signed_in_user(client) is None
    assert not User.objects.exists()
    assert TOKEN_PATH not in fake_github.paths()  # the code was never even exchanged


def test_second_sign_in_reuses_the_account(client, fake_github):
    oauth_round_trip(client, fake_github, "github")
    first = _signed_in_user(client)
    client.post(reverse("account_logout"))
    assert _signed_in_user(client) is None

    fake_github.profile["name"] = "Octo Renamed"
    response = oauth_round_trip(client, fake_github, "github")

    assert response.status_code == 302
    assert _signed_in_user(client) == first
    assert User.objects.count() == 1
    account = SocialAccount.objects.get()
    assert account.extra_data["name"] == "Octo Renamed"


def test_unverified_email_does_not_take_over_an_existing_account(client, fake_github, learner):
    fake_github.profile["email"] = learner.email
    fake_github.emails = [
        {"email": learner.email, "primary": True, "verified": False, "visibility": None}
    ]

    response = oauth_round_trip(client, fake_github, "github")

    assert response.status_code == 409
    assert b"sign in to that account first" in response.content.lower()
    assert b"GitHub has not confirmed" in response.content
    assert _signed_in_user(client) is None
    assert not SocialAccount.objects.exists()
    assert User.objects.count() == 1
    learner.refresh_from_db()
    assert learner.check_password(PASSWORD)


def test_verified_email_signs_in_to_and_connects_the_existing_account(client, fake_github, learner):
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    fake_github.profile["email"] = learner.email
    fake_github.emails = [
        {"email": learner.email, "primary": True, "verified": True, "visibility": None}
    ]

    response = oauth_round_trip(client, fake_github, "github")

    assert response.status_code == 302
    assert _signed_in_user(client) == learner
    assert SocialAccount.objects.get().user == learner
    learner.refresh_from_db()
    assert learner.check_password(PASSWORD)  # a verified local address keeps its password


def test_signed_in_learner_connects_github_from_settings(client, fake_github, learner):
    fake_github.emails = [{"email": "someone-else@example.com", "primary": True, "verified": False}]
    client.force_login(learner)

    response = oauth_round_trip(client, fake_github, "github", process="connect")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:settings") + "#connected-accounts"
    assert SocialAccount.objects.get().user == learner
    assert _signed_in_user(client) == learner


def test_login_page_shows_github_only_when_configured(client, settings, fake_github):
    login_url = reverse("github_login")
    assert login_url.encode() in client.get(reverse("account_login")).content

    settings.SOCIALACCOUNT_PROVIDERS["github"]["APPS"] = []
    page = client.get(reverse("account_login"))
    assert page.status_code == 200
    assert login_url.encode() not in page.content


def test_github_login_refuses_get(client, fake_github):
    # A GET only shows a confirmation page with a POST form; it never redirects to GitHub.
    response = client.get(reverse("github_login"))
    assert response.status_code == 200
    assert not fake_github.requests


@pytest.mark.parametrize(
    ("github_url", "authorize", "user"),
    [
        (
            "https://github.com",
            "https://github.com/login/oauth/authorize",
            "https://api.github.com/user",
        ),
        (
            "https://git.example.org/",
            "https://git.example.org/login/oauth/authorize",
            "https://git.example.org/api/v3/user",
        ),
    ],
)
def test_github_endpoints_follow_github_url(rf, settings, github_url, authorize, user):
    settings.SOCIALACCOUNT_PROVIDERS = {"github": {"GITHUB_URL": github_url}}
    adapter = GitHubAdapter(rf.get("/"))
    assert adapter.authorize_url == authorize
    assert adapter.profile_url == user
    assert adapter.access_token_url == authorize.replace("authorize", "access_token")
    assert adapter.emails_url == user + "/emails"


def test_a_verified_email_never_signs_in_to_a_staff_account(client, fake_github, editor):
    """A GitHub account carrying an editor's verified address must not take over the editor."""
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    fake_github.profile["email"] = editor.email
    fake_github.emails = [{"email": editor.email, "primary": True, "verified": True}]

    response = oauth_round_trip(client, fake_github, "github")

    assert response.status_code == 409
    assert b"belongs to an editor" in response.content
    assert _signed_in_user(client) is None
    assert not SocialAccount.objects.exists()
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)  # not wiped
    assert User.objects.count() == 1


def test_a_signed_in_editor_connects_github_and_then_signs_in_with_it(client, fake_github, editor):
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    fake_github.profile["email"] = editor.email
    fake_github.emails = [{"email": editor.email, "primary": True, "verified": True}]
    client.force_login(editor)
    assert oauth_round_trip(client, fake_github, "github", process="connect").status_code == 302
    assert SocialAccount.objects.get().user == editor
    client.logout()

    response = oauth_round_trip(client, fake_github, "github")

    assert response.status_code == 302
    assert _signed_in_user(client) == editor
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)
