"""Brute-force limits on /admin/login/ (accounts/admin_login.py): per address and per account,
checked before the password."""

from __future__ import annotations

import pytest

from accounts.tests.factories import PASSWORD
from common import api_throttle

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def low_rates(settings, monkeypatch):
    settings.ADMIN_LOGIN_ADDRESS_RATE = "6/hour"
    settings.ADMIN_LOGIN_ACCOUNT_RATE = "3/hour"
    monkeypatch.setattr(api_throttle, "clock", lambda: 7200.0 + 1800)  # half-way into an hour


def attempt(client, username: str, password: str, **extra):
    return client.post(
        LOGIN + "?next=/admin/", {"username": username, "password": password}, **extra
    )


def test_the_right_password_after_too_many_wrong_ones_does_not_sign_in(client, editor):
    for _ in range(3):
        assert attempt(client, editor.username, "wrong").status_code == 200
    response = attempt(client, editor.username, PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "1800"
    assert b"Too many failed sign-in attempts" in response.content
    assert "_auth_user_id" not in client.session
    # The account is limited from any address, even with the right password.
    assert attempt(client, editor.username, PASSWORD, REMOTE_ADDR="10.0.0.7").status_code == 429


def test_an_address_is_limited_across_accounts(client, editor):
    for n in range(6):
        assert attempt(client, f"someone{n}", "wrong").status_code == 200
    assert attempt(client, editor.username, PASSWORD).status_code == 429
    # Another address may still sign in to the account.
    response = attempt(client, editor.username, PASSWORD, REMOTE_ADDR="10.0.0.8")
    assert response.status_code == 302


def test_a_right_password_signs_in_and_is_not_counted(client, editor, monkeypatch):
    assert attempt(client, editor.username, "wrong").status_code == 200
    assert attempt(client, editor.username, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)
    # After the hour, the count starts again.
    monkeypatch.setattr(api_throttle, "clock", lambda: 7200.0 + 3600)
    client.logout()
    for _ in range(2):
        attempt(client, editor.username, "wrong")
    assert attempt(client, editor.username, PASSWORD).status_code == 302


def test_the_form_itself_is_never_limited(client, editor):
    for _ in range(4):
        attempt(client, editor.username, "wrong")
    assert client.get(LOGIN).status_code == 200
