"""Sessions, users and API tokens kept per process (common/row_watch.py) with the triggers of
accounts migration 0006: a warm learner request asks the database nothing, and every write
that matters for who is signed in (a sign-out elsewhere, a new password, a deactivation, a
revoked token, a mark) shows on the next request once its notification is read.

Service tier: PostgreSQL, committed writes (a rolled-back test transaction never notifies).
Each test waits only for delivery, up to a deadline: never a claim about speed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from accounts.models import User
from accounts.services import api_token_create, api_token_revoke
from common.row_watch import WATCH
from progress.services import progress_set_many
from roadmaps.models import Roadmap

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

DELIVERY_DEADLINE_SECONDS = 5.0


@pytest.fixture(autouse=True)
def keeping(
    settings: object, require_postgres: None, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    from common import row_watch

    settings.LISTEN_FOR_WRITES = True  # type: ignore[attr-defined]
    monkeypatch.setattr(row_watch, "RECHECK_SECONDS", 3600.0)  # only notifications count here
    WATCH.close()
    yield
    WATCH.close()


def eventually(check: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + DELIVERY_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.005)
    return False


def signed_in(client: Client, url: str) -> bool:
    return b'action="/accounts/logout/"' in client.get(url).content


@pytest.fixture
def kept_page(make_roadmap) -> str:  # type: ignore[no-untyped-def]
    return make_roadmap(slug="kept", phases=1, sections=1, topics=4).get_absolute_url()


def test_a_warm_learner_page_asks_the_database_nothing(
    client: Client, learner: User, kept_page: str, django_assert_num_queries: object
) -> None:
    client.force_login(learner)
    for _ in range(3):  # rendered, then kept: stamp, session, user, statuses
        assert client.get(kept_page).status_code == 200
    with django_assert_num_queries(0):  # type: ignore[operator]
        assert client.get(kept_page).status_code == 200


@pytest.mark.parametrize(
    "sign_out",
    [
        pytest.param(lambda user: Session.objects.all().delete(), id="session-deleted"),
        pytest.param(
            lambda user: (user.set_password("a-new-one-entirely"), user.save()), id="new-password"
        ),
        pytest.param(
            lambda user: User.objects.filter(pk=user.pk).update(is_active=False), id="deactivated"
        ),
    ],
)
def test_signed_out_elsewhere_shows_on_the_next_request(
    client: Client, learner: User, kept_page: str, sign_out: Callable[[User], object]
) -> None:
    client.force_login(learner)
    assert signed_in(client, kept_page) and signed_in(client, kept_page)  # kept
    sign_out(User.objects.get(pk=learner.pk))
    assert eventually(lambda: not signed_in(client, kept_page)), "still signed in"


def test_a_mark_from_another_device_shows_on_the_next_page(
    client: Client, learner: User, kept_page: str
) -> None:
    client.force_login(learner)
    assert b"1 of 4 done" not in client.get(kept_page).content
    progress_set_many(
        user=User.objects.get(pk=learner.pk),
        roadmap=Roadmap.objects.get(slug="kept"),
        statuses={"item-1": "done"},
    )
    assert eventually(lambda: b"1 of 4 done" in client.get(kept_page).content)


def test_tokens_are_kept_until_revoked_and_a_warm_call_asks_nothing(
    client: Client, learner: User, kept_page: str, django_assert_num_queries: object
) -> None:
    token, raw = api_token_create(user=learner, name="kept")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    path = "/api/v1/me/progress/kept"
    for _ in range(3):
        assert client.get(path, **headers).status_code == 200
    with django_assert_num_queries(0):  # type: ignore[operator]
        assert client.get(path, **headers).status_code == 200
    assert api_token_revoke(user=learner, token_id=token.pk)
    assert eventually(lambda: client.get(path, **headers).status_code == 401)
    # A new token whose prefix this process looked up before is found at once.
    _, other_raw = api_token_create(user=learner, name="next")
    assert eventually(
        lambda: client.get(path, HTTP_AUTHORIZATION=f"Bearer {other_raw}").status_code == 200
    )
