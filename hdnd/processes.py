"""Whether a process the scheduler started is still running, from its id, host and start time."""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta, timezone

# Clock ticks and timer granularity blur a start time by a little; a reused process id starts much later.
_START_TOLERANCE = timedelta(seconds=60)


def this_host() -> str:
    return socket.gethostname()


def process_alive(pid: int, host: str | None, started: datetime | None) -> bool:
    """True unless the process is known to be gone.

    A process on another host cannot be checked and counts as alive. On Linux, a live process that
    started well after ``started`` is another one that reuses the id (after a reboot, say).
    """
    if host is not None and host != this_host():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by another user
        pass
    began = process_start_time(pid)
    return began is None or started is None or began <= started + _START_TOLERANCE


def process_start_time(pid: int) -> datetime | None:
    """When process ``pid`` started (Linux ``/proc``); None where that cannot be read."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            stat = handle.read()
        with open("/proc/stat", encoding="ascii") as handle:
            boot = next(int(line.split()[1]) for line in handle if line.startswith("btime "))
    except (OSError, StopIteration, ValueError, IndexError):
        return None
    # The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    fields = stat.rpartition(")")[2].split()
    try:
        ticks = int(fields[19])  # field 22 of the whole line
    except (IndexError, ValueError):
        return None
    return datetime.fromtimestamp(boot + ticks / os.sysconf("SC_CLK_TCK"), timezone.utc)
