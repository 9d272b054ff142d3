from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from progress import services
from progress.models import Progress
from progress.services import progress_set, progress_set_many, statuses_for
from roadmaps.models import Roadmap, Topic
from roadmaps.tests.factories import roadmap_generate

SVG = "{http://www.w3.org/2000/svg}"


def set_url(slug: str, key: str) -> str:
    return reverse("progress:set", kwargs={"slug": slug, "key": key})


def page(client: Client, roadmap: Roadmap) -> str:
    response = client.get(roadmap.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def control(html: str, key: str) -> str:
    match = re.search(rf'<li[^>]* id="topic-{key}">.*?(<div class="pc".*?</div>)</li>', html, re.S)
    assert match, f"no control for {key}"
    return match.group(1)


def pressed(html: str, key: str) -> list[str]:
    labels = {"Done": "done", "In progress": "in_progress", "Skip": "skipped"}
    found = re.findall(r'aria-pressed="true">([\w ]+)</button>', control(html, key))
    return [labels[label] for label in found]


# --- the control, without JavaScript -----------------------------------------------------


def test_visitor_marks_an_item_and_returns_to_it(client, roadmap):
    html = page(client, roadmap)
    assert pressed(html, "item-3") == []
    assert "Track your progress" in html
    assert "kept in this browser only" in html

    # Without JavaScript the page's one form posts the pressed button: <key>=<status>.
    assert f'id="pcf" method="post" action="{reverse("progress:mark", args=["tiny"])}"' in html
    response = client.post(reverse("progress:mark", args=["tiny"]), {"item-3": "in_progress"})

    assert response.status_code == 302
    assert response["Location"] == "/roadmaps/tiny/#topic-item-3"
    html = page(client, roadmap)
    assert pressed(html, "item-3") == ["in_progress"]
    # Pressing the pressed button again clears the item.
    assert 'value="n" aria-pressed="true">In progress<' in control(html, "item-3")
    assert "0 of 20 done (0%) · 1 in progress · 0 skipped" in html
    assert not Progress.objects.exists()


def test_an_address_starts_only_so_many_visitor_sessions(client, learner, roadmap, settings):
    # Each signed-out visitor's first mark starts a two-week database session: one address may
    # start PROGRESS_ANON_SESSION_RATE of them; marks inside a session and signed-in marks go on.
    from django.contrib.sessions.models import Session

    settings.PROGRESS_ANON_SESSION_RATE = "2/hour"
    visitors = [Client() for _ in range(3)]
    answers = [v.post(set_url("tiny", "item-1"), {"status": "done"}) for v in visitors]
    assert [a.status_code for a in answers] == [302, 302, 429]
    assert "Too many signed-out visitors" in answers[2].content.decode()
    assert Session.objects.count() == 2
    json = visitors[2].post(
        set_url("tiny", "item-1"), {"status": "done"}, HTTP_ACCEPT="application/json"
    )
    assert json.status_code == 429 and "Sign in" in json.json()["error"]
    assert Session.objects.count() == 2
    # A visitor who already has a session keeps marking; so does a signed-in learner.
    assert visitors[0].post(set_url("tiny", "item-2"), {"status": "done"}).status_code == 302
    client.force_login(learner)
    assert client.post(set_url("tiny", "item-2"), {"status": "done"}).status_code == 302
    assert statuses_for(user=learner, roadmap=roadmap) == {"item-2": "done"}


def test_learner_marks_items_and_sees_bars(client, learner, roadmap):
    client.force_login(learner)
    for key, status in [("item-0", "done"), ("item-1", "done"), ("item-2", "skipped")]:
        client.post(set_url("tiny", key), {"status": status})
    client.post(set_url("tiny", "item-8"), {"status": "done"})

    assert statuses_for(user=learner, roadmap=roadmap) == {
        "item-0": "done",
        "item-1": "done",
        "item-2": "skipped",
        "item-8": "done",
    }
    html = page(client, roadmap)
    assert "3 of 20 done (16%) · 0 in progress · 1 skipped" in html
    assert "16% = 3 done \u00f7 (20 items \u2212 1 skipped)" in html
    assert "1 of 2 projects built" in html
    assert "0 of 2 goals reached" in html
    assert "About 2 months left at the roadmap's pace" in html
    # Phase 0 holds items 0, 1, 8 (done); phase 1 item 2 (skipped).
    assert "3 of 10 done (30%) · 0 in progress · 0 skipped · 1 of 1 project built" in html
    assert "0 of 10 done (0%) · 0 in progress · 1 skipped" in html
    assert "kept in this browser only" not in html
    assert pressed(html, "item-0") == ["done"]
    assert pressed(html, "item-2") == ["skipped"]


def test_json_answer_carries_fresh_markup(client, learner, roadmap):
    client.force_login(learner)
    response = client.post(
        set_url("tiny", "item-0"), {"status": "done"}, headers={"accept": "application/json"}
    )
    assert response.status_code == 200
    data = response.json()
    phase = Topic.objects.get(roadmap=roadmap, key="item-0").section.phase
    assert set(data) == {
        "topic",
        "status",
        "message",
        "roadmap_html",
        "phase_id",
        "phase_html",
        "parts",
    }
    assert data["topic"] == "item-0" and data["status"] == "done"
    assert data["message"] == "Item 0: done. 1 of 20 done (5%)."
    assert data["phase_id"] == phase.pk
    assert data["roadmap_html"].strip().startswith('<section class="pg-summary"')
    assert "1 of 20 done (5%)" in data["roadmap_html"]
    assert 'href="/dashboard/">My progress</a>' in data["roadmap_html"]
    assert f'id="progress-phase-{phase.pk}"' in data["phase_html"]
    assert "1 of 10 done (10%)" in data["phase_html"]
    # The overview row, the navigator's figure, the overall bar and the completion block, by id.
    position = phase.position
    assert set(data["parts"]) == {f"ovp-{position}", f"nvp-{position}", "sticky-pg", "completion"}
    assert data["parts"][f"ovp-{position}"] == (
        f'<span class="ovp" id="ovp-{position}">1 of 10 done</span>'
    )
    assert f'id="nvp-{position}"' in data["parts"][f"nvp-{position}"]
    assert "10%" in data["parts"][f"nvp-{position}"]
    assert 'aria-valuenow="5"' in data["parts"]["sticky-pg"]
    assert "What completing this roadmap means" in data["parts"]["completion"]


def test_completion_message_at_100_percent(client, learner, make_roadmap):
    small = make_roadmap(slug="small", phases=1, sections=1, topics=3)
    Roadmap.objects.filter(pk=small.pk).update(
        completion_message="You made it!\nNow build something of your own."
    )
    client.force_login(learner)
    client.post(set_url("small", "item-0"), {"status": "done"})
    client.post(set_url("small", "item-1"), {"status": "skipped"})
    before = page(client, small)
    assert "pg-complete__headline" not in before
    assert "You made it!" not in before  # the congratulations wait for the end
    assert "What completing this roadmap means" in before

    response = client.post(
        set_url("small", "item-2"), {"status": "done"}, headers={"accept": "application/json"}
    )
    assert response.json()["message"].endswith("2 of 3 done (100%). You made it!")
    html = page(client, small)
    assert '<strong class="pg-complete__headline">Roadmap complete.</strong>' in html
    completion = re.search(r'<section class="completion completion--done".*?</section>', html, re.S)
    assert completion is not None
    assert '<h2 id="completion-title">You made it!</h2>' in completion[0]
    assert "<p>Now build something of your own.</p>" in completion[0]
    assert completion[0].count("🎉") == 1  # one emoji, as the headline has none
    assert "What completing this roadmap means" not in html


def test_csrf_is_required(roadmap, learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    response = client.post(set_url("tiny", "item-0"), {"status": "done"})
    assert response.status_code == 403
    assert not Progress.objects.exists()


def test_the_control_url_refuses_get(client, roadmap):
    assert client.get(set_url("tiny", "item-0")).status_code == 405


# --- forged requests change nothing ----------------------------------------------------------


@pytest.fixture
def other_roadmaps(db):
    other = roadmap_generate(slug="other", phases=1, sections=1, topics=3)
    Topic.objects.filter(roadmap=other, key="item-0").update(key="only-in-other")
    draft = roadmap_generate(slug="draft", phases=1, sections=1, topics=3)
    Roadmap.objects.filter(pk=draft.pk).update(status=Roadmap.Status.DRAFT)
    return other, draft


@pytest.mark.parametrize("as_json", [False, True])
@pytest.mark.parametrize(
    ("slug", "key", "status", "code", "message"),
    [
        ("tiny", "only-in-other", "done", 404, None),  # a key of another roadmap
        ("tiny", "nope", "done", 404, None),
        ("draft", "item-0", "done", 404, None),  # a draft is invisible to learners
        ("nowhere", "item-0", "done", 404, None),
        ("tiny", "item-0", "finished", 400, "Unknown status"),
        ("tiny", "item-0", "", 400, "Unknown status"),
        ("tiny", "item-5", "done", 409, "removed from this edition"),  # retired below
    ],
)
def test_forged_or_bad_requests_are_refused(
    client, learner, roadmap, other_roadmaps, as_json, slug, key, status, code, message
):
    Topic.objects.filter(roadmap=roadmap, key="item-5").update(retired_at=timezone.now())
    first = Topic.objects.get(roadmap=roadmap, key="item-0")
    progress_set(user=learner, topic=first, status="skipped")
    client.force_login(learner)
    headers = {"accept": "application/json"} if as_json else {}

    response = client.post(set_url(slug, key), {"status": status}, headers=headers)

    assert response.status_code == code
    if message:
        body = response.json()["error"] if as_json else response.content.decode()
        assert message in body
    assert list(Progress.objects.values_list("topic__key", "status")) == [("item-0", "skipped")]


def test_a_visitor_cannot_track_a_draft(client, other_roadmaps):
    response = client.post(set_url("draft", "item-0"), {"status": "done"})
    assert response.status_code == 404
    assert "progress" not in client.session


def test_editors_may_track_drafts(client, editor, other_roadmaps):
    client.force_login(editor)
    response = client.post(set_url("draft", "item-0"), {"status": "done"})
    assert response.status_code == 302
    assert Progress.objects.filter(user=editor).count() == 1


def test_a_learner_never_sees_another_learners_progress(client, learner, other_learner, roadmap):
    progress_set_many(user=learner, roadmap=roadmap, statuses={"item-0": "done", "item-1": "done"})
    client.force_login(learner)
    assert pressed(page(client, roadmap), "item-0") == ["done"]

    client.force_login(other_learner)
    html = page(client, roadmap)
    assert pressed(html, "item-0") == []
    assert "Track your progress" in html
    assert "2 of 20" not in html
    assert "2 of 20" not in client.get(reverse("progress:dashboard")).content.decode()


# --- sign-in merge through the real login ---------------------------------------------------


def test_signing_in_merges_the_visitors_progress(client, roadmap):
    learner = UserFactory(username="merger")
    old = timezone.now() - dt.timedelta(days=3)
    Progress.objects.create(
        user=learner,
        roadmap=roadmap,
        topic=Topic.objects.get(roadmap=roadmap, key="item-1"),
        status="done",
        updated_at=old,
    )
    Progress.objects.create(
        user=learner,
        roadmap=roadmap,
        topic=Topic.objects.get(roadmap=roadmap, key="item-7"),
        status="skipped",
        updated_at=old,
    )
    client.post(set_url("tiny", "item-0"), {"status": "done"})
    client.post(set_url("tiny", "item-1"), {"status": "in_progress"})  # newer than the account

    from accounts.tests.factories import PASSWORD

    # django.contrib.auth.login sends user_logged_in, as allauth's and every other sign-in does.
    assert client.login(username="merger", password=PASSWORD)
    assert statuses_for(user=learner, roadmap=roadmap) == {
        "item-0": "done",
        "item-1": "in_progress",
        "item-7": "skipped",
    }
    assert "progress" not in client.session
    html = page(client, roadmap)
    assert "1 of 20 done" in html and "1 in progress" in html


# --- reset ------------------------------------------------------------------------------------


def test_reset_asks_first_then_forgets(client, learner, roadmap):
    progress_set_many(user=learner, roadmap=roadmap, statuses={"item-0": "done", "item-1": "done"})
    client.force_login(learner)
    url = reverse("progress:reset", kwargs={"slug": "tiny"})

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "2 of 20 done" in confirm.content.decode()
    assert 'method="post"' in confirm.content.decode()
    assert Progress.objects.count() == 2

    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == "/roadmaps/tiny/#progress-roadmap"
    assert not Progress.objects.exists()
    assert "was reset (2 items)" in page(client, roadmap)


def test_reset_for_a_visitor(client, roadmap):
    client.post(set_url("tiny", "item-0"), {"status": "done"})
    client.post(reverse("progress:reset", kwargs={"slug": "tiny"}))
    assert pressed(page(client, roadmap), "item-0") == []


def test_reset_of_a_draft_is_404(client, learner, other_roadmaps):
    client.force_login(learner)
    assert client.post(reverse("progress:reset", kwargs={"slug": "draft"})).status_code == 404


# --- retired items on the page ---------------------------------------------------------------


def test_retired_items_show_as_removed_from_this_edition(client, learner, roadmap):
    progress_set_many(user=learner, roadmap=roadmap, statuses={"item-0": "done", "item-1": "done"})
    retired = Topic.objects.filter(roadmap=roadmap, key="item-1")
    retired.update(retired_at=timezone.now(), section=None)
    client.force_login(learner)
    html = page(client, roadmap)
    assert "1 item you tracked was removed from this edition" in html
    assert "Item 1: done" in html
    assert "1 of 19 done" in html
    assert 'id="topic-item-1"' not in html


# --- dashboard --------------------------------------------------------------------------------


def test_dashboard_needs_sign_in(client):
    response = client.get(reverse("progress:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_dashboard_shows_roadmaps_activity_and_where_to_continue(client, learner, roadmap):
    progress_set_many(
        user=learner, roadmap=roadmap, statuses={"item-0": "done", "item-4": "in_progress"}
    )
    client.force_login(learner)
    html = client.get(reverse("progress:dashboard")).content.decode()

    assert 'href="/roadmaps/tiny/"' in html
    assert "1 of 20 done (5%) · 1 in progress · 0 skipped" in html
    assert 'href="/roadmaps/tiny/#topic-item-4">Continue where you left off: Item 4</a>' in html
    assert "1 in progress</summary>" in html
    assert "2 items changed since" in html
    assert html.count("pg-heat__day--") >= 84
    assert "2 changes on" in html
    assert "Your progress is private" in html


@pytest.mark.parametrize(
    ("today", "labels"),
    [
        # 12 weeks back from Wednesday 29 Apr 2026: Monday 9 Feb starts the first column; 1 May
        # is still to come, so May is not named.
        (dt.date(2026, 4, 29), ["Feb", "Mar", "Apr"]),
        # Back from Monday 6 May 2024: the first column (19 Feb) is right before the one holding
        # 1 March, so February is left unnamed rather than overlapping March.
        (dt.date(2024, 5, 6), ["Mar", "Apr", "May"]),
    ],
)
def test_heat_map_names_months_above_the_weeks_they_start_in(learner, today, labels):
    from progress.views import _activity

    activity = _activity(learner, today=today)
    months = [(n, week["month"]) for n, week in enumerate(activity["weeks"]) if week["month"]]
    assert [label for _, label in months] == labels
    for n, label in months[1:]:
        days = activity["weeks"][n]["days"]
        assert any(day["date"].day == 1 and f"{day['date']:%b}" == label for day in days)


def test_dashboard_heat_map_has_month_labels_and_a_legend(client, learner, roadmap):
    progress_set_many(user=learner, roadmap=roadmap, statuses={"item-0": "done"})
    client.force_login(learner)
    html = client.get(reverse("progress:dashboard")).content.decode()
    months = re.search(r'<div class="pg-heat__months" aria-hidden="true">(.*?)</div>', html)
    assert months is not None
    labels = [label for label in re.findall(r"<span>([^<]*)</span>", months.group(1)) if label]
    assert len(labels) >= 2  # twelve weeks span at least two months
    legend = re.search(r'<p class="pg-heat__legend">(.*?)</p>', html)
    assert legend is not None
    assert legend.group(1).startswith("<span>Less</span>")
    assert legend.group(1).endswith("<span>More</span>")
    assert legend.group(1).count("pg-heat__day--") == 4
    assert "style=" not in html


def test_dashboard_empty(client, learner):
    client.force_login(learner)
    html = client.get(reverse("progress:dashboard")).content.decode()
    assert "You have not marked any items yet" in html


@pytest.mark.parametrize("size", [173, 2000])
def test_dashboard_query_count_does_not_grow(
    client, learner, make_roadmap, size, django_assert_num_queries
):
    big = make_roadmap(slug="big", phases=10, sections=4, topics=size)
    keys = [f"item-{n}" for n in range(0, size, 7)]
    progress_set_many(user=learner, roadmap=big, statuses=dict.fromkeys(keys, "done"))
    client.force_login(learner)
    # session, user, then the summaries (progress/summaries.py: account_summaries): roadmaps,
    # phases, counts per phase and kind, retired items, items in progress, where to continue;
    # then recent changes, activity days
    with django_assert_num_queries(10):
        response = client.get(reverse("progress:dashboard"))
    assert f"{len(keys)} of {size} done" in response.content.decode()


def _active_on(learner, roadmap_count: int) -> None:
    """Marks on `roadmap_count` small roadmaps: every other one has an item in progress (the
    others need the "where to continue" query), one mark on a retired item."""
    at = timezone.now()
    rows = []
    for n in range(roadmap_count):
        roadmap = roadmap_generate(slug=f"active-{n}", phases=2, sections=1, topics=6)
        topics = list(Topic.objects.filter(roadmap=roadmap))
        statuses = ["done", "in_progress" if n % 2 else "skipped", "done"]
        rows += [
            Progress(user=learner, roadmap=roadmap, topic=t, status=s, updated_at=at)
            for t, s in zip(topics, statuses, strict=False)
        ]
    Progress.objects.bulk_create(rows)
    Topic.objects.filter(pk=rows[0].topic_id).update(retired_at=at, section=None)


@pytest.mark.parametrize("roadmap_count", [1, 100])
def test_dashboard_and_public_profile_queries_do_not_grow_with_roadmaps(
    client, learner, roadmap_count, django_assert_max_num_queries
):
    _active_on(learner, roadmap_count)
    learner.is_profile_public = True
    learner.save()
    client.force_login(learner)
    # session, user, roadmaps, phases, counts per phase and kind, retired items, items in
    # progress, where to continue, recent changes, activity days: the same at 1 and 100
    with django_assert_max_num_queries(10):
        html = client.get(reverse("progress:dashboard")).content.decode()
    assert html.count('<li class="pg-card') == roadmap_count
    assert "removed from this edition" in html
    # session, user, the profile's user, then the summaries (six queries)
    with django_assert_max_num_queries(9):
        html = client.get(reverse("progress:public_profile", args=[learner.username])).content
    assert html.decode().count('<li class="pg-card') == roadmap_count


# --- public page and badge -------------------------------------------------------------------


@pytest.fixture
def public_learner(learner, roadmap):
    learner.is_profile_public = True
    learner.display_name = "Ada <Lovelace>"
    learner.save()
    progress_set_many(
        user=learner,
        roadmap=roadmap,
        statuses={"item-0": "done", "item-1": "done", "item-2": "skipped", "item-3": "in_progress"},
    )
    return learner


def test_private_profiles_are_404(client, learner, roadmap):
    assert client.get(reverse("progress:public_profile", args=["ada"])).status_code == 404
    badge = reverse("progress:badge", args=["ada", "tiny"])
    assert client.get(badge).status_code == 404
    assert client.get(reverse("progress:public_profile", args=["nobody"])).status_code == 404


def test_public_profile_shows_published_progress_only(client, public_learner, other_roadmaps):
    other, _draft = other_roadmaps
    item = Topic.objects.get(roadmap=other, key="item-1")
    progress_set(user=public_learner, topic=item, status="done")
    Roadmap.objects.filter(pk=other.pk).update(status=Roadmap.Status.ARCHIVED)
    html = client.get(reverse("progress:public_profile", args=["ada"])).content.decode()
    assert "Ada &lt;Lovelace&gt;'s progress" in html
    assert "2 of 20 done (11%) · 1 in progress · 1 skipped" in html
    assert "Generated other" not in html
    assert "/u/ada/tiny.svg?theme=dark" in html


def test_inactive_users_have_no_public_page(client, public_learner):
    public_learner.is_active = False
    public_learner.save()
    assert client.get(reverse("progress:public_profile", args=["ada"])).status_code == 404


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_badge_is_valid_svg_with_the_right_numbers(client, public_learner, roadmap, theme):
    Roadmap.objects.filter(pk=roadmap.pk).update(title="Tiny <b>\"&' roadmap")
    response = client.get(reverse("progress:badge", args=["ada", "tiny"]), {"theme": theme})

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert "max-age=300" in response["Cache-Control"]
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    assert root.tag == f"{SVG}svg"
    texts = [element.text for element in root.iter(f"{SVG}text")]
    # 2 done of 20, 1 skipped: 2 / 19 = 10.5%, rounded to 11%
    assert texts == ["Tiny <b>\"&' roadmap", "11% · 2/20"]
    title = root.find(f"{SVG}title")
    assert title is not None
    assert title.text == ("Tiny <b>\"&' roadmap: 2 of 20 done (11%), 1 in progress, 1 skipped")
    fills = {element.get("fill") for element in root.iter(f"{SVG}rect")}
    assert ("#2b313a" in fills) == (theme == "dark")
    assert b"<b>" not in response.content


def test_badge_refuses_unknown_themes_and_drafts(client, public_learner, other_roadmaps):
    badge = reverse("progress:badge", args=["ada", "tiny"])
    assert client.get(badge, {"theme": "<x>"}).status_code == 400
    assert client.get(reverse("progress:badge", args=["ada", "draft"])).status_code == 404


def test_badge_for_a_roadmap_without_progress(client, public_learner, other_roadmaps):
    response = client.get(reverse("progress:badge", args=["ada", "other"]))
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    assert [t.text for t in root.iter(f"{SVG}text")][1] == "0% · 0/3"


def test_sign_up_and_confirm_lands_back_on_the_page_signed_in_with_the_marks_moved(
    client, roadmap, mailoutbox
):
    client.post(set_url("tiny", "item-0"), {"status": "done"})
    client.post(set_url("tiny", "item-1"), {"status": "in_progress"})
    here = roadmap.get_absolute_url()

    # The header's "Sign in" carries the page; sign-in's "Create an account" passes it on.
    login_page = client.get(page_link(page(client, roadmap), "Sign in")).content.decode()
    signup_url = page_link(login_page, "Create an account")
    assert signup_url == reverse("account_signup") + "?next=" + here.replace("/", "%2F")
    signup_page = client.get(signup_url).content.decode()
    assert f'name="next" value="{here}"' in signup_page
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "password1": "a long pass phrase 7",
            "password2": "a long pass phrase 7",
            "next": here,
        },
    )
    assert response.status_code == 302
    assert not client.session.get("_auth_user_id")

    (email,) = mailoutbox
    confirm_url = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", email.body)
    assert confirm_url is not None
    response = client.post(confirm_url.group(1), follow=True)
    assert response.redirect_chain[-1][0] == here
    assert response.context["user"].email == "new@example.com"
    html = response.content.decode()
    assert "2 marks you made before signing in moved into your account." in html
    assert "2 of 20" not in html and "1 of 20 done" in html


def page_link(html: str, text: str) -> str:
    match = re.search(rf'href="([^"]+)"[^>]*>{re.escape(text)}</a>', html)
    assert match is not None, f"no link {text!r}"
    return match.group(1).replace("&amp;", "&")


def test_signing_in_with_nothing_to_move_says_nothing(client, roadmap):
    UserFactory(username="quiet")
    from accounts.tests.factories import PASSWORD

    assert client.login(username="quiet", password=PASSWORD)
    assert not list(client.get(roadmap.get_absolute_url()).context["messages"])


# --- catalog cards --------------------------------------------------------------------------


def card_progress(html: str) -> list[str]:
    return [
        " ".join(re.sub(r"<[^>]+>", "", text).split())
        for text in re.findall(r'<p class="card__progress-text">(.*?)</p>', html, re.S)
    ]


@pytest.mark.parametrize("more_roadmaps", [0, 5])
def test_catalog_cards_show_a_signed_in_learners_progress(
    client, learner, roadmap, make_roadmap, django_assert_num_queries, more_roadmaps
):
    for index in range(more_roadmaps):
        other = make_roadmap(slug=f"more-{index}", phases=3, sections=2, topics=30)
        services.progress_set(user=learner, topic=other.topics.first(), status="done")
    services.progress_set_many(
        user=learner, roadmap=roadmap, statuses={"item-0": "done", "item-1": "in_progress"}
    )
    client.force_login(learner)
    # session, user, categories, popular tags, the count for the pager, the page's cards with
    # their statistics, their tags, the learner's counts per roadmap and status (one aggregate
    # whatever the number of roadmaps)
    with django_assert_num_queries(8):
        html = client.get("/").content.decode()
    assert "Your progress: 1 of 20 done (5%) · 1 in progress" in card_progress(html)
    assert len(card_progress(html)) == 1 + more_roadmaps
    assert html.count('role="progressbar"') == 1 + more_roadmaps
    assert ">Continue <span>" in html


def test_catalog_cards_leave_retired_items_out_and_untouched_roadmaps_plain(
    client, learner, roadmap, make_roadmap
):
    make_roadmap(slug="untouched", phases=1, sections=1, topics=5)
    services.progress_set_many(
        user=learner, roadmap=roadmap, statuses={"item-0": "done", "item-1": "done"}
    )
    Topic.objects.filter(roadmap=roadmap, key="item-1").update(retired_at=timezone.now())
    client.force_login(learner)
    html = client.get("/").content.decode()
    assert card_progress(html) == ["Your progress: 1 of 19 done (5%)"]
    assert html.count(">View roadmap <span>") == 1


def test_catalog_cards_show_a_visitors_session_marks(client, roadmap, django_assert_num_queries):
    client.post(set_url("tiny", "item-0"), {"status": "done"})
    # session, categories, popular tags, the count for the pager, the cards, their tags, the
    # marked items still active
    with django_assert_num_queries(7):
        html = client.get("/").content.decode()
    assert card_progress(html) == ["Your progress: 1 of 20 done (5%)"]


def test_header_links_to_my_progress_when_signed_in(client, learner, roadmap):
    assert "My progress" not in client.get("/").content.decode()
    client.force_login(learner)
    html = client.get("/").content.decode()
    header = html[html.index('<header class="site-header"') : html.index("</header>")]
    dashboard = reverse("progress:dashboard")
    assert re.search(rf'<a class="[^"]*header-link[^"]*" href="{dashboard}"', header)


def test_the_page_form_takes_exactly_one_mark(client, roadmap):
    url = reverse("progress:mark", args=["tiny"])
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"item-1": "done", "item-2": "done"}).status_code == 400
    assert client.post(url, {"item-1": ["done", "skipped"]}).status_code == 400
    assert client.post(url, {"item-1": "finished"}).status_code == 400
    assert client.post(url, {"no such item": "done"}).status_code == 404
    assert client.post(url, {"item-99": "done"}).status_code == 404
    html = page(client, roadmap)
    assert all(pressed(html, f"item-{n}") == [] for n in range(20))


@pytest.mark.parametrize(
    ("code", "expected"),
    [("d", ["done"]), ("i", ["in_progress"]), ("s", ["skipped"]), ("in_progress", ["in_progress"])],
)
def test_the_page_form_takes_the_buttons_short_codes(client, roadmap, code, expected):
    # The buttons send the status codes (progress.models.STATUS_CODES) to keep every item's
    # markup short; full names still work. "n" clears the item.
    url = reverse("progress:mark", args=["tiny"])
    assert client.post(url, {"item-1": code}).status_code == 302
    assert pressed(page(client, roadmap), "item-1") == expected
    assert client.post(url, {"item-1": "n"}).status_code == 302
    assert pressed(page(client, roadmap), "item-1") == []
    assert client.post(url, {"item-1": "x"}).status_code == 400
