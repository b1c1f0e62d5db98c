"""Questions and sentences (issue 24 §1): stop words are never required, and a query
that finds nothing as a whole falls back to ranked partial matches that say what they
lack, while a query about something absent still finds nothing (indexer.engine.relax)."""

from __future__ import annotations

import numpy as np
import pytest

from indexer.languages import Lang
from indexer.records import Collapse, SearchRequest
from indexer.search import search


def run(index, q: str, **kwargs):
    return search(index, SearchRequest(q=q, collapse=Collapse.REPORT, per_page=50, **kwargs))


def reports(result) -> set[int]:
    return {hit.report for hit in result.hits}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("how many interviews", {7, 9}),
        ("сколько интервью", {7, 9}),
        ("колькі інтэрв’ю", {7, 9}),
        ("what did the OSCE Moscow Mechanism rapporteur find", {5, 7}),
        ("кто такой докладчик Московского механизма ОБСЕ", {5, 7}),
        ("хто такі Дакладчык Маскоўскага механізма АБСЕ", {5, 7}),
    ],
)
def test_a_question_is_searched_by_its_meaningful_words(search_index, q, expected):
    result = run(search_index, q)
    assert reports(result) == expected
    assert result.relaxed_dropped is None
    assert all(not hit.missing for hit in result.hits)


def test_stop_words_are_named_in_the_plan(search_index):
    from indexer.search import _plan

    plan = _plan(search_index.generation(), "how many interviews did the IAPB conduct", True)
    assert plan.stopped == ["how", "many", "did", "the"]


def test_a_stop_word_inside_quotes_still_counts(search_index):
    # "for" is required inside the phrase: "Platform of Belarus" is no phrase of the text.
    assert reports(run(search_index, '"Accountability Platform for Belarus"')) == {4, 5, 7, 8}
    assert reports(run(search_index, '"Accountability Platform of Belarus"')) == set()


def test_a_stop_word_inside_a_glossary_name_still_counts(search_index):
    from indexer.search import _plan

    q = "Office of the High Commissioner for Human Rights"
    plan = _plan(search_index.generation(), q, True)
    assert plan.stopped == []
    assert ("offic", "of", "the", "high", "commission", "for", "human", "right") in (
        plan.phrases[Lang.EN]
    )
    assert reports(run(search_index, q)) == {4, 5, 6, 7}  # OHCHR, by any of its names


def test_a_query_of_stop_words_only_is_searched_as_typed(search_index):
    from indexer.search import _plan

    plan = _plan(search_index.generation(), "who are we", True)
    assert plan.stopped == []
    assert "we" in plan.words


@pytest.mark.parametrize(
    ("q", "expected", "dropped"),
    [
        ("how many survivors demanded psychosocial support", {8, 9}, ["demanded"]),
        ("сколько пострадавших потребовали психосоциальную поддержку", {8, 9}, ["потребовали"]),
        ("колькі пацярпелых запатрабавалі псіхасацыяльную падтрымку", {8, 9}, ["запатрабавалі"]),
        ("what requests came from national authorities", {6, 7, 9}, ["national", "authorities"]),
        ("сколько свидетелей опрошено", {7, 8, 9}, ["опрошено"]),
        ("колькі сведак апытана", {7, 8, 9}, ["апытана"]),
    ],
)
def test_a_query_that_finds_nothing_falls_back_to_partial_matches(
    search_index, q, expected, dropped
):
    result = run(search_index, q)
    assert reports(result) == expected
    assert list(result.relaxed_dropped) == dropped
    for hit in result.hits:
        assert hit.missing and set(hit.missing) <= set(dropped)


def test_partial_matches_rank_the_weightier_parts_first(search_index):
    # 6 and 7 hold "requests" and "authorities", 9 "requests" and "national": all three
    # hold two of three parts, and "national" (one report) weighs more than
    # "authorities" (three reports).
    result = run(search_index, "what requests came from national authorities")
    assert result.hits[0].report == 9
    assert result.hits[0].missing == ("authorities",)


@pytest.mark.parametrize(
    "q",
    [
        "nuclear weapons in Belarus",
        "ядерное оружие в Беларуси",
        "ядзерная зброя ў Беларусі",
        "how many journalists were killed",
        "сколько журналистов убито",
        "колькі журналістаў забіта",
        "Chernobyl Belarus",
        "Чернобыль Беларусь",
        "Чарнобыль Беларусь",
    ],
)
def test_a_query_about_something_absent_still_finds_nothing(search_index, q):
    result = run(search_index, q)
    assert result.total == 0
    assert result.relaxed_dropped is None


@pytest.mark.parametrize(
    "q",
    [
        "OSCE Moscow Mechanism Kazakhstan",
        "Lukashenko elections Venezuela",
        "выборы Лукашенко Казахстан",
        "пыток Молдове",
        "выбары Лукашэнка Малдова",
        "Маскоўскі механізм АБСЕ Казахстан",
    ],
)
def test_a_place_no_report_mentions_is_never_left_out(search_index, q):
    # Every other word is in reports 5, 7 or 8; the country is in none: the query asks
    # about the country, and reports without it do not answer it.
    result = run(search_index, q)
    assert result.total == 0
    assert result.relaxed_dropped is None


def test_an_absent_word_that_names_no_place_may_still_be_left_out(search_index):
    result = run(search_index, "OSCE Moscow Mechanism appointments")
    assert reports(result) >= {5}
    assert all(hit.missing == ("appointments",) for hit in result.hits)


def test_a_word_every_report_holds_never_carries_a_match_alone(search_index):
    # "Belarus" is in every report; "Minsk" in none: not every report.
    assert run(search_index, "Minsk Belarus").total == 0


def test_a_strict_match_is_never_relaxed(search_index):
    result = run(search_index, "psychosocial support survivors")
    assert reports(result) == {8, 9}
    assert result.relaxed_dropped is None
    assert all(not hit.missing for hit in result.hits)


def test_a_correction_comes_before_relaxation(search_index):
    result = run(search_index, "ICC torure")
    assert result.corrected is not None
    assert result.relaxed_dropped is None


def test_excluded_words_stay_excluded_in_a_relaxed_search(search_index):
    result = run(search_index, "how many survivors demanded psychosocial support -clinical")
    assert reports(result) == {8}
    assert result.relaxed_dropped == ("demanded",)


def test_filters_apply_to_partial_matches(search_index):
    result = run(search_index, "how many survivors demanded psychosocial support", years=(2025,))
    assert reports(result) == {8, 9}
    result = run(search_index, "what requests came from national authorities", years=(2024,))
    assert reports(result) == {6, 7}


def test_the_api_says_what_was_relaxed(client):
    body = client.get("/api/search?q=how+many+survivors+demanded+psychosocial+support").json
    assert body["relaxed"] == {"dropped": ["demanded"]}
    assert body["total"] == 2
    assert all(hit["missing"] == ["demanded"] for hit in body["results"])


def test_the_api_answers_null_when_strict(client):
    body = client.get("/api/search?q=psychosocial+support").json
    assert body["relaxed"] is None
    assert all("missing" not in hit for hit in body["results"])
    body = client.get("/api/search?q=nuclear+weapons").json
    assert body["relaxed"] is None and body["total"] == 0


def test_openapi_describes_relaxed_and_missing(client):
    schemas = client.get("/openapi.json").json["components"]["schemas"]
    assert "relaxed" in schemas["SearchResult"]["required"]
    assert "missing" in schemas["Hit"]["properties"]
    assert "missing" not in schemas["Hit"]["required"]


@pytest.mark.parametrize(
    ("hl", "label", "note"),
    [
        ("en", "Missing:", "No report holds every word of the search"),
        ("ru", "Отсутствуют:", "Ни в одном отчёте нет всех слов запроса"),
        ("be", "Адсутнічаюць:", "Ні ў адной справаздачы няма ўсіх слоў запыту"),
    ],
)
def test_the_page_strikes_the_missing_words_in_the_interface_language(client, hl, label, note):
    page = client.get(f"/?q=how+many+survivors+demanded+psychosocial+support&hl={hl}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert body.count(f'<p class="hit-missing">{label} <s lang="en">demanded</s></p>') == 2
    assert note in body


def test_the_page_of_a_strict_search_shows_no_missing_words(client):
    body = client.get("/?q=psychosocial+support").get_data(as_text=True)
    assert "hit-missing" not in body and "relaxed-note" not in body


def test_a_suggestion_stays_beside_partial_matches(search_index):
    # "prosecutons" is unsure (prosecutions or prosecutors?): only suggested, and the
    # partial matches say what they lack.
    result = run(search_index, "prosecutons torture")
    assert result.suggestion == "prosecutions torture"
    assert result.relaxed_dropped == ("prosecutons",)
    assert reports(result) == {9}


def test_stop_words_are_never_corrected(search_index):
    result = run(search_index, "how many ICC torure requests")
    assert result.corrected is not None
    assert result.corrected.target == "how many ICC torture requests"


def test_a_question_typed_on_the_wrong_layout_reads_back(search_index):
    # «какие запросы» typed with the Latin layout: «какие» is in no report, but as a
    # stop word it is a known reading.
    result = run(search_index, "rfrbt pfghjcs")
    assert result.corrected is not None and result.corrected.target == "какие запросы"
    assert reports(result) == {6, 7, 9}


def test_verbatim_needs_every_word(search_index):
    q = "how many survivors demanded psychosocial support"
    result = run(search_index, q, verbatim=True)
    assert result.total == 0
    assert result.relaxed_dropped is None


class _Gen:
    """A generation of 20 reports with one document each, for the rule alone."""

    doc_count = 20
    reports = np.arange(20)
    versions = None


def _relax_with(monkeypatch, held: dict[str, list[int]]):
    """relax() on a conjunction of parts named as ``held``'s keys, each holding the
    documents listed."""
    from whoosh import query as wq

    from indexer.engine import relax as module

    parts = [(name, wq.Term("summary_en", name)) for name in held]

    def evaluate(gen, query, deadline, versions):
        docs = np.array(sorted(held[query.text]), dtype=np.int64)
        return (docs, np.ones(len(docs))), True

    monkeypatch.setattr(module, "evaluate", evaluate)
    query = wq.And([q for _, q in parts])
    docs, _, relaxation, _ = module.relax(_Gen(), query, parts, deadline=0.0)
    return set(docs.tolist()), relaxation


def test_the_rule_two_absent_parts_find_nothing(monkeypatch):
    docs, _ = _relax_with(monkeypatch, {"a": [1, 2], "b": [], "c": []})
    assert docs == set()


def test_the_rule_a_common_part_never_carries_a_match(monkeypatch):
    # "c" is in 18 of 20 reports (90%): common; "b" is absent; "a" is meaningful.
    common = list(range(18))
    docs, relaxation = _relax_with(monkeypatch, {"a": [19], "b": [], "c": common})
    assert docs == {19}
    assert relaxation.missing(19) == ("b", "c")
    docs, _ = _relax_with(monkeypatch, {"b": [], "c": common})
    assert docs == set()


def test_the_rule_a_match_holds_more_than_half_of_the_meaningful_parts(monkeypatch):
    held = {"a": [1, 2, 3], "b": [1, 2], "c": [1, 4], "d": [5]}
    docs, relaxation = _relax_with(monkeypatch, held)
    assert docs == {1}  # three of four; 2 holds two, not more than half
    held = {"a": [1, 2, 3], "b": [2, 3], "c": [3, 4]}
    docs, relaxation = _relax_with(monkeypatch, held)
    assert docs == {2, 3}  # two of three
    assert relaxation.dropped == ("c",)  # the one part 2 lacks


def test_stop_words_give_no_proximity_bonus(search_index):
    # Left out of the query, they are left out of the bonus for words near each other.
    def ranked(q):
        return [(hit.id, round(hit.score, 6)) for hit in run(search_index, q).hits]

    assert ranked("what is the IAPB") == ranked("IAPB")
    assert ranked("how many survivors of torture") == ranked("survivors torture")


def test_the_page_keeps_the_did_you_mean_above_partial_matches(client):
    body = client.get("/?q=prosecutons+torture").get_data(as_text=True)
    assert 'class="note suggestion"' in body and ">prosecutions torture</a>?" in body
    assert '<s lang="en">prosecutons</s>' in body
