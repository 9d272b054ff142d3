"""The checking engine against local servers (private networks allowed for 127.0.0.1)."""

from __future__ import annotations

import pytest

from roadmaps.linkcheck.checker import (
    CheckerConfig,
    check_urls_streaming,
    check_urls_sync,
    parse_retry_after,
    youtube_oembed_query,
)
from roadmaps.linkcheck.http import AddressPolicy, ClientSettings
from roadmaps.tests.linkcheck_servers import FakeWeb


@pytest.fixture
def web():
    server = FakeWeb().start()
    yield server
    server.stop()


def make_config(web: FakeWeb | None = None, **overrides) -> CheckerConfig:
    client = ClientSettings(
        user_agent="RoadmapfinderLinkChecker/test (+http://testserver/)",
        connect_timeout=2.0,
        read_timeout=overrides.pop("read_timeout", 2.0),
        max_body_bytes=overrides.pop("max_body_bytes", 64 * 1024),
        policy=AddressPolicy(allow_private=True, allowed_hosts=frozenset({"127.0.0.1"})),
    )
    values = {
        "client": client,
        "retries": 2,
        "retry_backoff": 0.01,
        "retry_after_max": 5.0,
        "youtube_oembed_url": web.url("/oembed") if web else "http://127.0.0.1:9/oembed",
    }
    values.update(overrides)
    return CheckerConfig(**values)


def check(web: FakeWeb, path: str, **overrides):
    [outcome] = check_urls_sync([web.url(path)], config=make_config(web, **overrides))
    return outcome


def test_200_is_ok_with_one_head_request(web):
    outcome = check(web, "/status/200")
    assert (outcome.result, outcome.http_status, outcome.error) == ("ok", 200, "")
    assert web.count("/status/200", "HEAD") == 1
    assert web.count("/status/200", "GET") == 0


def test_user_agent_names_the_project_and_a_contact_url(web):
    check(web, "/status/204")
    assert web.user_agents == {"RoadmapfinderLinkChecker/test (+http://testserver/)"}


def test_default_user_agent_comes_from_settings(settings):
    settings.LINKCHECK_CONTACT_URL = "https://roadmapfinder.example/about/"
    assert "Roadmapfinder" in ClientSettings.from_settings().user_agent
    assert "+http" in ClientSettings.from_settings().user_agent


@pytest.mark.parametrize("code", [404, 410])
def test_definite_failures_are_broken(web, code):
    outcome = check(web, f"/status/{code}")
    assert (outcome.result, outcome.http_status) == ("broken", code)
    # HEAD is not trusted for failures: GET confirms, and nothing is retried.
    assert web.count(f"/status/{code}", "HEAD") == 1
    assert web.count(f"/status/{code}", "GET") == 1


def test_head_refused_falls_back_to_get(web):
    outcome = check(web, "/head-refused")
    assert (outcome.result, outcome.http_status) == ("ok", 200)
    assert web.count("/head-refused", "GET") == 1


def test_permanent_redirect_chain_is_reported_with_a_suggestion(web):
    web.scripts["a"] = [(301, {"Location": "/script/b"})]
    web.scripts["b"] = [(308, {"Location": web.url("/status/200")})]
    outcome = check(web, "/script/a")
    assert outcome.result == "redirected"
    assert outcome.suggestion == web.url("/status/200")
    assert outcome.final_url == web.url("/status/200")
    assert [hop["status"] for hop in outcome.redirect_chain] == [301, 308, 200]


def test_temporary_redirect_is_ok_and_suggests_nothing(web):
    web.scripts["t"] = [(302, {"Location": "/status/200"})]
    outcome = check(web, "/script/t")
    assert (outcome.result, outcome.suggestion) == ("ok", "")
    assert outcome.final_url == web.url("/status/200")


def test_permanent_then_temporary_suggests_the_permanent_target(web):
    web.scripts["p"] = [(301, {"Location": "/script/q"})]
    web.scripts["q"] = [(302, {"Location": "/status/200"})]
    outcome = check(web, "/script/p")
    assert outcome.result == "redirected"
    assert outcome.suggestion == web.url("/script/q")


def test_redirect_loop_is_broken(web):
    web.scripts["x"] = [(302, {"Location": "/script/y"})]
    web.scripts["y"] = [(302, {"Location": "/script/x"})]
    outcome = check(web, "/script/x")
    assert (outcome.result, outcome.error) == ("broken", "redirect loop")
    assert web.count("/script/x") <= 2


def test_more_than_ten_redirects_is_broken(web):
    for index in range(12):
        web.scripts[f"r{index}"] = [(302, {"Location": f"/script/r{index + 1}"})]
    web.scripts["r12"] = [(200, {})]
    outcome = check(web, "/script/r0")
    assert outcome.result == "broken"
    assert "more than 10 redirects" in outcome.error
    assert web.count("/script/r11") == 0


def test_redirect_to_another_scheme_is_broken(web):
    web.scripts["ftp"] = [(302, {"Location": "ftp://files.example.com/x"})]
    outcome = check(web, "/script/ftp")
    assert outcome.result == "broken"
    assert "only http and https" in outcome.error


def test_429_with_retry_after_then_200(web):
    web.scripts["busy"] = [(429, {"Retry-After": "1"}), (200, {})]
    outcome = check(web, "/script/busy")
    assert (outcome.result, outcome.attempts) == ("ok", 2)


def test_retry_after_beyond_the_cap_is_not_waited_for(web):
    web.scripts["later"] = [(429, {"Retry-After": "3600"}), (200, {})]
    outcome = check(web, "/script/later")
    assert (outcome.result, outcome.http_status) == ("unknown", 429)
    assert outcome.retry_after == 3600
    assert web.count("/script/later") == 1  # one HEAD: no GET after a 429, no retry


def test_503_then_200_is_ok(web):
    web.scripts["down"] = [(503, {}), (503, {}), (200, {})]
    outcome = check(web, "/script/down")
    assert outcome.result == "ok"
    assert outcome.attempts == 2


def test_persistent_5xx_is_unknown_after_the_retries(web):
    outcome = check(web, "/status/500")
    assert (outcome.result, outcome.attempts) == ("unknown", 3)


@pytest.mark.parametrize("code", [401, 403])
def test_sign_in_and_bot_walls_are_unknown_not_broken(web, code):
    assert check(web, f"/status/{code}").result == "unknown"


def test_slow_server_times_out_as_unknown(web):
    web.slow_seconds = 5
    outcome = check(web, "/slow", read_timeout=0.3, retries=1)
    assert (outcome.result, outcome.error) == ("unknown", "timed out")
    assert outcome.attempts == 2


def test_huge_body_is_never_downloaded(web):
    outcome = check(web, "/huge")
    assert (outcome.result, outcome.http_status) == ("ok", 200)
    # The server could send 1 GiB; we hung up after the status line and some buffered bytes.
    assert web.huge_bytes_sent < 64 * 1024 * 1024


def test_refused_connection_is_broken(web, connection_port_closed):
    [outcome] = check_urls_sync(
        [f"http://127.0.0.1:{connection_port_closed}/"], config=make_config(web)
    )
    assert (outcome.result, outcome.error) == ("broken", "connection refused")


@pytest.fixture
def connection_port_closed():
    import socket

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("https://www.youtube.com/watch?v=abcdefghijk&t=10", "watch?v=abcdefghijk"),
        ("https://youtu.be/abcdefghijk", "watch?v=abcdefghijk"),
        ("https://www.youtube.com/embed/abcdefghijk", "watch?v=abcdefghijk"),
        ("https://m.youtube.com/watch?v=abcdefghijk", "watch?v=abcdefghijk"),
        ("https://www.youtube.com/playlist?list=PL123", "playlist?list=PL123"),
        ("https://www.youtube.com/@channel", None),
        ("https://example.com/watch?v=abcdefghijk", None),
    ],
)
def test_youtube_links_are_recognised(url, query):
    expected = f"https://www.youtube.com/{query}" if query else None
    assert youtube_oembed_query(url) == expected


@pytest.mark.parametrize(
    ("video", "result"),
    [("okvideo123", "ok"), ("gone123456", "broken"), ("private123", "ok")],
)
def test_youtube_is_checked_through_oembed(web, video, result):
    # The watch page itself is never requested: youtube.com answers 200 even for deleted videos.
    [outcome] = check_urls_sync(
        [f"https://www.youtube.com/watch?v={video}"], config=make_config(web)
    )
    assert outcome.result == result
    assert web.count("/oembed", "GET") == 1
    if video.startswith("private"):
        assert "embedding disabled" in outcome.error


def test_youtube_playlist_through_oembed(web):
    [outcome] = check_urls_sync(
        ["https://www.youtube.com/playlist?list=gonelist"], config=make_config(web)
    )
    assert outcome.result == "broken"


def test_streaming_yields_every_outcome(web):
    urls = [web.url(f"/status/{code}") for code in (200, 404, 200, 410)]
    outcomes = list(check_urls_streaming(urls, config=make_config(web)))
    assert sorted(o.url for o in outcomes) == sorted(urls)
    assert {o.url: o.result for o in outcomes}[web.url("/status/404")] == "broken"


def test_closing_the_stream_early_cancels_the_rest(web):
    web.slow_seconds = 30
    urls = [web.url("/status/200"), web.url("/slow")]
    stream = check_urls_streaming(urls, config=make_config(web, read_timeout=30, retries=0))
    first = next(stream)
    assert first.result == "ok"
    stream.close()  # returns promptly instead of waiting 30 s for /slow


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("7", 7.0), (None, None), ("soon", None), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)],
)
def test_parse_retry_after(header, seconds):
    assert parse_retry_after(header) == seconds


def test_works_where_an_event_loop_is_already_running(web):
    # Playwright's sync API leaves a running loop in the test thread; management commands
    # could be called from one too. The checker runs its own loop on a helper thread.
    import asyncio

    async def inside_a_loop():
        return check_urls_sync([web.url("/status/200")], config=make_config(web))

    [outcome] = asyncio.run(inside_a_loop())
    assert outcome.result == "ok"
