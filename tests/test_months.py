"""Months in a query read as dates (indexer/months.py), on their own and on the corpus."""

from __future__ import annotations

import datetime as dt

import pytest

from indexer.engine.generation import SearchIndex
from indexer.languages import ALL_LANGS, Lang
from indexer.months import find_months, report_months
from indexer.query import MONTH_SCORE, plan_query
from indexer.records import SearchRequest
from indexer.search import search

# The reports' dates, copied by hand from corpus/reports/NN.yaml (date; period start, end):
#   4: 2023-05-17; 2022-10 .. 2023-03        5: 2023-11-21; 2023-04 .. 2023-09
#   6: 2024-03-31; 2023-10-01 .. 2024-03-31  7: 2024-11-07; 2024-04 .. 2024-09
#   8: 2025-05-28; 2024-10 .. 2025-03        9: 2025-11-10; 2025-04-01 .. 2025-09-30


def reports_found(index: SearchIndex, q: str, **kwargs) -> set[tuple[int, Lang]]:
    result = search(index, SearchRequest(q=q, per_page=50, **kwargs))
    assert result.total == len(result.hits)
    return {(hit.report, hit.lang) for hit in result.hits}


def everywhere(*reports: int) -> set[tuple[int, Lang]]:
    return {(r, lang) for r in reports for lang in ALL_LANGS}


@pytest.mark.parametrize(
    ("q", "reports"),
    [
        # September 2024 is the last month of report 7's period (no other report's).
        ("September 2024", (7,)),
        ("september 2024", (7,)),
        ("SEPTEMBER 2024", (7,)),
        ("Sept 2024", (7,)),
        ("2024-09", (7,)),
        ("верасень 2024", (7,)),
        ("Верасня 2024", (7,)),
        ("верасні 2024 года", (7,)),
        ("сентябрь 2024", (7,)),
        ("сентября 2024", (7,)),
        ("сентябре 2024 г.", (7,)),
        # May 2023: report 4 was published then (17 May), report 5's period (April to
        # September 2023) contains it; neither text names the month.
        ("May 2023", (4, 5)),
        ("траўня 2023", (4, 5)),
        ("мая 2023", (4, 5)),
        ("2023-05", (4, 5)),
        # November 2025: report 9 was published then; no period reaches it.
        ("November 2025", (9,)),
        ("лістапад 2025", (9,)),
        ("ноябрь 2025", (9,)),
        # March 2024: report 6's period ends and it was published (31 March 2024).
        ("March 2024", (6,)),
        # January 2025 lies inside report 8's period (October 2024 to March 2025).
        ("студзеня 2025", (8,)),
        # October 2023: report 6's period starts (5's ended in September, published in
        # November).
        ("October 2023", (6,)),
        # April 2021 is no report's month, but report 6 says "since April 2021"
        # («з красавіка 2021 года», «с апреля 2021 года»): found by its words.
        ("April 2021", (6,)),
        ("красавік 2021", (6,)),
        # No report is of December 2025 and none names it.
        ("December 2025", ()),
        ("2026-01", ()),
    ],
)
def test_a_month_finds_the_reports_of_that_month_in_every_language(
    search_index: SearchIndex, q: str, reports: tuple[int, ...]
) -> None:
    assert reports_found(search_index, q) == everywhere(*reports)


def test_a_month_is_a_date_whatever_expand_says_and_whatever_the_language_filter(
    search_index: SearchIndex,
) -> None:
    assert reports_found(search_index, "May 2023", expand=False) == everywhere(4, 5)
    assert reports_found(search_index, "сентября 2024", langs=(Lang.EN,)) == {(7, Lang.EN)}


def test_a_year_alone_is_a_word(search_index: SearchIndex) -> None:
    # "2021" is written in report 6 only ("since April 2021", «красавіка 2021», «апреля
    # 2021»); no report's dates are in 2021.
    assert plan_query("2021").dates == []
    assert reports_found(search_index, "2021") == everywhere(6)


def test_a_quoted_month_is_a_phrase_of_words(search_index: SearchIndex) -> None:
    # No text writes "May 2023", so the phrase finds nothing; the month finds 4 and 5.
    assert reports_found(search_index, '"May 2023"') == set()
    assert plan_query('"May 2023"').dates == []


def test_a_month_combines_with_other_words_and_can_be_excluded(
    search_index: SearchIndex,
) -> None:
    # Torture is named in report 9 only; its period ends in September 2025.
    assert reports_found(search_index, "torture September 2025") == everywhere(9)
    assert reports_found(search_index, "torture September 2024") == set()
    # The ICC is named in reports 7, 8 and 9; 7 is the report of September 2024.
    assert reports_found(search_index, "ICC -2024-09") == everywhere(8, 9)
    assert reports_found(search_index, "ICC NOT (September 2024)") == everywhere(8, 9)


def test_a_report_naming_the_month_scores_above_its_date_alone(search_index: SearchIndex) -> None:
    # Report 8's period runs from October 2024 to March 2025; its summaries name January
    # 2025 ("January 2025", «студзеня 2025», «января 2025») but not February 2025.
    named = search(search_index, SearchRequest(q="January 2025", per_page=50)).hits
    dated = search(search_index, SearchRequest(q="February 2025", per_page=50)).hits
    assert {h.report for h in named} == {h.report for h in dated} == {8}
    assert all(h.score == MONTH_SCORE for h in dated)
    assert all(h.score > MONTH_SCORE for h in named)


def test_the_response_says_which_months_were_read_as_dates(search_index: SearchIndex) -> None:
    result = search(search_index, SearchRequest(q="ICC верасня 2025"))
    assert result.as_dict()["months"] == [{"text": "верасня 2025", "month": "2025-09"}]
    assert search(search_index, SearchRequest(q="2025")).as_dict()["months"] == []


def test_the_snippet_marks_the_month_where_the_text_names_it(search_index: SearchIndex) -> None:
    hits = search(search_index, SearchRequest(q="September 2024", langs=(Lang.EN,))).hits
    assert "period April to <mark>September 2024</mark>." in hits[0].snippet


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("September 2024", [("September 2024", "2024-09")]),
        ("torture сентября 2024 года ICC", [("сентября 2024 года", "2024-09")]),
        ("Верасні 2025 г.", [("Верасні 2025 г.", "2025-09")]),
        ("2024-09", [("2024-09", "2024-09")]),
        ("лютага 2025 and мая 2023", [("лютага 2025", "2025-02"), ("мая 2023", "2023-05")]),
        ("2024", []),
        ("September", []),
        ("2024 September", []),  # a month name comes first
        ("2024-13", []),
        ("September 24", []),  # a year has four digits
        ("September 1850", []),  # and is one the filters accept
        ("Viasna 2023", []),  # «Вясна» (spring, and the centre's name) is no month
    ],
)
def test_months_are_found_among_typed_words(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(m.text, m.key) for m in find_months(text.split())] == expected


def test_a_report_belongs_to_each_month_of_its_period_and_its_publication_month() -> None:
    assert report_months("2022-10", "2023-03", dt.date(2023, 5, 17)) == [
        "2022-10",
        "2022-11",
        "2022-12",
        "2023-01",
        "2023-02",
        "2023-03",
        "2023-05",
    ]
    assert report_months("2023-10-01", "2024-03-31", dt.date(2024, 3, 31)) == [
        "2023-10",
        "2023-11",
        "2023-12",
        "2024-01",
        "2024-02",
        "2024-03",
    ]
