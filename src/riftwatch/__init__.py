"""riftwatch: political event data from news text.

Who did what to whom, where, when, how many, how sure, on what evidence.
"""

from __future__ import annotations

from .api import RunSummary, code_documents, code_text, make_document, open_store
from .errors import RiftwatchError
from .model import ActorRef, Document, Event, Evidence, Place, Rejected, Size
from .store import Store

__version__ = "0.1.0"

__all__ = [
    "ActorRef",
    "Document",
    "Event",
    "Evidence",
    "Place",
    "Rejected",
    "RiftwatchError",
    "RunSummary",
    "Size",
    "Store",
    "__version__",
    "code_documents",
    "code_text",
    "make_document",
    "open_store",
]
