"""The UCDP GED evaluator (riftwatch.evaluate.ucdp) on a tiny CSV written here, and once on
the real file in ../shared."""

from __future__ import annotations

import csv

import pytest

from riftwatch.evaluate.ucdp import evaluate, format_report, normalize_headline

HEADER = (
    "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,"
    "conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,"
    "side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,"
    "source_date,source_headline,source_original,where_prec,where_coordinates,"
    "where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,iso3,"
    "country_id,region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,"
    "deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob"
).split(",")

# (headline, source_date, date_start, best, low, high) -- headlines invented for the test
ROWS = [
    ("Four soldiers killed in border clash", "2020-03-10", "2020-03-09", 4, 4, 5),
    (
        "Police kill 12 militants in raid;Police say 14 militants dead",
        "2020-04-02;2020-04-03",
        "2020-04-01",
        14,
        14,
        14,
    ),
    ("Minister visits Kabul for talks", "2020-05-05", "2020-05-01", 1, 1, 1),
    ("Bomb blast yesterday kills dozens in market", "2020-06-10", "2020-06-08", 30, 30, 30),
    ("", "", "2020-07-01", 2, 2, 2),
    ("GUNMEN KILL FIVE IN MARKET ATTACK", "1995-02-01", "1995-02-01", 5, 5, 5),
]


@pytest.fixture
def tiny_csv(tmp_path):
    path = tmp_path / "ged_tiny.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=HEADER)
        w.writeheader()
        hxl = dict.fromkeys(HEADER, "")
        hxl.update(
            {"year": "#date+year", "source_headline": "#description", "date_start": "#date+start"}
        )
        w.writerow(hxl)
        for k, (head, pub, start, best, low, high) in enumerate(ROWS, 1):
            row = dict.fromkeys(HEADER, "")
            row.update(
                id=str(k),
                year=start[:4],
                source_headline=head,
                source_date=pub,
                date_start=f"{start} 00:00:00.000",
                date_end=f"{start} 00:00:00.000",
                best=best,
                low=low,
                high=high,
            )
            w.writerow(row)
    return path


@pytest.fixture
def tiny_result(nlp, tiny_csv):
    return evaluate(tiny_csv, nlp=nlp)


def test_ucdp_eval_counts_rows_with_headline(tiny_result):
    assert tiny_result["rows_with_headline"] == 5
    assert tiny_result["headlines"] == 6


def test_ucdp_eval_toll_share(tiny_result):
    toll = tiny_result["toll"]
    # 4 (within), 12 (first headline, outside 14..14), dozens=24 (outside 30, range 24..99
    # overlaps), 5 (within); the talks row states no toll
    assert (toll["n"], toll["within_low_high"], toll["range_overlaps"]) == (4, 2, 3)
    assert toll["share"] == 0.5


def test_ucdp_eval_date_share(tiny_result):
    date = tiny_result["date"]
    assert date["n"] == 5
    assert date["within_1_day"] == 4  # "yesterday" rescues the bomb row; the talks row fails
    assert date["publication_only_share"] == 0.6
    assert date["dated_by_text"] == 1


def test_ucdp_eval_format_report_names_figures(tiny_result):
    text = format_report(tiny_result)
    assert "n=4" in text
    assert "50.0%" in text


def test_ucdp_eval_normalize_capitals_and_wire_prefix():
    assert normalize_headline("UPDATE 2-GUNMEN KILL FIVE") == "Gunmen kill five"
    assert normalize_headline("Five killed [Corrected 01/02/03]\nmore") == "Five killed"


def test_ucdp_eval_real_file(nlp, shared_dir):
    path = shared_dir / "gold" / "ucdp_ged_pakistan" / "conflict_data_pak.csv"
    if not path.exists():
        pytest.skip("UCDP GED file absent")
    result = evaluate(path, nlp=nlp, limit=300)
    assert result["rows_with_headline"] == 300
    assert result["toll"]["n"] > 100
    assert result["toll"]["share"] > 0.4
    assert result["date"]["share"] >= result["date"]["publication_only_share"] - 0.01
