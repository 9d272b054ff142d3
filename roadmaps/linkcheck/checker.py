"""The checking engine: from a list of URLs to one `LinkOutcome` per URL, concurrently.

It knows HTTP, not Django: no ORM here (the results are recorded by `services`), and every
request goes through `roadmaps.linkcheck.http`.

Verdicts:
- ok: a 2xx at the end (temporary redirects are followed silently);
- redirected: it works, but the first hop said 301/308 "moved for good": `suggestion` is the
  address to use instead;
- broken: a definite failure (404, 410, other 4xx, unknown host, refused connection, TLS error,
  redirect loop, too many redirects);
- unknown: we can't tell (401/403 from sign-in or bot walls, 429, timeouts, 5xx after retries);
- blocked: the address (or a redirect's) is private or not http(s): never contacted.
"""

from __future__ import annotations

import asyncio
import email.utils
import errno
import queue
import random
import re
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import aiohttp
from yarl import URL

from roadmaps.linkcheck.http import (
    BlockedAddress,
    BodyTooLarge,
    ClientSettings,
    Hop,
    NameNotFound,
    OutboundClient,
    UnsupportedScheme,
)

OK = "ok"
REDIRECTED = "redirected"
BROKEN = "broken"
UNKNOWN = "unknown"
BLOCKED = "blocked"

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
UNKNOWN_STATUSES = frozenset({401, 403, 407})


@dataclass
class LinkOutcome:
    url: str
    result: str
    http_status: int | None = None
    final_url: str = ""
    redirect_chain: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""
    suggestion: str = ""
    # Seconds the server asked us to wait (Retry-After) when we gave up waiting.
    retry_after: float | None = None
    attempts: int = 1

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CheckerConfig:
    client: ClientSettings
    max_redirects: int = 10
    retries: int = 2
    retry_backoff: float = 1.0
    retry_after_max: float = 30.0
    youtube_oembed_url: str = "https://www.youtube.com/oembed"

    @classmethod
    def from_settings(cls, **overrides: Any) -> CheckerConfig:
        from django.conf import settings

        values: dict[str, Any] = {
            "client": ClientSettings.from_settings(),
            "max_redirects": settings.LINKCHECK_MAX_REDIRECTS,
            "retries": settings.LINKCHECK_RETRIES,
            "retry_backoff": settings.LINKCHECK_RETRY_BACKOFF,
            "retry_after_max": settings.LINKCHECK_RETRY_AFTER_MAX,
            "youtube_oembed_url": settings.LINKCHECK_YOUTUBE_OEMBED_URL,
        }
        values.update(overrides)
        return cls(**values)


@dataclass
class _Attempt:
    outcome: LinkOutcome
    transient: bool = False
    retry_after: float | None = None


# --- One URL ----------------------------------------------------------------------------------


async def check_url(client: OutboundClient, url: str, config: CheckerConfig) -> LinkOutcome:
    """Check one URL, retrying transient failures with exponential backoff and jitter."""
    youtube = youtube_oembed_query(url)
    attempt_number = 0
    while True:
        if youtube is not None:
            attempt = await _check_youtube(client, url, youtube, config)
        else:
            attempt = await _follow(client, url, config)
        attempt.outcome.attempts = attempt_number + 1
        if not attempt.transient or attempt_number >= config.retries:
            return attempt.outcome
        if attempt.retry_after is not None:
            if attempt.retry_after > config.retry_after_max:
                attempt.outcome.retry_after = attempt.retry_after
                return attempt.outcome
            delay = attempt.retry_after
        else:
            delay = config.retry_backoff * (2**attempt_number) * random.uniform(1.0, 1.25)  # noqa: S311
        attempt_number += 1
        await asyncio.sleep(delay)


async def _request(client: OutboundClient, url: str, *, head_first: bool = True) -> Hop:
    """HEAD, then GET when HEAD is refused or answers anything but 2xx/3xx (many servers
    mishandle HEAD: 405, 403, 501, even 404)."""
    if head_first:
        hop = await client.request("HEAD", url)
        # Slow down when told to: a GET right after a 429 would only add to the load.
        if 200 <= hop.status < 400 or hop.status in (408, 429):
            return hop
    return await client.request("GET", url)


async def _follow(client: OutboundClient, url: str, config: CheckerConfig) -> _Attempt:
    chain: list[dict[str, Any]] = []
    seen = {url}
    current = url
    suggestion = ""
    permanent_so_far = True
    for _hop_index in range(config.max_redirects + 1):
        try:
            hop = await _request(client, current)
        except Exception as error:  # every failure becomes a verdict
            return _attempt_from_error(url, current, chain, error)
        chain.append({"url": current, "status": hop.status})
        location = hop.headers.get("Location")
        if hop.status in REDIRECT_STATUSES and location:
            try:
                target = str(URL(current).join(URL(location)))
            except ValueError:
                return _Attempt(
                    LinkOutcome(
                        url, BROKEN, hop.status, current, chain, f"bad redirect to {location!r}"
                    )
                )
            if permanent_so_far and hop.status in PERMANENT_REDIRECTS:
                suggestion = target
            else:
                permanent_so_far = False
            if target in seen:
                return _Attempt(
                    LinkOutcome(
                        url, BROKEN, hop.status, target, chain, "redirect loop", suggestion=""
                    )
                )
            seen.add(target)
            current = target
            continue
        return _attempt_from_status(url, current, chain, hop, suggestion)
    return _Attempt(
        LinkOutcome(
            url,
            BROKEN,
            chain[-1]["status"] if chain else None,
            current,
            chain,
            f"more than {config.max_redirects} redirects",
        )
    )


def _attempt_from_status(
    url: str, final_url: str, chain: list[dict[str, Any]], hop: Hop, suggestion: str
) -> _Attempt:
    status = hop.status
    if 200 <= status < 300:
        if suggestion and suggestion != url:
            return _Attempt(
                LinkOutcome(url, REDIRECTED, status, final_url, chain, "", suggestion=suggestion)
            )
        return _Attempt(LinkOutcome(url, OK, status, final_url, chain))
    if status in TRANSIENT_STATUSES or 500 <= status < 600:
        return _Attempt(
            LinkOutcome(url, UNKNOWN, status, final_url, chain, f"HTTP {status}: try again later"),
            transient=True,
            retry_after=parse_retry_after(hop.headers.get("Retry-After")),
        )
    if status in UNKNOWN_STATUSES:
        return _Attempt(
            LinkOutcome(
                url,
                UNKNOWN,
                status,
                final_url,
                chain,
                f"HTTP {status}: the site wants a sign-in or refuses robots",
            )
        )
    if 400 <= status < 500:
        return _Attempt(LinkOutcome(url, BROKEN, status, final_url, chain, f"HTTP {status}"))
    return _Attempt(
        LinkOutcome(url, UNKNOWN, status, final_url, chain, f"unexpected HTTP {status}")
    )


def _attempt_from_error(
    url: str, current: str, chain: list[dict[str, Any]], error: BaseException
) -> _Attempt:
    def verdict(result: str, text: str, transient: bool = False) -> _Attempt:
        return _Attempt(LinkOutcome(url, result, None, current, chain, text), transient=transient)

    if isinstance(error, BlockedAddress):
        return verdict(BLOCKED, str(error))
    if isinstance(error, UnsupportedScheme):
        return verdict(BROKEN, str(error))
    if isinstance(error, NameNotFound):
        return verdict(BROKEN, str(error))
    if isinstance(error, aiohttp.ClientConnectorDNSError):
        if isinstance(error.os_error, NameNotFound):
            return verdict(BROKEN, str(error.os_error))
        return verdict(UNKNOWN, f"DNS lookup failed: {error.os_error}", transient=True)
    if isinstance(
        error,
        aiohttp.ClientConnectorCertificateError
        | aiohttp.ClientConnectorSSLError
        | aiohttp.ClientSSLError
        | ssl.SSLError,
    ):
        return verdict(BROKEN, f"TLS error: {error}")
    if isinstance(error, aiohttp.ClientConnectorError):
        if error.os_error.errno == errno.ECONNREFUSED:
            return verdict(BROKEN, "connection refused")
        return verdict(UNKNOWN, f"could not connect: {error.os_error}", transient=True)
    if isinstance(error, TimeoutError | asyncio.TimeoutError | aiohttp.ServerTimeoutError):
        return verdict(UNKNOWN, "timed out", transient=True)
    if isinstance(error, aiohttp.InvalidURL | ValueError):
        return verdict(BROKEN, f"not a valid address: {error}")
    if isinstance(
        error,
        aiohttp.ServerDisconnectedError
        | aiohttp.ClientOSError
        | aiohttp.ClientPayloadError
        | ConnectionError,
    ):
        return verdict(UNKNOWN, f"connection dropped: {error}", transient=True)
    if isinstance(error, aiohttp.ClientResponseError):
        return verdict(UNKNOWN, f"bad response: {error.message}")
    if isinstance(error, BodyTooLarge | aiohttp.ClientError):
        return verdict(UNKNOWN, f"{type(error).__name__}: {error}")
    raise error


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


# --- YouTube ----------------------------------------------------------------------------------

_YOUTUBE_HOSTS = frozenset(
    {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com", "youtu.be"}
)
_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")


def youtube_oembed_query(url: str) -> str | None:
    """The canonical YouTube URL to ask oEmbed about, or None when `url` is not a video or
    playlist link (watch pages answer 200 even for deleted videos, so they need oEmbed)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host not in _YOUTUBE_HOSTS:
        return None
    query = parse_qs(parts.query)
    path = parts.path.rstrip("/")
    video_id = ""
    if host == "youtu.be":
        video_id = path.lstrip("/")
    elif path == "/watch":
        video_id = (query.get("v") or [""])[0]
    elif path.startswith(("/embed/", "/shorts/", "/live/")):
        video_id = path.split("/")[2]
    elif path == "/playlist" and query.get("list"):
        return "https://www.youtube.com/playlist?" + urlencode({"list": query["list"][0]})
    if video_id and _VIDEO_ID.match(video_id):
        return "https://www.youtube.com/watch?" + urlencode({"v": video_id})
    return None


async def _check_youtube(
    client: OutboundClient, url: str, canonical: str, config: CheckerConfig
) -> _Attempt:
    endpoint = str(URL(config.youtube_oembed_url).update_query(url=canonical, format="json"))
    try:
        hop = await client.request("GET", endpoint, read_body=True)
    except Exception as error:  # every failure becomes a verdict
        return _attempt_from_error(url, url, [], error)
    chain = [{"url": endpoint, "status": hop.status}]
    if hop.status == 200:
        return _Attempt(LinkOutcome(url, OK, 200, url, chain))
    if hop.status in (400, 404):
        return _Attempt(
            LinkOutcome(url, BROKEN, hop.status, url, chain, "YouTube: the video or list is gone")
        )
    if hop.status in (401, 403):
        # The video exists; its owner only turned off embedding. Learners can still watch it.
        return _Attempt(
            LinkOutcome(url, OK, hop.status, url, chain, "YouTube: exists, embedding disabled")
        )
    return _attempt_from_status(url, url, chain, hop, "")


# --- Many URLs --------------------------------------------------------------------------------


async def check_urls(
    urls: list[str],
    *,
    config: CheckerConfig,
    on_result: Callable[[LinkOutcome], None] | None = None,
) -> list[LinkOutcome]:
    """Check all `urls` concurrently (bounded by the client's limits); `on_result` is called
    with each outcome as soon as it is known."""
    async with OutboundClient(config.client) as client:

        async def one(url: str) -> LinkOutcome:
            outcome = await check_url(client, url, config)
            if on_result is not None:
                on_result(outcome)
            return outcome

        return list(await asyncio.gather(*(one(url) for url in urls)))


_DONE = object()


def check_urls_streaming(urls: list[str], *, config: CheckerConfig) -> Iterator[LinkOutcome]:
    """Check `urls` on an event loop in a helper thread and yield outcomes in the caller's
    thread as they arrive, so the caller can record each one with the ORM at once (a worker
    killed mid-batch loses only the URLs in flight). Closing the iterator early (e.g. a Celery
    soft time limit) cancels the remaining checks."""
    results: queue.Queue[object] = queue.Queue()
    loop_ready = threading.Event()
    state: dict[str, Any] = {}

    async def main() -> None:
        state["loop"] = asyncio.get_running_loop()
        state["task"] = asyncio.current_task()
        loop_ready.set()
        await check_urls(urls, config=config, on_result=results.put)

    def run() -> None:
        try:
            asyncio.run(main())
        except asyncio.CancelledError:
            pass
        except BaseException as error:  # handed to the consuming thread
            results.put(error)
        finally:
            loop_ready.set()
            results.put(_DONE)

    thread = threading.Thread(target=run, name="linkcheck-loop", daemon=True)
    thread.start()
    try:
        while True:
            item = results.get()
            if item is _DONE:
                break
            if isinstance(item, BaseException):
                raise item
            assert isinstance(item, LinkOutcome)
            yield item
    finally:
        if thread.is_alive():
            loop_ready.wait(timeout=5)
            loop, task = state.get("loop"), state.get("task")
            if loop is not None and task is not None and not loop.is_closed():
                loop.call_soon_threadsafe(task.cancel)
            thread.join(timeout=10)


def check_urls_sync(urls: list[str], *, config: CheckerConfig | None = None) -> list[LinkOutcome]:
    """Blocking convenience for scripts, tests and the benchmark: outcomes in `urls` order.
    The loop runs on a helper thread, so this works even where the calling thread already has
    a running event loop (e.g. after Playwright's sync API)."""
    by_url = {
        outcome.url: outcome
        for outcome in check_urls_streaming(urls, config=config or CheckerConfig.from_settings())
    }
    return [by_url[url] for url in urls]
