"""Replay the archive with pywb, configured from the archive itself: no hand-written config.

A working folder gets a ``config.yaml`` whose one collection reads the WARC folder and its
``indexes/``, and a ``templates/index.html`` that replaces pywb's home page with the list of
archived articles. pywb's ``wayback`` runs in a subprocess (``python -m pywb.apps.cli``, the same
program): importing pywb would monkey-patch this process with gevent.
"""

from __future__ import annotations

import html
import importlib.util
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType

from archive.index import INDEX_DIR
from db.types import VIETNAM

COLLECTION = "hdnd"
CONFIG_NAME = "config.yaml"
_STARTUP_SECONDS = 60.0


class ReplayError(Exception):
    """pywb is missing, or did not start; the message says why."""


@dataclass(frozen=True)
class StartPageEntry:
    """One archived article on the start page, linked to its replay."""

    title: str | None
    published_at: datetime | None
    captured_at: datetime
    url: str  # the URL as archived (the capture's), which replay looks up


def pywb_timestamp(moment: datetime) -> str:
    """The 14-digit UTC timestamp of replay URLs."""
    return moment.astimezone(timezone.utc).strftime("%Y%m%d%H%M%S")


def replay_path(url: str, captured_at: datetime, *, modifier: str = "", collection: str = COLLECTION) -> str:
    """The path replaying ``url`` as captured then: '' gives the framed page, 'id_' the archived bytes
    exactly as served, 'mp_' the rewritten page alone."""
    return f"/{collection}/{pywb_timestamp(captured_at)}{modifier}/{url}"


def write_config(
    directory: str | Path, warc_dir: str | Path, entries: Iterable[StartPageEntry], *, collection: str = COLLECTION
) -> Path:
    """Write pywb's config.yaml and start page into ``directory``; return the config file."""
    directory = Path(directory)
    warc_dir = Path(warc_dir).resolve()
    templates = directory / "templates"
    templates.mkdir(parents=True, exist_ok=True)
    config = directory / CONFIG_NAME
    # JSON strings are valid YAML scalars, whatever characters the paths hold.
    config.write_text(
        "# Written by hdnd replay; regenerated on every start.\n"
        "collections:\n"
        f"  {collection}:\n"
        f"    archive_paths: {json.dumps(str(warc_dir) + os.sep)}\n"
        f"    index_paths: {json.dumps(str(warc_dir / INDEX_DIR) + os.sep)}\n"
        "framed_replay: true\n"
        "enable_memento: true\n",
        encoding="utf-8",
    )
    (templates / "index.html").write_text(start_page(entries, collection=collection), encoding="utf-8")
    return config


def start_page(entries: Iterable[StartPageEntry], *, collection: str = COLLECTION) -> str:
    """pywb's home page template listing the articles, newest first; all text escaped for HTML and Jinja."""
    rows = []
    ordered = sorted(entries, key=lambda e: (e.published_at or e.captured_at, e.captured_at), reverse=True)
    for entry in ordered:
        link = replay_path(entry.url, entry.captured_at, collection=collection)
        raw = replay_path(entry.url, entry.captured_at, modifier="id_", collection=collection)
        published = entry.published_at.astimezone(VIETNAM).strftime("%Y-%m-%d %H:%M") if entry.published_at else "—"
        captured = entry.captured_at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
        rows.append(
            f'<tr><td><a href="{_text(link)}">{_text(entry.title or entry.url)}</a></td>'
            f"<td>{_text(published)}</td><td>{_text(captured)}</td>"
            f'<td><a href="{_text(raw)}">as served</a></td></tr>'
        )
    return (
        '{% extends "base.html" %}\n{% block title %}Archived articles{% endblock %}\n'
        '{% block body %}\n<div class="container">\n'
        f"<h2>Archived articles ({len(rows)})</h2>\n"
        f'<p>Each title opens the page as it was captured. Search every capture in <a href="/{_text(collection)}/">'
        f"the {_text(collection)} collection</a>.</p>\n"
        '<table class="table table-sm"><thead><tr><th>Title</th><th>Published (Vietnam time)</th>'
        "<th>Captured</th><th>Archived bytes</th></tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table>\n</div>\n{% endblock %}\n"
    )


class ReplayServer:
    """pywb's ``wayback`` serving a WARC folder on ``host:port`` (port 0: any free one) from a generated
    config; a context manager."""

    def __init__(
        self,
        warc_dir: str | Path,
        entries: Iterable[StartPageEntry],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        collection: str = COLLECTION,
        quiet: bool = True,
    ) -> None:
        """``quiet`` keeps pywb's log in its working folder instead of this process's standard error."""
        self.warc_dir = Path(warc_dir)
        if not self.warc_dir.is_dir():
            raise ReplayError(f"no WARC folder at {self.warc_dir}")
        self.host = host
        self.port = port
        self.collection = collection
        self.quiet = quiet
        self._entries = list(entries)
        self._directory: tempfile.TemporaryDirectory[str] | None = None
        self._log_path = Path(os.devnull)
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self) -> ReplayServer:
        """Write the config, start pywb and wait until it answers."""
        _require_pywb()
        self.port = _free_port(self.host, self.port)
        self._directory = tempfile.TemporaryDirectory(prefix="hdnd-replay-")
        config = write_config(self._directory.name, self.warc_dir, self._entries, collection=self.collection)
        self._log_path = Path(self._directory.name) / "pywb.log"
        with open(self._log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "pywb.apps.cli", "-b", self.host, "-p", str(self.port)],
                cwd=self._directory.name,
                env={**os.environ, "PYWB_CONFIG_FILE": str(config)},
                stdout=log if self.quiet else None,
                stderr=log if self.quiet else None,
            )
        self._wait_until_listening()
        return self

    def wait(self) -> int:
        """Serve until pywb exits (or Ctrl-C); returns its exit status."""
        assert self.process is not None, "start() first"
        return self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._directory is not None:
            self._directory.cleanup()
            self._directory = None

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    def _wait_until_listening(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + _STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                output = self._log_path.read_text("utf-8", "replace")[-2000:]
                self.stop()
                raise ReplayError(f"pywb exited with status {self.process.returncode}: {output or '(no output)'}")
            try:
                with socket.create_connection((self.host, self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise ReplayError(f"pywb did not start listening on {self.base_url} within {_STARTUP_SECONDS:.0f} s")


def _require_pywb() -> None:
    # Found, not imported: importing pywb's app would patch this process with gevent.
    if importlib.util.find_spec("pywb") is None:
        raise ReplayError("replay needs pywb: pip install 'hdnd-archive[replay]'")


def _free_port(host: str, port: int = 0) -> int:
    """``port`` if it is free on ``host`` (any free port when 0); else ReplayError."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            raise ReplayError(f"cannot listen on {host}:{port}: {error.strerror}") from None
        return probe.getsockname()[1]


def _text(value: str) -> str:
    """HTML-escaped text that Jinja (which renders the template) cannot mistake for its own syntax."""
    return html.escape(value).replace("{", "&#123;").replace("}", "&#125;")
