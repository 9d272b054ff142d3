from __future__ import annotations

import json

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.exports import register_export, unregister_export
from accounts.models import ApiToken, User
from accounts.services import api_token_authenticate, api_token_create
from accounts.tests.factories import UserFactory
from progress.models import Progress
from roadmaps.models import Roadmap
from roadmaps.tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db

SETTINGS = reverse("accounts:settings")


@pytest.fixture
def signed_in(client, learner) -> Client:
    client.force_login(learner)
    return client


def test_settings_requires_sign_in(client):
    response = client.get(SETTINGS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("tokens", "providers"), [(1, ["github"]), (12, ["github", "google"])])
def test_settings_page_query_count_does_not_grow(
    signed_in, learner, django_assert_num_queries, tokens, providers
):
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    for number in range(tokens):
        api_token_create(user=learner, name=f"script {number}")
    for provider in providers:
        SocialAccount.objects.create(user=learner, provider=provider, uid=f"{provider}-1")
    # session, user, resource languages (the profile form's choices), social accounts, email
    # addresses, tokens (provider apps come from settings)
    with django_assert_num_queries(6):
        response = signed_in.get(SETTINGS)
    assert response.status_code == 200
    assert response.content.count(b"Revoke<span") == tokens


def test_settings_page_shows_every_section(signed_in):
    page = signed_in.get(SETTINGS).content.decode()
    for section_id in ["profile", "sign-in", "connected-accounts", "api-tokens", "your-data"]:
        assert f'id="{section_id}"' in page
    assert reverse("accounts:data_export") in page
    assert reverse("accounts:delete") in page


def test_profile_update(signed_in, learner):
    ResourceFactory(language="hi")
    response = signed_in.post(
        SETTINGS,
        {"display_name": " Ada  Lovelace ", "preferred_language": "hi", "is_profile_public": "on"},
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.display_name == "Ada Lovelace"
    assert learner.preferred_language == "hi"
    assert learner.is_profile_public


def test_language_choices_are_the_languages_of_published_content(signed_in, learner):
    ResourceFactory(language="en")
    ResourceFactory(language="hi")
    ResourceFactory(language="ta", roadmap__status=Roadmap.Status.DRAFT)
    choices = signed_in.get(SETTINGS).context["profile_form"].fields["preferred_language"].choices
    assert choices == [("", "No preference"), ("en", "English"), ("hi", "Hindi")]
    refused = signed_in.post(SETTINGS, {"display_name": "Ada", "preferred_language": "ta"})
    assert refused.status_code == 400
    learner.refresh_from_db()
    assert learner.preferred_language == ""


def test_a_saved_language_no_content_has_any_more_stays_on_offer(signed_in, learner):
    learner.preferred_language = "bn"
    learner.save()
    ResourceFactory(language="en")
    choices = signed_in.get(SETTINGS).context["profile_form"].fields["preferred_language"].choices
    assert ("bn", "Bengali") in choices
    response = signed_in.post(SETTINGS, {"display_name": "Ada", "preferred_language": "bn"})
    assert response.status_code == 302


def test_profile_update_refuses_unknown_language(signed_in, learner):
    response = signed_in.post(SETTINGS, {"display_name": "Ada", "preferred_language": "xx"})
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    learner.refresh_from_db()
    assert learner.display_name == ""
    assert learner.preferred_language == ""


def test_token_is_shown_once_and_works(signed_in, learner):
    response = signed_in.post(reverse("accounts:token_create"), {"name": "sync script"})
    assert response.status_code == 302
    assert response["Location"] == SETTINGS
    shown = signed_in.get(SETTINGS)
    raw = shown.context["new_token"]
    page = shown.content.decode()
    # At the top of the page, before the first settings section.
    assert page.index(raw) < page.index('id="profile"')
    assert api_token_authenticate(raw=raw) == learner
    token = ApiToken.objects.get()
    assert token.name == "sync script"
    assert raw not in token.secret_hash

    later = signed_in.get(SETTINGS)
    assert raw.encode() not in later.content
    assert token.prefix.encode() in later.content
    assert b"ago" in later.content  # last used is shown


def test_reloading_after_creating_a_token_creates_no_other(signed_in, learner):
    signed_in.post(reverse("accounts:token_create"), {"name": "sync script"})
    first = signed_in.get(SETTINGS)
    second = signed_in.get(SETTINGS)
    assert first.context["new_token"]
    assert second.context["new_token"] is None
    assert b'id="new-token"' not in second.content
    assert ApiToken.objects.filter(user=learner).count() == 1


def test_token_create_needs_a_name(signed_in):
    response = signed_in.post(reverse("accounts:token_create"), {"name": "  "})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_token_create_is_csrf_protected(learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    response = client.post(reverse("accounts:token_create"), {"name": "x"})
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_revoke_own_token(signed_in, learner):
    token, raw = api_token_create(user=learner, name="old")
    response = signed_in.post(reverse("accounts:token_revoke", args=[token.pk]), follow=True)
    assert b"was revoked" in response.content
    assert api_token_authenticate(raw=raw) is None


def test_cannot_revoke_someone_elses_token(signed_in):
    other = UserFactory()
    token, raw = api_token_create(user=other, name="theirs")
    response = signed_in.post(reverse("accounts:token_revoke", args=[token.pk]), follow=True)
    assert b"does not exist" in response.content
    assert api_token_authenticate(raw=raw) == other


def test_revoke_refuses_get(signed_in, learner):
    token, _ = api_token_create(user=learner, name="old")
    assert signed_in.get(reverse("accounts:token_revoke", args=[token.pk])).status_code == 405
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_data_export(signed_in, learner, flask_roadmap):
    learner.display_name = "Ada"
    learner.save()
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    SocialAccount.objects.create(
        user=learner, provider="github", uid="4242", extra_data={"login": "ada"}
    )
    _, raw = api_token_create(user=learner, name="laptop")
    topic = flask_roadmap.topics.order_by("pk").first()
    Progress.objects.create(
        user=learner, roadmap=flask_roadmap, topic=topic, status="done", updated_at=timezone.now()
    )
    register_export("test_section", lambda user: {"username": user.username})
    try:
        response = signed_in.get(reverse("accounts:data_export"))
    finally:
        unregister_export("test_section")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="roadmapfinder-ada-')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["username"] == "ada"
    assert data["account"]["email"] == "ada@example.com"
    assert data["account"]["display_name"] == "Ada"
    assert data["email_addresses"] == [
        {"email": "ada@example.com", "verified": True, "primary": True}
    ]
    assert [(a["provider"], a["uid"]) for a in data["connected_accounts"]] == [("github", "4242")]
    assert set(data["connected_accounts"][0]) == {"provider", "uid", "connected_at", "last_login"}
    assert [(t["name"], t["prefix"]) for t in data["api_tokens"]] == [("laptop", raw[:12])]
    assert data["test_section"] == {"username": "ada"}
    assert [entry["topic"] for entry in data["progress"]] == [topic.key]
    text = response.content.decode()
    assert raw not in text
    assert ApiToken.objects.get().secret_hash not in text
    assert "password" not in text


def test_register_export_refuses_reserved_and_taken_names():
    with pytest.raises(ValueError, match="reserved"):
        register_export("account", lambda user: None)
    register_export("once", len)
    try:
        register_export("once", len)  # the same function again is fine
        with pytest.raises(ValueError, match="already registered"):
            register_export("once", str)
    finally:
        unregister_export("once")


def test_delete_needs_the_typed_phrase(signed_in, learner):
    response = signed_in.post(reverse("accounts:delete"), {"confirmation": "yes"})
    assert response.status_code == 400
    assert User.objects.filter(pk=learner.pk).exists()
    assert signed_in.session.get("_auth_user_id") == str(learner.pk)


def test_delete_removes_every_personal_row_and_signs_out(signed_in, learner, flask_roadmap):
    other = UserFactory()
    topics = list(flask_roadmap.topics.order_by("pk")[:2])
    for person in (learner, other):
        EmailAddress.objects.create(user=person, email=person.email, verified=True)
        SocialAccount.objects.create(user=person, provider="github", uid=f"gh-{person.pk}")
        api_token_create(user=person, name="script")
        for topic in topics:
            Progress.objects.create(
                user=person, roadmap=flask_roadmap, topic=topic, status="done",
                updated_at=timezone.now(),
            )  # fmt: skip

    response = signed_in.post(reverse("accounts:delete"), {"confirmation": " Delete My  Account "})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" not in signed_in.session
    assert not User.objects.filter(pk=learner.pk).exists()
    for model in (EmailAddress, SocialAccount, ApiToken, Progress):
        assert not model.objects.filter(user_id=learner.pk).exists(), model
        assert model.objects.filter(user=other).exists(), model
    assert signed_in.get(SETTINGS).status_code == 302  # signed out


def test_export_filename_is_ascii_for_any_username(client):
    user = UserFactory(username="jürgen.o'neil")
    client.force_login(user)
    response = client.get(reverse("accounts:data_export"))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="roadmapfinder-j-rgen.o-neil-')


def test_admin_lists_a_users_tokens_without_secrets(client, learner):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    token, raw = api_token_create(user=learner, name="cli")
    client.force_login(superuser)
    page = client.get(reverse("admin:accounts_user_change", args=[learner.pk]))
    assert page.status_code == 200
    assert token.prefix.encode() in page.content
    assert token.secret_hash.encode() not in page.content
    assert raw.encode() not in page.content
