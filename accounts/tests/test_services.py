from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import (
    TokenError,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
)
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_token_create_stores_only_a_hash(learner):
    token, raw = api_token_create(user=learner, name="  laptop script ")
    assert raw.startswith("rmf_") and len(raw) > 40
    assert token.name == "laptop script"
    assert token.prefix == raw[:12]
    row = ApiToken.objects.get()
    assert raw not in {row.secret_hash, row.prefix, row.name}
    assert raw[12:] not in row.secret_hash


def test_token_authenticates_its_owner_and_records_use(learner):
    token, raw = api_token_create(user=learner, name="cli")
    assert token.last_used_at is None
    assert api_token_authenticate(raw=raw) == learner
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_last_used_is_written_at_most_once_a_minute(learner, django_assert_num_queries):
    token, raw = api_token_create(user=learner, name="cli")
    recent = timezone.now() - timedelta(seconds=10)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)
    with django_assert_num_queries(1):  # the token + user lookup, no UPDATE
        assert api_token_authenticate(raw=raw) == learner
    token.refresh_from_db()
    assert token.last_used_at == recent
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent - timedelta(minutes=2))
    with django_assert_num_queries(2):  # lookup, then the UPDATE of last_used_at
        assert api_token_authenticate(raw=raw) == learner


@pytest.mark.parametrize("raw", ["", "rmf_", "rmf_not-a-real-token", "Bearer x", "x" * 500])
def test_unknown_tokens_are_refused(learner, raw):
    api_token_create(user=learner, name="cli")
    assert api_token_authenticate(raw=raw) is None


def test_token_with_right_prefix_but_wrong_secret_is_refused(learner):
    _, raw = api_token_create(user=learner, name="cli")
    forged = raw[:12] + ("A" if raw[12] != "A" else "B") + raw[13:]
    assert api_token_authenticate(raw=forged) is None


def test_inactive_users_token_is_refused(learner):
    _, raw = api_token_create(user=learner, name="cli")
    learner.is_active = False
    learner.save()
    assert api_token_authenticate(raw=raw) is None


def test_revoke_only_own_token(learner):
    other = UserFactory()
    token, raw = api_token_create(user=learner, name="cli")
    assert api_token_revoke(user=other, token_id=token.pk) is False
    assert api_token_authenticate(raw=raw) == learner
    assert api_token_revoke(user=learner, token_id=token.pk) is True
    assert api_token_authenticate(raw=raw) is None
    assert api_token_revoke(user=learner, token_id=token.pk) is False


@pytest.mark.parametrize("name", ["", "   ", "x" * 81])
def test_token_name_is_required_and_bounded(learner, name):
    with pytest.raises(TokenError):
        api_token_create(user=learner, name=name)
    assert not ApiToken.objects.exists()


def test_token_count_is_capped(learner):
    for number in range(20):
        api_token_create(user=learner, name=f"t{number}")
    with pytest.raises(TokenError, match="revoke one"):
        api_token_create(user=learner, name="one too many")
