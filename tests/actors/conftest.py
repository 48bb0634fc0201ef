from __future__ import annotations

import pytest

from riftwatch.actors import ActorResolver, load_kb


@pytest.fixture(scope="session")
def kb():
    return load_kb()


@pytest.fixture(scope="session")
def resolver(kb):
    return ActorResolver(kb)
