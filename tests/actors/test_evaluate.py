"""The gold evaluation (needs ../shared)."""

from __future__ import annotations

from riftwatch.evaluate.actors import evaluate, format_report, parse_gold


def test_evaluate_parses_jsonish_gold(shared_dir):
    actors, bad = parse_gold(shared_dir / "gold" / "plover_gsr" / "PLOVER_GSR_CAMEO.txt")
    assert len(actors) > 500
    assert bad == 0


def test_evaluate_country_accuracy_meets_target(shared_dir, resolver):
    result = evaluate(
        shared_dir / "gold" / "plover_gsr" / "PLOVER_GSR_CAMEO.txt", resolver=resolver
    )
    assert result["country_accuracy"] >= 0.85
    report = format_report(result)
    assert "country-code accuracy" in report and "failure kinds" in report
