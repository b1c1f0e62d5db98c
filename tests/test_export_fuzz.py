"""Exports under hostile text: queries crafted to break out of a comment or a field, and
records whose titles and snippets hold any characters, are read back by parsers that are
not ours (pybtex and bibtexparser for BibTeX, rispy for RIS, the csv and json modules,
jsonschema with the published CSL-JSON schema, see ``tests/fixtures/csl/README.md``)
with exactly the records written and no others; no header carries the raw query."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pybtex.database import parse_string as pybtex_parse

from indexer.languages import Lang
from webapp.citation import (
    CitedReport,
    safe_cell,
    to_bibtex,
    to_csl_json,
    to_csv,
    to_json,
    to_ris,
)

CSL_SCHEMA = json.loads(
    (Path(__file__).parent / "fixtures" / "csl" / "csl-data.json").read_text(encoding="utf-8")
)
ACCESSED = dt.date(2026, 1, 2)
ATTACKS = [
    'ICC } @misc(evil, title = "Injected entry", url = "http://evil.example/x")',
    "ICC } @misc{evil, title={Injected}}",
    "}}}} @comment{ @article{x,",
    "torture\r\nTY  - JOUR\r\nTI  - injected\r\nER  - \r\n",
    "torture\nER  - \nTY  - JOUR",
    '"], "results": [{"id": "evil"}], "x": ["',
    '=HYPERLINK("http://evil.example")',
    "\\end{document} \\input{/etc/passwd} % # & _ ^ ~ $",
    "a\x00b\x1bc\x7fd\u2028e\u0085f",
    "Лукашенко } @misc{зло,",
]
# Characters that matter to one format or another, mixed with ordinary letters.
HOSTILE = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("{}@()\\%#&_^~$\"',=+-\r\n\t\x00\x0b\x1b\x1c\x85\u2028 ")),
        st.characters(blacklist_categories=("Cs",)),
    ),
    max_size=60,
)
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _record(i: int, title: str, snippet: str) -> CitedReport:
    return CitedReport(
        id=f"r{i}-en", report=i, lang=Lang.EN, title=title, date=dt.date(2024, 1, 2),
        period_start="2023-06", period_end="2023-12", topics=("icc",),
        url=f"http://localhost/reports/r{i}-en", source_url=None, translated=False,
        snippet=snippet,
    )  # fmt: skip


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _check_all_formats(records: list[CitedReport], note: str) -> None:
    keys = [r.key for r in records]
    bibtex = "".join(to_bibtex(records, ACCESSED, note))
    assert list(pybtex_parse(bibtex, "bibtex").entries) == keys
    library = bibtexparser.parse_string(bibtex)
    assert library.failed_blocks == [] and [e.key for e in library.entries] == keys

    entries = rispy.loads("".join(to_ris(records, ACCESSED)))
    assert [e["id"] for e in entries] == keys
    assert [e.get("title", "") for e in entries] == [_one_line(r.title) for r in records]

    rows = list(csv.reader(io.StringIO("".join(to_csv(records)), newline="")))
    assert len(rows) == len(records) + 1
    assert [row[2] for row in rows[1:]] == [safe_cell(r.title) for r in records]

    data = json.loads("".join(to_json(records, {"query": note})))
    assert data["query"] == note
    assert [d["title"] for d in data["results"]] == [r.title for r in records]

    items = json.loads("".join(to_csl_json(records, ACCESSED)))
    jsonschema.validate(items, CSL_SCHEMA)
    assert [(i["id"], i["title"]) for i in items] == [(r.key, r.title) for r in records]


@FUZZ
@given(titles=st.lists(HOSTILE, min_size=1, max_size=3), snippet=HOSTILE, note=HOSTILE)
def test_any_text_in_records_and_notes_reads_back_as_exactly_the_records(titles, snippet, note):
    records = [_record(i + 1, title, snippet) for i, title in enumerate(titles)]
    _check_all_formats(records, note)


@pytest.mark.parametrize("attack", ATTACKS)
def test_known_attacks_in_records_and_notes_read_back_as_exactly_the_records(attack):
    _check_all_formats([_record(1, attack, attack), _record(2, "ICC", attack)], attack)


def test_the_corpus_text_reads_back_in_every_format(client):
    # Every document of the bundled corpus, with its snippets, through the HTTP export.
    data = client.get("/export?format=json").get_json()
    keys = [f"iapb-{r['id']}" for r in data["results"]]
    assert len(keys) == 18
    bibtex = client.get("/export?format=bibtex").get_data(as_text=True)
    assert list(pybtex_parse(bibtex, "bibtex").entries) == keys
    assert [e.key for e in bibtexparser.parse_string(bibtex).entries] == keys
    ris = rispy.loads(client.get("/export?format=ris").get_data(as_text=True))
    assert [e["id"] for e in ris] == keys
    jsonschema.validate(client.get("/export?format=csl-json").get_json(), CSL_SCHEMA)


_HEADER_SAFE = re.compile(r"[\x20-\x7e]*")


def _export(client, query: str, fmt: str):
    response = client.get("/export", query_string={"q": query, "format": fmt})
    assert response.status_code in (200, 400), response.get_data(as_text=True)
    return response


def _check_headers(response, query: str) -> None:
    for name, value in response.headers.items():
        assert _HEADER_SAFE.fullmatch(value), (name, value)
        if re.search(r"[^\w\s-]", query) and len(query.strip()) > 3:
            assert query.strip() not in value, (name, value)


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_hostile_query_injects_nothing_into_any_export(client, attack):
    query = f"ICC {attack}"
    json_response = _export(client, query, "json")
    if json_response.status_code == 400:  # refused as a whole (a NUL character, say)
        return
    keys = [f"iapb-{r['id']}" for r in json_response.get_json()["results"]]
    for fmt in ("csv", "json", "bibtex", "ris", "csl-json"):
        response = _export(client, query, fmt)
        _check_headers(response, query)
    bibtex = _export(client, query, "bibtex").get_data(as_text=True)
    assert list(pybtex_parse(bibtex, "bibtex").entries) == keys
    library = bibtexparser.parse_string(bibtex)
    assert library.failed_blocks == [] and [e.key for e in library.entries] == keys
    ris = rispy.loads(_export(client, query, "ris").get_data(as_text=True))
    assert [e["id"] for e in ris] == keys
    jsonschema.validate(_export(client, query, "csl-json").get_json(), CSL_SCHEMA)


@FUZZ
@given(query=HOSTILE)
def test_any_query_injects_nothing_into_bibtex_or_the_headers(client, query):
    response = _export(client, query, "bibtex")
    if response.status_code == 400:
        return
    _check_headers(response, query)
    bibtex = response.get_data(as_text=True)
    assert all(key.startswith("iapb-r") for key in pybtex_parse(bibtex, "bibtex").entries)
    assert bibtexparser.parse_string(bibtex).failed_blocks == []
