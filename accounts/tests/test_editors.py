from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_editors_group_has_content_permissions_only():
    codenames = set(
        Group.objects.get(name="Editors").permissions.values_list(
            "content_type__app_label", "codename"
        )
    )
    assert ("roadmaps", "change_topic") in codenames
    assert ("roadmaps", "add_resource") in codenames
    assert {app for app, _ in codenames} == {
        "roadmaps",
        "courses",
    }  # content: roadmaps and the course catalog
    assert not any("user" in codename for _, codename in codenames)


def test_createeditor_command(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "a-long-enough-passphrase-42")
    call_command("createeditor", "linus@example.com")
    user = User.objects.get(email="linus@example.com")
    assert user.is_staff and not user.is_superuser
    assert user.is_editor
    assert user.check_password("a-long-enough-passphrase-42")


def test_createeditor_refuses_bad_email_and_weak_password(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "a-long-enough-passphrase-42")
    with pytest.raises(CommandError, match="not a valid email"):
        call_command("createeditor", "not-an-email")
    monkeypatch.setenv("EDITOR_PASSWORD", "123")
    with pytest.raises(CommandError, match="password refused"):
        call_command("createeditor", "x@example.com")
    assert not User.objects.exists()


def test_createeditor_gives_a_verified_address_that_signs_in_on_the_site(client, monkeypatch):
    from allauth.account.models import EmailAddress
    from django.urls import reverse

    monkeypatch.setenv("EDITOR_PASSWORD", "a-long-enough-passphrase-42")
    call_command("createeditor", "Linus@example.com")
    user = User.objects.get(email="Linus@example.com")
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("linus@example.com", True, True)

    response = client.post(
        reverse("account_login"),
        {"login": "linus@example.com", "password": "a-long-enough-passphrase-42"},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_promoting_again_keeps_one_primary_verified_address(monkeypatch):
    from allauth.account.models import EmailAddress

    from accounts.tests.factories import UserFactory

    learner = UserFactory(username="ken", email="ken@example.com")
    EmailAddress.objects.create(user=learner, email="ken@example.com", verified=False, primary=True)
    monkeypatch.setenv("EDITOR_PASSWORD", "a-long-enough-passphrase-42")
    call_command("createeditor", "ken@example.com")
    call_command("createeditor", "ken@example.com")
    assert list(EmailAddress.objects.filter(user=learner).values_list("verified", "primary")) == [
        (True, True)
    ]
