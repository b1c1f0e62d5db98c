"""The build's writer writes what Whoosh's own writer writes, only faster.

The build indexes text fields one distinct token at a time (``_FieldTerms``), keeps the
field lengths as it writes them, and splits a large corpus into runs of reports indexed
by forked writer processes.  Here an index built that way is compared, posting by
posting, stored field by stored field, with one written by Whoosh's plain
``SegmentWriter`` from the same documents: same terms, documents, weights, positions,
lengths and stored values.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index

from indexer import schema
from indexer.analysis import cross_script_keys, plain_analyzer
from indexer.build import workers
from indexer.build import writer as build_writer
from indexer.corpus.load import load_corpus

ROOT = Path(__file__).resolve().parent.parent
TRICKY = [
    "Ё-моё, 7,500 пы́ткі\u00ad; ICC's ICC 30 000 2021, 2022 1.5 17.05.2023",
    "Лукашэнкi ўсё сям’я O'Brien ўзяў Беларусь беларусь THE the a и у 12 2025",
    "",
    "   ",
    "IAPB IAPB IAPB IAPB",
    "2021-03,2021-04, 2021-03,,torture , ,ICC",
]


def _plain_index(corpus, directory: Path) -> None:
    directory.mkdir()
    ix = whoosh_index.create_in(str(directory), schema.build_schema())
    writer = ix.writer(compound=False)
    spelling = {schema.SPELLING: workers.count_words(workers._texts(corpus))}
    for report in corpus.reports:
        for doc in workers._documents(report):
            writer.add_document(**doc, **spelling)
            spelling = {}
    writer.commit()


def _contents(directory: Path) -> dict:
    """Everything a search reads from an index, with global document numbers."""
    ix = whoosh_index.open_dir(str(directory))
    with ix.searcher() as searcher:
        reader = searcher.reader()
        fields = ix.schema
        postings = {}
        for field, text in reader.all_terms():
            matcher = reader.postings(field, text)
            found = []
            while matcher.is_active():
                found.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            postings[field, text] = (reader.doc_frequency(field, text), found)
        n = reader.doc_count_all()
        lengths = {
            name: [reader.doc_field_length(d, name) for d in range(n)]
            for name in fields.scorable_names()
        }
        columns = {
            name: list(reader.column_reader(name))
            for name in fields.names()
            if fields[name].column_type
        }
        return {
            "stored": [reader.stored_fields(d) for d in range(n)],
            "postings": postings,
            "lengths": lengths,
            "totals": {name: reader.field_length(name) for name in fields.scorable_names()},
            "columns": columns,
        }


@pytest.mark.parametrize("parallel", [False, True])
def test_a_build_indexes_exactly_what_whoosh_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    corpus = load_corpus(ROOT / "corpus")
    _plain_index(corpus, tmp_path / "plain")
    if parallel:
        monkeypatch.setattr(workers, "PARALLEL_FROM", 1)
        monkeypatch.setattr(workers.os, "sched_getaffinity", lambda _pid: {0, 1, 2})
    (tmp_path / "built").mkdir()
    workers.write_index(corpus, tmp_path / "built")
    segments = len(list((tmp_path / "built").glob("*.trm")))
    assert segments == (3 if parallel else 1)
    assert _contents(tmp_path / "built") == _contents(tmp_path / "plain")


def test_a_segments_postings_and_terms_files_are_whooshs_byte_for_byte(tmp_path: Path) -> None:
    # The build hands Whoosh's postings writer a block at a time (_BlockWriter): the
    # postings and term files of a one-segment build are the bytes Whoosh writes.
    corpus = load_corpus(ROOT / "corpus")
    _plain_index(corpus, tmp_path / "plain")
    (tmp_path / "built").mkdir()
    workers.write_index(corpus, tmp_path / "built")
    for ext in ("pst", "trm"):
        (plain,) = (tmp_path / "plain").glob(f"*.{ext}")
        (built,) = (tmp_path / "built").glob(f"*.{ext}")
        assert built.read_bytes() == plain.read_bytes(), ext


def test_block_writing_is_used_and_has_a_per_posting_fallback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = load_corpus(ROOT / "corpus")
    blocks: list[int] = []
    original = build_writer._BlockWriter.write
    monkeypatch.setattr(
        build_writer._BlockWriter, "write", lambda self, *a: (blocks.append(1), original(self, *a))
    )
    (tmp_path / "blocks").mkdir()
    workers.write_index(corpus, tmp_path / "blocks")
    assert blocks
    monkeypatch.setattr(build_writer._BlockWriter, "of", classmethod(lambda cls, writer: None))
    (tmp_path / "postings").mkdir()
    workers.write_index(corpus, tmp_path / "postings")
    assert _contents(tmp_path / "postings") == _contents(tmp_path / "blocks")


def _field_terms():
    fields = schema.build_schema()
    for name in fields.names():
        fast = build_writer._FieldTerms.of(fields[name])
        if fast is not None:
            yield name, fields[name], fast


def test_every_text_and_comma_keyword_field_has_the_fast_path() -> None:
    names = {name for name, _, _ in _field_terms()}
    texts = {
        n for n in schema.build_schema().names() if n.split("_")[0] in {"title", "summary", "key"}
    }
    assert names == texts | {schema.TOPICS, schema.MONTHS}


@pytest.mark.parametrize("text", TRICKY)
def test_field_terms_equal_the_fields_own_index(text: str) -> None:
    for name, field, fast in _field_terms():
        assert sorted(fast(text)) == sorted(field.index(text)), name
        assert sorted(fast(text)) == sorted(field.index(text)), name  # from the memo


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        st.sampled_from(list("aeiouÁéЁёіўуыэ’'`\u00ad\u0301 ,.-0123456789ICCLukašэнкі\u2009\n")),
        max_size=60,
    )
)
def test_field_terms_equal_the_fields_own_index_on_any_text(text: str) -> None:
    for name, field, fast in _field_terms():
        assert sorted(fast(text)) == sorted(field.index(text)), name


@settings(max_examples=300, deadline=None)
@given(
    st.text(st.sampled_from(list("aЁё’'\u00ad\u0301 ,.-09\u2009\n")), max_size=30),
    st.text(st.sampled_from(list("aЁё’'\u00ad\u0301 ,.-09\u2009\n")), max_size=30),
)
def test_a_texts_tokens_joined_by_a_newline_are_each_parts_tokens(head: str, tail: str) -> None:
    # What lets the key field (title\nsummary) take its title's and summary's tokens.
    findall = plain_analyzer()[0].expression.findall
    assert findall(f"{head}\n{tail}") == findall(head) + findall(tail)


def test_a_joined_field_with_another_text_is_tokenized_on_its_own(tmp_path: Path) -> None:
    ix = whoosh_index.create_in(str(tmp_path), schema.build_schema())
    writer = build_writer._BuildWriter(ix, joined=build_writer._joined_fields(), counted=["key_en"])
    title, summary = "Viasna ICC", "torture trials"
    writer.add_document(id="a", title_en=title, summary_en=summary, key_en=f"{title}\n{summary}")
    writer.add_document(id="b", title_en=title, summary_en=summary, key_en="Lukashenka")
    writer.vocabulary = writer.words()
    writer.commit()
    with ix.searcher() as searcher:
        reader = searcher.reader()
        keys = {text for field, text in reader.all_terms() if field == "key_en"}
        spelling = {t: reader.frequency("spelling", t) for t in reader.lexicon("spelling")}
    expected = cross_script_keys("viasna icc torture trials lukashenka", "en")
    assert keys == {t.encode() for t in expected}
    assert spelling == {b"viasna": 1, b"icc": 1, b"torture": 1, b"trials": 1, b"lukashenka": 1}


def test_a_build_that_drops_the_texts_sent_to_its_writers_indexes_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = load_corpus(ROOT / "corpus")
    _plain_index(corpus, tmp_path / "plain")
    monkeypatch.setattr(workers, "PARALLEL_FROM", 1)
    monkeypatch.setattr(workers, "FEED_BATCH", 1)
    monkeypatch.setattr(workers.os, "sched_getaffinity", lambda _pid: {0, 1})
    (tmp_path / "built").mkdir()
    workers.write_index(corpus, tmp_path / "built", keep_texts=False)
    assert _contents(tmp_path / "built") == _contents(tmp_path / "plain")
    texts = [t for r in corpus.reports for t in r.summaries.values()]
    assert texts and all(t.title == t.summary == t.provenance_note == "" for t in texts)
    again = load_corpus(ROOT / "corpus")
    assert [r.langs for r in corpus.reports] == [r.langs for r in again.reports]


def test_the_writer_refuses_any_whoosh_but_the_pinned_one() -> None:
    pinned = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "whoosh-reloaded==2.7.5" in pinned["project"]["dependencies"]
    assert build_writer.WHOOSH_VERSION == (2, 7, 5)
    build_writer.check_whoosh((2, 7, 5))
    for other in ((2, 7, 4), (2, 7, 6), (3, 0, 0)):
        with pytest.raises(RuntimeError, match=r"whoosh-reloaded==2\.7\.5"):
            build_writer.check_whoosh(other)
