"""The resources of the management API, written once for both clients.

A resource method names its operation (an operationId of ``OPERATIONS``) and hands the
client the path parameters, query and body. The async client (``API``) answers with a
coroutine, the synchronous one (``Client``) with the value itself, so each resource is
generic in what a call gives (``R``), what a delete gives (``N``) and what ``iterate``
gives (``P``): ``InboundSources[Coroutine[..., Json], Coroutine[..., None], AsyncIterator[Json]]`` on
``API``, ``InboundSources[Json, None, Iterator[Json]]`` on ``Client``.
"""

from __future__ import annotations

from typing import Any, Dict, Generic, Mapping, Optional, Protocol, TypeVar

Json = Dict[str, Any]
R = TypeVar("R")  # a call's result: Json, or a coroutine giving Json
N = TypeVar("N")  # a delete's result: None, or a coroutine giving None
P = TypeVar("P")  # iterate's result: Iterator[Json], or AsyncIterator[Json]


class Caller(Protocol):
    def _request(self, label: str, operation: str, params: Optional[Mapping[str, Any]] = None,
                 query: Optional[Mapping[str, Any]] = None, body: Any = None, discard: bool = False) -> Any: ...

    def _pages(self, label: str, operation: str, query: Mapping[str, Any]) -> Any: ...


def _query(query: Optional[Mapping[str, Any]], **filters: Any) -> Dict[str, Any]:
    """The query of a list: ``query`` (the API's own parameter names) with the keyword
    filters, already renamed to camelCase, over it; None values are left out."""
    merged: Dict[str, Any] = dict(query or {})
    merged.update((k, v) for k, v in filters.items() if v is not None)
    return {k: v for k, v in merged.items() if v is not None}


class _Resource(Generic[R, N, P]):
    _name = ""

    def __init__(self, client: Caller):
        self._client = client

    def _call(self, method: str, operation: str, params: Optional[Mapping[str, Any]] = None, *,
              query: Optional[Mapping[str, Any]] = None, body: Any = None) -> Any:
        return self._client._request(f"{self._name}.{method}", operation, params=params, query=query, body=body)

    def _delete(self, operation: str, params: Mapping[str, Any]) -> Any:
        return self._client._request(f"{self._name}.delete", operation, params=params, discard=True)

    def _iterate(self, operation: str, query: Mapping[str, Any]) -> Any:
        return self._client._pages(f"{self._name}.iterate", operation, query)

    def __repr__(self) -> str:
        return f"<provenance {self._name}>"


class InboundSources(_Resource[R, N, P]):
    """Where webhooks come in: ``/api/v1/inbound-sources``."""

    _name = "inbound_sources"

    def list(self) -> R:
        """``{"data": [Source, ...]}``"""
        return self._call("list", "listInboundSources")

    def create(self, body: Json) -> R:
        """``{"title", "mnemonic", "verification"?, "payloadSchema"?, ...}`` -> the Source."""
        return self._call("create", "createInboundSource", body=body)

    def get(self, id: str) -> R:
        return self._call("get", "getInboundSource", {"id": id})

    def update(self, id: str, patch: Json) -> R:
        return self._call("update", "updateInboundSource", {"id": id}, body=patch)

    def delete(self, id: str) -> N:
        return self._delete("deleteInboundSource", {"id": id})


class InboundMappings(_Resource[R, N, P]):
    """How a source's payloads become interactions: ``/api/v1/inbound-mappings``."""

    _name = "inbound_mappings"

    def list(self, query: Optional[Json] = None, *, source_id: Optional[str] = None) -> R:
        """``{"data": [Mapping, ...]}``, all of the org's or those of ``source_id``."""
        return self._call("list", "listInboundMappings", query=_query(query, sourceId=source_id))

    def create(self, body: Json) -> R:
        """``{"sourceId", "resourceType", "action" | "actionPath", "resourceIdPath", ...}`` -> the Mapping."""
        return self._call("create", "createInboundMapping", body=body)

    def get(self, id: str) -> R:
        return self._call("get", "getInboundMapping", {"id": id})

    def update(self, id: str, patch: Json) -> R:
        return self._call("update", "updateInboundMapping", {"id": id}, body=patch)

    def delete(self, id: str) -> N:
        return self._delete("deleteInboundMapping", {"id": id})

    def test(self, id: str, body: Json) -> R:
        """Dry-runs the mapping on ``{"payload": ..., "headers"?: {...}}``; writes nothing.
        -> ``{"matched", "conditions", "schemaErrors", "interaction", "duplicate"}``."""
        return self._call("test", "testInboundMapping", {"id": id}, body=body)


class Events(_Resource[R, N, P]):
    """Every webhook received: ``/api/v1/events``."""

    _name = "events"

    def list(self, query: Optional[Json] = None, *, source_id: Optional[str] = None, status: Optional[str] = None,
             limit: Optional[int] = None, cursor: Optional[str] = None) -> R:
        """A page, newest first: ``{"data": [Event, ...], "nextCursor": str | None}``.
        ``status``: queued, processed, failed, duplicate or unmatched."""
        return self._call("list", "listEvents",
                          query=_query(query, sourceId=source_id, status=status, limit=limit, cursor=cursor))

    def iterate(self, query: Optional[Json] = None, *, source_id: Optional[str] = None, status: Optional[str] = None,
                limit: Optional[int] = None, cursor: Optional[str] = None) -> P:
        """Every event of every page (``limit`` is the page size)."""
        return self._iterate("listEvents", _query(query, sourceId=source_id, status=status, limit=limit, cursor=cursor))

    def get(self, id: str) -> R:
        """The event with its payload, headers and stages."""
        return self._call("get", "getEvent", {"id": id})

    def replay(self, id: str) -> R:
        """Runs the event through the pipeline again, as a new event: ``{"queued": True, "eventId"}``."""
        return self._call("replay", "replayEvent", {"id": id})


class Interactions(_Resource[R, N, P]):
    """What mappings made of events: ``/api/v1/interactions``."""

    _name = "interactions"

    def list(self, query: Optional[Json] = None, *, source_id: Optional[str] = None,
             resource_type: Optional[str] = None, action: Optional[str] = None,
             limit: Optional[int] = None, cursor: Optional[str] = None) -> R:
        """A page: ``{"data": [Interaction, ...], "nextCursor": str | None}``."""
        return self._call("list", "listInteractions", query=_query(
            query, sourceId=source_id, resourceType=resource_type, action=action, limit=limit, cursor=cursor))

    def iterate(self, query: Optional[Json] = None, *, source_id: Optional[str] = None,
                resource_type: Optional[str] = None, action: Optional[str] = None,
                limit: Optional[int] = None, cursor: Optional[str] = None) -> P:
        return self._iterate("listInteractions", _query(
            query, sourceId=source_id, resourceType=resource_type, action=action, limit=limit, cursor=cursor))

    def get(self, id: str) -> R:
        return self._call("get", "getInteraction", {"id": id})


class Targets(_Resource[R, N, P]):
    """Where interactions are delivered: ``/api/v1/targets``."""

    _name = "targets"

    def list(self, query: Optional[Json] = None, *, limit: Optional[int] = None, cursor: Optional[str] = None) -> R:
        return self._call("list", "listTargets", query=_query(query, limit=limit, cursor=cursor))

    def iterate(self, query: Optional[Json] = None, *, limit: Optional[int] = None, cursor: Optional[str] = None) -> P:
        return self._iterate("listTargets", _query(query, limit=limit, cursor=cursor))

    def get(self, id: str) -> R:
        return self._call("get", "getTarget", {"id": id})

    def create(self, body: Json) -> R:
        """``{"name", "url", "auth"?, "signing"?, "retry"?}`` -> the Target with its
        ``signingSecret``, shown this once."""
        return self._call("create", "createTarget", body=body)

    def update(self, id: str, patch: Json) -> R:
        return self._call("update", "updateTarget", {"id": id}, body=patch)

    def delete(self, id: str) -> N:
        return self._delete("deleteTarget", {"id": id})

    def rotate_secret(self, id: str) -> R:
        """A new signing secret, shown this once."""
        return self._call("rotate_secret", "rotateTargetSigningSecret", {"id": id})


class Routes(_Resource[R, N, P]):
    """Which mapping's interactions go to which target: ``/api/v1/routes``."""

    _name = "routes"

    def list(self, query: Optional[Json] = None, *, mapping_id: Optional[str] = None, target_id: Optional[str] = None,
             limit: Optional[int] = None, cursor: Optional[str] = None) -> R:
        return self._call("list", "listRoutes", query=_query(
            query, mappingId=mapping_id, targetId=target_id, limit=limit, cursor=cursor))

    def iterate(self, query: Optional[Json] = None, *, mapping_id: Optional[str] = None,
                target_id: Optional[str] = None, limit: Optional[int] = None, cursor: Optional[str] = None) -> P:
        return self._iterate("listRoutes", _query(
            query, mappingId=mapping_id, targetId=target_id, limit=limit, cursor=cursor))

    def create(self, body: Json) -> R:
        """``{"mappingId", "targetId", "active"?}`` -> the Route."""
        return self._call("create", "createRoute", body=body)

    def delete(self, id: str) -> N:
        return self._delete("deleteRoute", {"id": id})


class Deliveries(_Resource[R, N, P]):
    """Each interaction sent to each routed target: ``/api/v1/deliveries``."""

    _name = "deliveries"

    def list(self, query: Optional[Json] = None, *, status: Optional[str] = None, target_id: Optional[str] = None,
             interaction_id: Optional[str] = None, limit: Optional[int] = None, cursor: Optional[str] = None) -> R:
        """``status``: pending, succeeded, failed or dead."""
        return self._call("list", "listDeliveries", query=_query(
            query, status=status, targetId=target_id, interactionId=interaction_id, limit=limit, cursor=cursor))

    def iterate(self, query: Optional[Json] = None, *, status: Optional[str] = None, target_id: Optional[str] = None,
                interaction_id: Optional[str] = None, limit: Optional[int] = None, cursor: Optional[str] = None) -> P:
        return self._iterate("listDeliveries", _query(
            query, status=status, targetId=target_id, interactionId=interaction_id, limit=limit, cursor=cursor))

    def get(self, id: str) -> R:
        """The delivery with its attempts."""
        return self._call("get", "getDelivery", {"id": id})

    def retry(self, id: str) -> R:
        """``{"queued": True, "deliveryId"}``"""
        return self._call("retry", "retryDelivery", {"id": id})

    def retry_many(self, body: Optional[Json] = None, *, status: Optional[str] = None,
                   target_id: Optional[str] = None) -> R:
        """Queues again every ``"dead"`` (or ``"failed"``) delivery of the org, or of one
        target: ``retry_many({"status": "dead", "targetId": ...})`` or
        ``retry_many(status="dead", target_id=...)`` -> ``{"queued": n}``."""
        return self._call("retry_many", "retryDeliveries", body=_query(body, status=status, targetId=target_id))


class ApiTokens(_Resource[R, N, P]):
    """The org's API tokens (admin tokens only): ``/api/v1/api-tokens``."""

    _name = "api_tokens"

    def list(self) -> R:
        return self._call("list", "listApiTokens")

    def create(self, body: Json) -> R:
        """``{"name", "role": "admin" | "operator" | "reviewer"}`` -> the token record with
        its ``token``, shown this once."""
        return self._call("create", "createApiToken", body=body)

    def delete(self, id: str) -> N:
        return self._delete("deleteApiToken", {"id": id})


class Secrets(_Resource[R, N, P]):
    """Org secrets, write-only (answers show a hint, never the value): ``/api/v1/secrets``."""

    _name = "secrets"

    def list(self) -> R:
        return self._call("list", "listSecrets")

    def put(self, name: str, body: Any) -> R:
        """Creates or replaces: ``put("STRIPE_KEY", {"value": "..."})`` (or just the value string)."""
        return self._call("put", "putSecret", {"name": name}, body={"value": body} if isinstance(body, str) else body)

    def delete(self, name: str) -> N:
        return self._delete("deleteSecret", {"name": name})


class FlowVersions(_Resource[R, N, P]):
    """ProviderFlow package versions: ``/api/v1/providerflow/versions``."""

    _name = "flow_versions"

    def list(self, query: Optional[Json] = None, *, package: Optional[str] = None, limit: Optional[int] = None,
             cursor: Optional[str] = None) -> R:
        return self._call("list", "listFlowVersions", query=_query(query, package=package, limit=limit, cursor=cursor))

    def iterate(self, query: Optional[Json] = None, *, package: Optional[str] = None, limit: Optional[int] = None,
                cursor: Optional[str] = None) -> P:
        return self._iterate("listFlowVersions", _query(query, package=package, limit=limit, cursor=cursor))

    def get(self, id: str) -> R:
        return self._call("get", "getFlowVersion", {"id": id})

    def upload(self, body: Json) -> R:
        """``{"files": {path: base64, ...}}`` -> the stored version."""
        return self._call("upload", "uploadFlowVersion", body=body)

    def evidence(self, id: str) -> R:
        return self._call("evidence", "getFlowVersionEvidence", {"id": id})

    def approve(self, id: str, body: Optional[Json] = None) -> R:
        """``{"note"?: "why"}``"""
        return self._call("approve", "approveFlowVersion", {"id": id}, body=body if body is not None else {})

    def apply(self, id: str) -> R:
        return self._call("apply", "applyFlowVersion", {"id": id})


class ProviderFlow(_Resource[R, N, P]):
    """Plan or apply a ProviderFlow package without storing a version first."""

    _name = "providerflow"

    def plan(self, body: Json) -> R:
        """``{"files": {path: base64, ...}}`` -> the plan (what applying would change)."""
        return self._call("plan", "planFlowPackage", body=body)

    def apply(self, body: Json) -> R:
        return self._call("apply", "applyFlowPackage", body=body)
