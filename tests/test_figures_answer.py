"""The direct answer (issue 27): the question set's cards, the API's ``answer``, the
time a year filter or span selects, and the card on the search page."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from indexer.records import SearchRequest
from indexer.search import search

FIXTURES = Path(__file__).parent / "fixtures"
QUESTIONS = yaml.safe_load((FIXTURES / "figure_questions.yaml").read_text("utf-8"))["questions"]
HELD_OUT = yaml.safe_load((FIXTURES / "figure_questions_heldout.yaml").read_text("utf-8"))[
    "questions"
]


def test_the_question_set_is_large_enough_and_half_of_it_gets_no_card() -> None:
    langs = {
        "be"
        if any(c in q["q"] for c in "іўІЎ’")
        else "ru"
        if any("а" <= c <= "я" for c in q["q"].lower())
        else "en"
        for q in QUESTIONS
    }
    assert len(QUESTIONS) >= 40 and langs == {"en", "be", "ru"}
    assert sum(q["figure"] is None for q in QUESTIONS) >= len(QUESTIONS) / 2


@pytest.mark.parametrize("item", QUESTIONS + HELD_OUT, ids=lambda item: str(item["q"]))
def test_a_question_gets_the_card_of_its_measure_or_none(search_index, item) -> None:
    result = search(search_index, SearchRequest(q=str(item["q"])))
    got = result.answer.figure.id if result.answer is not None else None
    assert got == item["figure"]


def test_every_name_of_every_measure_gets_its_card_in_its_language(search_index) -> None:
    book = search_index.generation().figures
    for figure in book.figures.figures:
        for lang, names in figure.names.items():
            for name in names:
                found = book.figure_of(name)
                assert found is not None and found[0].id == figure.id, (figure.id, lang, name)


def test_the_api_answer_has_the_contract_s_fields(client) -> None:
    answer = client.get("/api/search", query_string={"q": "how many interviews"}).json["answer"]
    assert answer["figure"] == "interviews"
    assert (answer["value"], answer["qualifier"], answer["as_of"]) == (3200, "over", "2025-09")
    assert answer["report"] == 9 and answer["paragraph"].startswith("p3-")
    assert "with over <mark>3,200</mark> victims and witnesses" in answer["quote"]
    assert answer["url"] == f"/reports/r9-en#{answer['paragraph']}"
    assert answer["figure_url"] == "/figures/interviews"
    assert answer["trend"] == "2,637 → 2,775 → over 3,200"
    assert [(p["report"], p["value"], p["display"]) for p in answer["series"]] == [
        (7, 2637, "2,637"),
        (8, 2775, "2,775"),
        (9, 3200, "over 3,200"),
    ]


def test_no_answer_is_null_in_the_api(client) -> None:
    assert client.get("/api/search", query_string={"q": "torture"}).json["answer"] is None
    assert client.get("/api/search").json["answer"] is None


def test_the_quote_is_in_the_reader_s_language(client) -> None:
    query = {"q": "сколько документов собрано", "hl": "ru"}
    answer = client.get("/api/search", query_string=query).json["answer"]
    assert answer["quote_lang"] == "ru" and answer["label"] == "Документы в коллекции"
    assert "до более чем <mark>30\u00a0000</mark> документов" in answer["quote"]
    assert answer["display"] == "более 30\u00a0000"
    query = {"q": "колькі людзей атрымалі псіхасацыяльную падтрымку", "hl": "be"}
    answer = client.get("/api/search", query_string=query).json["answer"]
    assert (answer["figure"], answer["value"], answer["quote_lang"]) == (
        "psychosocial-support",
        717,
        "be",
    )
    assert "<mark>717</mark> пацярпелых" in answer["quote"]
    assert answer["trend"] == "88 (за перыяд) → 717"


@pytest.mark.parametrize(
    ("query", "value", "report"),
    [
        ({"q": "interviews", "year": "2024"}, 2637, 7),
        ({"q": "interviews", "year_from": "2025", "year_to": "2025"}, 3200, 9),
        ({"q": "interviews", "date_to": "2025-06-30"}, 2775, 8),
        ({"q": "interviews 2024"}, 2637, 7),
        ({"q": "number of States supported", "year": "2024"}, 4, 6),
        # "since 2020" is part of what is counted, not a time asked about.
        ({"q": "convictions since 2020"}, 7500, 9),
        ({"q": "приговоры с 2020 года"}, 7500, 9),
    ],
)
def test_a_year_filter_or_span_selects_the_value_of_that_time(client, query, value, report):
    answer = client.get("/api/search", query_string=query).json["answer"]
    assert (answer["value"], answer["report"]) == (value, report)


def test_no_card_when_the_measure_has_no_value_in_the_time_asked(client) -> None:
    query = {"q": "interviews", "year": "2023"}
    assert client.get("/api/search", query_string=query).json["answer"] is None


def test_the_search_page_shows_the_card_above_the_hits(client) -> None:
    page = client.get("/", query_string={"q": "interviews"}).get_data(as_text=True)
    card = page.index('class="answer-card"')
    assert card < page.index('class="hits"')
    assert "over 3,200" in page and "Trend: 2,637 → 2,775 → over 3,200" in page
    assert "with over <mark>3,200</mark> victims" in page
    assert 'href="/figures/interviews?hl=en"' in page
    assert 'href="/reports/r9-en?hl=en#p3-' in page


def test_the_card_is_in_the_interface_language(client) -> None:
    page = client.get("/", query_string={"q": "сколько интервью", "hl": "ru"}).get_data(
        as_text=True
    )
    assert "Интервью с пострадавшими и свидетелями" in page
    assert "более 3\u00a0200" in page and 'lang="ru"' in page


def test_no_card_on_a_search_that_asks_for_no_measure(client) -> None:
    page = client.get("/", query_string={"q": "torture"}).get_data(as_text=True)
    assert "answer-card" not in page


def test_the_card_benchmark_reports_cost_precision_and_recall(capsys) -> None:
    from bench.figures import main

    assert main(["--rounds", "1"]) == 0
    out = capsys.readouterr().out
    for name in ("precision", "recall", "cold mean µs", "warm mean µs", "uncached search"):
        assert name in out


def test_the_command_line_search_prints_the_answer(index_dir, capsys) -> None:
    from indexer.cli import main

    assert main(["search", "how many interviews", "--index", str(index_dir)]) == 0
    out = capsys.readouterr().out
    assert (
        "answer: Interviews with survivors and witnesses: over 3,200 interviews "
        "(by 2025-09, report 9; trend 2,637 → 2,775 → over 3,200)"
    ) in out
    assert main(["search", "torture", "--index", str(index_dir)]) == 0
    assert "answer:" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("query", "unit"),
    [
        ({"q": "number of States supported", "year": "2024", "hl": "be"}, "дзяржавы"),  # 4
        ({"q": "number of States supported", "hl": "be"}, "дзяржаў"),  # 6
        ({"q": "number of States supported", "year": "2024", "hl": "ru"}, "государства"),
        ({"q": "OSCE requests", "hl": "en"}, "request"),  # 1
        ({"q": "requests", "hl": "en"}, "requests"),  # 11
        ({"q": "interviews", "hl": "be"}, "інтэрв’ю"),  # invariable
    ],
)
def test_the_unit_agrees_with_the_value(client, query, unit) -> None:
    assert client.get("/api/search", query_string=query).json["answer"]["unit"] == unit


@pytest.mark.parametrize(
    "name", ["interviews", "testimonies", "witnesses", "сведки", "сведак", "интервью", "показания"]
)
def test_the_issue_s_ways_of_asking_for_interviews_get_its_card(search_index, name) -> None:
    # «сведки»: the Belarusian word typed on a keyboard without і.
    assert search_index.generation().figures.figure_of(name)[0].id == "interviews"
