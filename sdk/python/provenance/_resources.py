"""The resources of the management API, synchronous. The async client runs these same
methods in worker threads (see ``_client.py``), so both share one implementation."""

from __future__ import annotations

from typing import Any, Dict, Iterator, Mapping, Optional

from ._http import Transport

Json = Dict[str, Any]

# Keyword filters in snake_case, sent as the API's camelCase query names.
_QUERY_NAMES = {
    "source_id": "sourceId",
    "resource_type": "resourceType",
    "target_id": "targetId",
    "interaction_id": "interactionId",
    "mapping_id": "mappingId",
}


def _filters(query: Optional[Mapping[str, Any]], filters: Mapping[str, Any]) -> Dict[str, Any]:
    out: Dict[str, Any] = dict(query or {})
    for key, value in filters.items():
        out[_QUERY_NAMES.get(key, key)] = value
    return {k: v for k, v in out.items() if v is not None}


class _Resource:
    _name = ""

    def __init__(self, transport: Transport):
        self._t = transport

    def _call(self, method: str, operation: str, **kwargs: Any) -> Any:
        return self._t.call(f"{self._name}.{method}", operation, **kwargs)

    def _pages(self, method: str, operation: str, query: Dict[str, Any]) -> Iterator[Json]:
        cursor = query.pop("cursor", None)
        while True:
            page = self._call(method, operation, query={**query, "cursor": cursor})
            for item in page["data"]:
                yield item
            cursor = page.get("nextCursor")
            if not cursor:
                return


class InboundSources(_Resource):
    _name = "inbound_sources"

    def list(self) -> Json:
        return self._call("list", "listInboundSources")

    def create(self, body: Json) -> Json:
        return self._call("create", "createInboundSource", body=body)

    def get(self, id: str) -> Json:
        return self._call("get", "getInboundSource", params={"id": id})

    def update(self, id: str, patch: Json) -> Json:
        return self._call("update", "updateInboundSource", params={"id": id}, body=patch)

    def delete(self, id: str) -> None:
        self._call("delete", "deleteInboundSource", params={"id": id})

    def what_if(self, id: str, body: Json) -> Json:
        """Runs ``{"draft": {...new mapping}, "limit"?: n}`` over the source's recent events beside today's mappings; writes nothing."""
        return self._call("what_if", "whatIfNewMapping", params={"id": id}, body=body)


class InboundMappings(_Resource):
    _name = "inbound_mappings"

    def list(self, query: Optional[Json] = None, *, source_id: Optional[str] = None) -> Json:
        return self._call("list", "listInboundMappings", query=_filters(query, {"source_id": source_id}))

    def create(self, body: Json) -> Json:
        return self._call("create", "createInboundMapping", body=body)

    def get(self, id: str) -> Json:
        return self._call("get", "getInboundMapping", params={"id": id})

    def update(self, id: str, patch: Json) -> Json:
        return self._call("update", "updateInboundMapping", params={"id": id}, body=patch)

    def delete(self, id: str) -> None:
        self._call("delete", "deleteInboundMapping", params={"id": id})

    def test(self, id: str, body: Json) -> Json:
        """Dry-runs the mapping against ``{"payload": ..., "headers": {...}}``; writes nothing."""
        return self._call("test", "testInboundMapping", params={"id": id}, body=body)

    def what_if(self, id: str, body: Json) -> Json:
        """Runs ``{"draft": {...patch}, "limit"?: n}`` over the source's recent events beside today's mappings; writes nothing."""
        return self._call("what_if", "whatIfMapping", params={"id": id}, body=body)


class Events(_Resource):
    _name = "events"

    def list(self, query: Optional[Json] = None, **filters: Any) -> Json:
        """Filters: source_id, status, limit, cursor."""
        return self._call("list", "listEvents", query=_filters(query, filters))

    def iterate(self, query: Optional[Json] = None, **filters: Any) -> Iterator[Json]:
        return self._pages("iterate", "listEvents", _filters(query, filters))

    def get(self, id: str) -> Json:
        return self._call("get", "getEvent", params={"id": id})

    def replay(self, id: str) -> Json:
        return self._call("replay", "replayEvent", params={"id": id})


class Interactions(_Resource):
    _name = "interactions"

    def list(self, query: Optional[Json] = None, **filters: Any) -> Json:
        """Filters: source_id, resource_type, action, limit, cursor."""
        return self._call("list", "listInteractions", query=_filters(query, filters))

    def iterate(self, query: Optional[Json] = None, **filters: Any) -> Iterator[Json]:
        return self._pages("iterate", "listInteractions", _filters(query, filters))

    def get(self, id: str) -> Json:
        return self._call("get", "getInteraction", params={"id": id})


class Targets(_Resource):
    _name = "targets"

    def list(self, query: Optional[Json] = None, **filters: Any) -> Json:
        return self._call("list", "listTargets", query=_filters(query, filters))

    def iterate(self, query: Optional[Json] = None, **filters: Any) -> Iterator[Json]:
        return self._pages("iterate", "listTargets", _filters(query, filters))

    def get(self, id: str) -> Json:
        return self._call("get", "getTarget", params={"id": id})

    def create(self, body: Json) -> Json:
        """The answer carries the target's signing secret, shown this once."""
        return self._call("create", "createTarget", body=body)

    def update(self, id: str, patch: Json) -> Json:
        return self._call("update", "updateTarget", params={"id": id}, body=patch)

    def delete(self, id: str) -> None:
        self._call("delete", "deleteTarget", params={"id": id})

    def rotate_secret(self, id: str) -> Json:
        return self._call("rotate_secret", "rotateTargetSigningSecret", params={"id": id})


class Routes(_Resource):
    _name = "routes"

    def list(self, query: Optional[Json] = None, **filters: Any) -> Json:
        """Filters: mapping_id, target_id, limit, cursor."""
        return self._call("list", "listRoutes", query=_filters(query, filters))

    def iterate(self, query: Optional[Json] = None, **filters: Any) -> Iterator[Json]:
        return self._pages("iterate", "listRoutes", _filters(query, filters))

    def create(self, body: Json) -> Json:
        return self._call("create", "createRoute", body=body)

    def delete(self, id: str) -> None:
        self._call("delete", "deleteRoute", params={"id": id})


class Deliveries(_Resource):
    _name = "deliveries"

    def list(self, query: Optional[Json] = None, **filters: Any) -> Json:
        """Filters: status, target_id, interaction_id, limit, cursor."""
        return self._call("list", "listDeliveries", query=_filters(query, filters))

    def iterate(self, query: Optional[Json] = None, **filters: Any) -> Iterator[Json]:
        return self._pages("iterate", "listDeliveries", _filters(query, filters))

    def get(self, id: str) -> Json:
        return self._call("get", "getDelivery", params={"id": id})

    def retry(self, id: str) -> Json:
        return self._call("retry", "retryDelivery", params={"id": id})

    def retry_many(self, body: Json) -> Json:
        """``{"status": "dead" | "failed", "targetId": ...}``: every such delivery of the org."""
        return self._call("retry_many", "retryDeliveries", body=body)


class ApiTokens(_Resource):
    _name = "api_tokens"

    def list(self) -> Json:
        return self._call("list", "listApiTokens")

    def create(self, body: Json) -> Json:
        """The answer carries the token, shown this once."""
        return self._call("create", "createApiToken", body=body)

    def delete(self, id: str) -> None:
        self._call("delete", "deleteApiToken", params={"id": id})


class Members(_Resource):
    _name = "members"

    def list(self) -> Json:
        return self._call("list", "listMembers")

    def invite(self, body: Json) -> Json:
        """``{"email", "role", "name"?}``; the answer carries the one-time link, shown this once."""
        return self._call("invite", "inviteMember", body=body)

    def update(self, id: str, patch: Json) -> Json:
        """``{"role"?, "name"?, "active"?}``; ``"active": False`` deactivates (their sessions end)."""
        return self._call("update", "updateMember", params={"id": id}, body=patch)

    def remove(self, id: str) -> None:
        self._call("remove", "removeMember", params={"id": id})

    def reinvite(self, id: str) -> Json:
        """A new link for a pending invitation; the old one stops working."""
        return self._call("reinvite", "reinviteMember", params={"id": id})


class Org(_Resource):
    _name = "org"

    def get(self) -> Json:
        return self._call("get", "getOrgSettings")

    def update(self, patch: Json) -> Json:
        return self._call("update", "updateOrgSettings", body=patch)


class Secrets(_Resource):
    _name = "secrets"

    def list(self) -> Json:
        return self._call("list", "listSecrets")

    def put(self, name: str, body: Json) -> Json:
        return self._call("put", "putSecret", params={"name": name}, body=body)

    def delete(self, name: str) -> None:
        self._call("delete", "deleteSecret", params={"name": name})


class FlowVersions(_Resource):
    _name = "flow_versions"

    def list(self, query: Optional[Json] = None, **filters: Any) -> Json:
        return self._call("list", "listFlowVersions", query=_filters(query, filters))

    def iterate(self, query: Optional[Json] = None, **filters: Any) -> Iterator[Json]:
        return self._pages("iterate", "listFlowVersions", _filters(query, filters))

    def get(self, id: str) -> Json:
        return self._call("get", "getFlowVersion", params={"id": id})

    def upload(self, body: Json) -> Json:
        return self._call("upload", "uploadFlowVersion", body=body)

    def evidence(self, id: str) -> Json:
        return self._call("evidence", "getFlowVersionEvidence", params={"id": id})

    def approve(self, id: str, body: Optional[Json] = None) -> Json:
        return self._call("approve", "approveFlowVersion", params={"id": id}, body=body or {})

    def apply(self, id: str) -> Json:
        return self._call("apply", "applyFlowVersion", params={"id": id})

    def files(self, id: str) -> Json:
        """The version's own files (path → base64), to edit them."""
        return self._call("files", "getFlowVersionFiles", params={"id": id})


class ProviderFlow(_Resource):
    _name = "providerflow"

    def validate(self, body: Json) -> Json:
        """``{"files": {path: base64}}``: contract checks and scans; stores nothing."""
        return self._call("validate", "validateFlowPackage", body=body)

    def test(self, body: Json) -> Json:
        """``{"files", "update"?}``: the fixtures in the org's sandbox; stores nothing."""
        return self._call("test", "testFlowPackage", body=body)

    def template(self, body: Json) -> Json:
        """``{"name", "preset"}``: a new package's files from a provider preset's template."""
        return self._call("template", "flowTemplate", body=body)

    def plan(self, body: Json) -> Json:
        return self._call("plan", "planFlowPackage", body=body)

    def apply(self, body: Json) -> Json:
        return self._call("apply", "applyFlowPackage", body=body)


RESOURCES = {
    "inbound_sources": InboundSources,
    "inbound_mappings": InboundMappings,
    "events": Events,
    "interactions": Interactions,
    "targets": Targets,
    "routes": Routes,
    "deliveries": Deliveries,
    "api_tokens": ApiTokens,
    "members": Members,
    "org": Org,
    "secrets": Secrets,
    "flow_versions": FlowVersions,
    "providerflow": ProviderFlow,
}
