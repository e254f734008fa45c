"""Provenance management API for Python (standard library only, Python >= 3.9).

    import provenance

    api = await provenance.api()                  # PROVENANCE_URL, PROVENANCE_TOKEN, PROVENANCE_ORG
    sources = await api.inbound_sources.list()    # {"data": [...]}
    async for event in api.events.iterate(status="failed"):
        ...
    await api.aclose()                            # or: async with provenance.api() as api: ...

``provenance.Client`` (or ``provenance.api_sync()``) is the synchronous twin. Every failure
raises ``provenance.ProvenanceError`` with ``.status`` and ``.body``.
"""

from ._client import API, Client, api, api_sync
from ._core import SDK_VERSION
from ._errors import ProvenanceError
from ._operations import OPERATIONS

__version__ = SDK_VERSION
__all__ = ["API", "Client", "OPERATIONS", "ProvenanceError", "api", "api_sync", "__version__"]
