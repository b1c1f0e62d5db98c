"""A term over time (issue 11, item 6): mentions and matching documents per report.

The expected numbers were counted by hand in the corpus YAML before running:

- "ICC" (names: ICC, International Criminal Court, Міжнародны крымінальны суд, МКС,
  Международный уголовный суд, МУС): reports 4, 5, 6 never name it; 7, 8 and 9 name it
  once in each language, always as "<full name> (<acronym>)" in be/ru ("Міжнароднага
  крымінальнага суда (МКС)"): one mention per document, 3 per report.
- "OSCE": report 5 says "OSCE Moscow Mechanism Rapporteur" twice in English and
  "АБСЕ"/"ОБСЕ" twice in be/ru: 6; report 7 once per language: 3.
- "Moscow Mechanism": the same places; its names nest ("OSCE Moscow Mechanism",
  "Маскоўскі механізм АБСЕ") and count once: 6 in report 5, 3 in report 7.
- "IAPB" in report 7: "International Accountability Platform for Belarus (IAPB)" (one
  mention), then "the IAPB continued" and "The IAPB received"; the same three in be and
  ru: 9.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import pytest
from test_pages import get_page, query

from indexer.engine import timeline as timeline_module
from indexer.engine.generation import SearchIndex
from indexer.engine.timeline import mentions, positive_leaves
from indexer.query import plan_query
from indexer.records import SearchRequest
from indexer.search import estimate_cost, search

PERIODS = {
    4: ("2022-10", "2023-03"),
    5: ("2023-04", "2023-09"),
    6: ("2023-10-01", "2024-03-31"),
    7: ("2024-04", "2024-09"),
    8: ("2024-10", "2025-03"),
    9: ("2025-04-01", "2025-09-30"),
}


def timeline(client, params: str) -> dict[int, tuple[int, int]]:
    response = client.get(f"/api/search?timeline=1&{params}")
    assert response.status_code == 200, response.get_json()
    points = response.get_json()["timeline"]
    for point in points:
        assert (point["period_start"], point["period_end"]) == PERIODS[point["report"]]
    assert [p["report"] for p in points] == sorted(p["report"] for p in points)
    return {p["report"]: (p["mentions"], p["documents"]) for p in points}


def none_but(**found: tuple[int, int]) -> dict[int, tuple[int, int]]:
    return {n: found.get(f"r{n}", (0, 0)) for n in PERIODS}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("q=ICC", none_but(r7=(3, 3), r8=(3, 3), r9=(3, 3))),
        ("q=OSCE", none_but(r5=(6, 3), r7=(3, 3))),
        ("q=Moscow+Mechanism", none_but(r5=(6, 3), r7=(3, 3))),
        ('q="Moscow Mechanism"', none_but(r5=(6, 3), r7=(3, 3))),
        ("q=ICC&lang=en", none_but(r7=(1, 1), r8=(1, 1), r9=(1, 1))),
        # Filters choose the reports listed and the documents counted.
        (
            "q=OSCE&lang=ru&year_to=2024",
            {4: (0, 0), 5: (2, 1), 6: (0, 0), 7: (1, 1)},
        ),
        ("q=ICC&topic=torture", {9: (3, 3)}),
        ("q=ICC&year_from=2025&collapse=report", {8: (3, 3), 9: (3, 3)}),
    ],
)
def test_mentions_and_documents_per_report_are_the_hand_counts(client, params, expected):
    assert timeline(client, params) == expected


def test_icc_appears_from_report_7_on(client) -> None:
    counts = timeline(client, "q=ICC")
    assert [n for n, (mentions, _) in counts.items() if mentions] == [7, 8, 9]


def test_a_name_with_its_acronym_beside_it_is_one_mention(client) -> None:
    assert timeline(client, "q=IAPB")[7] == (9, 3)


def test_the_documents_add_up_to_the_total(client) -> None:
    for q in ("ICC", "torture", "Lukashenka", "пыткі", "Viasna", "OHCHR"):
        body = client.get(f"/api/search?timeline=1&q={q}").get_json()
        assert sum(p["documents"] for p in body["timeline"]) == body["total"], q
        assert all(p["mentions"] >= p["documents"] for p in body["timeline"]), q


def test_the_timeline_is_given_only_when_asked(client) -> None:
    assert "timeline" not in client.get("/api/search?q=ICC").get_json()
    assert "timeline" not in client.get("/api/search?q=ICC&timeline=0").get_json()
    body = client.get("/api/search?q=ICC&timeline=1").get_json()
    assert body["timeline_truncated"] is False
    assert client.get("/api/search?timeline=1").get_json()["timeline"] == []  # no term
    error = client.get("/api/search?q=ICC&timeline=yes").get_json()["error"]
    assert error["param"] == "timeline"


def test_excluded_words_are_not_counted() -> None:
    plan = plan_query("OSCE -torture")
    leaves = list(positive_leaves(plan.query))
    assert leaves and not any("tortur" in str(leaf) for leaf in leaves)


def test_past_the_limit_the_newest_reports_are_listed(index_dir, monkeypatch) -> None:
    monkeypatch.setattr(timeline_module, "TIMELINE_LIMIT", 2)
    result = search(SearchIndex(index_dir), SearchRequest(q="ICC", timeline=True))
    assert [p.report for p in result.timeline] == [8, 9]
    assert result.timeline_truncated


def test_counting_mentions_costs_position_reads_once_per_generation(index_dir) -> None:
    index = SearchIndex(index_dir)  # a fresh generation: nothing read yet
    plain = SearchRequest(q="Moscow Mechanism")
    asked = dataclasses.replace(plain, timeline=True)
    assert estimate_cost(index, asked) > estimate_cost(index, plain) > 0
    search(index, asked)
    assert estimate_cost(index, asked) == 0  # the answer is cached
    again = dataclasses.replace(asked, per_page=5)  # not cached, but its positions are
    assert estimate_cost(index, again) == estimate_cost(
        index, dataclasses.replace(plain, per_page=5)
    )


def test_past_the_deadline_the_words_left_are_not_counted(search_index) -> None:
    gen = search_index.generation()
    plan = plan_query("ICC", gen.glossary, gen.searcher().reader())
    docs = np.arange(gen.doc_count, dtype=np.int64)
    counts, complete = mentions(gen, plan.query, docs, time.monotonic() - 1)
    assert not complete and not counts.any()
    counts, complete = mentions(gen, plan.query, docs, time.monotonic() + 60)
    assert complete and counts.sum() == 9


def test_the_search_page_draws_the_timeline_with_its_table(client) -> None:
    body, page = get_page(client, "/?q=ICC&hl=en")
    (svg,) = page.find("svg", class_="timeline-chart")
    assert svg["role"] == "img"
    assert svg["aria-label"] == (
        "Mentions of “ICC” per report: No. 4: 0, No. 5: 0, No. 6: 0, No. 7: 3, No. 8: 3, No. 9: 3"
    )
    row = '<tr><th scope="row">No. 7</th><td>April 2024 – September 2024</td><td>3</td><td>3</td>'
    assert row in body
    assert (
        '<tr><th scope="row">No. 4</th><td>October 2022 – March 2023</td><td>0</td><td>0</td></tr>'
        in body
    )
    assert "No. 7, April 2024 – September 2024: 3 mentions, 3 matching documents" in page.text
    # The page's JSON twin has the timeline too; its other links do not carry it.
    (twin,) = [a["href"] for a in page.find("a", type="application/json")]
    assert query(twin)["timeline"] == ["1"]
    others = [h for h in page.hrefs() if h.startswith("/?")]
    assert others and not any("timeline" in query(h) for h in others)
    (feed,) = [a["href"] for a in page.find("a", class_="feed-link")]
    assert "timeline" not in query(feed)


def test_the_timeline_is_translated(client) -> None:
    _, page = get_page(client, "/?q=ICC&hl=be")
    assert "Згадкі «ICC» па справаздачах" in page.text
    assert "№ 7, красавік 2024 – верасень 2024: 3 згадкі, 3 знойдзеныя дакументы" in page.text
    _, page = get_page(client, "/?q=OSCE&lang=ru&hl=ru")
    assert "№ 5" in page.text and "2 упоминания, 1 найденный документ" in page.text


@pytest.mark.parametrize("url", ["/?hl=en", "/?q=zzzzqqq&hl=en"])
def test_no_timeline_without_a_query_or_without_results(client, url) -> None:
    _, page = get_page(client, url)
    assert not page.find("svg", class_="timeline-chart")
