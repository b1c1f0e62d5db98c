"""Index builds: generations, the atomic swap, staleness, and bad corpora losing nothing."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

from indexer.analysis import words
from indexer.build import KEEP_GENERATIONS, build_index, generations, is_stale, workers
from indexer.cli import main
from indexer.corpus.load import load_corpus, parse_reports
from indexer.engine.generation import SearchIndex
from indexer.engine.layout import current_generation, read_meta
from indexer.errors import CorpusError, IndexUnavailable
from indexer.records import SearchRequest
from indexer.schema import SPELLING
from indexer.search import search

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(MINI, target)
    return target


def _tree_digest(root: Path) -> dict[str, str]:
    """Every file under ``root`` (links as their targets) with its content hash."""
    digest = {}
    for path in sorted(root.rglob("*")):
        rel = str(path.relative_to(root))
        if path.is_symlink():
            digest[rel] = "-> " + os.readlink(path)
        elif path.is_file() and path.name != ".lock":
            digest[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


def test_build_writes_a_generation_and_points_current_at_it(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "index"
    info = build_index(corpus, out)
    assert info.generation == 1
    assert info.documents == 6 and info.reports == 2
    assert current_generation(out) == out / "gen-000001"
    meta = read_meta(out / "gen-000001")
    assert meta["documents"] == 6
    assert {t["id"] for t in meta["topics"]} == {"icc", "torture"}
    assert SearchIndex(out).health()["documents"] == 6


def test_rebuild_swaps_in_a_new_generation_that_open_readers_pick_up(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "index"
    build_index(corpus, out)
    index = SearchIndex(out)
    assert search(index, SearchRequest(q="detainees")).total == 1
    text = (corpus / "reports/02.yaml").read_text(encoding="utf-8")
    (corpus / "reports/02.yaml").write_text(text.replace("detainees", "prisoners"), "utf-8")
    info = build_index(corpus, out)
    assert info.generation == 2
    assert index.health()["generation"] == 2
    assert search(index, SearchRequest(q="detainees")).total == 0
    assert search(index, SearchRequest(q="prisoners")).total == 1


def test_old_generations_are_pruned(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "index"
    for _ in range(KEEP_GENERATIONS + 2):
        build_index(corpus, out)
    kept = sorted(p.name for p in out.glob("gen-*"))
    assert len(kept) == KEEP_GENERATIONS
    assert kept[-1] == f"gen-{KEEP_GENERATIONS + 2:06d}"


def test_if_stale_skips_an_up_to_date_index_and_rebuilds_a_changed_one(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "index"
    assert is_stale(corpus, out)
    build_index(corpus, out, if_stale=True)
    assert not is_stale(corpus, out)
    again = build_index(corpus, out, if_stale=True)
    assert not again.built and again.generation == 1
    with open(corpus / "topics.yaml", "a", encoding="utf-8") as handle:
        handle.write("# a comment changes the fingerprint\n")
    assert is_stale(corpus, out)
    assert build_index(corpus, out, if_stale=True).generation == 2


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("reports/01.yaml", "date: 2024-05-17", "date: 2024-02-30"),
        ("reports/01.yaml", "topics: [icc]", "topics: [icc"),
        ("reports/02.yaml", "number: 2", "number: 1"),
        ("topics.yaml", "id: torture", "id: Torture!"),
    ],
)
@pytest.mark.parametrize("writers", [1, 3])
def test_a_bad_corpus_leaves_the_served_index_byte_for_byte_unchanged(
    corpus: Path,
    tmp_path: Path,
    name: str,
    old: str,
    new: str,
    writers: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if writers > 1:  # writer processes, which parse report files while the corpus loads
        monkeypatch.setattr(workers, "PARALLEL_FROM", 1)
        monkeypatch.setattr(workers.os, "sched_getaffinity", lambda _pid: set(range(writers)))
    out = tmp_path / "index"
    build_index(corpus, out)
    before = _tree_digest(out)
    path = corpus / name
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    with pytest.raises(CorpusError) as raised:
        build_index(corpus, out)
    with pytest.raises(CorpusError) as loaded:
        load_corpus(corpus)
    assert raised.value.problems == loaded.value.problems  # file, line, field, message
    assert _tree_digest(out) == before
    assert main(["build", "--corpus", str(corpus), "--out", str(out)]) == 1
    assert _tree_digest(out) == before


def test_an_index_that_does_not_exist_is_unavailable_with_a_reason(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "missing")
    with pytest.raises(IndexUnavailable, match="no index"):
        index.health()


def test_an_index_appearing_later_is_served_without_reopening(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "index"
    index = SearchIndex(out)
    with pytest.raises(IndexUnavailable):
        index.generation()
    build_index(corpus, out)
    assert index.health()["documents"] == 6


def test_build_command_prints_what_it_indexed(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "index"
    assert main(["build", "--corpus", str(corpus), "--out", str(out)]) == 0
    assert "indexed 6 documents (2 reports, one per language)" in capsys.readouterr().out
    assert main(["build", "--corpus", str(corpus), "--out", str(out), "--if-stale"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_segments_are_separate_files_not_one_compound_file(corpus: Path, tmp_path: Path) -> None:
    info = build_index(corpus, tmp_path / "index")
    names = [p.name for p in info.path.iterdir()]
    assert not [n for n in names if n.endswith(".seg")]
    assert [n for n in names if n.endswith(".pst")] and [n for n in names if n.endswith(".trm")]


def test_a_parallel_build_writes_several_segments_that_search_like_one(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = build_index(corpus, tmp_path / "serial")
    monkeypatch.setattr(workers, "PARALLEL_FROM", 1)
    monkeypatch.setattr(workers, "FEED_BATCH", 2)
    monkeypatch.setattr(workers.os, "sched_getaffinity", lambda _pid: {0, 1})
    parallel = build_index(corpus, tmp_path / "parallel")
    assert len(list(parallel.path.glob("*.trm"))) > 1 == len(list(serial.path.glob("*.trm")))
    for q in ["torture", "detainees", "ICC", "tortue", "пыткі"]:
        one = search(SearchIndex(tmp_path / "serial"), SearchRequest(q=q))
        many = search(SearchIndex(tmp_path / "parallel"), SearchRequest(q=q))
        assert (many.total, many.suggestion) == (one.total, one.suggestion), q
        assert sorted(h.id for h in many.hits) == sorted(h.id for h in one.hits), q


def test_the_spelling_vocabulary_is_the_plain_analysers_words_counted() -> None:
    corpus = load_corpus(ROOT / "corpus")
    texts = list(workers._texts(corpus))
    expected = Counter(word for text in texts for word in words(text))
    assert workers.count_words(texts) == expected
    assert workers.count_words(["Ё-моё, 7,500 пы́ткі\u00ad; ICC's ICC"]) == Counter(
        words("Ё-моё, 7,500 пы́ткі\u00ad; ICC's ICC")
    )


def test_the_spelling_field_holds_each_word_once_with_its_corpus_frequency(
    corpus: Path, tmp_path: Path
) -> None:
    info = build_index(corpus, tmp_path / "index")
    counts = workers.count_words(workers._texts(load_corpus(corpus)))
    with SearchIndex(tmp_path / "index").generation().ix.reader() as reader:
        assert {t.decode() for t in reader.lexicon(SPELLING)} == set(counts)
        for word, count in counts.items():
            assert reader.doc_frequency(SPELLING, word) == 1
            assert reader.frequency(SPELLING, word) == count
    assert info.documents == 6


def test_build_command_says_when_it_writes_the_segments(
    corpus: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["build", "--corpus", str(corpus), "--out", str(tmp_path / "index")]) == 0
    err = capsys.readouterr().err
    assert "6/6 documents\nwriting segments…\n" in err


def test_writer_processes_are_forked_before_the_corpus_is_loaded(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Forked after it, each writer's resident memory would count the whole corpus again.
    monkeypatch.setattr(workers, "PARALLEL_FROM", 1)
    monkeypatch.setattr(workers.os, "sched_getaffinity", lambda _pid: {0, 1})
    started = workers._Writers.__init__
    events: list[str] = []

    def writers(self, count):
        events.append(f"fork {count}")
        started(self, count)

    load = generations.load_corpus
    monkeypatch.setattr(workers._Writers, "__init__", writers)
    monkeypatch.setattr(
        generations, "load_corpus", lambda d, **kw: (events.append("load"), load(d, **kw))[1]
    )
    info = build_index(corpus, tmp_path / "index")
    assert events == ["fork 2", "load"]
    assert len(list(info.path.glob("*.trm"))) == 2


def test_a_bad_corpus_ends_the_writer_processes_forked_for_it(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "PARALLEL_FROM", 1)
    monkeypatch.setattr(workers.os, "sched_getaffinity", lambda _pid: {0, 1})
    report = sorted((corpus / "reports").glob("*.yaml"))[0]
    report.write_text(report.read_text(encoding="utf-8").replace("number:", "numbr:"), "utf-8")
    with pytest.raises(CorpusError):
        build_index(corpus, tmp_path / "index")
    assert not multiprocessing.active_children()
    assert not list((tmp_path / "index").glob("gen-*"))


@pytest.mark.parametrize("writers", [2, 3])
def test_report_files_parsed_by_writer_processes_are_those_parsed_here(writers: int) -> None:
    paths = sorted((ROOT / "corpus" / "reports").glob("*.yaml"))
    topic_ids = {topic.id for topic in load_corpus(ROOT / "corpus").topics}
    pool = workers._Writers(writers)
    try:
        assert pool.parse(paths, topic_ids) == parse_reports(paths, topic_ids)
    finally:
        pool.close()


def test_a_writer_process_failing_to_parse_fails_the_build_and_leaves_nothing(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "PARALLEL_FROM", 1)
    monkeypatch.setattr(workers.os, "sched_getaffinity", lambda _pid: {0, 1})
    parent, parse = os.getpid(), workers.parse_reports

    def fails_in_a_writer(paths, topic_ids):
        if os.getpid() != parent:
            raise OSError("disk read error")
        return parse(paths, topic_ids)

    monkeypatch.setattr(workers, "parse_reports", fails_in_a_writer)
    with pytest.raises(RuntimeError, match="disk read error"):
        build_index(corpus, tmp_path / "index")
    assert not multiprocessing.active_children()
    assert current_generation(tmp_path / "index") is None
