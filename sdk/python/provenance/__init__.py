"""Provenance management API for Python (standard library only, Python >= 3.9).

    import provenance
    api = await provenance.api()                 # PROVENANCE_URL, PROVENANCE_TOKEN
    sources = await api.inbound_sources.list()   # {"data": [...]}

``provenance.Client`` is the synchronous twin. Errors are ``provenance.ProvenanceError``.
"""

from ._client import API, Client, api
from ._http import SDK_VERSION, ProvenanceError
from ._operations import OPERATIONS

__version__ = SDK_VERSION
__all__ = ["API", "Client", "OPERATIONS", "ProvenanceError", "api", "__version__"]
