"""The escaping check on text that went through the real coder (needs the spaCy model)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from riftwatch.store import Store

PAYLOADS = "<script>alert('rw')</script> <img src=x onerror=alert(1)>"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [k for k, _ in attrs]
        self.hrefs += [v or "" for k, v in attrs if k == "href"]


@pytest.mark.requires_model
def test_report_escapes_payloads_in_a_coded_document(nlp):
    from riftwatch.api import code_documents, make_document
    from riftwatch.report import build_report

    text = (
        f"Pakistani jets struck a Taliban compound in Khost province on Monday {PAYLOADS},"
        " killing eight people, Afghan officials said.\n\n"
        f"The Taliban government accused Pakistan of violating Afghan airspace {PAYLOADS}."
    )
    doc = make_document(
        text,
        published="2024-03-18",
        title=f"Strike in Khost {PAYLOADS}",
        source=f"Wire {PAYLOADS}",
        url="javascript:alert(1)",
    )
    with Store(":memory:") as store:
        code_documents([doc], store)
        n = store.con.execute("SELECT count(*) FROM events").fetchone()[0]
        assert n > 0, "the coder found no event: the test would prove nothing"
        html = build_report(store, "PAK", "AFG")
        md = build_report(store, "PAK", "AFG", fmt="md")
    parser = _Tags()
    parser.feed(html)
    assert "script" not in parser.tags and "img" not in parser.tags
    assert not [a for a in parser.attrs if a.startswith("on")]
    assert not [h for h in parser.hrefs if not h.startswith(("http://", "https://"))]
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html  # the payload is there, as text
    assert "<script" not in md and "<img" not in md
