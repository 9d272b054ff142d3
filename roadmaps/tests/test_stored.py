"""Stored answers (roadmaps.pages, common.stored): rendered once per content stamp, so an edit
shows on the very next request; gzip and plain answers are the same document."""

from __future__ import annotations

import gzip
import re

import pytest

from common.stored import STORE, accepts_gzip, store
from roadmaps.changes import roadmap_content_changed
from roadmaps.models import Roadmap, Topic

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
TOKEN_INPUT = 'name="csrfmiddlewaretoken" form="pcf" value="'


def edit_topic_title(roadmap: Roadmap, title: str) -> None:
    topic = Topic.objects.filter(roadmap=roadmap).order_by("pk").first()
    Topic.objects.filter(pk=topic.pk).update(title=title)
    roadmap_content_changed(roadmaps=[roadmap])


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken"( form="pcf")? value="[^"]*"', "TOKEN", html)


def without_token(html: str) -> str:
    start = html.index(TOKEN_INPUT) + len(TOKEN_INPUT)
    return html[:start] + html[html.index('"', start) :]


def test_an_edit_shows_on_the_next_anonymous_page(client, make_roadmap):
    roadmap = make_roadmap(slug="edit-me", phases=1, sections=1, topics=3)
    assert "Renamed item" not in client.get("/roadmaps/edit-me/").content.decode()
    assert "Renamed item" not in client.get("/roadmaps/edit-me/").content.decode()  # stored
    edit_topic_title(roadmap, "Renamed item")
    assert "Renamed item" in client.get("/roadmaps/edit-me/").content.decode()


def test_an_edit_shows_on_the_next_api_answer(client, make_roadmap):
    roadmap = make_roadmap(slug="edit-me", phases=1, sections=1, topics=3)
    first = client.get("/api/v1/roadmaps/edit-me")
    assert first.status_code == 200
    # The client's copy is current: 304, from the stored answer.
    assert (
        client.get("/api/v1/roadmaps/edit-me", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    )
    edit_topic_title(roadmap, "Renamed item")
    again = client.get("/api/v1/roadmaps/edit-me", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert "Renamed item" in again.content.decode()


def test_an_edit_and_a_status_change_show_on_the_next_catalog(client, make_roadmap):
    roadmap = make_roadmap(slug="edit-me", phases=1, sections=1, topics=3)
    assert "Edit me" not in client.get("/").content.decode()
    Roadmap.objects.filter(pk=roadmap.pk).update(title="Edit me")
    roadmap_content_changed(roadmaps=[roadmap])
    assert "Edit me" in client.get("/").content.decode()
    Roadmap.objects.filter(pk=roadmap.pk).update(status=Roadmap.Status.DRAFT)
    roadmap_content_changed(roadmaps=[roadmap])
    assert "Edit me" not in client.get("/").content.decode()


def test_unpublishing_stops_the_stored_page_and_document(client, make_roadmap):
    roadmap = make_roadmap(slug="edit-me", phases=1, sections=1, topics=3)
    assert client.get("/roadmaps/edit-me/").status_code == 200
    assert client.get("/api/v1/roadmaps/edit-me").status_code == 200
    Roadmap.objects.filter(pk=roadmap.pk).update(status=Roadmap.Status.DRAFT)
    roadmap_content_changed(roadmaps=[roadmap])
    assert client.get("/roadmaps/edit-me/").status_code == 404
    assert client.get("/api/v1/roadmaps/edit-me").status_code == 404


def test_gzip_and_plain_pages_are_the_same_document(client, flask_roadmap):
    zipped = client.get("/roadmaps/flask/", **GZIP)
    plain = client.get("/roadmaps/flask/")
    assert zipped["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain
    assert "Accept-Encoding" in zipped["Vary"] and "Accept-Encoding" in plain["Vary"]
    unzipped = gzip.decompress(zipped.content).decode()
    assert without_token(unzipped) == without_token(plain.content.decode())
    # The page on the wire (README "Performance"): every item, small when compressed.
    assert unzipped.count('id="topic-') == 173
    assert len(zipped.content) <= 40_000


def test_gzip_and_plain_api_answers_and_catalogs_are_the_same(client, flask_roadmap):
    for url in ("/api/v1/roadmaps/flask", "/"):
        zipped = client.get(url, **GZIP)
        plain = client.get(url)
        assert zipped["Content-Encoding"] == "gzip", url
        assert gzip.decompress(zipped.content) == plain.content, url
        assert zipped["ETag"] == plain["ETag"][:-1] + '-gzip"', url
        # Each representation revalidates with its own validator.
        assert client.get(url, HTTP_IF_NONE_MATCH=zipped["ETag"], **GZIP).status_code == 304
        assert client.get(url, HTTP_IF_NONE_MATCH=plain["ETag"]).status_code == 304


def test_each_visitor_gets_their_own_token(client, flask_roadmap):
    first = client.get("/roadmaps/flask/").content.decode()
    client.cookies.clear()
    second = client.get("/roadmaps/flask/", **GZIP)
    assert second.cookies["csrftoken"]
    assert first.count(TOKEN_INPUT) == 1
    html = gzip.decompress(second.content).decode()
    token = html[html.index(TOKEN_INPUT) + len(TOKEN_INPUT) :].split('"')[0]
    assert len(token) == 64 and token not in first


def test_a_visitor_with_a_session_gets_the_rendered_page(client, flask_roadmap):
    client.get("/roadmaps/flask/")
    session = client.session
    session["anything"] = 1
    session.save()
    client.cookies["sessionid"] = session.session_key
    response = client.get("/roadmaps/flask/")
    assert [t.name for t in response.templates].count("roadmaps/detail.html") == 1


def test_the_token_is_sent_uncompressed_between_pieces_compressed_without_it():
    """BREACH: the secret is a stored (uncompressed) block and shares no compression history
    with the page, so the answer's size never depends on how well it compresses with it."""
    stored = store(b"<html>" + b"x" * 5000 + b"TOKEN</html>", split=b"TOKEN")
    one, two = stored.gzipped(b"secret-a"), stored.gzipped(b"secret-bb")
    assert one.startswith(stored.gzip_pieces[0]) and two.startswith(stored.gzip_pieces[0])
    assert b"secret-a" in one and b"secret-bb" in two
    assert len(two) - len(one) == 1  # the part is one byte longer, and nothing else is
    assert gzip.decompress(one) == b"<html>" + b"x" * 5000 + b"secret-a</html>"
    with pytest.raises(ValueError, match="placeholder"):
        store(b"no placeholder", split=b"TOKEN")


@pytest.mark.parametrize(
    "body",
    [
        b"TOKEN",
        b"TOKENTOKEN",
        b"<head>TOKEN<body>" + bytes(range(256)) * 300 + b"TOKEN</html>",
        b"a" * 70_000 + b"TOKEN" + b"b" * 3 + b"TOKEN",
    ],
    ids=["only-the-part", "two-parts-together", "part-at-both-ends-of-75-kb", "long-pieces"],
)
@pytest.mark.parametrize("part", [b"", b"t" * 64, b"p" * 70_000], ids=["empty", "token", "big"])
def test_gzip_answers_with_parts_are_the_plain_answer(body: bytes, part: bytes) -> None:
    stored = store(body, split=b"TOKEN")
    assert not stored.validated
    assert stored.plain(part) == body.replace(b"TOKEN", part)
    assert gzip.decompress(stored.gzipped(part)) == body.replace(b"TOKEN", part)


def test_the_store_keeps_one_body_per_key_and_stamp():
    built = []

    def build(text: bytes):
        def inner():
            built.append(text)
            return store(text)

        return inner

    STORE.get("k", 1, build(b"one"))
    assert STORE.get("k", 1, build(b"again")).plain() == b"one"
    assert STORE.get("k", 2, build(b"two")).plain() == b"two"
    assert built == [b"one", b"two"]


def test_threads_asking_at_once_wait_for_one_build():
    """After an edit, every thread of a busy process asks for the same page at once: one of
    them builds it, the others get that value."""
    import threading
    import time

    from common.stored import Store

    kept: Store[str] = Store()
    built = []
    started = threading.Barrier(8)

    def build() -> str:
        built.append(threading.get_ident())
        time.sleep(0.1)  # long enough for every other thread to ask meanwhile
        return "page"

    def ask(answers: list[str]) -> None:
        started.wait()
        answers.append(kept.get("page", 7, build))

    answers: list[str] = []
    threads = [threading.Thread(target=ask, args=(answers,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == ["page"] * 8
    assert len(built) == 1


def test_a_failed_build_lets_the_waiting_threads_build_their_own():
    import threading
    import time

    from common.stored import Store

    kept: Store[str] = Store()
    calls = []

    def build() -> str:
        calls.append(1)
        if len(calls) == 1:
            time.sleep(0.1)
            raise RuntimeError("the first render failed")
        return "page"

    failed = []

    def first() -> None:
        try:
            kept.get("page", 1, build)
        except RuntimeError:
            failed.append(True)

    owner = threading.Thread(target=first)
    owner.start()
    time.sleep(0.02)  # the owner is building
    assert kept.get("page", 1, build) == "page"
    owner.join()
    assert failed == [True]
    assert len(calls) == 2


@pytest.mark.parametrize(
    ("header", "expected"),
    [("gzip", True), ("br, gzip;q=0.5", True), ("gzip;q=0", False), ("br", False), ("", False)],
)
def test_accepts_gzip(rf, header, expected):
    assert accepts_gzip(rf.get("/", HTTP_ACCEPT_ENCODING=header)) is expected


def test_dynamic_answers_are_compressed_unless_they_carry_a_token(client, flask_roadmap, learner):
    search = client.get("/search/?q=flask", **GZIP)
    assert search["Content-Encoding"] == "gzip"
    assert search["Content-Length"] == str(len(search.content))
    assert gzip.decompress(search.content) == client.get("/search/?q=flask").content
    assert "Accept-Encoding" in search["Vary"]
    client.force_login(learner)  # signed-in pages carry the sign-out form's CSRF token
    signed_in = client.get("/search/?q=flask", **GZIP)
    assert 'name="csrfmiddlewaretoken"' in signed_in.content.decode()
    assert "Content-Encoding" not in signed_in
    # The learner's roadmap page is stored with the token outside the compression
    # (common.stored): compressed, and the same document as the plain answer.
    page = client.get("/roadmaps/flask/", **GZIP)
    assert page["Content-Encoding"] == "gzip"
    assert page["Content-Length"] == str(len(page.content))
    assert "Accept-Encoding" in page["Vary"] and "Cookie" in page["Vary"]
    unzipped = gzip.decompress(page.content).decode()
    assert unzipped.count('name="csrfmiddlewaretoken"') == 2  # sign-out form and marks
    assert without_tokens(unzipped) == without_tokens(
        client.get("/roadmaps/flask/").content.decode()
    )


def test_a_page_revalidates_while_its_token_stays_valid(client, make_roadmap, learner):
    """A stored page's token is one masking of the visitor's CSRF secret, so a copy kept by the
    browser stays usable while the secret does: the page has a weak ETag naming the content and
    (by a keyed digest) the secret. Same secret: 304; a new secret, an edit or a mark: 200."""
    from progress.services import progress_set_many

    roadmap = make_roadmap(slug="revalidate", phases=1, sections=1, topics=3)
    url = roadmap.get_absolute_url()
    first = client.get(url, **GZIP)  # rendered and stored (the view), with a new CSRF cookie
    etag = first["ETag"]
    assert etag.startswith('W/"') and etag.endswith('"') and "-gzip." in etag
    secret = client.cookies["csrftoken"].value
    assert secret[:16] not in etag
    early = client.get(url, HTTP_IF_NONE_MATCH=etag, **GZIP)  # served early this time
    assert early.status_code == 304 and early["ETag"] == etag
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200  # plain: another ETag
    client.cookies["csrftoken"] = "x" * 32  # another secret: the kept token would not pass
    assert client.get(url, HTTP_IF_NONE_MATCH=etag, **GZIP).status_code == 200
    client.cookies["csrftoken"] = secret
    edit_topic_title(roadmap, "Revalidated")
    assert client.get(url, HTTP_IF_NONE_MATCH=etag, **GZIP).status_code == 200

    client.force_login(learner)
    mine = client.get(url, **GZIP)
    assert mine["ETag"] != etag  # the learner's own page
    assert client.get(url, HTTP_IF_NONE_MATCH=mine["ETag"], **GZIP).status_code == 304
    progress_set_many(user=learner, roadmap=roadmap, statuses={"item-1": "done"})
    assert client.get(url, HTTP_IF_NONE_MATCH=mine["ETag"], **GZIP).status_code == 200
