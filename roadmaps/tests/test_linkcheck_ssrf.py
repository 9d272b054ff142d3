"""The private-address block, with the block ON: every internal target is reported "blocked"
and refused before connecting. Only 127.0.0.1 listeners are used; nothing here sends traffic to
any other address (the non-loopback targets are refused before a socket is opened)."""

from __future__ import annotations

import ipaddress
import time

import pytest

from roadmaps.linkcheck.checker import CheckerConfig, check_urls_sync
from roadmaps.linkcheck.http import (
    AddressPolicy,
    ClientSettings,
    HostEntry,
    address_is_public,
    parse_ip_literal,
)
from roadmaps.tests.linkcheck_servers import ConnectionCounter, FakeWeb


@pytest.fixture
def counter():
    listener = ConnectionCounter()
    yield listener
    listener.close()


@pytest.fixture
def web():
    server = FakeWeb().start()
    yield server
    server.stop()


def blocking_config(hosts=None, allowed_hosts=frozenset()) -> CheckerConfig:
    return CheckerConfig(
        client=ClientSettings(
            user_agent="RoadmapfinderLinkChecker/test",
            connect_timeout=1.0,
            read_timeout=1.0,
            policy=AddressPolicy(allow_private=False, allowed_hosts=allowed_hosts),
            hosts=hosts or {},
        ),
        retries=0,
        youtube_oembed_url="http://127.0.0.1:9/oembed",
    )


def settle(counter: ConnectionCounter) -> int:
    time.sleep(0.3)  # let the accept loop see any connection that was made
    return counter.accepted


LOOPBACK_FORMS = [
    "http://127.0.0.1:{port}/",
    "http://localhost:{port}/",
    "http://LOCALHOST.:{port}/",
    "http://api.localhost:{port}/",
    "http://0.0.0.0:{port}/",
    "http://2130706433:{port}/",
    "http://0177.0.0.1:{port}/",
    "http://0x7f.0.0.1:{port}/",
    "http://127.1:{port}/",
    "http://[::1]:{port}/",
    "http://[::ffff:127.0.0.1]:{port}/",
    "https://127.0.0.1:{port}/",
    "http://intranet.example:{port}/",  # a name that resolves to 127.0.0.1
    "http://rebind.example:{port}/",  # a name with a public and a loopback address
]


@pytest.mark.parametrize("template", LOOPBACK_FORMS)
def test_loopback_in_any_spelling_is_blocked_without_connecting(counter, template):
    hosts = {
        "intranet.example": HostEntry(("127.0.0.1",)),
        # Only 127.0.0.1 is kept from this answer... and then refused: blocked.
        "rebind.example": HostEntry(("127.0.0.1", "10.1.2.3")),
    }
    url = template.format(port=counter.port)
    [outcome] = check_urls_sync([url], config=blocking_config(hosts))
    assert outcome.result == "blocked", outcome
    assert settle(counter) == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://[64:ff9b::7f00:1]/",
        "http://[2002:7f00:1::1]/",
        "http://metadata.example/",  # resolves to the cloud metadata address
    ],
)
def test_private_and_reserved_addresses_are_blocked(url):
    hosts = {"metadata.example": HostEntry(("169.254.169.254",))}
    started = time.monotonic()
    [outcome] = check_urls_sync([url], config=blocking_config(hosts))
    assert outcome.result == "blocked", outcome
    assert "private" in outcome.error or "reserved" in outcome.error
    # Refused before connecting: a connection attempt would have waited for the 1 s timeout.
    assert outcome.http_status is None
    del started


def test_public_url_redirecting_to_loopback_is_blocked(web, counter):
    # "www.public-example.com" stands for a real public site (trusted test entry); it redirects
    # to an internal address, which must be refused at the next hop.
    hosts = {"www.public-example.com": HostEntry(("127.0.0.1",), trusted=True)}
    target = f"http://127.0.0.1:{counter.port}/admin"
    url = f"http://www.public-example.com:{web.port}/redirect/302?to={target}"
    [outcome] = check_urls_sync([url], config=blocking_config(hosts))
    assert outcome.result == "blocked"
    assert outcome.redirect_chain == [{"url": url, "status": 302}]
    assert web.count("/redirect/302") == 1
    assert settle(counter) == 0


def test_public_url_redirecting_to_a_name_of_loopback_is_blocked(web, counter):
    hosts = {
        "www.public-example.com": HostEntry(("127.0.0.1",), trusted=True),
        "internal.example": HostEntry(("127.0.0.1",)),
    }
    target = f"http://internal.example:{counter.port}/"
    url = f"http://www.public-example.com:{web.port}/redirect/301?to={target}"
    [outcome] = check_urls_sync([url], config=blocking_config(hosts))
    assert outcome.result == "blocked"
    assert settle(counter) == 0


def test_allowed_hosts_keeps_a_test_checker_on_its_hosts(web):
    config = CheckerConfig(
        client=ClientSettings(
            user_agent="t",
            policy=AddressPolicy(allow_private=True, allowed_hosts=frozenset({"127.0.0.1"})),
        ),
        retries=0,
    )
    [outcome] = check_urls_sync([f"http://localhost:{web.port}/status/200"], config=config)
    assert outcome.result == "blocked"
    assert web.count("/status/200") == 0


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1/x", "file:///etc/passwd", "javascript:alert(1)", "gopher://x/"]
)
def test_other_schemes_are_never_requested(url):
    [outcome] = check_urls_sync([url], config=blocking_config())
    assert outcome.result == "broken"
    assert outcome.http_status is None


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:4700:4700::1111", True),
        ("8.8.8.8", True),
        ("127.0.0.1", False),
        ("0.0.0.0", False),
        ("10.0.0.1", False),
        ("100.64.0.1", False),
        ("100.127.255.254", False),
        ("169.254.169.254", False),
        ("192.0.0.8", False),
        ("198.18.0.1", False),
        ("224.0.0.251", False),
        ("255.255.255.255", False),
        ("::", False),
        ("::1", False),
        ("::ffff:8.8.8.8", False),
        ("fd00::1", False),
        ("ff02::1", False),
    ],
)
def test_address_is_public(address, public):
    assert address_is_public(ipaddress.ip_address(address)) is public


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("[::1]", "::1"),
        ("example.com", None),
        ("cafe.be", None),
        ("1.2.3.4.5", None),
    ],
)
def test_parse_ip_literal_understands_legacy_forms(host, address):
    parsed = parse_ip_literal(host)
    assert (str(parsed) if parsed else None) == address
