from __future__ import annotations

import os
from pathlib import Path

import pytest

from riftwatch.places.gazetteer import Gazetteer

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory):
    """A fresh cache folder for the whole session: tests never rely on a user's cache."""
    path = tmp_path_factory.mktemp("riftwatch-cache")
    old = os.environ.get("RIFTWATCH_CACHE")
    os.environ["RIFTWATCH_CACHE"] = str(path)
    Gazetteer.forget()
    yield path
    Gazetteer.forget()
    if old is None:
        os.environ.pop("RIFTWATCH_CACHE", None)
    else:
        os.environ["RIFTWATCH_CACHE"] = old


@pytest.fixture(scope="session")
def gazetteer(cache_dir: Path) -> Gazetteer:
    """The gazetteer, built once per session from the installed packages."""
    return Gazetteer.load()


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES
