"""The clients: ``API`` (async, what ``await provenance.api()`` gives) and ``Client``
(its synchronous twin). Both use the resources of ``_resources.py``; the async one runs
each call in a worker thread, so the event loop never blocks on the network."""

from __future__ import annotations

import asyncio
import functools
from typing import Any, AsyncIterator, Optional

from ._http import Config, Transport
from ._resources import RESOURCES, _Resource


class Client:
    """Synchronous client: ``provenance.Client(url=..., token=...)`` or ``with provenance.Client() as api:``."""

    def __init__(self, url: Optional[str] = None, token: Optional[str] = None, org: Optional[str] = None,
                 timeout: float = 30.0, retries: int = 2):
        self._transport = Transport(Config(url=url, token=token, org=org, timeout=timeout, retries=retries))
        for name, cls in RESOURCES.items():
            setattr(self, name, cls(self._transport))

    @property
    def url(self) -> str:
        return self._transport.config.url

    def close(self) -> None:
        """Closes the client's connections."""
        self._transport.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"provenance.Client({self._transport.config!r})"


class _AsyncResource:
    """Each method of the synchronous resource as a coroutine; ``iterate`` as an async generator."""

    def __init__(self, sync: _Resource):
        self._sync = sync

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._sync, name)
        if name.startswith("_") or not callable(target):
            return target
        if name == "iterate":
            return functools.partial(self._iterate, target)

        @functools.wraps(target)
        async def call(*args: Any, **kwargs: Any) -> Any:
            return await asyncio.to_thread(target, *args, **kwargs)

        return call

    async def _iterate(self, target: Any, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        pages = target(*args, **kwargs)
        done = object()
        while True:
            item = await asyncio.to_thread(next, pages, done)
            if item is done:
                return
            yield item

    def __repr__(self) -> str:
        return f"<async {type(self._sync).__name__}>"


class API:
    """Async client. ``api = await provenance.api()``; ``await api.aclose()`` releases it."""

    def __init__(self, url: Optional[str] = None, token: Optional[str] = None, org: Optional[str] = None,
                 timeout: float = 30.0, retries: int = 2):
        self._client = Client(url=url, token=token, org=org, timeout=timeout, retries=retries)
        self.inbound_sources = _AsyncResource(self._client.inbound_sources)
        self.inbound_mappings = _AsyncResource(self._client.inbound_mappings)
        self.events = _AsyncResource(self._client.events)
        self.interactions = _AsyncResource(self._client.interactions)
        self.targets = _AsyncResource(self._client.targets)
        self.routes = _AsyncResource(self._client.routes)
        self.deliveries = _AsyncResource(self._client.deliveries)
        self.api_tokens = _AsyncResource(self._client.api_tokens)
        self.members = _AsyncResource(self._client.members)
        self.org = _AsyncResource(self._client.org)
        self.secrets = _AsyncResource(self._client.secrets)
        self.flow_versions = _AsyncResource(self._client.flow_versions)
        self.providerflow = _AsyncResource(self._client.providerflow)

    @property
    def url(self) -> str:
        return self._client.url

    async def aclose(self) -> None:
        """Closes the client's connections."""
        await asyncio.to_thread(self._client.close)

    async def __aenter__(self) -> "API":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"provenance.API({self._client._transport.config!r})"


class _Opening:
    """What ``provenance.api()`` returns: await it for the client, or use it with ``async with``."""

    def __init__(self, **options: Any):
        self._options = options
        self._api: Optional[API] = None

    async def _open(self) -> API:
        self._api = API(**self._options)
        return self._api

    def __await__(self):  # type: ignore[no-untyped-def]
        return self._open().__await__()

    async def __aenter__(self) -> API:
        return await self._open()

    async def __aexit__(self, *exc: Any) -> None:
        if self._api is not None:
            await self._api.aclose()


def api(url: Optional[str] = None, token: Optional[str] = None, org: Optional[str] = None,
        timeout: float = 30.0, retries: int = 2) -> _Opening:
    """The async client: explicit arguments first, else PROVENANCE_URL, PROVENANCE_TOKEN, PROVENANCE_ORG.

    ``api = await provenance.api()`` or ``async with provenance.api() as api: ...``.
    """
    return _Opening(url=url, token=token, org=org, timeout=timeout, retries=retries)
