"""Repair of '.open' files left by a killed crawl."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from archive.members import scan_members
from archive.reader import iter_records
from archive.repair import RepairError, repair_open_files
from archive.writer import WarcWriter
from archive_samples import exchange, gzip_members, warcio_check


def killed_copy(tmp_path: Path, cut_into_last: int | None) -> tuple[Path, list, Path]:
    """Copy a file while its writer is still running (as a kill leaves it), cut inside the last record."""
    source = tmp_path / "live"
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    writer = WarcWriter(source)
    pairs = [writer.write_exchange(exchange(f"http://hdnd.example.vn/p{n}", body=os.urandom(2_000))) for n in range(3)]
    open_path = writer.current_file
    copy = crawl / open_path.name
    shutil.copyfile(open_path, copy)
    writer.close()
    if cut_into_last is not None:
        with open(copy, "r+b") as handle:
            handle.truncate(pairs[-1][0].offset + cut_into_last)
    return copy, pairs, crawl


def test_a_partial_last_record_is_cut_and_the_file_closed(tmp_path: Path) -> None:
    open_path, pairs, crawl = killed_copy(tmp_path, cut_into_last=100)
    last_request = pairs[-1][0]
    [report] = repair_open_files(crawl)

    assert report.name == open_path.name.removesuffix(".open")
    assert report.bytes_removed == 100
    assert report.records_kept == 1 + 3 * 2 - 1
    assert report.closed_path == crawl / report.name
    assert not open_path.exists()
    assert report.closed_path.stat().st_size == last_request.offset
    assert report.closed.index_path.exists()
    assert len(gzip_members(report.closed_path)) == report.records_kept
    assert warcio_check(report.closed_path).returncode == 0
    kept = [stored.location for stored in iter_records(report.closed_path)]
    assert [location.record_id for location in kept[1:]] == [
        location.record_id for pair in pairs for location in reversed(pair)
    ][:-1]


def test_a_file_cut_on_a_record_boundary_loses_nothing(tmp_path: Path) -> None:
    open_path, pairs, crawl = killed_copy(tmp_path, cut_into_last=None)
    [report] = repair_open_files(crawl)
    assert report.bytes_removed == 0
    assert report.records_kept == 7
    assert warcio_check(report.closed_path).returncode == 0


def test_a_file_with_no_complete_record_is_removed(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    partial = crawl / "hdnd-20260101000000000000-00000.warc.gz.open"
    partial.write_bytes(b"\x1f\x8b\x08\x00\x00\x00")
    [report] = repair_open_files(crawl)
    assert (report.bytes_removed, report.records_kept, report.closed) == (6, 0, None)
    assert list(crawl.iterdir()) == []


def test_a_file_being_written_is_left_alone(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as writer:
        writer.write_exchange(exchange())
        assert repair_open_files(tmp_path) == []
        assert writer.current_file.exists()
    assert warcio_check(writer.closed_files[0].path).returncode == 0


def test_damage_in_the_middle_is_refused_not_cut(tmp_path: Path) -> None:
    open_path, pairs, crawl = killed_copy(tmp_path, cut_into_last=None)
    damaged_at = pairs[0][1].offset + 30
    data = bytearray(open_path.read_bytes())
    data[damaged_at : damaged_at + 20] = bytes(20)
    open_path.write_bytes(bytes(data))
    with pytest.raises(RepairError, match="left untouched"):
        repair_open_files(crawl)
    assert open_path.read_bytes() == bytes(data)


def test_a_writer_killed_with_sigkill_leaves_a_repairable_file(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path[:0] = [{str(Path(__file__).parent)!r}, {str(Path(__file__).parent.parent)!r}]
        from archive.writer import WarcWriter
        from archive_samples import exchange
        writer = WarcWriter({str(tmp_path)!r})
        n = 0
        while True:
            writer.write_exchange(exchange(f"http://hdnd.example.vn/p{{n}}", body=os.urandom(50_000)))
            n += 1
        """
    )
    process = subprocess.Popen([sys.executable, "-c", script])
    try:
        while not any(path.stat().st_size > 2_000_000 for path in tmp_path.glob("*.open")):
            assert process.poll() is None, "the writer process died on its own"
            time.sleep(0.01)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    [report] = repair_open_files(tmp_path)
    assert report.records_kept > 40
    with open(report.closed_path, "rb") as handle:
        assert scan_members(handle).error is None
    assert len(list(iter_records(report.closed_path))) == report.records_kept
    assert warcio_check(report.closed_path).returncode == 0
