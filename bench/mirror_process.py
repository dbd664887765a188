"""The mirror site in a process of its own, so that its CPU time is not charged to the crawler measured."""

from __future__ import annotations

import subprocess
from pathlib import Path
from types import TracebackType

from bench.processes import (
    CommandFailed,
    child_environment,
    free_port,
    process_cpu_seconds,
    python_command,
    wait_for_port,
)

HOST = "127.0.0.1"


class MirrorProcess:
    """``python -m mirror`` serving ``articles`` articles on a free loopback port while in a ``with`` block."""

    def __init__(self, articles: int, log_path: Path, seed: int = 1) -> None:
        self.articles = articles
        self.seed = seed
        self.log_path = log_path
        self.port = free_port(HOST)
        self._process: subprocess.Popen | None = None
        self._log = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int:
        if self._process is None:
            raise RuntimeError("the mirror is not running")
        return self._process.pid

    def cpu_seconds(self) -> float:
        """CPU time the mirror has used so far."""
        return process_cpu_seconds(self.pid)

    def start(self) -> MirrorProcess:
        command = python_command("-m", "mirror", "--host", HOST, "--port", str(self.port),
                                 "--articles", str(self.articles), "--seed", str(self.seed))
        self._log = open(self.log_path, "wb")
        self._process = subprocess.Popen(command, env=child_environment(), stdout=self._log,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            wait_for_port(HOST, self.port, self._process)
        except CommandFailed as error:
            self.stop()
            tail = self.log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
            raise CommandFailed(f"the mirror did not start: {error}; end of {self.log_path}:\n{tail}") from None
        return self

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> MirrorProcess:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
