"""The HTTP core: configuration, one request function every method goes through (auth
header, JSON, timeout, retries of idempotent calls, errors), standard library only."""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import threading
import time
import urllib.parse
from typing import Any, Dict, Mapping, Optional, Tuple

from ._operations import OPERATIONS

SDK_VERSION = "1.0.0"
IDEMPOTENT = frozenset({"GET", "DELETE"})
RETRY_STATUSES = frozenset({502, 503, 504})
MAX_RETRY_AFTER = 10.0


class ProvenanceError(Exception):
    """Every failure of an SDK call.

    ``status`` is the HTTP status of an API error, or None for a network failure, a
    timeout or missing configuration; ``body`` is the API's JSON error object (a dict such
    as ``{"error": "Conflict", "details": [...]}``) or None. The message names the method,
    the status and the error; never the token.
    """

    def __init__(self, method: str, status: Optional[int], body: Optional[Dict[str, Any]], reason: Optional[str] = None):
        what = reason
        if what is None:
            what = body.get("error") if isinstance(body, dict) and isinstance(body.get("error"), str) else "error"
        super().__init__(f"{method} failed: {'' if status is None else f'{status} '}{what}")
        self.method = method
        self.status = status
        self.body = body

    def __repr__(self) -> str:
        return f"ProvenanceError({str(self)!r}, status={self.status!r})"


class Config:
    """Resolved settings. The token is kept out of repr()."""

    __slots__ = ("url", "_token", "org", "timeout", "retries")

    def __init__(self, url: Optional[str] = None, token: Optional[str] = None, org: Optional[str] = None,
                 timeout: float = 30.0, retries: int = 2):
        url = url or os.environ.get("PROVENANCE_URL") or None
        token = token or os.environ.get("PROVENANCE_TOKEN") or None
        org = org or os.environ.get("PROVENANCE_ORG") or None
        if not url:
            raise ProvenanceError("provenance.api", None, None, "no URL: pass url= or set PROVENANCE_URL (e.g. http://localhost:3000)")
        if not token:
            raise ProvenanceError("provenance.api", None, None, "no token: pass token= or set PROVENANCE_TOKEN (an API token, prv_...)")
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ProvenanceError("provenance.api", None, None, "the URL must be an http or https URL")
        if not timeout or timeout <= 0:
            raise ProvenanceError("provenance.api", None, None, "timeout must be positive")
        if not isinstance(retries, int) or retries < 0:
            raise ProvenanceError("provenance.api", None, None, "retries must be a whole number >= 0")
        self.url = url.rstrip("/")
        self._token = token
        self.org = org
        self.timeout = float(timeout)
        self.retries = retries

    def __repr__(self) -> str:
        return f"Config(url={self.url!r}, org={self.org!r}, timeout={self.timeout!r}, retries={self.retries!r})"


def _fill_path(template: str, params: Mapping[str, str], method: str) -> str:
    path = template
    for name in [seg[1:-1] for seg in template.split("/") if seg.startswith("{")]:
        value = params.get(name)
        if not isinstance(value, str) or value == "":
            raise ProvenanceError(method, None, None, f"missing {name}")
        path = path.replace("{" + name + "}", urllib.parse.quote(value, safe=""))
    return path


def _query(query: Optional[Mapping[str, Any]]) -> str:
    if not query:
        return ""
    pairs = []
    for k, v in query.items():
        if v is None:
            continue
        pairs.append((k, "true" if v is True else "false" if v is False else str(v)))
    return "?" + urllib.parse.urlencode(pairs) if pairs else ""


def _backoff(attempt: int, retry_after: Optional[str]) -> float:
    if retry_after is not None and retry_after.strip().isdigit():
        return min(float(retry_after.strip()), MAX_RETRY_AFTER)
    base = 0.25 * (2 ** attempt)
    return base / 2 + random.random() * base / 2


class Transport:
    """Sends the requests of one client over keep-alive connections (one per thread)."""

    def __init__(self, config: Config):
        self.config = config
        self._local = threading.local()
        self._connections: list = []
        self._lock = threading.Lock()
        self._closed = False

    def __repr__(self) -> str:
        return f"Transport({self.config!r})"

    def _connection(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            parts = urllib.parse.urlsplit(self.config.url)
            cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
            conn = cls(parts.hostname, parts.port, timeout=self.config.timeout)
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def _drop_connection(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for conn in self._connections:
                conn.close()
            self._connections.clear()

    def call(self, method: str, operation: str, params: Optional[Mapping[str, str]] = None,
             query: Optional[Mapping[str, Any]] = None, body: Any = None) -> Any:
        if self._closed:
            raise ProvenanceError(method, None, None, "the client is closed")
        verb, template = OPERATIONS[operation]
        prefix = urllib.parse.urlsplit(self.config.url).path.rstrip("/")
        target = prefix + _fill_path(template, params or {}, method) + _query(query)
        headers = {
            "accept": "application/json",
            "authorization": f"Bearer {self.config._token}",
            "user-agent": f"provenance-sdk-python/{SDK_VERSION}",
        }
        if self.config.org:
            headers["x-provenance-org"] = self.config.org
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["content-type"] = "application/json"
        retries = self.config.retries if verb in IDEMPOTENT else 0

        attempt = 0
        while True:
            try:
                status, text, retry_after = self._send(verb, target, data, headers)
            except socket.timeout:
                self._drop_connection()
                raise ProvenanceError(method, None, None, f"timed out after {self.config.timeout:g} s") from None
            except (OSError, http.client.HTTPException) as error:
                self._drop_connection()
                if attempt < retries:
                    time.sleep(_backoff(attempt, None))
                    attempt += 1
                    continue
                raise ProvenanceError(method, None, None, f"network error: {type(error).__name__}: {error}") from None
            if status in RETRY_STATUSES and attempt < retries:
                time.sleep(_backoff(attempt, retry_after))
                attempt += 1
                continue
            return self._result(method, status, text)

    def _send(self, verb: str, target: str, data: Optional[bytes], headers: Dict[str, str]) -> Tuple[int, str, Optional[str]]:
        conn = self._connection()
        try:
            conn.request(verb, target, body=data, headers=headers)
            res = conn.getresponse()
            raw = res.read()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # A keep-alive connection the server closed meanwhile: once more on a new one.
            self._drop_connection()
            conn = self._connection()
            conn.request(verb, target, body=data, headers=headers)
            res = conn.getresponse()
            raw = res.read()
        return res.status, raw.decode("utf-8", errors="replace"), res.getheader("retry-after")

    @staticmethod
    def _result(method: str, status: int, text: str) -> Any:
        parsed: Any = None
        is_json = False
        if text:
            try:
                parsed = json.loads(text)
                is_json = True
            except ValueError:
                pass
        if 200 <= status < 300:
            if status == 204 or not text:
                return None
            if not is_json:
                raise ProvenanceError(method, status, None, "the answer is not JSON")
            return parsed
        body = parsed if is_json and isinstance(parsed, dict) else None
        raise ProvenanceError(method, status, body, None if body is not None else f"HTTP {status}")
