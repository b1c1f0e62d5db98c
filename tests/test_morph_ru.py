"""Russian by its dictionary lemmas (pymorphy3): the analyser, its pickle, its cost."""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from indexer import morph_ru
from indexer.analysis import analyze, analyzer, spans, stem, token_term
from indexer.build import build_index
from indexer.languages import Lang
from tests.helpers import CORPUS


@pytest.mark.parametrize(
    "forms",
    [
        # A fleeting vowel: Snowball gave "пытк" and "пыток".
        ["пытки", "пыток", "пытками", "пытка"],
        ["выборы", "выборов", "выборах"],
        ["доказательства", "доказательств", "доказательствами"],
        ["преследование", "преследования", "преследований"],
        ["Беларусь", "Беларуси", "Беларусью"],
        ["свидетель", "свидетелей", "свидетелями"],
        # ё and е are one letter in the index.
        ["политзаключённые", "политзаключенных", "политзаключенным"],
    ],
)
def test_the_forms_of_a_word_share_one_term(forms: list[str]) -> None:
    terms = {stem(form, Lang.RU) for form in forms}
    assert len(terms) == 1, terms


def test_different_words_sharing_a_stem_stay_apart() -> None:
    # Snowball cuts "правый" (right, adjective) and "право" (a right) to "прав".
    assert stem("правый", Lang.RU) != stem("право", Lang.RU)
    # and "уголовный" (criminal) and "уголовник" (a criminal) to "уголовн".
    assert stem("уголовного", Lang.RU) != stem("уголовника", Lang.RU)


def test_a_word_without_cyrillic_letters_is_its_own_term() -> None:
    assert analyze("МУС ICC 2024 30,000", Lang.RU) == ["мус", "icc", "2024", "30000"]


def test_the_term_is_the_lemma_of_the_first_parse() -> None:
    assert analyze("Пытки и задержания свидетелей", Lang.RU) == [
        "пытка",
        "и",
        "задержание",
        "свидетель",
    ]


def test_the_analyser_pickles_as_a_reference_without_the_dictionary() -> None:
    chain = analyzer(Lang.RU)
    data = pickle.dumps(chain)
    assert len(data) < 2000
    assert b"pymorphy3" not in data and b"MorphAnalyzer" not in data
    again = pickle.loads(data)
    assert again == chain
    assert [t.text for t in again("пыток")] == ["пытка"]
    # The build's one-token-at-a-time path recognises an unpickled copy.
    assert token_term(again)("Пыток") == "пытка"


def test_unpickling_a_schema_does_not_load_the_dictionary() -> None:
    """A fresh process that opens an index (unpickles its schema) loads the dictionary
    only when it first analyses a Russian word."""
    script = (
        "import pickle, sys\n"
        "from indexer import morph_ru\n"
        "chain = pickle.loads(sys.stdin.buffer.read())\n"
        "print(morph_ru.loaded())\n"
        "print([t.text for t in chain('доказательства')])\n"
        "print(morph_ru.loaded())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        input=pickle.dumps(analyzer(Lang.RU)),
        capture_output=True,
        check=True,
        cwd=Path(__file__).parent.parent,
    ).stdout.decode()
    assert out.split("\n")[:3] == ["False", "['доказательство']", "True"]


def test_highlighting_spans_point_at_the_inflected_words() -> None:
    text = "пытки и жестокое обращение; число пыток"
    terms = [(text[s:e], term) for s, e, term in spans(text, Lang.RU)[0]]
    assert ("пытки", "пытка") in terms and ("пыток", "пытка") in terms


def test_the_build_parses_each_distinct_word_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: Counter[str] = Counter()
    real = morph_ru.morph()

    class Counting:
        def parse(self, word: str):
            calls[word] += 1
            return real.parse(word)

    monkeypatch.setattr(morph_ru, "_analyzer", Counting())
    morph_ru.lemma.cache_clear()
    try:
        build_index(CORPUS, tmp_path / "index")
    finally:
        morph_ru.lemma.cache_clear()
    assert calls, "the build analysed no Russian word"
    assert max(calls.values()) == 1, calls.most_common(3)


def test_threads_share_one_analyser_and_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    """Serving threads lemmatise at once: one analyser is loaded, and every thread gets
    what one thread alone gets."""
    from concurrent.futures import ThreadPoolExecutor

    words = ["пыток", "доказательствами", "свидетелей", "преследования", "выборах"] * 20
    alone = [morph_ru.lemma.__wrapped__(w) for w in words]
    monkeypatch.setattr(morph_ru, "_analyzer", None)
    morph_ru.lemma.cache_clear()
    loads: list[int] = []
    import pymorphy3

    original = pymorphy3.MorphAnalyzer

    def counting(*args, **kwargs):
        loads.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(pymorphy3, "MorphAnalyzer", counting)
    try:
        with ThreadPoolExecutor(8) as pool:
            together = list(pool.map(morph_ru.lemma, words))
    finally:
        morph_ru.lemma.cache_clear()
    assert together == alone
    assert len(loads) == 1
