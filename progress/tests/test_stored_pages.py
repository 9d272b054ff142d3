"""The stored roadmap page (roadmaps.pages) never carries anyone's progress: learners and
visitors with a session get the rendered page with their own marks."""

from __future__ import annotations

import re

from progress.services import progress_set_many
from roadmaps.changes import roadmap_content_changed
from roadmaps.models import Topic


def pressed_items(html: str) -> set[str]:
    return set(re.findall(r'<button name="([\w-]+)" value="none" aria-pressed="true"', html))


def test_no_learner_ever_sees_another_learners_marks(client, learner, other_learner, roadmap):
    progress_set_many(user=learner, roadmap=roadmap, statuses={"item-1": "done"})
    progress_set_many(user=other_learner, roadmap=roadmap, statuses={"item-2": "skipped"})
    url = roadmap.get_absolute_url()
    anonymous = client.get(url).content.decode()  # stores the page
    assert pressed_items(anonymous) == set()
    for person, theirs in ((learner, {"item-1"}), (other_learner, {"item-2"})):
        client.force_login(person)
        assert pressed_items(client.get(url).content.decode()) == theirs
        client.logout()
        client.cookies.clear()
        assert pressed_items(client.get(url).content.decode()) == set()


def test_a_visitors_session_marks_stay_theirs(client, roadmap):
    url = roadmap.get_absolute_url()
    client.get(url)
    client.post(f"/progress/{roadmap.slug}/items/", {"item-3": "in_progress"})
    assert pressed_items(client.get(url).content.decode()) == {"item-3"}
    client.cookies.clear()
    assert pressed_items(client.get(url).content.decode()) == set()


def test_an_edit_shows_on_the_next_signed_in_page(client, learner, roadmap):
    progress_set_many(user=learner, roadmap=roadmap, statuses={"item-1": "done"})
    client.force_login(learner)
    url = roadmap.get_absolute_url()
    assert "Renamed item" not in client.get(url).content.decode()
    Topic.objects.filter(roadmap=roadmap, key="item-1").update(title="Renamed item")
    roadmap_content_changed(roadmaps=[roadmap])
    html = client.get(url).content.decode()
    assert "Renamed item" in html
    assert pressed_items(html) == {"item-1"}
