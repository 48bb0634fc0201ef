from __future__ import annotations

import datetime as dt
import json

import pytest

from riftwatch.ingest import FieldMap, read_inputs

D = dt.date


# --- plain text ----------------------------------------------------------------------


def test_txt_reads_header_lines_and_body(read, data_dir):
    docs, rejected = read(data_dir / "article.txt")
    assert rejected == []
    (doc,) = docs
    assert doc.title == "Border crossing reopens after week-long closure"
    assert doc.published == D(2023, 9, 15)
    assert doc.published_source == "metadata"
    assert doc.source == "Frontier Desk"
    assert doc.url == "https://example.org/news/torkham-reopens"
    assert doc.text.startswith("TORKHAM, Pakistan, Sept. 15")
    assert "Title:" not in doc.text
    assert doc.dateline_place == "TORKHAM"
    assert doc.input.endswith("article.txt")
    assert doc.location is None


def test_txt_header_keys_are_case_insensitive(read, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("TITLE: Upper\nurl: https://x.org/1\ndate: 5 May 2023\n\nBody text here.\n")
    (doc,), _ = read(path)
    assert (doc.title, doc.url, doc.published) == ("Upper", "https://x.org/1", D(2023, 5, 5))


def test_txt_without_headers_is_all_body(read, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("PESHAWAR: Police said a market was closed.\nSecond line.\n")
    (doc,), _ = read(path)
    assert doc.title is None
    assert doc.text == "PESHAWAR: Police said a market was closed.\nSecond line."
    assert doc.dateline_place == "PESHAWAR"


def test_txt_date_comes_from_the_dateline_when_no_header(read, data_dir):
    (doc,), _ = read(data_dir / "dateline_only.txt")
    assert (doc.published, doc.published_source) == (D(2022, 2, 12), "dateline")
    assert doc.dateline_place == "QUETTA"


def test_txt_source_is_none_without_header_or_option(read, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("The council met on Monday.")
    (doc,), _ = read(path)
    assert doc.source is None


def test_txt_source_option_fills_a_missing_source(read, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("The council met on Monday.")
    (doc,), _ = read(path, source="My Desk")
    assert doc.source == "My Desk"


# --- JSON Lines ----------------------------------------------------------------------


def test_jsonl_reads_each_line_with_default_aliases(read, data_dir):
    docs, _ = read(data_dir / "articles.jsonl")
    by_id = {d.id: d for d in docs}
    assert by_id["a1"].title == "Talks in Kabul"
    assert by_id["a1"].url == "https://example.org/a1"
    assert by_id["a1"].source == "Example Wire"
    assert by_id["a1"].location == "line 1"
    assert by_id["2"].title == "Airstrikes reported"  # headline, body, published
    assert by_id["2"].published == D(2024, 3, 18)
    assert by_id["2"].text.startswith("Residents in Khost")


def test_jsonl_malformed_line_is_rejected_and_the_others_kept(read, data_dir):
    docs, rejected = read(data_dir / "articles.jsonl")
    assert [d.location for d in docs] == ["line 1", "line 2", "line 5"]
    assert [(r.location, r.reason.split(":")[0]) for r in rejected] == [
        ("line 3", "malformed JSON"),
        (
            "line 4",
            "record has no text field (looked for 'text', 'body', 'content', 'article', 'article_text', 'articletext', 'full_text', 'fulltext', 'maintext', 'main_text', 'story', 'body_text', 'summary', 'description'; its fields",
        ),
    ]


def test_jsonl_dateline_date_is_used_when_metadata_has_none(read, data_dir):
    docs, _ = read(data_dir / "articles.jsonl")
    last = docs[-1]
    assert (last.published, last.published_source) == (D(2023, 11, 1), "dateline")
    assert last.dateline_place == "ISLAMABAD"


def test_jsonl_skips_blank_lines_and_counts_physical_lines(read, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "one"}\n\n   \n{"text": "two"}\n')
    docs, rejected = read(path)
    assert [d.location for d in docs] == ["line 1", "line 4"]
    assert rejected == []


def test_jsonl_nested_source_name_is_read(read, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"content": "x y z", "source": {"id": "s", "name": "Wire"}}) + "\n")
    (doc,), _ = read(path)
    assert doc.source == "Wire"


def test_jsonl_paragraph_list_text_is_joined(read, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": ["First paragraph.", "Second paragraph."]}) + "\n")
    (doc,), _ = read(path)
    assert doc.text == "First paragraph.\n\nSecond paragraph."


def test_jsonl_ndjson_extension_is_json_lines(read, tmp_path):
    path = tmp_path / "a.ndjson"
    path.write_text('{"text": "one"}\n{"text": "two"}\n')
    docs, _ = read(path)
    assert len(docs) == 2


def test_jsonl_is_streamed_one_record_at_a_time(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "first"}\n')
    items = read_inputs([path])
    first = next(items)
    with path.open("a") as f:  # appended after the first record was yielded
        f.write('{"text": "second"}\n')
    assert first.text == "first"
    assert [d.text for d in items] == ["second"]


# --- JSON ----------------------------------------------------------------------------


def test_json_array_gives_item_locations(read, data_dir):
    docs, rejected = read(data_dir / "articles.json")
    assert [d.location for d in docs] == ["item 1", "item 3"]
    assert [r.location for r in rejected] == ["item 2"]
    assert docs[0].id == "j1"
    assert docs[1].published == D(2023, 5, 5)  # "PESHAWAR (Dawn) – 5 May 2023 –"
    assert docs[1].source == "Dawn"


def test_json_object_holding_a_list_of_articles(read, data_dir):
    (doc,), rejected = read(data_dir / "wrapped.json")
    assert rejected == []
    assert doc.title == "Trade resumes"
    assert doc.url == "https://example.org/w1"
    assert doc.published == D(2024, 3, 5)


def test_json_single_object_is_one_document(read, tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"title": "T", "text": "One article."}, indent=2))
    (doc,), _ = read(path)
    assert (doc.title, doc.text, doc.location) == ("T", "One article.", None)


def test_json_file_holding_json_lines_is_read_as_lines(read, tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"text": "one"}\n{"text": "two"}\n')
    docs, _ = read(path)
    assert [d.location for d in docs] == ["line 1", "line 2"]


# --- CSV / TSV -----------------------------------------------------------------------


def test_csv_rows_become_documents_with_row_numbers(read, data_dir):
    docs, rejected = read(data_dir / "articles.csv")
    assert [(d.id, d.location) for d in docs] == [("c1", "row 2"), ("c2", "row 3")]
    assert docs[1].source == "Desk"
    assert docs[1].published == D(2023, 12, 10)
    assert [(r.location, r.reason) for r in rejected] == [("row 4", "empty text")]


def test_csv_empty_cells_are_missing_values(read, data_dir):
    docs, _ = read(data_dir / "articles.csv")
    assert docs[0].published is None
    assert docs[0].source == "AP"  # from the dateline "(AP)", the source cell is empty


def test_tsv_header_names_are_matched_case_insensitively(read, data_dir):
    (doc,), _ = read(data_dir / "articles.tsv")
    assert doc.title == "Visit announced"
    assert doc.published == D(2023, 7, 20)


@pytest.mark.parametrize("delimiter", [";", "|", "\t"])
def test_csv_delimiter_is_sniffed(read, tmp_path, delimiter):
    path = tmp_path / "a.csv"
    path.write_text(f"title{delimiter}text\nT{delimiter}A body, with a comma.\n")
    (doc,), _ = read(path)
    assert (doc.title, doc.text) == ("T", "A body, with a comma.")


def test_csv_quoted_multiline_field_is_one_row(read, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('title,text\nT,"Line one.\nLine two."\nU,Other\n')
    docs, _ = read(path)
    assert [d.text for d in docs] == ["Line one.\nLine two.", "Other"]
    assert [d.location for d in docs] == ["row 2", "row 3"]


def test_csv_long_field_over_the_csv_default_limit_is_read(read, tmp_path):
    body = "word " * 40_000  # 200 kB, over csv's default 128 KiB field limit
    path = tmp_path / "a.csv"
    path.write_text(f'title,text\nT,"{body}"\n')
    (doc,), _ = read(path)
    assert len(doc.text) == len(body.strip())


# --- HTML ----------------------------------------------------------------------------


def test_html_main_text_without_boilerplate(read, data_dir):
    (doc,), rejected = read(data_dir / "page.html")
    assert rejected == []
    assert "mortar shells" in doc.text
    assert "border commission" in doc.text
    assert "Subscribe" not in doc.text
    assert "tracker" not in doc.text
    assert "Sport" not in doc.text


def test_html_metadata_gives_title_date_url_and_site(read, data_dir):
    (doc,), _ = read(data_dir / "page.html")
    assert doc.title == "Shelling near the border"
    assert (doc.published, doc.published_source) == (D(2023, 3, 18), "metadata")
    assert doc.url == "https://example.org/shelling"
    assert doc.source == "Example Times"


def test_html_declared_charset_is_honoured(read, tmp_path):
    page = (
        '<html><head><meta charset="iso-8859-1"><title>Caf\xe9</title></head><body><article>'
        "<p>Police in the caf\xe9 district said two people were hurt in a blast on Saturday "
        "and an investigation has begun into who planted the device near the road.</p>"
        "</article></body></html>"
    )
    path = tmp_path / "a.html"
    path.write_bytes(page.encode("latin-1"))
    (doc,), _ = read(path)
    assert "café district" in doc.text


# --- feeds ---------------------------------------------------------------------------


def test_rss_entries_become_documents_with_stripped_html(read, data_dir):
    docs, rejected = read(data_dir / "feed.rss")
    (doc,) = docs
    assert doc.text == "The special envoy arrived in Kabul for two days of talks."
    assert (doc.id, doc.title, doc.url) == (
        "rss-1",
        "Envoy visits Kabul",
        "https://example.org/rss/1",
    )
    assert (doc.published, doc.published_source) == (D(2024, 1, 10), "metadata")
    assert doc.source == "Frontier Report"  # the feed's title
    assert doc.location == "entry 1"
    assert [(r.location, r.reason) for r in rejected] == [
        ("entry 2", "feed entry has no text (no content or summary)")
    ]


def test_atom_entry_content_is_read(read, data_dir):
    (doc,), _ = read(data_dir / "feed.atom")
    assert doc.text.startswith("CHAMAN: Authorities closed the crossing")
    assert "\n\nHundreds of lorries" in doc.text
    assert doc.published == D(2024, 2, 1)
    assert doc.source == "Border Watch"
    assert doc.dateline_place == "CHAMAN"


def test_xml_extension_is_read_as_a_feed(read, data_dir, tmp_path):
    path = tmp_path / "export.xml"
    path.write_bytes((data_dir / "feed.atom").read_bytes())
    (doc,), _ = read(path)
    assert doc.title == "Crossing closed again"


# --- stdin ---------------------------------------------------------------------------


def test_stdin_jsonl_is_sniffed(read, stdin):
    stdin(b'{"text": "one"}\n{"text": "two"}\n')
    docs, _ = read("-")
    assert [(d.text, d.input, d.location) for d in docs] == [
        ("one", "-", "line 1"),
        ("two", "-", "line 2"),
    ]


def test_stdin_plain_text_with_headers_is_sniffed(read, stdin):
    stdin(b"Title: From a pipe\n\nKABUL, Aug 15, 2021 (AP) - The city changed hands.\n")
    (doc,), _ = read("-")
    assert (doc.title, doc.published, doc.input) == ("From a pipe", D(2021, 8, 15), "-")


def test_stdin_html_is_sniffed(read, stdin, data_dir):
    stdin((data_dir / "page.html").read_bytes())
    (doc,), _ = read("-")
    assert doc.title == "Shelling near the border"


def test_stdin_feed_is_sniffed(read, stdin, data_dir):
    stdin((data_dir / "feed.atom").read_bytes())
    (doc,), _ = read("-")
    assert doc.location == "entry 1"


def test_stdin_csv_is_sniffed(read, stdin):
    stdin(b"title,text\nT,Body of the row.\n")
    (doc,), _ = read("-")
    assert (doc.title, doc.location) == ("T", "row 2")


def test_stdin_json_array_is_sniffed(read, stdin):
    stdin(b'[{"text": "one"}, {"text": "two"}]')
    docs, _ = read("-")
    assert [d.location for d in docs] == ["item 1", "item 2"]


def test_stdin_long_jsonl_streams_past_the_sniffed_head(read, stdin):
    lines = [json.dumps({"id": i, "text": f"Report number {i}. " * 20}) for i in range(2000)]
    stdin(("\n".join(lines) + "\n").encode())
    docs, rejected = read("-")
    assert rejected == []
    assert [d.id for d in docs] == [str(i) for i in range(2000)]


def test_stdin_empty_is_rejected(read, stdin):
    stdin(b"")
    docs, rejected = read("-")
    assert docs == []
    assert [(r.input, r.reason) for r in rejected] == [("-", "empty input")]


# --- folders -------------------------------------------------------------------------


def _tree(root):
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "b.txt").write_text("Second file by name.")
    (root / "a.txt").write_text("First file by name.")
    (root / "sub" / "c.jsonl").write_text('{"text": "In a subfolder."}\n')
    (root / "sub" / "deeper" / "d.txt").write_text("Two folders down.")
    (root / ".hidden.txt").write_text("Hidden file.")
    (root / ".git" / "e.txt").write_text("Inside a hidden folder.")


def test_folder_is_read_recursively_in_sorted_order(read, tmp_path):
    _tree(tmp_path)
    docs, rejected = read(tmp_path)
    assert rejected == []
    assert [d.text for d in docs] == [
        "First file by name.",
        "Second file by name.",
        "In a subfolder.",
        "Two folders down.",
    ]


def test_folder_skips_hidden_files_and_folders(read, tmp_path):
    _tree(tmp_path)
    docs, _ = read(tmp_path)
    assert not any("idden" in d.text for d in docs)


def test_folder_document_input_is_the_file_path(read, tmp_path):
    _tree(tmp_path)
    docs, _ = read(tmp_path)
    assert docs[2].input == str(tmp_path / "sub" / "c.jsonl")


def test_file_without_extension_is_sniffed(read, tmp_path):
    path = tmp_path / "README"
    path.write_text('{"text": "Looks like JSON Lines."}\n')
    (doc,), _ = read(path)
    assert doc.location == "line 1"


def test_several_paths_are_read_in_the_given_order(read, data_dir):
    docs, _ = read(data_dir / "feed.atom", data_dir / "dateline_only.txt")
    assert [d.input.rsplit("/", 1)[-1] for d in docs] == ["feed.atom", "dateline_only.txt"]


def test_single_path_string_is_not_iterated_by_character(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Body.")
    assert [d.text for d in read_inputs(str(path))] == ["Body."]


# --- FieldMap ------------------------------------------------------------------------


def test_fieldmap_parse_overrides_a_role(read, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": "not this", "story_body": "this one", "hed": "H"}) + "\n")
    fields = FieldMap.parse(["text=story_body", "title=hed"])
    (doc,), _ = read(path, fields=fields)
    assert (doc.text, doc.title) == ("this one", "H")


def test_fieldmap_override_replaces_the_defaults(read, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": "only the default name"}) + "\n")
    docs, rejected = read(path, fields=FieldMap.parse(["text=story_body"]))
    assert docs == []
    assert "'story_body'" in rejected[0].reason


def test_fieldmap_parse_accumulates_names_of_one_role():
    fields = FieldMap.parse(["text=a,b", "text=c"])
    assert fields.text == ("a", "b", "c")


def test_fieldmap_parse_ignores_unknown_roles():
    assert FieldMap.parse(["colour=red"]) == FieldMap()


def test_fieldmap_parse_rejects_a_spec_without_equals():
    from riftwatch.errors import ConfigError

    with pytest.raises(ConfigError):
        FieldMap.parse(["text"])


def test_fieldmap_id_override_gives_stable_ids(read, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"tt_id": 2889, "text": "x"}) + "\n")
    (doc,), _ = read(path, fields=FieldMap.parse(["id=tt_id"]))
    assert doc.id == "2889"


def test_fieldmap_csv_column_override(read, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("heading,story\nH,The story.\n")
    (doc,), _ = read(path, fields=FieldMap.parse(["text=story", "title=heading"]))
    assert (doc.title, doc.text) == ("H", "The story.")


def test_fieldmap_dotted_name_reads_a_nested_field(read, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"meta": {"headline": "Nested"}, "text": "x"}) + "\n")
    (doc,), _ = read(path, fields=FieldMap.parse(["title=meta.headline"]))
    assert doc.title == "Nested"


# --- publication date ----------------------------------------------------------------


def test_published_option_is_used_when_nothing_else_gives_a_date(read, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("The council met.")
    (doc,), _ = read(path, published=D(2024, 1, 2))
    assert (doc.published, doc.published_source) == (D(2024, 1, 2), "cli")


def test_no_date_anywhere_is_unknown_never_today(read, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("The council met yesterday.")
    (doc,), _ = read(path)
    assert (doc.published, doc.published_source) == (None, "unknown")


def test_metadata_date_wins_over_dateline(read, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(
        json.dumps({"text": "KABUL, Aug 14, 2021 (AP) - x", "date": "2021-08-15"}) + "\n"
    )
    (doc,), _ = read(path)
    assert (doc.published, doc.published_source) == (D(2021, 8, 15), "metadata")


def test_yearless_dateline_takes_the_year_of_published(read, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("ISLAMABAD, March 18 (Reuters) - Officials met.")
    (doc,), _ = read(path, published=D(2024, 6, 1))
    assert (doc.published, doc.published_source) == (D(2024, 3, 18), "dateline")


def test_yearless_dateline_after_published_falls_in_the_year_before(read, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("KABUL, Dec. 30 (AP) - The ministry said.")
    (doc,), _ = read(path, published=D(2024, 1, 2))
    assert doc.published == D(2023, 12, 30)


def test_yearless_dateline_takes_the_year_of_a_year_only_metadata_date(read, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": "TEHRAN, Nov. 2 (Xinhua) -- x", "date": "2019"}) + "\n")
    (doc,), _ = read(path)
    assert (doc.published, doc.published_source) == (D(2019, 11, 2), "dateline")


def test_yearless_dateline_without_any_year_leaves_the_date_unknown(read, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("TEHRAN, Nov. 2 (Xinhua) -- Officials said.")
    (doc,), _ = read(path)
    assert (doc.published, doc.published_source) == (None, "unknown")
    assert doc.dateline_place == "TEHRAN"


def test_unparseable_metadata_date_falls_back_to_dateline(read, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": "Quetta, 12 February 2022: x", "date": "soon"}) + "\n")
    (doc,), _ = read(path)
    assert (doc.published, doc.published_source) == (D(2022, 2, 12), "dateline")


# --- compressed, line endings --------------------------------------------------------


def test_gzip_jsonl_is_streamed(read, tmp_path):
    import gzip

    path = tmp_path / "a.jsonl.gz"
    with gzip.open(path, "wt") as f:
        f.write('{"text": "one"}\nbroken\n{"text": "two"}\n')
    docs, rejected = read(path)
    assert [d.text for d in docs] == ["one", "two"]
    assert [r.location for r in rejected] == ["line 2"]


def test_gzip_whole_file_limit_is_on_uncompressed_size(read, tmp_path):
    import gzip

    path = tmp_path / "a.txt.gz"
    with gzip.open(path, "wt") as f:
        f.write("KABUL " * 10_000)  # compresses to well under the limit
    docs, rejected = read(path, max_bytes=10_000)
    assert docs == []
    assert "over the size limit" in rejected[0].reason


def test_gzip_corrupt_file_is_rejected(read, tmp_path):
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00garbage that is not deflate")
    docs, rejected = read(path)
    assert docs == []
    assert "gzip" in rejected[0].reason


def test_txt_with_crlf_line_endings(read, tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"Title: Windows\r\nDate: 2023-01-05\r\n\r\nKABUL, Jan. 5 (AP) - Body.\r\n")
    (doc,), _ = read(path)
    assert (doc.title, doc.published, doc.dateline_place) == ("Windows", D(2023, 1, 5), "KABUL")
    assert doc.text.startswith("KABUL")


def test_html_without_a_date_has_no_date(read, tmp_path):
    path = tmp_path / "a.html"
    path.write_text(
        "<html><head><title>Undated</title></head><body><article><p>Officials in the "
        "province said the road would reopen after repairs, and traders welcomed the news "
        "after weeks of delays at the checkpoints along the highway.</p></article></body></html>"
    )
    (doc,), _ = read(path)
    assert (doc.published, doc.published_source) == (None, "unknown")


def test_feed_whose_content_is_a_file_path_does_not_read_that_file(read, tmp_path, data_dir):
    path = tmp_path / "trap.rss"
    path.write_text(str(data_dir / "feed.atom"))
    docs, rejected = read(path)
    assert docs == []
    assert len(rejected) == 1


def test_txt_standard_headers_work_with_a_custom_fieldmap(read, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Title: Still read\n\nBody.")
    (doc,), _ = read(path, fields=FieldMap.parse(["title=hed"]))
    assert doc.title == "Still read"


def test_html_fragment_without_page_structure_keeps_its_text(read, tmp_path):
    path = tmp_path / "a.html"
    path.write_text(
        "<p>Pakistan closed the <b>Torkham</b> crossing after guards exchanged fire.</p>"
    )
    (doc,), _ = read(path)
    assert doc.text == "Pakistan closed the Torkham crossing after guards exchanged fire."


def test_stdin_single_line_json_envelope_is_read_as_items(read, stdin):
    records = [{"text": f"Report {i} " * 300} for i in range(3)]
    stdin(json.dumps({"articles": records}).encode())
    docs, rejected = read("-")
    assert rejected == []
    assert [d.location for d in docs] == ["item 1", "item 2", "item 3"]
