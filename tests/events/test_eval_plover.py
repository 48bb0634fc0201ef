from __future__ import annotations

import json
from pathlib import Path

import pytest

from riftwatch.errors import ConfigError
from riftwatch.evaluate.plover import evaluate, format_report, read_gold

TINY = Path(__file__).parent / "data" / "tiny_gold.json"


def test_read_gold_skips_document_and_non_english_records():
    ids = [r["id"] for r in read_gold(TINY)]
    assert ids == [
        "TINY-ASSAULT-0001",
        "TINY-DEMAND-0001",
        "TINY-DISAPPROVE-0001",
        "TINY-CONSULT-0001",
        "TINY-NONE-0001",
    ]


def test_read_gold_maps_legacy_types_modes_and_contexts():
    recs = {r["id"]: r for r in read_gold(TINY)}
    assert recs["TINY-DEMAND-0001"]["event"] == "REQUEST"
    assert recs["TINY-DISAPPROVE-0001"]["event"] == "ACCUSE"
    assert recs["TINY-DEMAND-0001"]["context"] == ["migration"]
    assert recs["TINY-NONE-0001"]["event"] is None


def test_read_gold_rejects_a_file_that_is_not_json(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("this is { not json\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        read_gold(bad)


@pytest.fixture(scope="module")
def tiny_result(nlp):
    return evaluate(TINY, nlp=nlp)


def test_evaluate_counts_event_and_no_event_records(tiny_result):
    assert tiny_result["event_records"] == 4
    assert tiny_result["no_event_records"] == 1
    assert tiny_result["false_events_on_no_event_records"] == 0


def test_evaluate_scores_the_tiny_gold_file(tiny_result):
    assert tiny_result["event_type_accuracy"] == 1.0
    assert tiny_result["macro_f1"] == 1.0
    assert tiny_result["confusion"]["ASSAULT"] == {"ASSAULT": 1}


def test_evaluate_result_is_json_serialisable(tiny_result):
    assert json.loads(json.dumps(tiny_result))["macro_f1"] == tiny_result["macro_f1"]


def test_format_report_shows_figures_and_confusion(tiny_result):
    text = format_report(tiny_result)
    assert "event-type accuracy" in text
    assert "confusion" in text
    assert "ASSAULT" in text


def test_evaluate_runs_on_the_shared_plover_gold_file(nlp, shared_dir):
    path = shared_dir / "gold" / "plover_gsr" / "PLOVER_GSR_CAMEO.txt"
    result = evaluate(path, nlp=nlp)
    assert result["event_records"] == 322
    assert result["event_type_accuracy"] is not None and result["event_type_accuracy"] > 0.5
