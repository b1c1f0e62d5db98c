"""Dates as people type them (indexer/dates.py, issue 24 §2): read among a query's words,
matched against the reports' periods and publication days, named in the answer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.dates import find_dates, report_date_keys
from indexer.engine.generation import SearchIndex
from indexer.languages import Lang
from indexer.query import plan_query
from indexer.records import SearchRequest
from indexer.search import search

QUERYSET = Path(__file__).resolve().parent / "querysets" / "dates.yaml"
CASES = yaml.safe_load(QUERYSET.read_text(encoding="utf-8"))
D = dt.date


def reports(index: SearchIndex, q: str, **kwargs) -> set[int]:
    result = search(index, SearchRequest(q=q, per_page=50, **kwargs))
    assert result.total == len(result.hits)
    return {hit.report for hit in result.hits}


def test_the_query_set_is_well_formed() -> None:
    assert len(CASES) >= 30
    for case in CASES:
        assert set(case) <= {"q", "expect", "note", "lang", "year"}, case
        assert isinstance(case["q"], str) and case["q"].strip(), case
        assert all(isinstance(n, int) for n in case["expect"]), case
        assert case.get("note"), case


@pytest.mark.parametrize("case", CASES, ids=[c["q"] for c in CASES])
def test_each_query_of_the_set_finds_its_reports(search_index: SearchIndex, case: dict) -> None:
    kwargs = {}
    if "lang" in case:
        kwargs["langs"] = (Lang(case["lang"]),)
    if "year" in case:
        kwargs["years"] = (int(case["year"]),)
    assert reports(search_index, case["q"], **kwargs) == set(case["expect"]), case["note"]


# (typed, [(text read as a date, first day, last day)]): a month of any year has no days.
@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("2024 October", [("2024 October", D(2024, 10, 1), D(2024, 10, 31))]),
        ("October 2024", [("October 2024", D(2024, 10, 1), D(2024, 10, 31))]),
        ("2024 кастрычнік", [("2024 кастрычнік", D(2024, 10, 1), D(2024, 10, 31))]),
        ("10.2024", [("10.2024", D(2024, 10, 1), D(2024, 10, 31))]),
        ("10/2024", [("10/2024", D(2024, 10, 1), D(2024, 10, 31))]),
        ("2024/10", [("2024/10", D(2024, 10, 1), D(2024, 10, 31))]),
        ("1.4.2025", [("1.4.2025", D(2025, 4, 1), D(2025, 4, 1))]),
        ("01.04.2025", [("01.04.2025", D(2025, 4, 1), D(2025, 4, 1))]),
        ("2025-04-01", [("2025-04-01", D(2025, 4, 1), D(2025, 4, 1))]),
        ("1/4/2025", [("1/4/2025", D(2025, 4, 1), D(2025, 4, 1))]),
        # Month first only when the day cannot be a month.
        ("4/13/2025", [("4/13/2025", D(2025, 4, 13), D(2025, 4, 13))]),
        ("1 April 2025", [("1 April 2025", D(2025, 4, 1), D(2025, 4, 1))]),
        ("April 1, 2025", [("April 1, 2025", D(2025, 4, 1), D(2025, 4, 1))]),
        ("1st April 2025", [("1st April 2025", D(2025, 4, 1), D(2025, 4, 1))]),
        ("1 апреля 2025 года", [("1 апреля 2025 года", D(2025, 4, 1), D(2025, 4, 1))]),
        ("1 красавіка 2025", [("1 красавіка 2025", D(2025, 4, 1), D(2025, 4, 1))]),
        ("в октябре 2024", [("в октябре 2024", D(2024, 10, 1), D(2024, 10, 31))]),
        ("у кастрычніку 2024", [("у кастрычніку 2024", D(2024, 10, 1), D(2024, 10, 31))]),
        ("за октябрь", [("за октябрь", None, None)]),
        ("ў кастрычніку", [("ў кастрычніку", None, None)]),
        ("in May", [("in May", None, None)]),
        ("H2 2023", [("H2 2023", D(2023, 7, 1), D(2023, 12, 31))]),
        ("2023 H2", [("2023 H2", D(2023, 7, 1), D(2023, 12, 31))]),
        ("Q3 2024", [("Q3 2024", D(2024, 7, 1), D(2024, 9, 30))]),
        ("Q3/2024", [("Q3/2024", D(2024, 7, 1), D(2024, 9, 30))]),
        ("second half of 2023", [("second half of 2023", D(2023, 7, 1), D(2023, 12, 31))]),
        (
            "вторая половина 2023 года",
            [("вторая половина 2023 года", D(2023, 7, 1), D(2023, 12, 31))],
        ),
        ("другое паўгоддзе 2023", [("другое паўгоддзе 2023", D(2023, 7, 1), D(2023, 12, 31))]),
        (
            "у другім паўгоддзі 2023 года",
            [("у другім паўгоддзі 2023 года", D(2023, 7, 1), D(2023, 12, 31))],
        ),
        ("III квартал 2024", [("III квартал 2024", D(2024, 7, 1), D(2024, 9, 30))]),
        ("3-й квартал 2024", [("3-й квартал 2024", D(2024, 7, 1), D(2024, 9, 30))]),
        ("у трэцім квартале 2024", [("у трэцім квартале 2024", D(2024, 7, 1), D(2024, 9, 30))]),
        ("autumn 2024", [("autumn 2024", D(2024, 9, 1), D(2024, 11, 30))]),
        ("осенью 2024", [("осенью 2024", D(2024, 9, 1), D(2024, 11, 30))]),
        ("увосень 2024", [("увосень 2024", D(2024, 9, 1), D(2024, 11, 30))]),
        ("ўвосень 2024", [("ўвосень 2024", D(2024, 9, 1), D(2024, 11, 30))]),
        ("весной 2023 года", [("весной 2023 года", D(2023, 3, 1), D(2023, 5, 31))]),
        ("winter 2024", [("winter 2024", D(2023, 12, 1), D(2024, 2, 29))]),
        ("April to September 2024", [("April to September 2024", D(2024, 4, 1), D(2024, 9, 30))]),
        (
            "з красавіка па верасень 2024 года",
            [("з красавіка па верасень 2024 года", D(2024, 4, 1), D(2024, 9, 30))],
        ),
        (
            "October 2024 to March 2025",
            [("October 2024 to March 2025", D(2024, 10, 1), D(2025, 3, 31))],
        ),
        # Spans of days; the start's year may be left to the end.
        (
            "1 October 2023 to 31 March 2024",
            [("1 October 2023 to 31 March 2024", D(2023, 10, 1), D(2024, 3, 31))],
        ),
        (
            "between 1 October 2023 and 31 March 2024",
            [("between 1 October 2023 and 31 March 2024", D(2023, 10, 1), D(2024, 3, 31))],
        ),
        (
            "з 1 красавіка па 30 верасня 2025 года",
            [("з 1 красавіка па 30 верасня 2025 года", D(2025, 4, 1), D(2025, 9, 30))],
        ),
        (
            "30 September to 1 April 2025",
            [("30 September to 1 April 2025", D(2024, 9, 30), D(2025, 4, 1))],
        ),
        ("II полугодие 2023", [("II полугодие 2023", D(2023, 7, 1), D(2023, 12, 31))]),
        ("the second half of 2023", [("the second half of 2023", D(2023, 7, 1), D(2023, 12, 31))]),
        # The other words stay words; each date is read where it stands.
        (
            "torture in the first quarter of 2024",
            [("in the first quarter of 2024", D(2024, 1, 1), D(2024, 3, 31))],
        ),
        (
            "ICC 2023-05 and 1 April 2025",
            [
                ("2023-05", D(2023, 5, 1), D(2023, 5, 31)),
                ("1 April 2025", D(2025, 4, 1), D(2025, 4, 1)),
            ],
        ),
        # No date: a year alone, a month alone without a preposition, an impossible day,
        # a number next to a word that is no month, a season without a year.
        ("2024", []),
        ("may constitute crimes", []),
        ("октябрь", []),
        ("31.02.2025", []),
        ("13.2024", []),
        ("2 states", []),
        ("2,637 interviews", []),
        ("весной", []),
        ("Q5 2024", []),
        ("third half of 2024", []),
        ("the torture", []),
        ("1 April to 2025", []),
    ],
)
def test_dates_are_read_among_the_typed_words(typed: str, read: list[tuple]) -> None:
    found = [(m.text, m.first, m.last) for m in find_dates(typed.split())]
    assert found == read


def test_a_day_is_one_date_not_a_required_number(search_index: SearchIndex) -> None:
    plan = plan_query("1 April 2025")
    assert [(m.first, m.last, m.day) for m in plan.dates] == [(D(2025, 4, 1), D(2025, 4, 1), True)]
    # "1" is not searched as a word: every summary has no "1", yet report 9 is found.
    assert reports(search_index, "1 April 2025") == {9}
    assert reports(search_index, "April 1, 2025", langs=(Lang.RU,)) == {9}


def test_the_day_narrows_a_month_to_the_period_or_publication_holding_it(
    search_index: SearchIndex,
) -> None:
    # May 2025: report 8 was published in it (28 May), report 9's period holds it.
    assert reports(search_index, "May 2025") == {8, 9}
    assert reports(search_index, "28 May 2025") == {8, 9}
    assert reports(search_index, "27 May 2025") == {9}
    # 10 November 2025: report 9's publication day, outside every period.
    assert reports(search_index, "10.11.2025") == {9}
    assert reports(search_index, "11.11.2025") == set()


def test_report_date_keys_hold_months_periods_and_the_publication_day() -> None:
    keys = report_date_keys("2024-10", "2025-03", D(2025, 5, 28))
    assert keys[:7] == ["2024-10", "2024-11", "2024-12", "2025-01", "2025-02", "2025-03", "2025-05"]
    assert "--05" in keys and "--10" in keys and "--06" not in keys
    assert "period:2025-03" in keys and "period:2025-05" not in keys
    assert "published:2025-05-28" in keys


def test_the_answer_names_the_dates_it_understood(search_index: SearchIndex) -> None:
    body = search(search_index, SearchRequest(q="torture Q3 2025")).as_dict()
    assert body["dates"] == [{"from": "2025-07-01", "to": "2025-09-30", "text": "Q3 2025"}]
    assert body["months"] == []  # a quarter is no single month
    body = search(search_index, SearchRequest(q="за октябрь")).as_dict()
    assert body["dates"] == [{"from": None, "to": None, "text": "за октябрь", "month": 10}]
    body = search(search_index, SearchRequest(q="верасня 2025")).as_dict()
    assert body["dates"] == [{"from": "2025-09-01", "to": "2025-09-30", "text": "верасня 2025"}]
    assert body["months"] == [{"text": "верасня 2025", "month": "2025-09"}]
    assert search(search_index, SearchRequest(q="2025")).as_dict()["dates"] == []


def test_a_quoted_date_is_a_phrase_and_a_date_can_be_excluded(search_index: SearchIndex) -> None:
    assert plan_query('"Q3 2024"').dates == []
    # The ICC is named in 7, 8 and 9; 8's period holds October 2024.
    assert reports(search_index, "ICC -10.2024") == {7, 9}
    assert reports(search_index, "ICC NOT (autumn 2024)") == {9}


def test_a_season_next_to_a_year_is_never_viasna(search_index: SearchIndex) -> None:
    for q in ("весной 2023", "вясна 2023", "2023 Вясна", "увесну 2023"):
        result = search(search_index, SearchRequest(q=q))
        assert result.expanded == (), q
        assert {h.report for h in result.hits} == {4, 5}, q
    # «весной»/«вясной» alone ("in spring") are seasons too; «Вясна» names the centre.
    for q in ("весной", "вясной", "Весною"):
        assert search(search_index, SearchRequest(q=q)).expanded == (), q
    assert "Viasna" in search(search_index, SearchRequest(q="Вясна")).expanded
    assert "Viasna" in search(search_index, SearchRequest(q='"весна"')).expanded


_DATE_WORDS = (
    "1 01 31 2023 2024 2025 1899 3000 April апреля красавіка October кастрычніку May мая "
    "Q3 H2 III 3-й second вторая другім half половина паўгоддзі quarter квартал autumn "
    "осенью увосень весной winter to по па з с from between and the of in в у ў за года г. "
    "10.2024 1.4.2025 31.02.2025 2025-04-01 4/13/2025 13/13/2025 2024/10 torture ICC - –"
).split()


@given(st.lists(st.sampled_from(_DATE_WORDS) | st.text(max_size=12), max_size=12))
@settings(max_examples=400, deadline=None)
def test_any_words_give_ordered_non_overlapping_dates(typed: list[str]) -> None:
    end = 0
    for mention in find_dates(typed):
        assert end <= mention.start < mention.end <= len(typed)
        assert mention.text == " ".join(typed[mention.start : mention.end])
        end = mention.end
        if mention.first is None:
            assert mention.last is None and 1 <= mention.month <= 12
        else:
            assert mention.first <= mention.last
            assert mention.keys()
        assert mention.span.as_dict()["text"] == mention.text


def test_dates_stay_whole_beside_operators(search_index: SearchIndex) -> None:
    # Whoosh binds OR tighter than words: without grouping, "September 2024 OR May 2023"
    # was September AND (2024 OR May) AND 2023 and found nothing.  September 2024 is in
    # report 7's period; May 2023 in 5's, and 4 was published then.
    assert reports(search_index, "September 2024 OR May 2023") == {4, 5, 7}
    assert reports(search_index, "Q3 2024 OR Q4 2024") == {7, 8}
    assert [m.text for m in plan_query("torture OR в октябре 2024").dates] == ["в октябре 2024"]
    # NOT applies to the whole date: the ICC's reports (7, 8, 9) but 9.
    assert reports(search_index, "ICC NOT 1 April 2025") == {7, 8}
    # Quoted text is left alone: the phrase "May 2023" is in no text.
    assert reports(search_index, '"May 2023" OR torture') == {9}
