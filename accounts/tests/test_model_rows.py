"""Rows read with one short SQL statement (common/model_rows.py) are the instances the ORM
gives: every field the same, datetimes aware, booleans booleans; a token finds its user."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import ApiToken, User
from accounts.services import _tokens_with_prefix, api_token_authenticate, api_token_create

pytestmark = pytest.mark.django_db


def fields_of(instance) -> dict:
    return {
        field.attname: getattr(instance, field.attname)
        for field in type(instance)._meta.concrete_fields
    }


def test_a_token_row_and_its_user_are_what_the_orm_reads(learner):
    learner.is_staff = True
    learner.last_login = timezone.now() - dt.timedelta(days=2)
    learner.display_name = "Ada «L»"
    learner.progress_version = 7
    learner.save()
    token, raw = api_token_create(user=learner, name="laptop")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    api_token_create(user=learner, name="other")  # another prefix: not read
    (found,) = _tokens_with_prefix(token.prefix)
    assert fields_of(found) == fields_of(ApiToken.objects.get(pk=token.pk))
    assert fields_of(found.user) == fields_of(User.objects.get(pk=learner.pk))
    assert found.user.is_staff is True
    assert timezone.is_aware(found.last_used_at) and timezone.is_aware(found.user.date_joined)
    assert found.user.has_usable_password()
    # A real instance: it saves and refreshes as any other.
    found.user.display_name = "Ada"
    found.user.save(update_fields=["display_name"])
    assert User.objects.get(pk=learner.pk).display_name == "Ada"
    assert api_token_authenticate(raw=raw) == learner


def test_an_inactive_users_token_and_an_unknown_prefix_find_no_one(learner):
    _, raw = api_token_create(user=learner, name="laptop")
    assert _tokens_with_prefix("rmf_nothing0") == []
    User.objects.filter(pk=learner.pk).update(is_active=False)
    assert api_token_authenticate(raw=raw) is None


def test_a_user_by_id_is_the_orms_user_and_an_unknown_id_does_not_exist(learner):
    learner.last_login = timezone.now()
    learner.save()
    found = User.objects.get(pk=learner.pk)
    assert fields_of(found) == fields_of(User.objects.filter(pk=learner.pk).get())
    assert found._state.adding is False and found._state.db == "default"
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=learner.pk + 1000)
    assert User.objects.get(username="ada") == learner  # other lookups: the ORM's


def test_signing_out_elsewhere_by_a_new_password_ends_the_session(client, learner, flask_roadmap):
    client.force_login(learner)
    assert client.get("/settings/").status_code == 200
    learner.set_password("a-new-long-password-42")
    learner.save()
    # The session's hash of the old password no longer matches: signed out at once.
    assert client.get("/settings/").status_code == 302
    html = client.get(flask_roadmap.get_absolute_url()).content.decode()
    assert "user-menu__name" not in html


def test_a_deactivated_learner_is_signed_out_on_the_next_request(client, learner):
    client.force_login(learner)
    assert client.get("/settings/").status_code == 200
    User.objects.filter(pk=learner.pk).update(is_active=False)
    assert client.get("/settings/").status_code == 302
