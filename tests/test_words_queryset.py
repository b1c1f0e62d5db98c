"""The issue 24 §4 query set (``tests/querysets/words.yaml``) on the bundled corpus.

Each entry names the reports a query must find (``expect``; ``[]``: nothing), judged
per report, with the optional ``lang`` and ``year`` filters.  The set was written from
the reports' text before it was run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from indexer.engine.generation import SearchIndex
from indexer.languages import Lang
from indexer.records import SearchRequest
from indexer.search import search

QUERYSET = Path(__file__).parent / "querysets" / "words.yaml"
ENTRIES = yaml.safe_load(QUERYSET.read_text(encoding="utf-8"))


def _ids(entry: dict) -> str:
    filters = "".join(f" {k}={entry[k]}" for k in ("lang", "year") if k in entry)
    return f"{entry['q']}{filters}"


def test_the_set_is_well_formed() -> None:
    assert len(ENTRIES) >= 25
    for entry in ENTRIES:
        assert set(entry) <= {"q", "expect", "note", "lang", "year"}, entry
        assert entry["q"].strip() and entry["note"].strip()
        assert all(isinstance(n, int) for n in entry["expect"])
    # Every language is typed: Latin, Belarusian and Russian Cyrillic.
    typed = " ".join(e["q"] for e in ENTRIES)
    assert {"і", "и"} <= set(typed) and any(ch.isascii() and ch.isalpha() for ch in typed)
    assert sum(1 for e in ENTRIES if not e["expect"]) >= 3


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids)
def test_each_query_finds_its_reports(search_index: SearchIndex, entry: dict) -> None:
    req = SearchRequest(
        q=entry["q"],
        langs=(Lang(entry["lang"]),) if "lang" in entry else (),
        years=(int(entry["year"]),) if "year" in entry else (),
        per_page=50,
    )
    result = search(search_index, req)
    assert result.total == len(result.hits)
    assert sorted({hit.report for hit in result.hits}) == sorted(entry["expect"]), entry["note"]
