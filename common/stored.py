"""Stored answers: bytes rendered once per content stamp, kept compressed, served as they are.

What is the same for every visitor (the anonymous roadmap page, the API's roadmap document, the
catalog) is rendered once per content stamp (a roadmap's `content_version`, the catalog's stamp)
and kept in this process's memory with its gzip form and ETag. Every request checks the current
stamp (kept per process until PostgreSQL reports a write to the roadmaps table, else one
indexed query: `common.row_watch`), so an edit shows on the next request: there is no
time-to-live. The memory is per process and bounded.

Where the bytes live was measured (README "Performance"): a lookup in Redis costs a round trip
and a copy of the whole body per request, a per-process dict costs neither; the first request
of each process after an edit renders once.

A stored body may hold a per-request part (a CSRF token) at placeholders: the pieces between
them are compressed each on its own (no history of one another) and flushed to a byte boundary,
and each request puts its part between them as a stored deflate block, that is not compressed at
all (no BREACH oracle: the secret's size on the wire never depends on the page). A request costs
a join, the CRC-32 of the part and one combination per piece (common/crc.py).
"""

from __future__ import annotations

import hashlib
import struct
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from common.crc import Matrix, crc_combine, crc_shift

MAX_ENTRIES = 256  # a stored Flask page is ~230 KB (plain and gzip): ~60 MB at most
GZIP_LEVEL = 9  # once per content version: spend the CPU for the smallest bytes
GZIP_WBITS = 31  # a gzip header and trailer around the deflate stream
BUILD_WAIT_SECONDS = 10.0  # longer than any render; past it a waiting request renders its own


@dataclass(frozen=True)
class StoredBody:
    """One answer's bytes: `pieces` joined by a per-request part (one piece: no part)."""

    pieces: tuple[bytes, ...]
    gzip_pieces: tuple[bytes, ...]  # each piece's deflate blocks; the first with the gzip header
    head_crc: int  # CRC-32 of the first piece: the gzip trailer covers every byte of the answer
    etag: str
    # CRC-32 of each later piece and the map past its length, to combine with the part's.
    piece_crcs: tuple[tuple[int, Matrix | None], ...] = ()
    size: int = 0  # of the pieces, without the parts

    @property
    def validated(self) -> bool:
        """The same bytes for everyone: ETag and Last-Modified apply."""
        return len(self.pieces) == 1

    def plain(self, part: bytes = b"") -> bytes:
        return part.join(self.pieces)

    def gzipped(self, part: bytes = b"") -> bytes:
        """The gzip answer: the stored pieces' blocks with `part` as a stored (uncompressed)
        block between each two, and the trailer of the whole answer."""
        if self.validated:
            return self.gzip_pieces[0]
        block = _stored_block(part)
        crc = self.head_crc
        for piece_crc, shift in self.piece_crcs:
            crc = crc_combine(zlib.crc32(part, crc), piece_crc, shift)
        size = (self.size + len(part) * (len(self.pieces) - 1)) & 0xFFFFFFFF
        return block.join(self.gzip_pieces) + struct.pack("<II", crc, size)


def _stored_block(data: bytes) -> bytes:
    """`data` as non-final stored deflate blocks (RFC 1951 3.2.4), starting and ending on a
    byte boundary as every stored piece does."""
    blocks = []
    for start in range(0, len(data), 0xFFFF):
        chunk = data[start : start + 0xFFFF]
        blocks.append(b"\x00" + struct.pack("<HH", len(chunk), len(chunk) ^ 0xFFFF) + chunk)
    return b"".join(blocks)


def store(body: bytes, *, split: bytes | None = None) -> StoredBody:
    """Compress `body` once. With `split`, the body is cut at every occurrence of that
    placeholder, where each request's part goes (see `StoredBody.gzipped`). Only bytes are kept
    (no compressor state), so a stored page costs its plain and compressed sizes in memory."""
    pieces = (body,) if split is None else tuple(body.split(split))
    if len(pieces) == 1 and split is not None:
        raise ValueError("The placeholder is not in the body.")
    gzip_pieces = []
    for index, piece in enumerate(pieces):
        last = index == len(pieces) - 1
        # The first piece carries the gzip header; the others are raw deflate blocks.
        wbits = GZIP_WBITS if index == 0 else -15
        compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, wbits, 9)
        compressed = compressor.compress(piece)
        # The last piece ends the deflate stream (its trailer is added per answer when there
        # are parts); the others end on a byte boundary, with no history for what follows.
        compressed += compressor.flush() if last else compressor.flush(zlib.Z_FULL_FLUSH)
        gzip_pieces.append(compressed)
    # Over the pieces, not the placeholder: a process's placeholder may be random, and every
    # process must give the same body the same ETag.
    etag = '"' + hashlib.sha256(b"\0".join(pieces)).hexdigest()[:40] + '"'
    return StoredBody(
        pieces=pieces,
        gzip_pieces=tuple(gzip_pieces),
        head_crc=zlib.crc32(pieces[0]),
        etag=etag,
        piece_crcs=tuple((zlib.crc32(piece), crc_shift(len(piece))) for piece in pieces[1:]),
        size=sum(map(len, pieces)),
    )


T = TypeVar("T")


class Clearable(Protocol):
    def clear(self) -> None: ...


# Everything a process keeps between requests (stores here; the throttle's leases, the failed
# attempts last seen), for `stores_clear`.
STORES: list[Clearable] = []


class Store(Generic[T]):
    """Values (stored bodies; other things rendered once per content stamp) by key, each valid
    for one stamp; the least recently used goes first when full."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[Hashable, T]] = OrderedDict()
        self._building: dict[tuple[Hashable, Hashable], threading.Event] = {}
        self._lock = threading.Lock()
        STORES.append(self)

    def peek(self, key: Hashable, stamp: Hashable) -> T | None:
        """The body stored for `key` at `stamp`, None when absent or stale (nothing is built:
        the early path of roadmaps.early leaves that to the view)."""
        found = self._entries.get(key)  # a dict read is atomic; LRU order is the view's job
        return found[1] if found is not None and found[0] == stamp else None

    def get(self, key: Hashable, stamp: Hashable, build: Callable[[], T]) -> T:
        """The value of `key` at `stamp`, built once when missing. While one thread builds it,
        the others asking for the same key and stamp wait for that value instead of building
        it too: after an edit every thread of a busy process would otherwise render the same
        page at once (measured: 8 threads, 8 renders of the API document, ~0.9 s each instead
        of one of ~0.15 s). A build that fails or takes over BUILD_WAIT_SECONDS lets the
        waiters build their own."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None and found[0] == stamp:
                self._entries.move_to_end(key)
                return found[1]
            building = self._building.get((key, stamp))
            if building is None:
                building = self._building[(key, stamp)] = threading.Event()
                owner = True
            else:
                owner = False
        if not owner:
            building.wait(BUILD_WAIT_SECONDS)
            value = self.peek(key, stamp)
            return value if value is not None else build()
        try:
            value = build()  # outside the lock: a slow render never blocks other keys
            self.put(key, stamp, value)
        finally:
            with self._lock:
                del self._building[(key, stamp)]
            building.set()
        return value

    def put(self, key: Hashable, stamp: Hashable, value: T) -> None:
        with self._lock:
            self._entries[key] = (stamp, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


STORE: Store[StoredBody] = Store()


def stores_clear() -> None:
    """Forget everything every store keeps (tests start from nothing)."""
    for each in STORES:
        each.clear()


def accepts_gzip(request: HttpRequest) -> bool:
    """Whether Accept-Encoding lists gzip with a non-zero quality."""
    for part in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        coding, *params = (piece.strip().lower() for piece in part.split(";"))
        if coding != "gzip":
            continue
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    return float(value) > 0
                except ValueError:
                    return False
        return True
    return False


def stored_response(
    request: HttpRequest,
    stored: StoredBody,
    *,
    content_type: str,
    part: bytes = b"",
    part_validator: str | None = None,
    cache_control: str = "no-cache",
    last_modified: datetime | None = None,
) -> HttpResponse:
    """The stored body (gzip when accepted); 304 when the client's copy is current
    (If-None-Match, If-Modified-Since). The gzip form has its own ETag (`"...-gzip"`, as the
    dynamic answers' in common.compress): a strong validator names one representation. A body
    with a per-request part has a validator only when `part_validator` names what the part
    depends on (`common.csrf_token.token_validator`), and a weak one: every answer's bytes
    differ, their meaning does not."""
    gzipped = accepts_gzip(request)
    response = HttpResponse(content_type=content_type)
    response["Cache-Control"] = cache_control
    patch_vary_headers(response, ["Accept-Encoding"])
    named = stored.etag[:-1] + ("-gzip" if gzipped else "")  # without its closing quote
    etag: str | None = named + '"'
    if not stored.validated:
        etag = None if part_validator is None else f'W/{named}.{part_validator}"'
    if etag is not None:
        response["ETag"] = etag
        modified = int(last_modified.timestamp()) if last_modified else None
        if modified is not None:
            response["Last-Modified"] = http_date(modified)
        # Django's answer: a 304 or 412 of its own, else `response` itself (still to be filled).
        conditional = get_conditional_response(
            request, etag=etag, last_modified=modified, response=response
        )
        if conditional is not None and conditional is not response:
            return conditional
    if gzipped:
        response.content = stored.gzipped(part)
        response["Content-Encoding"] = "gzip"
    else:
        response.content = stored.plain(part)
    return response
