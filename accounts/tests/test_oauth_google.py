"""End-to-end Google sign-in against a fake Google on 127.0.0.1: the token response carries an
id_token signed with a key the fake publishes as JWKS, and the project verifies it."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives.asymmetric import rsa

from accounts.models import User
from accounts.tests.conftest import oauth_round_trip

pytestmark = pytest.mark.django_db


def _signed_in_user(client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_new_learner_signs_in_with_google(client, fake_google):
    response = oauth_round_trip(client, fake_google, "google")

    assert response.status_code == 302
    assert response["Location"] == "/"
    user = _signed_in_user(client)
    assert user is not None
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == ("google", "109876543210")
    assert user.email == "gina@example.com"
    assert user.display_name == "Gina Google"
    # Token exchange, then the signing keys: the id_token's signature was checked.
    assert fake_google.paths()[1:] == ["/token", "/oauth2/v3/certs"]
    authorize = fake_google.requests[0][2]
    assert authorize["code_challenge_method"] == ["S256"]
    assert set(authorize["scope"][0].split()) == {"openid", "profile", "email"}


def test_second_google_sign_in_reuses_the_account(client, fake_google):
    oauth_round_trip(client, fake_google, "google")
    first = _signed_in_user(client)
    client.logout()
    oauth_round_trip(client, fake_google, "google")
    assert _signed_in_user(client) == first
    assert User.objects.count() == 1


def test_id_token_signed_by_another_key_is_refused(client, fake_google):
    fake_google.id_token_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    response = oauth_round_trip(client, fake_google, "google")

    assert response.status_code == 401
    assert _signed_in_user(client) is None
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "claims", [{"iss": "https://accounts.example.net"}, {"aud": "someone-elses-client"}]
)
def test_id_token_for_another_issuer_or_audience_is_refused(client, fake_google, claims):
    fake_google.claims.update(claims)

    response = oauth_round_trip(client, fake_google, "google")

    assert response.status_code == 401
    assert not User.objects.exists()


def test_wrong_state_is_refused(client, fake_google):
    response = oauth_round_trip(client, fake_google, "google", state="not-the-state")
    assert response.status_code == 401
    assert "/token" not in fake_google.paths()
    assert not User.objects.exists()


def test_unverified_google_email_does_not_take_over(client, fake_google, learner):
    fake_google.claims.update(email=learner.email, email_verified=False)

    response = oauth_round_trip(client, fake_google, "google")

    assert response.status_code == 409
    assert _signed_in_user(client) is None
    assert not SocialAccount.objects.exists()
