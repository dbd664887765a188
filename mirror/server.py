"""A small HTTP/1.1 server for a `Site`: asyncio protocol, keep-alive, pipelining, Content-Length, HEAD.

It runs in the foreground (`serve_forever`) or in a background thread with its own event loop (`start`/`stop`,
or as a context manager), and it keeps the per-server state the site needs: which "500 once" pages already
failed, and a log of every request.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
import time
from collections import deque
from email.utils import formatdate
from typing import Callable

from mirror.http import Response, reason
from mirror.site import SERVER, Site

logger = logging.getLogger(__name__)

MAX_HEAD_BYTES = 64 * 1024
MAX_BODY_BYTES = 1024 * 1024
REQUEST_LOG_SIZE = 1_000_000
_NO_BODY_STATUSES = frozenset({204, 304})


class MirrorServer:
    """Serves `site` on host:port (port 0 picks a free one)."""

    def __init__(self, site: Site, host: str = "127.0.0.1", port: int = 0) -> None:
        self.site = site
        self.host = host
        self.port = port
        # (method, target, status) of every request answered, oldest first; capped so a server left running
        # for days keeps a bounded log.
        self.requests: deque[tuple[str, str, int]] = deque(maxlen=REQUEST_LOG_SIZE)
        self._failed_once: set[str] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._listener: asyncio.AbstractServer | None = None
        self._connections: set[_Connection] = set()
        self._date = (0, "")

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def url(self, path: str) -> str:
        """Absolute URL of a root-relative path, such as the ones `Site.truth` and `special_pages` give."""
        return self.base_url + path

    def set_generation(self, generation: int) -> None:
        """Show the site as it is `generation` days later; requests already being answered finish as they were."""
        self.site.generation = generation

    def start(self) -> MirrorServer:
        """Serve from a background thread; returns once the socket is listening."""
        if self._thread is not None or self._loop is not None:
            raise RuntimeError("the server is already running")
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            try:
                self._listener = loop.run_until_complete(self._listen(loop))
            except BaseException as error:  # handed to the starting thread
                failure.append(error)
                loop.close()
                ready.set()
                return
            self._loop = loop
            ready.set()
            try:
                loop.run_forever()
            finally:
                self._shut_down(loop)

        self._thread = threading.Thread(target=run, name="mirror-server", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            self._thread.join()
            self._thread = None
            raise failure[0]
        return self

    def stop(self) -> None:
        """Close the listening socket and every connection; safe to call twice."""
        loop, thread = self._loop, self._thread
        if loop is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nothing left to stop
            loop.call_soon_threadsafe(loop.stop)
        if thread is not None and thread is not threading.current_thread():
            thread.join()
            self._thread = None

    def serve_forever(self, on_ready: Callable[[MirrorServer], None] | None = None) -> None:
        """Serve in the foreground until Ctrl-C, SIGTERM, or `stop()` called from another thread.

        `on_ready` is called once the socket listens, e.g. to print `base_url` when port 0 was asked for.
        """
        if self._thread is not None or self._loop is not None:
            raise RuntimeError("the server is already running")
        loop = asyncio.new_event_loop()
        try:
            self._listener = loop.run_until_complete(self._listen(loop))
        except BaseException:
            loop.close()
            raise
        self._loop = loop
        if threading.current_thread() is threading.main_thread():
            with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows event loops
                loop.add_signal_handler(signal.SIGTERM, loop.stop)
        if on_ready is not None:
            on_ready(self)
        try:
            loop.run_forever()
        except KeyboardInterrupt:
            pass
        finally:
            self._shut_down(loop)

    def __enter__(self) -> MirrorServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    async def _listen(self, loop: asyncio.AbstractEventLoop) -> asyncio.AbstractServer:
        listener = await loop.create_server(
            lambda: _Connection(self), self.host, self.port, reuse_address=True, backlog=1024
        )
        self.port = listener.sockets[0].getsockname()[1]
        return listener

    def _shut_down(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._listener is not None:
            self._listener.close()
        for connection in list(self._connections):
            connection.abort()
        loop.run_until_complete(asyncio.sleep(0))  # let the transports report their closing
        loop.close()
        self._listener = None
        self._loop = None

    def answer(self, method: str, target: str, headers: dict[str, str]) -> Response:
        """The site's response, with this server's state applied, logged."""
        try:
            response = self.site.respond(method, target, headers)
        except Exception:  # a bug in the site must cost one response, not the server
            logger.exception("site failed on %s %s", method, target)
            response = self.site.server_error()
        if response.fails_first and target not in self._failed_once:
            self._failed_once.add(target)
            response = self.site.server_error()
        self.requests.append((method, target, response.status))
        return response

    def date_header(self) -> str:
        """The current time for the `Date` header, formatted once per second."""
        now = int(time.time())
        if self._date[0] != now:
            self._date = (now, formatdate(now, usegmt=True))
        return self._date[1]


class _BadRequest(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class _Connection(asyncio.Protocol):
    """One client connection: parses requests in order and answers them in order (pipelining included)."""

    def __init__(self, server: MirrorServer) -> None:
        self._server = server
        self._transport: asyncio.Transport | None = None
        self._buffer = bytearray()
        self._busy = False  # waiting for a delayed response
        self._paused = False  # the client reads slower than we write
        self._closing = False
        self._eof = False
        self._timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self._server._connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self._server._connections.discard(self)
        self._closing = True
        if self._timer is not None:
            self._timer.cancel()

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        self._process()

    def eof_received(self) -> bool:
        self._eof = True
        self._process()
        return True  # keep the transport open to finish answering; _process closes it

    def pause_writing(self) -> None:
        self._paused = True

    def resume_writing(self) -> None:
        self._paused = False
        self._process()

    def abort(self) -> None:
        if self._transport is not None:
            self._transport.abort()

    def _process(self) -> None:
        while not (self._busy or self._paused or self._closing):
            try:
                request = self._next_request()
            except _BadRequest as error:
                self._send_error(error.status, str(error))
                return
            if request is None:
                break
            method, target, headers, keep_alive = request
            response = self._server.answer(method, target, headers)
            if response.delay:
                self._busy = True
                loop = asyncio.get_running_loop()
                self._timer = loop.call_later(response.delay, self._send_delayed, method, response, keep_alive)
                return
            self._send(method, response, keep_alive)
        if self._eof and not self._busy and not self._closing and self._transport is not None:
            self._closing = True
            self._transport.close()

    def _send_delayed(self, method: str, response: Response, keep_alive: bool) -> None:
        self._busy = False
        self._timer = None
        if not self._closing:
            self._send(method, response, keep_alive)
            self._process()

    def _next_request(self) -> tuple[str, str, dict[str, str], bool] | None:
        buffer = self._buffer
        while buffer[:2] == b"\r\n":  # stray line breaks between requests are allowed
            del buffer[:2]
        end = buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(buffer) > MAX_HEAD_BYTES:
                raise _BadRequest(431, "request head too large")
            return None
        lines = bytes(buffer[:end]).decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1.") or not parts[1]:
            raise _BadRequest(400, "malformed request line")
        method, target, version = parts
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, colon, value = line.partition(":")
            if not colon or not name or name != name.strip():
                raise _BadRequest(400, "malformed header line")
            name = name.lower()
            value = value.strip()
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        if "transfer-encoding" in headers:
            raise _BadRequest(501, "request bodies with Transfer-Encoding are not supported")
        length_text = headers.get("content-length", "0")
        if not length_text.isdigit() or int(length_text) > MAX_BODY_BYTES:
            raise _BadRequest(400, "bad Content-Length")
        total = end + 4 + int(length_text)
        if len(buffer) < total:
            return None
        del buffer[:total]  # the body, if any, is read and ignored
        tokens = {token.strip().lower() for token in headers.get("connection", "").split(",")}
        keep_alive = "keep-alive" in tokens if version == "HTTP/1.0" else "close" not in tokens
        return method, target, headers, keep_alive

    def _send(self, method: str, response: Response, keep_alive: bool) -> None:
        lines = [f"HTTP/1.1 {response.status} {response.reason}"]
        lines.extend(f"{name}: {value}" for name, value in response.headers)
        lines.append(f"Date: {self._server.date_header()}")
        lines.append("Connection: keep-alive" if keep_alive else "Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        has_body = method != "HEAD" and response.status not in _NO_BODY_STATUSES
        assert self._transport is not None
        self._transport.write(head + response.body if has_body else head)
        if not keep_alive:
            self._closing = True
            self._transport.close()

    def _send_error(self, status: int, message: str) -> None:
        body = f"{status} {reason(status)}: {message}\n".encode()
        headers = [
            ("Server", SERVER), ("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body))),
        ]
        self._server.requests.append(("", "", status))
        self._send("GET", Response(status, reason(status), headers, body), keep_alive=False)
