"""The server's start-up: what it computes before it reports ready (``api.start_up``)."""

from __future__ import annotations

import pytest

from riftwatch.server.app import create_app

from .conftest import TestClient


def test_server_computes_the_overview_before_it_reports_ready(story_db):
    app = create_app(story_db)
    state = app.state.server
    with TestClient(app):
        # no request yet: start-up already computed what the overview asks for first
        for key in (("dyads/top", None, None, 10), ("shifts/recent", 5), ("actors",)):
            assert state.cached(key, lambda key=key: pytest.fail(f"{key} not computed"))


def test_server_without_warming_computes_nothing_at_start_up(story_db):
    app = create_app(story_db, warm=False)
    state = app.state.server
    with TestClient(app):
        assert state.cached(("shifts/recent", 5), lambda: "computed now") == "computed now"


def test_recent_shifts_match_the_shifts_of_each_dyad(client):
    recent = client.get("/api/shifts/recent").json()
    assert recent
    for item in recent:
        one = client.get("/api/shifts", params={"a": item["a"], "b": item["b"]}).json()
        last = one["shifts"][-1]
        assert (item["date"], item["p_value"], item["delta"]) == (
            last["date"],
            last["p_value"],
            last["delta"],
        )
