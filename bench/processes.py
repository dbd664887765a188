"""Run a command as a measured child process (wall time, CPU time, peak RSS) and other process chores."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
GNU_TIME = shutil.which("time", path="/usr/bin:/bin")  # the program, not the shell keyword
RSS_SOURCE = ("GNU time %M (the command's own peak)" if GNU_TIME
              else "wait4 ru_maxrss (an upper bound: it includes the launching process's peak)")
# Variables that would make a Scrapy process load a project's settings instead of its own.
SCRAPY_PROJECT_VARIABLES = ("SCRAPY_SETTINGS_MODULE", "SCRAPY_PROJECT")


class CommandFailed(RuntimeError):
    """A measured command exited non-zero; the message names it and ends with its log."""


@dataclass(frozen=True)
class Usage:
    """What one finished child process cost."""

    wall_seconds: float
    cpu_seconds: float  # user + system, including any children it waited for
    peak_rss_bytes: int
    exit_code: int


def child_environment() -> dict[str, str]:
    """This environment with the repository importable, so ``python -m hdnd`` works from any folder."""
    env = {key: value for key, value in os.environ.items() if key not in SCRAPY_PROJECT_VARIABLES}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPOSITORY), env.get("PYTHONPATH")]))
    return env


def python_command(*arguments: str) -> list[str]:
    """A command line running this interpreter (the one with the project's dependencies)."""
    return [sys.executable, *arguments]


def run_measured(command: Sequence[str], *, cwd: Path, log_path: Path) -> Usage:
    """Run ``command`` to completion, its output to ``log_path``, and return its own resource usage.

    ``os.wait4`` gives the CPU time of exactly this child, so runs do not blur into each other the way
    ``RUSAGE_CHILDREN`` (summed over every child ever waited for) would. Its peak RSS is not the
    child's own: Linux carries the peak of the process that started it across ``exec``, and this
    process is big. GNU time forks the command from a process of a megabyte or so, so its ``%M``
    is the command's own peak; without GNU time the figure is an upper bound (see RSS_SOURCE).
    """
    rss_file = log_path.with_suffix(".maxrss")
    launcher = [GNU_TIME, "--format=%M", f"--output={rss_file}"] if GNU_TIME else []
    with open(log_path, "wb") as log:
        started = time.monotonic()
        process = subprocess.Popen([*launcher, *command], cwd=cwd, env=child_environment(), stdout=log,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    peak_kilobytes = usage.ru_maxrss
    if GNU_TIME:
        peak_kilobytes = int(rss_file.read_text().split()[-1])
        rss_file.unlink()
    return Usage(
        wall_seconds=wall,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        peak_rss_bytes=peak_kilobytes * 1024,  # both report kilobytes
        exit_code=process.returncode,
    )


def check_ran(name: str, usage: Usage, log_path: Path, ok_exit_codes: Sequence[int] = (0,)) -> None:
    """Raise CommandFailed, with the end of its log, when a measured command failed."""
    if usage.exit_code not in ok_exit_codes:
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise CommandFailed(f"{name} exited with status {usage.exit_code}; end of {log_path}:\n{tail}")


def command_works(command: Sequence[str]) -> bool:
    """Whether a command (e.g. ``hdnd reindex --help``) exists and exits 0."""
    try:
        return subprocess.run(list(command), env=child_environment(), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, timeout=120).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def wait_for_port(host: str, port: int, process: subprocess.Popen, timeout: float = 60.0) -> None:
    """Return once something listens on ``host:port``; raise if ``process`` dies or time runs out first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CommandFailed(f"{process.args} exited with status {process.returncode} before listening")
        try:
            with socket.create_connection((host, port), timeout=1.0):
                return
        except OSError:
            time.sleep(0.1)
    raise CommandFailed(f"nothing listens on {host}:{port} after {timeout:.0f} s of {process.args}")


def process_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a running process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # After the ')' that ends the command name, utime and stime are the 12th and 13th fields.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def directory_size(path: Path) -> int:
    """Total bytes of the files under ``path``."""
    return sum(entry.stat().st_size for entry in path.rglob("*") if entry.is_file())
