"""The one error type of the SDK."""

from __future__ import annotations

import http
from typing import Any, Dict, Optional, Tuple


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


class ProvenanceError(Exception):
    """Every failure of an SDK call.

    ``status``: the HTTP status of an API error; None for a network failure, a timeout or
    missing configuration. ``body``: the API's JSON error object (a dict such as
    ``{"error": "Validation failed", "details": [...]}``), or None when there was no JSON
    answer. ``method``: the SDK method that failed, e.g. ``"inbound_sources.get"``.
    ``request_id``: the server's ``x-request-id`` of the answer, when it sent one.

    The message names the method, the status and the error, e.g.
    ``inbound_sources.get failed: 404 Not found``; it never contains the token.
    """

    status: Optional[int]
    body: Optional[Dict[str, Any]]
    method: str
    request_id: Optional[str]

    def __init__(self, method: str, status: Optional[int], body: Optional[Dict[str, Any]] = None,
                 reason: Optional[str] = None, request_id: Optional[str] = None):
        if reason is None:
            error = body.get("error") if isinstance(body, dict) else None
            reason = error if isinstance(error, str) and error else (_phrase(status) if status else "error")
        message = f"{method} failed: {reason}" if status is None else f"{method} failed: {status} {reason}"
        super().__init__(message)
        self.method = method
        self.status = status
        self.body = body
        self.request_id = request_id
        self._reason = reason

    def __reduce__(self) -> Tuple[Any, ...]:  # picklable despite the custom constructor
        return (type(self), (self.method, self.status, self.body, self._reason, self.request_id))

    def __repr__(self) -> str:
        extra = f", request_id={self.request_id!r}" if self.request_id else ""
        return f"ProvenanceError({str(self)!r}, status={self.status!r}{extra})"
