"""Plain text from an HTML fragment (feed entry content and summaries).

Feed entries carry small HTML fragments, not pages, so trafilatura's boilerplate removal
is the wrong tool; this keeps every text node, turns block elements into line breaks and
drops script/style content. Built on the standard library's tolerant ``HTMLParser``, which
never raises on malformed markup.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK = {
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "tr",
    "ul",
}
_SKIP = {"script", "style", "noscript", "template", "iframe", "object", "svg", "head"}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BREAKS = re.compile(r"\n\s*\n\s*(?:\n\s*)+")


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n\n" if tag == "p" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n\n" if tag == "p" else "\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Visible text of ``fragment``, paragraphs separated by blank lines."""
    if "<" not in fragment and "&" not in fragment:
        return fragment.strip()
    parser = _TextParser()
    parser.feed(fragment)
    parser.close()
    text = "".join(parser.parts)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BREAKS.sub("\n\n", "\n".join(lines)).strip()
