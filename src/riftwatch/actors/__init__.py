"""Actors: the time-aware actor knowledge base and resolver (issue 3).

``load_kb`` reads the packaged YAML knowledge base (plus analyst files); ``ActorResolver``
codes mentions as PLOVER country code + sector for the event date.
"""

from __future__ import annotations

from riftwatch.actors.kb import Entry, KnowledgeBase, Role, load_kb
from riftwatch.actors.resolver import ActorMatch, ActorMention, ActorResolver, ActorState

__all__ = [
    "ActorMatch",
    "ActorMention",
    "ActorResolver",
    "ActorState",
    "Entry",
    "KnowledgeBase",
    "Role",
    "load_kb",
]
