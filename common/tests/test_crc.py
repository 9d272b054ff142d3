"""common/crc.py: CRC-32 of joined bytes from the parts' CRCs equals zlib's over the whole."""

from __future__ import annotations

import os
import zlib

import pytest

from common.crc import crc_combine, crc_shift


@pytest.mark.parametrize("length", [0, 1, 2, 3, 7, 64, 65_535, 65_536, 148_219, 1_040_751])
def test_combined_crc_is_the_crc_of_the_joined_bytes(length: int) -> None:
    first, second = os.urandom(1_000), os.urandom(length)
    combined = crc_combine(zlib.crc32(first), zlib.crc32(second), crc_shift(len(second)))
    assert combined == zlib.crc32(first + second)


def test_combining_from_an_empty_start_and_in_chains() -> None:
    pieces = [b"", b"head", os.urandom(5_000), b"", b"tail"]
    crc = 0
    for piece in pieces:
        crc = crc_combine(crc, zlib.crc32(piece), crc_shift(len(piece)))
    assert crc == zlib.crc32(b"".join(pieces))
