"""Bad and hostile input: never fatal, never silently lost, the good parts kept."""

from __future__ import annotations

import json
import os
import random
import time

import pytest

from riftwatch.ingest import read_inputs
from riftwatch.model import Rejected

GOOD = '{"text": "A good report beside a bad one."}\n'


def _only_rejection(read, path, **options) -> Rejected:
    docs, rejected = read(path, **options)
    assert docs == []
    assert len(rejected) == 1
    return rejected[0]


def test_bad_random_bytes_file_is_rejected_as_binary(read, tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(random.Random(1).randbytes(5000))
    assert "binary file" in _only_rejection(read, path).reason


def test_bad_nul_bytes_file_is_rejected_as_binary(read, tmp_path):
    path = tmp_path / "zeros.jsonl"
    path.write_bytes(b"\x00" * 10_000)
    assert "binary file" in _only_rejection(read, path).reason


def test_bad_nul_in_one_jsonl_line_rejects_only_that_line(read, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(GOOD.encode() + b'{"text": "a\x00b"}\n' + GOOD.encode())
    docs, rejected = read(path)
    assert len(docs) == 2
    assert [(r.location, "NUL" in r.reason) for r in rejected] == [("line 2", True)]


def test_bad_empty_file_is_rejected(read, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert _only_rejection(read, path).reason == "empty file"


def test_bad_whitespace_only_file_is_rejected(read, tmp_path):
    path = tmp_path / "blank.jsonl"
    path.write_text("\n  \n\t\n")
    assert "empty file" in _only_rejection(read, path).reason


def test_bad_truncated_utf8_is_rejected_with_the_byte_offset(read, tmp_path):
    path = tmp_path / "cut.txt"
    path.write_bytes("Kabul café".encode()[:-1])
    rejection = _only_rejection(read, path)
    assert "not valid UTF-8 at byte offset 9" in rejection.reason
    assert rejection.location == "line 1"


def test_bad_latin1_line_in_jsonl_is_rejected_with_offset_and_others_kept(read, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(GOOD.encode() + b'{"text": "caf\xe9"}\n' + GOOD.encode())
    docs, rejected = read(path)
    assert len(docs) == 2
    (bad,) = rejected
    assert bad.location == "line 2"
    assert f"byte offset {len(GOOD) + 13}" in bad.reason


def test_bad_utf8_bom_is_accepted(read, tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    (doc,), rejected = read(path)
    assert rejected == []
    assert doc.text.startswith("A good report")


def test_bad_utf8_bom_in_text_file_is_dropped(read, tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfTitle: T\n\nBody.")
    (doc,), _ = read(path)
    assert (doc.title, doc.text) == ("T", "Body.")


def test_bad_utf16_with_bom_is_decoded(read, tmp_path):
    path = tmp_path / "wide.txt"
    path.write_bytes("Title: Wide\n\nBody text.".encode("utf-16"))
    (doc,), _ = read(path)
    assert (doc.title, doc.text) == ("Wide", "Body text.")


def test_bad_malformed_json_line_keeps_the_good_lines(read, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(GOOD + '{"text": "unterminated\n' + GOOD)
    docs, rejected = read(path)
    assert len(docs) == 2
    assert [(r.location, r.reason.startswith("malformed JSON")) for r in rejected] == [
        ("line 2", True)
    ]


def test_bad_json_record_without_text_is_rejected(read, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"title": "Only a title", "date": "2023-01-01"}) + "\n")
    rejection = _only_rejection(read, path)
    assert rejection.location == "line 1"
    assert "no text field" in rejection.reason
    assert "'title'" in rejection.reason


def test_bad_json_text_that_is_not_a_string_is_rejected(read, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": {"nested": "object"}}) + "\n")
    assert "holds a dict" in _only_rejection(read, path).reason


def test_bad_json_line_that_is_not_an_object_is_rejected(read, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(GOOD + "[1, 2, 3]\n")
    docs, rejected = read(path)
    assert len(docs) == 1
    assert rejected[0].reason == "expected a JSON object, got a list"


def test_bad_csv_without_text_column_is_rejected(read, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("name,age\nAli,30\n")
    rejection = _only_rejection(read, path)
    assert rejection.location == "row 1"
    assert "no text column" in rejection.reason
    assert "'name', 'age'" in rejection.reason


def test_bad_csv_with_an_unexpected_delimiter_is_still_read(read, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("title;text;date\nT;Body, with commas, inside;2023-01-01\n")
    (doc,), _ = read(path)
    assert doc.text == "Body, with commas, inside"


def test_bad_csv_short_row_is_rejected_and_others_kept(read, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("title,date,text\nT,2023-01-01,Good row.\nonly-a-title\nU,,Another.\n")
    docs, rejected = read(path)
    assert [d.text for d in docs] == ["Good row.", "Another."]
    assert [r.location for r in rejected] == ["row 3"]


def test_bad_csv_undecodable_line_is_rejected_and_others_kept(read, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"title,text\nA,Good one.\nB,Caf\xe9 bad.\nC,Good two.\n")
    docs, rejected = read(path)
    assert [d.text for d in docs] == ["Good one.", "Good two."]
    assert "not valid UTF-8" in rejected[0].reason


def test_bad_file_over_max_bytes_is_rejected(read, tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000)
    rejection = _only_rejection(read, path, max_bytes=1000)
    assert "over the size limit of 1,000 bytes" in rejection.reason


def test_bad_html_over_max_bytes_is_rejected(read, tmp_path):
    path = tmp_path / "big.html"
    path.write_text("<p>" + "word " * 1000 + "</p>")
    assert "over the size limit" in _only_rejection(read, path, max_bytes=1000).reason


def test_bad_jsonl_line_over_max_bytes_is_rejected_and_others_kept(read, tmp_path):
    path = tmp_path / "a.jsonl"
    huge = json.dumps({"text": "x" * 5000})
    path.write_text(GOOD + huge + "\n" + GOOD)
    docs, rejected = read(path, max_bytes=1000)
    assert len(docs) == 2
    assert [r.location for r in rejected] == ["line 2"]
    assert "over the size limit" in rejected[0].reason


def test_bad_20mb_single_line_file_is_rejected_quickly(read, tmp_path):
    path = tmp_path / "one_line.jsonl"
    with path.open("w") as f:
        f.write('{"text": "')
        f.write("a" * 20_000_000)
        f.write('"}\n')
        f.write(GOOD)
    start = time.perf_counter()
    docs, rejected = read(path, max_bytes=1_000_000)
    assert time.perf_counter() - start < 15
    assert len(docs) == 1
    assert [r.location for r in rejected] == ["line 1"]


def test_bad_stdin_over_max_bytes_is_rejected(read, stdin):
    stdin(b"word " * 1000)
    assert "over the size limit" in _only_rejection(read, "-", max_bytes=1000).reason


def test_bad_unsupported_extension_is_rejected(read, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4 ...")
    assert "unsupported file type '.pdf'" in _only_rejection(read, path).reason


def test_bad_json_nested_10000_deep_is_rejected(read, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 10_000 + "]" * 10_000)
    assert "nested too deeply" in _only_rejection(read, path).reason


def test_bad_jsonl_line_nested_10000_deep_keeps_the_other_lines(read, tmp_path):
    path = tmp_path / "deep.jsonl"
    path.write_text(GOOD + '{"a":' * 10_000 + "1" + "}" * 10_000 + "\n" + GOOD)
    docs, rejected = read(path)
    assert len(docs) == 2
    assert [(r.location, "nested too deeply" in r.reason) for r in rejected] == [("line 2", True)]


def test_bad_missing_path_is_rejected(read, tmp_path):
    path = tmp_path / "nope.txt"
    rejection = _only_rejection(read, path)
    assert (rejection.input, rejection.reason) == (str(path), "no such file or directory")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_bad_unreadable_file_is_rejected(read, tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("x")
    path.chmod(0)
    assert "permission denied" in _only_rejection(read, path).reason


def test_bad_device_path_is_rejected_not_read(read):
    assert "not a regular file" in _only_rejection(read, "/dev/zero").reason


def test_bad_html_with_only_scripts_is_rejected(read, tmp_path):
    path = tmp_path / "scripts.html"
    path.write_text(
        "<html><head><script>" + "var a = 1;" * 2000 + "</script></head>"
        "<body><script>document.write('x')</script><noscript></noscript></body></html>"
    )
    assert "no main text found" in _only_rejection(read, path).reason


def test_bad_xml_that_is_not_a_feed_is_rejected(read, tmp_path):
    path = tmp_path / "data.xml"
    path.write_text('<?xml version="1.0"?><root><value>1</value></root>')
    assert "not an RSS/Atom feed" in _only_rejection(read, path).reason


def test_bad_feed_with_undecodable_bytes_and_no_charset_is_rejected(read, tmp_path):
    path = tmp_path / "feed.rss"
    path.write_bytes(
        b'<rss version="2.0"><channel><item><title>Caf\xe9</title></item></channel></rss>'
    )
    assert "not valid UTF-8" in _only_rejection(read, path).reason


def test_bad_empty_json_array_is_rejected(read, tmp_path):
    path = tmp_path / "a.json"
    path.write_text("[]")
    assert "empty" in _only_rejection(read, path).reason


def test_bad_json_object_without_documents_is_rejected(read, tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"status": "ok", "count": 0}')
    assert "no list of documents" in _only_rejection(read, path).reason


def test_bad_repetitive_zip_bomb_like_text_is_read_without_hanging(read, tmp_path):
    path = tmp_path / "repeat.txt"
    path.write_text("KABUL " * 1_000_000)
    start = time.perf_counter()
    (doc,), _ = read(path)
    assert time.perf_counter() - start < 15
    assert len(doc.text) == len("KABUL " * 1_000_000) - 1


def test_bad_5000_word_sentence_is_a_document(read, tmp_path):
    path = tmp_path / "long.txt"
    path.write_text(" ".join(["word"] * 5000) + ".")
    (doc,), rejected = read(path)
    assert rejected == []
    assert doc.text.count("word") == 5000


def test_bad_inputs_beside_good_ones_do_not_stop_the_run(read, tmp_path, data_dir):
    (tmp_path / "a_noise.txt").write_bytes(random.Random(2).randbytes(3000))
    (tmp_path / "b_empty.txt").write_bytes(b"")
    (tmp_path / "c_report.pdf").write_bytes(b"%PDF")
    (tmp_path / "d_good.jsonl").write_text(GOOD)
    (tmp_path / "e_deep.json").write_text("[" * 10_000)
    (tmp_path / "f_good.txt").write_text("Another good report.")
    docs, rejected = read(tmp_path, tmp_path / "missing.txt", data_dir / "article.txt")
    assert [d.input.rsplit("/", 1)[-1] for d in docs] == [
        "d_good.jsonl",
        "f_good.txt",
        "article.txt",
    ]
    assert [r.input.rsplit("/", 1)[-1] for r in rejected] == [
        "a_noise.txt",
        "b_empty.txt",
        "c_report.pdf",
        "e_deep.json",
        "missing.txt",
    ]
    assert all(r.reason for r in rejected)


def test_bad_inputs_never_raise_on_random_bytes_in_any_format(tmp_path):
    rng = random.Random(3)
    for ext in ("txt", "jsonl", "json", "csv", "html", "rss", ""):
        for n in range(5):
            path = tmp_path / f"r{n}.{ext}" if ext else tmp_path / f"r{n}"
            data = rng.randbytes(rng.randint(1, 3000))
            if n % 2:  # printable noise that passes the binary check
                data = bytes(b % 95 + 32 for b in data)
            path.write_bytes(data)
            items = list(read_inputs([path]))
            assert items, f"nothing yielded for {path.name}"


def test_bad_csv_row_over_max_bytes_is_rejected_and_others_kept(read, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('title,text\nA,ok one\nB,"' + "line of text\n" * 200 + '"\nC,ok two\n')
    docs, rejected = read(path, max_bytes=1000)
    assert [d.text for d in docs] == ["ok one", "ok two"]
    assert [r.location for r in rejected] == ["row 3"]
    assert "over the size limit" in rejected[0].reason


def _billion_laughs(root: str) -> str:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol;" if i == 1 else f"&lol{i - 1};") * 10}">' for i in range(1, 10)
    )
    return f'<?xml version="1.0"?><!DOCTYPE {root} [{entities}]>'


def test_bad_feed_entity_expansion_bomb_is_not_expanded(read, tmp_path):
    path = tmp_path / "laughs.rss"
    path.write_text(
        _billion_laughs("rss") + '<rss version="2.0"><channel><title>T</title><item>'
        "<title>x</title><description>&lol9;</description></item></channel></rss>"
    )
    start = time.perf_counter()
    items = list(read_inputs([path]))
    assert time.perf_counter() - start < 10
    assert len(items) == 1
    assert "lollol" not in getattr(items[0], "text", "")


def test_bad_feed_doctype_with_entity_declarations_is_dropped_before_parsing():
    from riftwatch.ingest.formats import _drop_doctype

    data = (_billion_laughs("rss") + "<rss/>").encode()
    assert _drop_doctype(data) == b'<?xml version="1.0"?><rss/>'


def test_bad_feed_external_entity_is_not_read(read, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    path = tmp_path / "xxe.rss"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<rss version="2.0"><channel><title>T</title><item><title>x</title>'
        "<description>before &x; after</description></item></channel></rss>"
    )
    items = list(read_inputs([path]))
    assert not any("TOP-SECRET" in getattr(i, "text", "") for i in items)


def test_bad_leading_whitespace_longer_than_the_sniffed_head_is_not_empty(read, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(" " * 100_000 + "Text after a lot of blank space.")
    (doc,), _ = read(path)
    assert doc.text == "Text after a lot of blank space."


def test_bad_utf16_jsonl_is_decoded(read, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(('{"text": "one"}\n{"text": "two"}\n').encode("utf-16"))
    docs, _ = read(path)
    assert [d.text for d in docs] == ["one", "two"]


def test_bad_stdin_binary_is_rejected(read, stdin):
    stdin(random.Random(4).randbytes(4000))
    rejection = _only_rejection(read, "-")
    assert (rejection.input, "binary" in rejection.reason) == ("-", True)


def test_bad_symlink_loop_in_a_folder_is_read_once(read, tmp_path):
    (tmp_path / "a.txt").write_text("Only once.")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    docs, rejected = read(tmp_path)
    assert [d.text for d in docs] == ["Only once."]
    assert rejected == []


def test_bad_broken_symlink_is_rejected(read, tmp_path):
    (tmp_path / "a.txt").write_text("Kept.")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    docs, rejected = read(tmp_path)
    assert [d.text for d in docs] == ["Kept."]
    assert [(r.input.rsplit("/", 1)[-1], r.reason) for r in rejected] == [
        ("gone.txt", "no such file or directory")
    ]


def test_bad_permission_error_while_opening_is_rejected(read, tmp_path, monkeypatch):
    from riftwatch.ingest import reader

    path = tmp_path / "locked.txt"
    path.write_text("x")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(reader, "open", refuse, raising=False)
    assert _only_rejection(read, path).reason == "permission denied"


def test_bad_read_error_midway_is_rejected_and_earlier_records_kept(read, tmp_path, monkeypatch):
    import io

    from riftwatch.ingest import reader

    path = tmp_path / "a.jsonl"
    path.write_text(GOOD * 3)

    class Failing(io.BytesIO):
        def readline(self, *args):
            line = super().readline(*args)
            if self.tell() > 2 * len(GOOD):
                raise OSError(5, "Input/output error")
            return line

    monkeypatch.setattr(reader, "open", lambda *a, **k: Failing(path.read_bytes()), raising=False)
    docs, rejected = read(path)
    assert len(docs) == 2
    assert [r.reason for r in rejected] == ["read error: Input/output error"]
