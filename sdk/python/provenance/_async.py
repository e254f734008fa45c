"""HTTP/1.1 over asyncio streams for the async client: keep-alive connections in a small
pool, the timeout bounding each whole attempt (connect, send, read), and every connection
closed by ``aclose()``."""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from typing import Dict, List, Optional, Set, Tuple

from ._core import Config, Request, Response, TransportError

MAX_IDLE_CONNECTIONS = 8
MAX_IDLE_SECONDS = 4.0  # reuse a kept-alive connection only this long (Node servers close them after 5 s)
MAX_HEADERS = 200
BODY_VERBS = frozenset({"POST", "PUT", "PATCH"})


class _Dropped(Exception):
    """A kept-alive connection the server had closed before answering."""


class _Connection:
    __slots__ = ("reader", "writer", "idle_since", "max_idle")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader = reader
        self.writer = writer
        self.idle_since = 0.0
        self.max_idle = MAX_IDLE_SECONDS

    def usable(self) -> bool:
        return (not self.writer.is_closing() and not self.reader.at_eof()
                and time.monotonic() - self.idle_since < self.max_idle)

    def close(self) -> None:
        try:
            self.writer.close()
        except RuntimeError:  # the loop that opened it is closed: end the connection at least
            sock = self.writer.get_extra_info("socket")
            try:
                if sock is not None:
                    sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class AsyncTransport:
    def __init__(self, config: Config):
        self.config = config
        self._idle: List[_Connection] = []
        self._busy: Set[_Connection] = set()
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._ssl: Optional[ssl.SSLContext] = ssl.create_default_context() if config.scheme == "https" else None
        self.closed = False

    async def send(self, request: Request) -> Response:
        """One attempt: the answer, or TransportError (timeout or network failure)."""
        try:
            return await asyncio.wait_for(self._attempt(request), self.config.timeout)
        except asyncio.TimeoutError:
            raise TransportError(f"timed out after {self.config.timeout:g} s", timeout=True) from None

    async def _attempt(self, request: Request) -> Response:
        conn = self._take()
        if conn is not None:
            try:
                return await self._exchange(conn, request)
            except _Dropped:
                if not request.idempotent:  # it may have been received: never sent twice
                    raise TransportError("network error: the server closed the connection") from None
        try:
            conn = await self._open()
            return await self._exchange(conn, request)
        except _Dropped:
            raise TransportError("network error: the server closed the connection without answering") from None

    def _take(self) -> Optional[_Connection]:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # connections belong to the loop that opened them
            for conn in self._idle:
                conn.close()
            self._idle.clear()
            self._loop = loop
        while self._idle:
            conn = self._idle.pop()
            if conn.usable():
                return conn
            conn.close()
        return None

    async def _open(self) -> _Connection:
        cfg = self.config
        try:
            reader, writer = await asyncio.open_connection(
                cfg.host, cfg.port, ssl=self._ssl, server_hostname=cfg.host if self._ssl else None)
        except (OSError, ssl.SSLError) as error:
            raise TransportError(f"network error: {type(error).__name__}: {error}") from None
        return _Connection(reader, writer)

    async def _exchange(self, conn: _Connection, request: Request) -> Response:
        self._busy.add(conn)
        keep = False
        answered = False
        try:
            try:
                conn.writer.write(self._head(request) + (request.body or b""))
                await conn.writer.drain()
                line = await conn.reader.readline()
            except (ConnectionResetError, BrokenPipeError):
                raise _Dropped() from None
            if not line:
                raise _Dropped()
            answered = True
            response, keep, keep_alive_timeout = await self._read(conn.reader, line, request.verb)
            if keep_alive_timeout is not None:
                conn.max_idle = min(MAX_IDLE_SECONDS, max(keep_alive_timeout - 1.0, 0.5))
            return response
        except _Dropped:
            raise
        except (OSError, ssl.SSLError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as error:
            # ValueError: a malformed answer (or a line over the stream's limit)
            what = "the answer broke off" if answered else f"{type(error).__name__}: {error}"
            raise TransportError(f"network error: {what}") from None
        finally:
            self._busy.discard(conn)
            if keep and not self.closed and len(self._idle) < MAX_IDLE_CONNECTIONS:
                conn.idle_since = time.monotonic()
                self._idle.append(conn)
            else:
                conn.close()

    def _head(self, request: Request) -> bytes:
        lines = [f"{request.verb} {request.target} HTTP/1.1", f"host: {self.config.host_header}"]
        lines += [f"{name}: {value}" for name, value in request.headers.items()]
        if request.body is not None or request.verb in BODY_VERBS:
            lines.append(f"content-length: {len(request.body or b'')}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    @staticmethod
    async def _read(reader: asyncio.StreamReader, line: bytes, verb: str) -> Tuple[Response, bool, Optional[float]]:
        """Reads the rest of an answer whose first line is ``line``: (response, whether the
        connection may be reused, the Keep-Alive timeout the server announced)."""
        while True:
            version, status = _status_line(line)
            headers = await _headers(reader)
            if not 100 <= status < 200:
                break
            line = await reader.readline()  # an interim answer (e.g. 100 Continue): the real one follows
        keep = version == "HTTP/1.1" and "close" not in headers.get("connection", "").lower()
        if verb == "HEAD" or status in (204, 304):
            body = b""
        elif "chunked" in headers.get("transfer-encoding", "").lower():
            body = await _chunked(reader)
        elif "content-length" in headers:
            length = int(headers["content-length"])
            if length < 0:
                raise ValueError("negative content-length")
            body = await reader.readexactly(length)
        else:
            body = await reader.read()
            keep = False
        return Response(status, headers, body), keep, _keep_alive_timeout(headers.get("keep-alive"))

    async def close(self) -> None:
        """Closes every connection; calls after this fail."""
        self.closed = True
        conns = self._idle + list(self._busy)
        self._idle.clear()
        for conn in conns:
            conn.close()
        for conn in conns:
            try:
                await asyncio.wait_for(conn.writer.wait_closed(), 1.0)
            except Exception:  # noqa: BLE001 - closing is best effort
                pass


def _status_line(line: bytes) -> Tuple[str, int]:
    parts = line.decode("latin-1").rstrip("\r\n").split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        raise ValueError(f"not an HTTP status line: {line[:80]!r}")
    return parts[0], int(parts[1])


async def _headers(reader: asyncio.StreamReader) -> Dict[str, str]:
    headers: Dict[str, str] = {}
    for _ in range(MAX_HEADERS):
        line = await reader.readline()
        if not line:
            raise asyncio.IncompleteReadError(b"", None)
        if line in (b"\r\n", b"\n"):
            return headers
        name, sep, value = line.decode("latin-1").partition(":")
        if not sep:
            raise ValueError(f"malformed header line: {line[:80]!r}")
        name, value = name.strip().lower(), value.strip()
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    raise ValueError("too many headers")


async def _chunked(reader: asyncio.StreamReader) -> bytes:
    chunks: List[bytes] = []
    while True:
        size_line = await reader.readline()
        if not size_line:
            raise asyncio.IncompleteReadError(b"", None)
        size = int(size_line.split(b";", 1)[0].strip(), 16)
        if size == 0:
            break
        chunks.append(await reader.readexactly(size))
        await reader.readexactly(2)  # CRLF after each chunk
    while True:  # trailers, then the blank line
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
    return b"".join(chunks)


def _keep_alive_timeout(value: Optional[str]) -> Optional[float]:
    for part in (value or "").split(","):
        name, _, number = part.strip().partition("=")
        if name.strip().lower() == "timeout":
            try:
                return float(number)
            except ValueError:
                return None
    return None
