"""The synthetic corpus generator: valid, deterministic, the size and spread asked for."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from bench import synth
from indexer.corpus.load import load_corpus
from indexer.languages import ALL_LANGS

MINI = Path(__file__).parent / "fixtures" / "mini"


def _digest(directory: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*.yaml")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "corpus"
    synth.generate(600, out, seed=7, source=MINI)
    return out


def test_the_output_loads_as_a_valid_corpus_of_the_requested_size(generated: Path) -> None:
    corpus = load_corpus(generated)
    assert len(corpus.reports) == 200
    assert sum(len(r.summaries) for r in corpus.reports) == 600
    assert all(set(r.summaries) == set(ALL_LANGS) for r in corpus.reports)


def test_dates_are_spread_over_2021_to_2025(generated: Path) -> None:
    years = {r.date.year for r in load_corpus(generated).reports}
    assert years == {2021, 2022, 2023, 2024, 2025}


def test_topics_come_from_the_taxonomy_and_glossary_is_copied(generated: Path) -> None:
    corpus = load_corpus(generated)
    source = load_corpus(MINI)
    known = {t.id for t in source.topics}
    assert all(r.topics and set(r.topics) <= known for r in corpus.reports)
    assert {t for r in corpus.reports for t in r.topics} == known
    assert corpus.glossary == source.glossary


def test_text_uses_the_source_vocabulary_and_glossary_names(generated: Path) -> None:
    corpus = load_corpus(generated)
    model = synth.language_model(load_corpus(MINI), ALL_LANGS[2])
    vocabulary = set(model.words) | {w for n in model.names for w in n.split()}
    text = " ".join(r.summaries[ALL_LANGS[2]].summary for r in corpus.reports)
    found = set(synth._WORD_RE.findall(text))
    assert {w.lower() for w in found} <= {w.lower() for w in vocabulary}
    assert any(name in text for name in model.names)


def test_same_seed_same_corpus_other_seed_other_corpus(generated: Path, tmp_path: Path) -> None:
    synth.generate(600, tmp_path / "again", seed=7, source=MINI)
    synth.generate(600, tmp_path / "other", seed=8, source=MINI)
    assert _digest(tmp_path / "again") == _digest(generated)
    assert _digest(tmp_path / "other") != _digest(generated)


def test_counts_round_up_to_whole_reports(tmp_path: Path) -> None:
    info = synth.generate(10, tmp_path / "c", seed=1, source=MINI)
    assert (info["reports"], info["documents"]) == (4, 12)
    assert len(load_corpus(tmp_path / "c").reports) == 4


def test_manifest_tells_whether_a_corpus_can_be_reused(generated: Path) -> None:
    assert synth.is_current(generated, 600, 7, MINI)
    assert not synth.is_current(generated, 603, 7, MINI)
    assert not synth.is_current(generated, 600, 8, MINI)


def test_refuses_to_replace_a_directory_that_is_not_a_synthetic_corpus(tmp_path: Path) -> None:
    (tmp_path / "precious").mkdir()
    (tmp_path / "precious" / "notes.txt").write_text("keep me")
    with pytest.raises(ValueError, match="not a synthetic corpus"):
        synth.generate(30, tmp_path / "precious", source=MINI)
    assert (tmp_path / "precious" / "notes.txt").read_text() == "keep me"


def test_the_command_line_writes_a_corpus(tmp_path: Path, capsys) -> None:
    out = tmp_path / "cli"
    assert synth.main(["--docs", "30", "--out", str(out), "--from-corpus", str(MINI)]) == 0
    assert "30 documents (10 reports" in capsys.readouterr().out
    corpus = load_corpus(out)
    assert all(dt.date(2021, 1, 1) <= r.date <= dt.date(2025, 12, 31) for r in corpus.reports)
