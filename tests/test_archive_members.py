"""Walking gzip members: complete ones listed, partial or corrupt ones stop the scan with a reason."""

from __future__ import annotations

import gzip
from io import BytesIO

from archive.members import GzipMember, scan_members

FIRST = gzip.compress(b"first record")
HUGE = gzip.compress(bytes(30_000_000))  # expands far past the scanner's output limit


def test_complete_members_are_listed_with_offsets_and_lengths() -> None:
    scan = scan_members(BytesIO(FIRST + HUGE + FIRST))
    assert scan.members == [
        GzipMember(0, len(FIRST)),
        GzipMember(len(FIRST), len(HUGE)),
        GzipMember(len(FIRST) + len(HUGE), len(FIRST)),
    ]
    assert scan.error is None
    assert scan.valid_end == scan.size


def test_a_partial_member_stops_the_scan() -> None:
    for cut in (1, 10, len(HUGE) // 2, len(HUGE) - 1):
        scan = scan_members(BytesIO(FIRST + HUGE[:cut]))
        assert scan.members == [GzipMember(0, len(FIRST))]
        assert "file ends inside the gzip member at offset" in scan.error
        assert scan.valid_end == len(FIRST)


def test_a_corrupt_member_stops_the_scan() -> None:
    damaged = bytearray(FIRST)
    damaged[-6] ^= 0xFF  # inside the CRC
    scan = scan_members(BytesIO(FIRST + bytes(damaged) + FIRST))
    assert scan.members == [GzipMember(0, len(FIRST))]
    assert "bad gzip member" in scan.error
