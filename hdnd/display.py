"""How the command line shows times, sizes and tables to people."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

_UNITS = ("kB", "MB", "GB", "TB")


def local_time(moment: datetime | None, *, seconds: bool = False) -> str:
    """``moment`` in the machine's local time with its UTC offset, or '-'."""
    if moment is None:
        return "-"
    local = moment.astimezone()
    return local.strftime("%Y-%m-%d %H:%M" + (":%S" if seconds else "")) + " " + _offset(local)


def duration(seconds: float) -> str:
    """3 s, 4 min 05 s, 2 h 07 min."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def byte_size(size: int) -> str:
    """1.2 MB: decimal units, as disks and networks count."""
    if size < 1000:
        return f"{size} B"
    exponent = min(len(_UNITS), int(math.log10(size) // 3))
    return f"{size / 1000 ** exponent:.1f} {_UNITS[exponent - 1]}"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], *, right: Sequence[str] = ()) -> str:
    """Columns aligned with two spaces between them; columns named in ``right`` are right-aligned."""
    cells = [list(headers)] + [[str(cell) for cell in row] for row in rows]
    widths = [max(len(row[index]) for row in cells) for index in range(len(headers))]
    lines = []
    for row in cells:
        parts = [
            cell.rjust(width) if header in right else cell.ljust(width)
            for cell, width, header in zip(row, widths, headers)
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def _offset(local: datetime) -> str:
    offset = local.utcoffset()
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"
