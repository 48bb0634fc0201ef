from __future__ import annotations

import pytest

from riftwatch.analysis.synthetic import insert_coded, relation_story
from riftwatch.store import Store


@pytest.fixture(scope="session")
def story_store():
    """A PAK–AFG story (cooperation, then conflict from 2023-03) in an in-memory store."""
    s = Store(":memory:")
    insert_coded(s.con, relation_story())
    yield s
    s.close()
