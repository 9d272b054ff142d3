"""The link checker's only door to the outside world.

Every outbound request of the link checker goes through `OutboundClient.request`, which enforces:

- http and https only;
- the address block: a host name is resolved once (by `GuardedResolver`), every address is
  checked, and aiohttp connects to exactly the checked address, so DNS rebinding and redirects to
  internal hosts are refused *before* any connection. IP literals (including the legacy decimal,
  octal and hex forms) are checked here, before aiohttp sees them. After connecting, the peer
  address is checked once more;
- separate connect and read timeouts and an overall deadline per request;
- politeness: a cap on requests in flight, per host and overall, and a least interval between two
  requests to the same host;
- capped bodies: the checker never reads a body except where it needs one (oEmbed JSON), and
  then at most `max_body_bytes`.

Tests reach local servers through `hosts` (a name -> addresses map used instead of DNS), never by
patching aiohttp.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections import defaultdict
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from multidict import CIMultiDictProxy
from yarl import URL

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOWED_SCHEMES = frozenset({"http", "https"})
# Special-purpose ranges refused on top of ipaddress's is_* flags, whose coverage differs
# between Python patch releases: "this network", carrier-grade NAT (RFC 6598), IETF protocol
# assignments, benchmarking, reserved, and NAT64 (RFC 6052) which reaches IPv4 hosts.
_BLOCKED_NETWORKS = [
    ipaddress.ip_network(net)
    for net in (
        "0.0.0.0/8",
        "100.64.0.0/10",
        "192.0.0.0/24",
        "198.18.0.0/15",
        "240.0.0.0/4",
        "64:ff9b::/96",
        "64:ff9b:1::/48",
        "100::/64",
        "2001:db8::/32",
    )
]
_LEGACY_IPV4 = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}$", re.IGNORECASE)


class OutboundError(Exception):
    """Base of the refusals raised by this module (not aiohttp errors)."""


class BlockedAddress(OutboundError):
    """The request would reach a loopback, private, link-local, reserved... address."""


class UnsupportedScheme(OutboundError):
    """Only http and https are ever requested."""


class NameNotFound(OutboundError):
    """The host name does not exist (NXDOMAIN): a definite failure."""


class BodyTooLarge(OutboundError):
    """A body we needed to read is larger than the cap."""


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a host string denotes by itself, or None for a name.

    Besides the canonical forms this understands the legacy IPv4 spellings that C resolvers
    accept ("2130706433", "0177.0.0.1", "0x7f.1"), so they cannot sneak past the block.
    """
    host = host.strip().strip("[]").rstrip(".")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _LEGACY_IPV4.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def address_is_public(address: IPAddress) -> bool:
    """True only for globally routable unicast addresses."""
    # IPv4 inside IPv6 (mapped, 6to4, Teredo, NAT64) reaches the IPv4 network: refuse all of
    # them rather than decode each scheme.
    if isinstance(address, ipaddress.IPv6Address) and (
        address.ipv4_mapped is not None
        or address.sixtofour is not None
        or address.teredo is not None
    ):
        return False
    if any(address in network for network in _BLOCKED_NETWORKS):
        return False
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


@dataclass(frozen=True)
class HostEntry:
    """A test or benchmark stand-in for DNS: `addresses` for a name. `trusted` makes the address
    count as public (a "public" host simulated on 127.0.0.1); only code can set it, never the
    environment."""

    addresses: tuple[str, ...]
    trusted: bool = False


@dataclass(frozen=True)
class AddressPolicy:
    allow_private: bool = False
    # When set (tests), only these host names may be contacted at all.
    allowed_hosts: frozenset[str] = frozenset()

    def check_host(self, host: str) -> None:
        if self.allowed_hosts and _normal_host(host) not in self.allowed_hosts:
            raise BlockedAddress(f"{host} is not in LINKCHECK_ALLOWED_HOSTS")

    def allows(self, address: IPAddress) -> bool:
        return self.allow_private or address_is_public(address)

    def check_address(self, address: IPAddress, host: str) -> None:
        if not self.allows(address):
            raise BlockedAddress(
                f"{host} is {address}, a loopback, private or reserved address: not checked"
            )


def _normal_host(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


def _is_localhost(host: str) -> bool:
    name = _normal_host(host)
    return name == "localhost" or name.endswith(".localhost")


def host_is_private_without_dns(host: str) -> bool:
    """True when `host` by itself names a loopback, private or reserved place: a localhost
    name or an address literal the block refuses. Asks no DNS server (a name that resolves to a
    private address is still caught when the checker connects)."""
    if _is_localhost(host):
        return True
    address = parse_ip_literal(host)
    return address is not None and not address_is_public(address)


class GuardedResolver(AbstractResolver):
    """Resolve once, keep only allowed addresses, and hand aiohttp exactly those to connect to."""

    def __init__(self, policy: AddressPolicy, hosts: Mapping[str, HostEntry] | None = None):
        self.policy = policy
        self.hosts = {_normal_host(name): entry for name, entry in (hosts or {}).items()}

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.policy.check_host(host)
        trusted = False
        entry = self.hosts.get(_normal_host(host))
        if entry is not None:
            addresses = [ipaddress.ip_address(a) for a in entry.addresses]
            trusted = entry.trusted
            if not addresses:
                raise NameNotFound(f"{host}: no such host")
        elif (literal := parse_ip_literal(host)) is not None:
            addresses = [literal]
        elif _is_localhost(host):
            # RFC 6761: localhost names are loopback; never ask DNS about them.
            addresses = [ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1")]
        else:
            addresses = await self._lookup(host, port, family)
        allowed = [a for a in addresses if trusted or self.policy.allows(a)]
        if not allowed:
            self.policy.check_address(addresses[0], host)
        return [
            ResolveResult(
                hostname=host,
                host=str(address),
                port=port,
                family=socket.AF_INET6 if address.version == 6 else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST | socket.AI_NUMERICSERV,
            )
            for address in allowed
        ]

    async def _lookup(self, host: str, port: int, family: socket.AddressFamily) -> list[IPAddress]:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM, family=family)
        except socket.gaierror as error:
            if error.errno in _NAME_NOT_FOUND_ERRNOS:
                raise NameNotFound(f"{host}: no such host") from error
            raise  # a temporary resolver failure: an OSError, retried as transient
        addresses: list[IPAddress] = []
        for _family, _type, _proto, _name, sockaddr in infos:
            address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
            if address not in addresses:
                addresses.append(address)
        if not addresses:
            raise NameNotFound(f"{host}: no such host")
        return addresses

    async def close(self) -> None:
        return None


_NAME_NOT_FOUND_ERRNOS = {
    getattr(socket, name) for name in ("EAI_NONAME", "EAI_NODATA") if hasattr(socket, name)
}


@dataclass(frozen=True)
class ClientSettings:
    user_agent: str
    concurrency: int = 64
    per_host_concurrency: int = 4
    per_host_interval: float = 0.0
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    max_body_bytes: int = 256 * 1024
    policy: AddressPolicy = field(default_factory=AddressPolicy)
    hosts: Mapping[str, HostEntry] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, **overrides: Any) -> ClientSettings:
        from django.conf import settings

        values: dict[str, Any] = {
            "user_agent": settings.LINKCHECK_USER_AGENT,
            "concurrency": settings.LINKCHECK_CONCURRENCY,
            "per_host_concurrency": settings.LINKCHECK_PER_HOST_CONCURRENCY,
            "per_host_interval": settings.LINKCHECK_PER_HOST_INTERVAL,
            "connect_timeout": settings.LINKCHECK_CONNECT_TIMEOUT,
            "read_timeout": settings.LINKCHECK_READ_TIMEOUT,
            "max_body_bytes": settings.LINKCHECK_MAX_BODY_BYTES,
            "policy": AddressPolicy(
                allow_private=settings.LINKCHECK_ALLOW_PRIVATE_NETWORKS,
                allowed_hosts=frozenset(_normal_host(h) for h in settings.LINKCHECK_ALLOWED_HOSTS),
            ),
        }
        values.update(overrides)
        return cls(**values)


@dataclass
class Hop:
    """One response, without its body (unless asked for)."""

    url: str
    method: str
    status: int
    headers: CIMultiDictProxy[str]
    body: bytes = b""


class HostGate:
    """At most `per_host` requests in flight per host, starts spaced `interval` seconds apart."""

    def __init__(self, per_host: int, interval: float):
        self.interval = interval
        self._slots: dict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(max(1, per_host))
        )
        self._next_start: dict[str, float] = {}

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        async with self._slots[host]:
            if self.interval > 0:
                loop = asyncio.get_running_loop()
                now = loop.time()
                start = max(now, self._next_start.get(host, 0.0))
                self._next_start[host] = start + self.interval
                if start > now:
                    await asyncio.sleep(start - now)
            yield


class OutboundClient:
    """An aiohttp session wired to the guarded resolver. Use as `async with`."""

    def __init__(self, settings: ClientSettings):
        self.settings = settings
        self._gate = HostGate(settings.per_host_concurrency, settings.per_host_interval)
        self._in_flight = asyncio.Semaphore(max(1, settings.concurrency))
        self._session: aiohttp.ClientSession | None = None
        self._hosts = {_normal_host(name): entry for name, entry in settings.hosts.items()}

    async def __aenter__(self) -> OutboundClient:
        connector = aiohttp.TCPConnector(
            resolver=GuardedResolver(self.settings.policy, self.settings.hosts),
            limit=max(1, self.settings.concurrency) * 2,
            limit_per_host=0,
            ttl_dns_cache=300,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            headers={"User-Agent": self.settings.user_agent, "Accept": "*/*"},
            cookie_jar=aiohttp.DummyCookieJar(),
            trust_env=False,  # never through a proxy from the environment: it would see the URL
            auto_decompress=False,
        )
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._session is not None:
            await self._session.close()

    def _timeout(self) -> aiohttp.ClientTimeout:
        s = self.settings
        return aiohttp.ClientTimeout(
            total=s.connect_timeout + 2 * s.read_timeout,
            sock_connect=s.connect_timeout,
            sock_read=s.read_timeout,
        )

    def _check_target(self, url: URL) -> str:
        if url.scheme not in ALLOWED_SCHEMES:
            raise UnsupportedScheme(f"{url.scheme or 'no'} scheme: only http and https are checked")
        host = url.raw_host or ""
        if not host:
            raise UnsupportedScheme("the address has no host")
        self.settings.policy.check_host(host)
        literal = parse_ip_literal(host)
        if literal is not None:
            # aiohttp connects to IP literals without asking the resolver: check them here.
            self.settings.policy.check_address(literal, host)
        return _normal_host(host)

    async def request(self, method: str, url: str, *, read_body: bool = False) -> Hop:
        """One request, never following redirects. The body is not read unless `read_body`,
        and then at most `max_body_bytes` (more raises BodyTooLarge)."""
        assert self._session is not None, "use OutboundClient as an async context manager"
        target = URL(url, encoded=True) if "%" in url else URL(url)
        host = self._check_target(target)
        async with self._gate.slot(host), self._in_flight:
            response = await self._session.request(
                method, target, allow_redirects=False, timeout=self._timeout()
            )
            try:
                self._check_peer(response, host)
                body = await self._read_capped(response) if read_body else b""
                return Hop(
                    url=str(target),
                    method=method,
                    status=response.status,
                    headers=response.headers,
                    body=body,
                )
            finally:
                if method == "HEAD" or read_body:
                    response.release()
                else:
                    # Never drain a body we don't need: drop the connection instead.
                    response.close()

    def _check_peer(self, response: aiohttp.ClientResponse, host: str) -> None:
        connection = response.connection
        transport = connection.transport if connection is not None else None
        peer = transport.get_extra_info("peername") if transport is not None else None
        if not peer:
            return
        entry = self._hosts.get(host)
        if entry is not None and entry.trusted:
            return
        address = ipaddress.ip_address(str(peer[0]).split("%", 1)[0])
        if not self.settings.policy.allows(address):
            response.close()
            raise BlockedAddress(f"{host} connected to {address}, a private address")

    async def _read_capped(self, response: aiohttp.ClientResponse) -> bytes:
        cap = self.settings.max_body_bytes
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = await response.content.read(min(65536, cap + 1 - size))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
            if size > cap:
                raise BodyTooLarge(f"the response is larger than {cap} bytes")
