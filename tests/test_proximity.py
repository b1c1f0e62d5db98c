"""Proximity: unquoted words near each other rank above the same words far apart."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.engine.generation import SearchIndex
from indexer.records import SearchRequest
from indexer.search import search

MINI = Path(__file__).parent / "fixtures" / "mini"

REPORT = """\
number: {number}
date: 2024-0{number}-01
period:
  start: 2024-01-01
  end: 2024-03-31
topics: [torture]
en:
  title: Report {number}
  summary: |
    {summary}
  provenance:
    kind: original
    note: Test text.
"""
# Both hold each word once.  The short summary holds them far apart, so by BM25 alone
# (shorter field, same frequencies) it would rank first.
NEAR = (
    "Families of political prisoners asked for news while lawyers were refused access "
    "to their clients for many months and visits were cancelled without any reason given."
)
FAR = "Political pressure grew; in the regions, the courts sent more people to become prisoners."


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    corpus = tmp_path_factory.mktemp("proximity")
    for name in ("topics.yaml", "glossary.yaml"):
        shutil.copy(MINI / name, corpus / name)
    (corpus / "reports").mkdir()
    for number, summary in ((1, NEAR), (2, FAR)):
        text = REPORT.format(number=number, summary=summary)
        (corpus / "reports" / f"0{number}.yaml").write_text(text, encoding="utf-8")
    out = tmp_path_factory.mktemp("proximity-index")
    build_index(corpus, out)
    return SearchIndex(out)


def reports(index: SearchIndex, q: str) -> list[int]:
    return [hit.report for hit in search(index, SearchRequest(q=q)).hits]


def test_adjacent_words_rank_above_the_same_words_far_apart(index: SearchIndex) -> None:
    assert reports(index, "political prisoners") == [1, 2]


def test_without_proximity_the_shorter_summary_ranks_first(index: SearchIndex) -> None:
    # The words searched separately (OR) get no proximity bonus: BM25 alone decides.
    assert reports(index, "political OR prisoners") == [2, 1]


def test_a_quoted_phrase_still_requires_the_words_together(index: SearchIndex) -> None:
    assert reports(index, '"political prisoners"') == [1]
