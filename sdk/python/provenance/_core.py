"""What both clients share: configuration, building a request from the operation table,
reading an answer, and the retry policy. The transports (``_async.py``, ``_sync.py``)
only move bytes."""

from __future__ import annotations

import email.utils
import json
import logging
import os
import random
import time
import urllib.parse
import uuid
from typing import Any, Dict, Mapping, NamedTuple, Optional, cast

from ._errors import ProvenanceError
from ._operations import OPERATIONS

SDK_VERSION = "1.0.0"
USER_AGENT = f"provenance-sdk-python/{SDK_VERSION}"
DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 2
IDEMPOTENT = frozenset({"GET", "DELETE"})
RETRY_STATUSES = frozenset({502, 503, 504})
MAX_RETRY_AFTER = 10.0  # seconds: a longer Retry-After is shortened to this
BACKOFF_BASE = 0.25  # seconds before the first retry (doubling, with jitter)

log = logging.getLogger("provenance")

Json = Dict[str, Any]


def _header_safe(value: str) -> bool:
    return value.isascii() and value.isprintable() and value.strip() == value and " " not in value


class Config:
    """Resolved settings: explicit arguments first, else PROVENANCE_URL, PROVENANCE_TOKEN,
    PROVENANCE_ORG. The token is kept out of ``repr()``."""

    __slots__ = ("url", "_token", "org", "timeout", "retries", "scheme", "host", "port", "host_header", "prefix")

    def __init__(self, url: Optional[str] = None, token: Optional[str] = None, org: Optional[str] = None,
                 timeout: Optional[float] = None, retries: Optional[int] = None):
        def fail(reason: str) -> ProvenanceError:
            return ProvenanceError("provenance.api", None, None, reason)

        url = url or os.environ.get("PROVENANCE_URL") or None
        token = token or os.environ.get("PROVENANCE_TOKEN") or None
        org = org or os.environ.get("PROVENANCE_ORG") or None
        seconds: Any = DEFAULT_TIMEOUT if timeout is None else timeout  # checked below: callers may pass anything
        attempts: Any = DEFAULT_RETRIES if retries is None else retries
        if not url:
            raise fail("no URL: pass url= or set PROVENANCE_URL (the app's base URL, e.g. http://localhost:3000)")
        if not token:
            raise fail("no token: pass token= or set PROVENANCE_TOKEN (an API token, prv_...)")
        if not _header_safe(token):
            raise fail("the token has spaces or characters a header cannot carry")
        if org is not None and not _header_safe(org):
            raise fail("the org has spaces or characters a header cannot carry")
        try:
            parts = urllib.parse.urlsplit(url.strip())
            port = parts.port
        except ValueError:
            raise fail("the URL is not a valid URL") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise fail("the URL must be an http:// or https:// URL")
        if parts.username or parts.password:
            raise fail("the URL must not carry credentials; pass the token as token=")
        if parts.query or parts.fragment:
            raise fail("the URL must be the app's base URL, without a query or fragment")
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not seconds > 0:
            raise fail("timeout must be a positive number of seconds")
        if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 0:
            raise fail("retries must be a whole number >= 0")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = port or (443 if parts.scheme == "https" else 80)
        self.host_header = parts.netloc
        self.prefix = urllib.parse.quote(parts.path.rstrip("/"), safe="/%")
        self.url = f"{parts.scheme}://{parts.netloc}{self.prefix}"
        self._token = token
        self.org = org
        self.timeout = float(seconds)
        self.retries: int = attempts

    def __repr__(self) -> str:
        return f"url={self.url!r}, org={self.org!r}, timeout={self.timeout!r}, retries={self.retries!r}"


class Request:
    """One prepared call. ``headers`` carry the token, so they stay out of ``repr()``."""

    __slots__ = ("label", "verb", "target", "headers", "body")

    def __init__(self, label: str, verb: str, target: str, headers: Dict[str, str], body: Optional[bytes]):
        self.label = label
        self.verb = verb
        self.target = target
        self.headers = headers
        self.body = body

    @property
    def idempotent(self) -> bool:
        return self.verb in IDEMPOTENT

    def __repr__(self) -> str:
        return f"Request({self.label}: {self.verb} {self.target})"


class Response(NamedTuple):
    status: int
    headers: Dict[str, str]  # names in lower case
    body: bytes


class TransportError(Exception):
    """A request that got no answer: ``timeout`` tells a timeout from a network failure."""

    def __init__(self, message: str, timeout: bool = False):
        super().__init__(message)
        self.timeout = timeout


def _path_value(label: str, name: str, value: Any) -> str:
    if isinstance(value, uuid.UUID):
        value = str(value)
    if not isinstance(value, str) or not value:
        raise ProvenanceError(label, None, None, f"{name} must be a non-empty string")
    return urllib.parse.quote(value, safe="")


def _query_value(value: Any) -> str:
    if value is True or value is False:
        return "true" if value else "false"
    return str(value)


def prepare(config: Config, label: str, operation: str, params: Optional[Mapping[str, Any]] = None,
            query: Optional[Mapping[str, Any]] = None, body: Any = None) -> Request:
    """Builds the request of ``operation`` (an operationId of ``OPERATIONS``)."""
    verb, template = OPERATIONS[operation]
    path = template
    for name, value in (params or {}).items():
        path = path.replace("{" + name + "}", _path_value(label, name, value))
    if "{" in path:
        raise ProvenanceError(label, None, None, f"missing a path parameter of {template}")
    pairs = [(k, _query_value(v)) for k, v in (query or {}).items() if v is not None]
    target = config.prefix + path + ("?" + urllib.parse.urlencode(pairs, quote_via=urllib.parse.quote) if pairs else "")
    data: Optional[bytes] = None
    if body is not None:
        try:
            data = json.dumps(body, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")
        except (TypeError, ValueError) as error:
            raise ProvenanceError(label, None, None, f"the body is not JSON: {error}") from None
    headers = {
        "accept": "application/json",
        "authorization": f"Bearer {config._token}",
        "user-agent": USER_AGENT,
    }
    if config.org:
        headers["x-provenance-org"] = config.org
    if data is not None:
        headers["content-type"] = "application/json"
    return Request(label, verb, target, headers, data)


def decode(request: Request, response: Response) -> Any:
    """The answer's JSON; a ProvenanceError for any status outside 2xx."""
    status, text = response.status, response.body
    parsed: Any = None
    is_json = False
    if text.strip():
        try:
            parsed = json.loads(text.decode("utf-8"))
            is_json = True
        except ValueError:
            pass
    request_id = response.headers.get("x-request-id")
    if 200 <= status < 300:
        if not text.strip():
            return None
        if not is_json:
            raise ProvenanceError(request.label, status, None, "the answer is not JSON", request_id)
        return parsed
    body = cast(Dict[str, Any], parsed) if is_json and isinstance(parsed, dict) else None
    raise ProvenanceError(request.label, status, body, request_id=request_id)


def network_error(request: Request, error: TransportError) -> ProvenanceError:
    return ProvenanceError(request.label, None, None, str(error))


def retry_after_seconds(value: Optional[str]) -> Optional[float]:
    """Retry-After as seconds (a number of seconds or an HTTP date), capped; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        seconds = when.timestamp() - time.time()
    if seconds != seconds:  # NaN
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def backoff(attempt: int, retry_after: Optional[str] = None) -> float:
    """Seconds to wait before retry number ``attempt + 1``: the server's Retry-After when it
    sent one (at most MAX_RETRY_AFTER), else exponential with jitter: up to 0.25 s, 0.5 s,
    1 s, ... (at least half of that)."""
    told = retry_after_seconds(retry_after)
    if told is not None:
        return told
    base = BACKOFF_BASE * (2 ** attempt)
    return base / 2 + random.random() * base / 2


class RetryPolicy:
    """Decides, after each attempt of one request, whether to try again and after how long.

    Only GET and DELETE are retried: after a network failure (not a timeout) or a 502, 503
    or 504 answer, at most ``retries`` times.
    """

    def __init__(self, request: Request, retries: int):
        self.request = request
        self.retries = retries if request.idempotent else 0
        self.attempt = 0

    def _next(self, why: str, retry_after: Optional[str] = None) -> Optional[float]:
        if self.attempt >= self.retries:
            return None
        delay = backoff(self.attempt, retry_after)
        self.attempt += 1
        log.debug("%s: %s %s %s; retry %d of %d in %.2f s", self.request.label, self.request.verb,
                  self.request.target, why, self.attempt, self.retries, delay)
        return delay

    def after_error(self, error: TransportError) -> Optional[float]:
        return None if error.timeout else self._next(f"failed ({error})")

    def after_response(self, response: Response) -> Optional[float]:
        if response.status not in RETRY_STATUSES:
            return None
        return self._next(f"answered {response.status}", response.headers.get("retry-after"))
