"""The events a careful reader would list in the demo corpus (examples/demo/expected_events.yaml)
are found by the event coder, sentence by sentence."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from riftwatch.events import detect_events, main_event

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"
EXPECTED = DEMO / "expected_events.yaml"

# The 2021 PLOVER manual codes diplomatic protests (summoning an envoy, lodging a protest)
# as ACCUSE 'disapprove'; PROTEST is reserved for collective physical action.
EQUIVALENT = {"PROTEST": {"PROTEST", "ACCUSE"}}


def _expected() -> list[dict]:
    if not EXPECTED.is_file():
        return []
    return yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))["events"]


def _texts() -> dict[Path, str]:
    suffixes = {".txt", ".jsonl", ".json", ".csv", ".html", ".xml"}
    return {
        p: p.read_text(encoding="utf-8")
        for p in DEMO.rglob("*")
        if p.is_file() and p.suffix in suffixes
    }


def _sentence(texts: dict[Path, str], sub: str) -> str | None:
    """The sentence holding ``sub`` (raw files of any format; markup and escapes removed)."""
    for path, text in texts.items():
        i = text.find(sub)
        if i < 0:
            continue
        stops = [text.rfind(". ", 0, i), text.rfind("\n", 0, i), text.rfind(">", 0, i)]
        if path.suffix in (".jsonl", ".json", ".csv"):
            stops.append(text.rfind('"', 0, i))
            escaped_newline = text.rfind("\\n", 0, i)  # a literal backslash-n inside JSON
            stops.append(escaped_newline + 1 if escaped_newline >= 0 else -1)
        left = max(stops)
        if sub.rstrip()[-1:] in ".!?":
            right = i + len(sub)
        else:
            m = re.search(r'[.!?](?=\s|"|<|$)', text[i + len(sub) :])
            right = i + len(sub) + (m.end() if m else 0)
        return (
            html.unescape(re.sub(r"<[^>]+>", "", text[left + 1 : right]))
            .replace('\\"', '"')
            .strip()
        )
    return None


@pytest.fixture(scope="module")
def demo_coder(nlp, lexicon):
    try:
        from riftwatch.actors import ActorResolver, load_kb

        resolver = ActorResolver(load_kb())
    except Exception:  # noqa: BLE001 - the actor area is optional for this test
        resolver = None
    texts = _texts()

    def code(sub: str):
        sent = _sentence(texts, sub)
        assert sent, f"sentence not found in the demo corpus: {sub!r}"
        doc = nlp(sent)
        mentions = (
            resolver.mentions(doc, date=None, state=resolver.new_state([])) if resolver else []
        )
        return detect_events(doc, mentions, lexicon=lexicon)

    return code


CASES = _expected()


@pytest.mark.skipif(not CASES, reason="examples/demo/expected_events.yaml is absent")
@pytest.mark.parametrize(
    "case", CASES, ids=[f"{c['event']}:{c['sentence_contains'][:40]}" for c in CASES] or None
)
def test_demo_event_is_found(demo_coder, case):
    found = {c.event for c in demo_coder(case["sentence_contains"])}
    assert found & EQUIVALENT.get(case["event"], {case["event"]})


@pytest.mark.skipif(not CASES, reason="examples/demo/expected_events.yaml is absent")
def test_demo_main_event_matches_for_most_sentences(demo_coder):
    hits = 0
    for case in CASES:
        ev = main_event(demo_coder(case["sentence_contains"]))
        hits += bool(ev and ev.event in EQUIVALENT.get(case["event"], {case["event"]}))
    assert hits / len(CASES) >= 0.75
