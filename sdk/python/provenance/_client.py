"""The two clients: ``API`` (async; ``await provenance.api()``) and ``Client`` (its
synchronous twin; ``provenance.Client()`` or ``provenance.api_sync()``). Both carry the
same resources (``_resources.py``) and send every call through ``OPERATIONS``."""

from __future__ import annotations

import asyncio
import time
from typing import Any, AsyncIterator, Coroutine, Generator, Iterator, List, Mapping, Optional

from ._async import AsyncTransport
from ._core import Config, Json, RetryPolicy, TransportError, decode, network_error, prepare
from ._errors import ProvenanceError
from ._resources import (ApiTokens, Deliveries, Events, FlowVersions, InboundMappings, InboundSources,
                         Interactions, ProviderFlow, Routes, Secrets, Targets)
from ._sync import SyncTransport

# What the resources' methods give on each client (see _resources.py).
_A = Coroutine[Any, Any, Json]
_AN = Coroutine[Any, Any, None]
_AI = AsyncIterator[Json]
_SI = Iterator[Json]


class API:
    """The async client. ``api = await provenance.api()`` (or ``async with provenance.api()
    as api:``); ``await api.aclose()`` closes its connections.

    Every method returns the API's JSON unchanged (``dict``/``list``), a list the whole
    page (``{"data": [...], "nextCursor": ...}``), a delete None; ``iterate`` is an async
    generator over every item of every page. Failures raise ``ProvenanceError``.
    """

    inbound_sources: InboundSources[_A, _AN, _AI]
    inbound_mappings: InboundMappings[_A, _AN, _AI]
    events: Events[_A, _AN, _AI]
    interactions: Interactions[_A, _AN, _AI]
    targets: Targets[_A, _AN, _AI]
    routes: Routes[_A, _AN, _AI]
    deliveries: Deliveries[_A, _AN, _AI]
    api_tokens: ApiTokens[_A, _AN, _AI]
    secrets: Secrets[_A, _AN, _AI]
    flow_versions: FlowVersions[_A, _AN, _AI]
    providerflow: ProviderFlow[_A, _AN, _AI]

    def __init__(self, url: Optional[str] = None, token: Optional[str] = None, org: Optional[str] = None,
                 timeout: Optional[float] = None, retries: Optional[int] = None):
        self._config = Config(url=url, token=token, org=org, timeout=timeout, retries=retries)
        self._transport = AsyncTransport(self._config)
        _attach_resources(self)

    @property
    def url(self) -> str:
        return self._config.url

    @property
    def org(self) -> Optional[str]:
        return self._config.org

    async def _request(self, label: str, operation: str, params: Optional[Mapping[str, Any]] = None,
                       query: Optional[Mapping[str, Any]] = None, body: Any = None, discard: bool = False) -> Any:
        request = prepare(self._config, label, operation, params, query, body)
        policy = RetryPolicy(request, self._config.retries)
        while True:
            if self._transport.closed:
                raise ProvenanceError(label, None, None, "the client is closed")
            try:
                response = await self._transport.send(request)
            except TransportError as error:
                delay = policy.after_error(error)
                if delay is None:
                    raise network_error(request, error) from None
                await asyncio.sleep(delay)
                continue
            delay = policy.after_response(response)
            if delay is None:
                result = decode(request, response)
                return None if discard else result
            await asyncio.sleep(delay)

    async def _pages(self, label: str, operation: str, query: Mapping[str, Any]) -> AsyncIterator[Json]:
        query = dict(query)
        while True:
            page: Json = await self._request(label, operation, query=query)
            items: List[Json] = page.get("data") or []
            for item in items:
                yield item
            cursor = page.get("nextCursor")
            if not cursor:
                return
            query["cursor"] = cursor

    async def aclose(self) -> None:
        """Closes every connection of the client; calls after this raise ProvenanceError."""
        await self._transport.close()

    def __await__(self) -> Generator[Any, None, "API"]:
        """``await provenance.api()`` gives the client itself (no request is made)."""
        return _ready(self).__await__()

    async def __aenter__(self) -> "API":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"provenance.API({self._config!r})"


class Client:
    """The synchronous twin of ``API``, with the same resources and methods:
    ``with provenance.Client() as api: api.events.list()``. Safe to share between threads."""

    inbound_sources: InboundSources[Json, None, _SI]
    inbound_mappings: InboundMappings[Json, None, _SI]
    events: Events[Json, None, _SI]
    interactions: Interactions[Json, None, _SI]
    targets: Targets[Json, None, _SI]
    routes: Routes[Json, None, _SI]
    deliveries: Deliveries[Json, None, _SI]
    api_tokens: ApiTokens[Json, None, _SI]
    secrets: Secrets[Json, None, _SI]
    flow_versions: FlowVersions[Json, None, _SI]
    providerflow: ProviderFlow[Json, None, _SI]

    def __init__(self, url: Optional[str] = None, token: Optional[str] = None, org: Optional[str] = None,
                 timeout: Optional[float] = None, retries: Optional[int] = None):
        self._config = Config(url=url, token=token, org=org, timeout=timeout, retries=retries)
        self._transport = SyncTransport(self._config)
        _attach_resources(self)

    @property
    def url(self) -> str:
        return self._config.url

    @property
    def org(self) -> Optional[str]:
        return self._config.org

    def _request(self, label: str, operation: str, params: Optional[Mapping[str, Any]] = None,
                 query: Optional[Mapping[str, Any]] = None, body: Any = None, discard: bool = False) -> Any:
        request = prepare(self._config, label, operation, params, query, body)
        policy = RetryPolicy(request, self._config.retries)
        while True:
            if self._transport.closed:
                raise ProvenanceError(label, None, None, "the client is closed")
            try:
                response = self._transport.send(request)
            except TransportError as error:
                delay = policy.after_error(error)
                if delay is None:
                    raise network_error(request, error) from None
                time.sleep(delay)
                continue
            delay = policy.after_response(response)
            if delay is None:
                result = decode(request, response)
                return None if discard else result
            time.sleep(delay)

    def _pages(self, label: str, operation: str, query: Mapping[str, Any]) -> Iterator[Json]:
        query = dict(query)
        while True:
            page: Json = self._request(label, operation, query=query)
            items: List[Json] = page.get("data") or []
            yield from items
            cursor = page.get("nextCursor")
            if not cursor:
                return
            query["cursor"] = cursor

    def close(self) -> None:
        """Closes every connection of the client; calls after this raise ProvenanceError."""
        self._transport.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"provenance.Client({self._config!r})"


async def _ready(api: API) -> API:
    return api


def _attach_resources(client: Any) -> None:
    client.inbound_sources = InboundSources(client)
    client.inbound_mappings = InboundMappings(client)
    client.events = Events(client)
    client.interactions = Interactions(client)
    client.targets = Targets(client)
    client.routes = Routes(client)
    client.deliveries = Deliveries(client)
    client.api_tokens = ApiTokens(client)
    client.secrets = Secrets(client)
    client.flow_versions = FlowVersions(client)
    client.providerflow = ProviderFlow(client)


def api(url: Optional[str] = None, token: Optional[str] = None, org: Optional[str] = None,
        timeout: Optional[float] = None, retries: Optional[int] = None) -> API:
    """The async client: ``api = await provenance.api()`` or ``async with provenance.api() as api:``.

    Explicit arguments first, else the environment: ``url`` (PROVENANCE_URL, the app's base
    URL), ``token`` (PROVENANCE_TOKEN, an API token), ``org`` (PROVENANCE_ORG, optional, sent
    as ``x-provenance-org``). ``timeout``: seconds per attempt (default 30). ``retries``: how
    often a GET or DELETE is retried after a network failure or a 502/503/504 (default 2).
    A missing URL or token raises ProvenanceError (status None) here, before any request.
    """
    return API(url=url, token=token, org=org, timeout=timeout, retries=retries)


def api_sync(url: Optional[str] = None, token: Optional[str] = None, org: Optional[str] = None,
             timeout: Optional[float] = None, retries: Optional[int] = None) -> Client:
    """The synchronous client, configured like ``api()``."""
    return Client(url=url, token=token, org=org, timeout=timeout, retries=retries)
