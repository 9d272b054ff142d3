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
