"""Cost limits (issue 6): expensive queries answer, flagged ``partial`` when a limit cut them.

No timed assertions: each search must return (no exception, no hang) and say with
``partial`` when a limit cut it.  Each limit is shown on the smallest corpus that
reaches it: the bundled corpus (the session's index) for the query-size limits and the
time limit, and the two-report test corpus with one summary crowded with words of one
prefix for the prefix limit.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.corpus.load import load_corpus
from indexer.engine.generation import SearchIndex
from indexer.languages import ALL_LANGS, Lang
from indexer.query import MAX_PREFIX_TERMS, MAX_TERMS, QueryPlan, plan_query
from indexer.records import MAX_QUERY_LENGTH, SearchRequest
from indexer.search import search
from tests.helpers import CORPUS, ROOT
from webapp.params import parse_search

MINI = ROOT / "tests" / "fixtures" / "mini"
CROWDED = MAX_PREFIX_TERMS + 16  # distinct words of one prefix in one summary


@pytest.fixture(scope="module")
def crowded_index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    """The test corpus with ``CROWDED`` distinct words starting ``co`` in one summary."""
    root = tmp_path_factory.mktemp("limits")
    shutil.copytree(MINI, root / "corpus")
    report = root / "corpus" / "reports" / "01.yaml"
    words = " ".join([f"co{a}{b}x" for a in "bdfghjklmnprstvz" for b in "aeiou"][:CROWDED])
    text = report.read_text(encoding="utf-8")
    text = text.replace("    Lukashenko’s officials were named.\n", f"    {words}\n", 1)
    report.write_text(text, encoding="utf-8")
    build_index(root / "corpus", root / "index")
    return SearchIndex(root / "index", cache_size=0)


def _request(q: str, **params: str) -> SearchRequest:
    values = {"q": [q], **{k: [v] for k, v in params.items()}}
    return parse_search(lambda name: values.get(name, []))


def _terms_per_field(plan: QueryPlan) -> Counter:
    return Counter(name for name, _ in plan.query.iter_all_terms())


def _plan(index: SearchIndex, text: str) -> QueryPlan:
    return plan_query(text, None, index.generation().searcher().reader())


def test_a_lone_letter_prefix_is_left_out_and_said_so(search_index: SearchIndex) -> None:
    # "a*" would stand for a large part of the vocabulary: not searched, and the answer
    # names it (the page says why); the rest of the query is searched.
    result = search(search_index, _request("a*"))
    assert (result.total, result.ignored, result.fallback) == (0, ("a*",), False)
    with_word = search(search_index, _request("a* torture"))
    assert with_word.total > 0 and with_word.ignored == ("a*",)


@pytest.mark.parametrize("prefix", ["co*", "пр*", "па*", "in*"])
def test_a_prefix_under_the_limit_is_searched_whole(search_index: SearchIndex, prefix: str) -> None:
    plan = _plan(search_index, prefix)
    assert not plan.truncated
    assert _terms_per_field(plan)
    assert not search(search_index, _request(prefix)).partial


def test_a_prefix_over_the_limit_stands_for_the_limit_and_is_partial(
    crowded_index: SearchIndex,
) -> None:
    reader = crowded_index.generation().searcher().reader()
    assert len(list(reader.expand_prefix("summary_en", "co"))) > MAX_PREFIX_TERMS
    plan = _plan(crowded_index, "co*")
    assert plan.truncated
    assert _terms_per_field(plan)["summary_en"] == MAX_PREFIX_TERMS
    result = search(crowded_index, _request("co*"))
    assert result.partial and result.total > 0


def test_a_query_of_a_hundred_common_words_is_cut_and_flagged(search_index: SearchIndex) -> None:
    text = " ".join(r.summaries[Lang.EN].summary for r in load_corpus(CORPUS).reports)
    short = list(dict.fromkeys(w for w in re.findall(r"[a-z]+", text) if len(w) <= 4))
    assert len(short) > MAX_TERMS
    query = " ".join((short * 100)[:100])[:MAX_QUERY_LENGTH]
    assert len(query.split()) >= 90
    result = search(search_index, _request(query))
    assert result.partial
    assert result.as_dict()["partial"] is True


def test_a_query_of_many_glossary_names_is_cut_and_flagged(search_index: SearchIndex) -> None:
    names = [n for c in load_corpus(CORPUS).glossary for lang in ALL_LANGS for n in c.names[lang]]
    text = ""
    used: set[str] = set()
    for name in names:
        # The parser drops a repeated word from an AND: names sharing none are taken.
        name_words = set(name.lower().split())
        if len(text) + len(name) + 1 > MAX_QUERY_LENGTH or name_words & used:
            continue
        used |= name_words
        text = f"{text} {name}".strip()
    assert len(text) > MAX_QUERY_LENGTH - 40
    result = search(search_index, _request(text))
    assert result.partial
    assert result.expanded


@pytest.mark.parametrize("params", [{}, {"collapse": "report"}, {"sort": "date"}])
def test_a_search_past_its_time_limit_returns_what_it_found_flagged_partial(
    index_dir: Path, params: dict[str, str]
) -> None:
    # A negative limit puts the deadline in the past before the search starts: the first
    # field searched answers, every other one is cut, whatever the machine's speed.
    hurried = SearchIndex(index_dir, cache_size=0, time_limit=-1.0)
    result = search(hurried, _request("progress", **params))
    assert result.partial
    assert result.as_dict()["partial"] is True
    assert result.total > 0
