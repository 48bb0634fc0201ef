from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from riftwatch.analysis.synthetic import Mention, coded_document, insert_coded
from riftwatch.errors import ConfigError
from riftwatch.model import Rejected
from riftwatch.report import build_report, gather, write_report
from riftwatch.store import Store

SCRIPT = "<script>alert('x')</script>"
IMG = '<img src=x onerror="alert(1)">'


class Tags(HTMLParser):
    """Every tag and attribute the browser would see."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs


def parse(html: str) -> Tags:
    p = Tags()
    p.feed(html)
    return p


@pytest.fixture(scope="module")
def html(story_store):
    return build_report(story_store, "PAK", "AFG")


@pytest.fixture
def hostile():
    """A store whose article text, title, source, url, actor text and place carry payloads."""
    s = Store(":memory:")
    d = dt.date(2023, 5, 2)
    docs = []
    for i in range(8):
        doc = coded_document(
            f"h{i}",
            [
                Mention(
                    "ASSAULT" if i % 2 else "AGREE",
                    "PAK:MIL",
                    "AFG:GOV",
                    d + dt.timedelta(days=9 * i),
                    "Khost",
                    f"Jets struck {SCRIPT} a camp {IMG} near the border.",
                    dead=3,
                )
            ],
            title=f"Breaking {SCRIPT}{IMG}",
            source=f"Wire {IMG}",
            url="javascript:alert(1)" if i % 2 else f"https://example.org/a?q=\"'><script>{i}",
        )
        docs.append(doc)
    insert_coded(s.con, docs)
    s.con.execute(
        "INSERT INTO event_mentions (id, document_id, event, quad_code, actor_text, place,"
        " modality, text) VALUES ('u1', 'h0', 'ACCUSE', 3, ?, ?, 'asserted', ?)",
        [SCRIPT, IMG, SCRIPT],
    )
    s.add_rejected([Rejected("bad.html", "line 1", f"unreadable {SCRIPT}")])
    yield s
    s.close()


def test_report_html_has_every_section(html):
    for heading in ("Trend and shifts", "What drove each shift", "Where", "Main actors",
                    "Timeline of key events", "Data quality"):  # fmt: skip
        assert f"<h2>{heading}</h2>" in html
    assert html.count("<svg") >= 3


def test_report_html_is_self_contained(html):
    tags = parse(html)
    assert "script" not in tags.tags and "link" not in tags.tags and "iframe" not in tags.tags
    assert not [v for k, v in tags.attrs if k == "src"]
    assert "Content-Security-Policy" in html
    hrefs = [v for k, v in tags.attrs if k == "href"]
    assert hrefs and all(h.startswith("https://news.example.org/") for h in hrefs)


def test_report_marks_the_shift_and_names_its_drivers(html):
    m = re.search(r"Shift 1: (\d{4}-\d{2}-\d{2})", html)
    assert m, "no shift in the report"
    assert abs((dt.date.fromisoformat(m.group(1)) - dt.date(2023, 3, 1)).days) <= 62
    assert "deteriorated" in html
    assert "PAK:MIL → AFG:GOV" in html and "ASSAULT" in html and "Khost (AFG)" in html


def test_report_quotes_evidence_with_source_links(html):
    assert "<blockquote>" in html
    assert re.search(r"<blockquote>“[^<]*jets struck targets in Khost", html)


def test_report_escapes_article_payloads_in_html(hostile):
    html = build_report(hostile, "PAK", "AFG")
    tags = parse(html)
    assert "script" not in tags.tags and "img" not in tags.tags
    assert not [k for k, _ in tags.attrs if k.startswith("on")]
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "&lt;script&gt;" in html and "onerror=&quot;alert(1)&quot;" in html
    hrefs = [v for k, v in tags.attrs if k == "href"]
    assert not [h for h in hrefs if not h.startswith("https://")]


def test_report_escapes_article_payloads_in_markdown(hostile):
    md = build_report(hostile, "PAK", "AFG", fmt="md")
    assert "<script" not in md.lower() and "<img" not in md.lower()
    assert "javascript:" not in md
    assert "&lt;script&gt;" in md


def test_report_data_quality_counts_unresolved_and_rejected(hostile):
    q = gather(hostile, "PAK", "AFG").quality
    assert q["rejected"] == 1
    assert q["actor_unresolved"] == 1 and q["place_unlocated"] == 1


def test_report_markdown_lists_trend_and_drivers(story_store):
    md = build_report(story_store, "PAK", "AFG", fmt="md")
    assert md.startswith("# PAK – AFG relations: briefing")
    assert "**← shift**" in md and "PAK:MIL → AFG:GOV" in md
    assert "## Data quality" in md


def test_report_empty_dyad_still_renders(story_store):
    html = build_report(story_store, "IND", "CHN")
    assert "No coded events between IND and CHN" in html


def test_report_write_picks_format_from_suffix(story_store, tmp_path):
    md = write_report(story_store, "PAK", "AFG", tmp_path / "b.md", since=dt.date(2022, 6, 1))
    assert md.read_text(encoding="utf-8").startswith("# ")
    html = write_report(story_store, "PAK", "AFG", tmp_path / "b.html", until=dt.date(2023, 12, 31))
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_rejects_unknown_format(story_store):
    with pytest.raises(ConfigError):
        build_report(story_store, "PAK", "AFG", fmt="pdf")


def test_report_pooled_rolling_index_weighs_busy_periods_more():
    from riftwatch.analysis.dyads import DyadPeriod
    from riftwatch.report.svg import pooled_rolling

    d = dt.date(2023, 1, 1)
    periods = [
        DyadPeriod(d, events=9, index=1.0, coop_weight=9.0),
        DyadPeriod(d, events=1, index=-1.0, conflict_weight=1.0),
        DyadPeriod(d),
    ]
    rolled = pooled_rolling(periods, half=1)
    assert rolled[0] == pytest.approx(0.8)  # (9 - 1) / 10, not the mean of +1 and -1
    assert rolled[1] == pytest.approx(0.8)
    assert rolled[2] is None  # an empty period stays a gap


def test_report_map_zooms_to_the_events_inside_the_frame():
    from riftwatch.report.svg import MAP_FRAME, MapPoint, map_view

    pts = [MapPoint("Khost", 69.9, 33.3, 0, 3, 0), MapPoint("Chaman", 66.45, 30.9, 0, 2, 0)]
    lon0, lon1, lat0, lat1 = map_view(pts)
    assert MAP_FRAME[0] <= lon0 < 66.45 and 69.9 < lon1 <= MAP_FRAME[1]
    assert MAP_FRAME[2] <= lat0 < 30.9 and 33.3 < lat1 <= MAP_FRAME[3]
    assert lon1 - lon0 < MAP_FRAME[1] - MAP_FRAME[0]
    assert map_view([]) == MAP_FRAME


def test_report_flags_a_toll_that_dwarfs_all_others():
    docs = [
        coded_document(
            f"t{i}",
            [
                Mention(
                    "ASSAULT",
                    "PAK:MIL",
                    "AFG:GOV",
                    dt.date(2023, 3, 1 + 7 * i),
                    "Khost",
                    f"Strike number {i}.",
                    dead=dead,
                )
            ],
        )
        for i, dead in enumerate([3, 2, 1500])
    ]
    with Store(":memory:") as s:
        insert_coded(s.con, docs)
        html = build_report(s, "PAK", "AFG")
        md = build_report(s, "PAK", "AFG", fmt="md")
    assert "Check the death toll" in html and "1,500 of the 1,505" in html
    assert "Check the death toll" in md


def test_report_does_not_flag_tolls_spread_over_events():
    docs = [
        coded_document(
            f"s{i}",
            [
                Mention(
                    "ASSAULT",
                    "PAK:MIL",
                    "AFG:GOV",
                    dt.date(2023, 3, 1 + 7 * i),
                    "Khost",
                    f"Strike number {i}.",
                    dead=60,
                )
            ],
        )
        for i in range(3)
    ]
    with Store(":memory:") as s:
        insert_coded(s.con, docs)
        html = build_report(s, "PAK", "AFG")
    assert "Check the death toll" not in html
