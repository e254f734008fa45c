"""HTTP for the synchronous client: ``http.client`` keep-alive connections in a small
thread-safe pool; the timeout bounds the connect and each read of an attempt."""

from __future__ import annotations

import http.client
import select
import socket
import threading
import time
from typing import Dict, List, Optional, Set, Tuple

from ._async import MAX_IDLE_CONNECTIONS, MAX_IDLE_SECONDS, _keep_alive_timeout
from ._core import Config, Request, Response, TransportError

_DROPPED = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


class _Connection:
    __slots__ = ("http", "idle_since", "max_idle")

    def __init__(self, conn: http.client.HTTPConnection):
        self.http = conn
        self.idle_since = 0.0
        self.max_idle = MAX_IDLE_SECONDS

    def usable(self) -> bool:
        sock = self.http.sock
        if sock is None or time.monotonic() - self.idle_since >= self.max_idle:
            return False
        try:  # readable while idle means the server closed it (or sent garbage)
            return not select.select([sock], [], [], 0)[0]
        except (OSError, ValueError):
            return False


class SyncTransport:
    def __init__(self, config: Config):
        self.config = config
        self._idle: List[_Connection] = []
        self._busy: Set[_Connection] = set()
        self._lock = threading.Lock()
        self.closed = False

    def send(self, request: Request) -> Response:
        """One attempt: the answer, or TransportError (timeout or network failure)."""
        conn = self._take()
        if conn is not None:
            try:
                return self._exchange(conn, request)
            except _DROPPED:
                if not request.idempotent:  # it may have been received: never sent twice
                    raise TransportError("network error: the server closed the connection") from None
        try:
            return self._exchange(self._open(), request)
        except _DROPPED as error:
            raise TransportError(f"network error: {type(error).__name__}: {error}") from None

    def _take(self) -> Optional[_Connection]:
        with self._lock:
            while self._idle:
                conn = self._idle.pop()
                if conn.usable():
                    return conn
                conn.http.close()
        return None

    def _open(self) -> _Connection:
        cfg = self.config
        cls = http.client.HTTPSConnection if cfg.scheme == "https" else http.client.HTTPConnection
        return _Connection(cls(cfg.host, cfg.port, timeout=cfg.timeout))

    def _exchange(self, conn: _Connection, request: Request) -> Response:
        with self._lock:
            self._busy.add(conn)
        keep = False
        try:
            headers = dict(request.headers)
            headers["host"] = self.config.host_header
            conn.http.request(request.verb, request.target, body=request.body, headers=headers)
            res = conn.http.getresponse()
            body = res.read()
            keep = not res.will_close
            timeout = _keep_alive_timeout(res.getheader("keep-alive"))
            if timeout is not None:
                conn.max_idle = min(MAX_IDLE_SECONDS, max(timeout - 1.0, 0.5))
            return Response(res.status, {k.lower(): v for k, v in _merged(res.getheaders())}, body)
        except socket.timeout:
            raise TransportError(f"timed out after {self.config.timeout:g} s", timeout=True) from None
        except _DROPPED:
            raise
        except (OSError, http.client.HTTPException) as error:
            raise TransportError(f"network error: {type(error).__name__}: {error}") from None
        finally:
            with self._lock:
                self._busy.discard(conn)
                if keep and not self.closed and len(self._idle) < MAX_IDLE_CONNECTIONS:
                    conn.idle_since = time.monotonic()
                    self._idle.append(conn)
                    keep = True
                else:
                    keep = False
            if not keep:
                conn.http.close()

    def close(self) -> None:
        """Closes every connection; calls after this fail."""
        with self._lock:
            self.closed = True
            conns = self._idle + list(self._busy)
            self._idle.clear()
        for conn in conns:
            conn.http.close()


def _merged(pairs: List[Tuple[str, str]]) -> List[Tuple[str, str]]:
    seen: Dict[str, str] = {}
    for name, value in pairs:
        key = name.lower()
        seen[key] = f"{seen[key]}, {value}" if key in seen else value
    return list(seen.items())
