"""The analysis chain: normalisation, stemming, analysers, pickling."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.analysis import (
    _normalise_any_word,
    analyze,
    analyzer,
    cross_script_keys,
    join_digit_groups,
    key_analyzer,
    normalise,
    normalise_word,
    spans,
    spans_of_texts,
    stem,
    words,
)
from indexer.corpus.load import load_corpus
from indexer.languages import ALL_LANGS, SUPPORT, Lang, parse_lang
from tests.helpers import CORPUS


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Пы\u0301ткі", "пыткі"),  # combining acute (stress mark) removed
        ("ка\u0300таванні", "катаванні"),  # combining grave removed
        ("сведка\u00ad", "сведка"),  # soft hyphen removed
        ("за\u200bтрыманы", "затрыманы"),  # zero-width space removed
        ("сям’я", "сям'я"),  # U+2019 between letters
        ("сямʼя", "сям'я"),  # U+02BC
        ("сям`я", "сям'я"),  # U+0060
        ("сям´я", "сям'я"),  # U+00B4
        ("сям＇я", "сям'я"),  # U+FF07
        ("Лукашэнкi", "лукашэнкі"),  # Latin i inside a Cyrillic word
        ("Mінск", "мінск"),  # Latin M inside a Cyrillic word
        ("Ещё", "еще"),
        ("ўвёў", "увеў"),  # word-initial ў only
        ("Лукашэнка", "лукашэнка"),
        ("7,500", "7500"),  # English thousands separator
        ("1,5", "1.5"),  # Russian decimal comma
        ("30.000", "30000"),  # a dot before groups of three digits separates thousands
        ("30 000", "30000"),  # so does a space (see test_a_number_is_one_token_...)
        ("1.234,5", "1234.5"),  # dots for thousands, comma for decimals
        ("1,234.5", "1234.5"),  # commas for thousands, dot for decimals
        ("0,500", "0.500"),  # a lead of 0 is no thousands group: a decimal
        ("17.05.2023", "17.05.2023"),  # a date is no number: kept as written
        ("Viasna", "viasna"),  # a Latin word stays Latin
        ("e\u0301", "é"),  # NFC composes; a Latin accent is not a stress mark
        ("\u0450", "е"),  # precomposed Cyrillic е with grave: stress removed
    ],
)
def test_normalise_word_applies_each_rule(raw: str, expected: str) -> None:
    assert normalise_word(raw) == expected


def test_normalise_keeps_apostrophes_that_are_not_between_letters() -> None:
    assert normalise("‘quoted’ сям’я") == "‘quoted’ сям'я"


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("The IAPB’s reports", Lang.EN, ["the", "iapb", "report"]),
        ("survivor-centred", Lang.EN, ["survivor", "centr"]),
        ("non- governmental", Lang.EN, ["non", "government"]),
        ("over 7,500 convictions", Lang.EN, ["over", "7500", "convict"]),
        ("Объявление подъезда", Lang.RU, ["объявление", "подъезд"]),  # lemmas; ъ is kept
    ],
)
def test_analyze_tokenises_normalises_and_stems(text: str, lang: Lang, expected: list[str]) -> None:
    assert analyze(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "forms"),
    [
        (Lang.EN, ["torture", "tortures", "tortured", "torturing"]),
        (Lang.EN, ["election", "elections"]),
        (Lang.EN, ["prosecution", "prosecutions"]),
        (Lang.EN, ["survivor", "survivors"]),
        (Lang.EN, ["investigation", "investigations"]),
        (Lang.RU, ["пытки", "пыткам", "пытками", "пытка"]),
        (Lang.RU, ["выборы", "выборов", "выборах", "выборам"]),
        (Lang.RU, ["преступление", "преступления", "преступлений", "преступлениями"]),
        (Lang.RU, ["свидетель", "свидетеля", "свидетелей", "свидетелями"]),
        (Lang.RU, ["Лукашенко", "ЛУКАШЕНКО"]),
        (Lang.RU, ["ответственность", "ответственности"]),
        # Snowball alone cuts the nominative to "белар" and the other cases to "беларус"
        (Lang.RU, ["Беларусь", "Беларуси", "Беларусью"]),
        (Lang.BE, ["катаванні", "катаванняў", "катаванне", "катаваннем"]),
        (Lang.BE, ["выбары", "выбараў", "выбарах"]),
        (Lang.BE, ["пыткі", "пытак", "пыткамі"]),
        (Lang.BE, ["Лукашэнка", "Лукашэнкі", "Лукашэнкам"]),
    ],
)
def test_inflected_forms_share_a_stem(lang: Lang, forms: list[str]) -> None:
    stems = {stem(form, lang) for form in forms}
    assert len(stems) == 1, stems


def test_english_stemmer_is_porter2_not_porter() -> None:
    # Porter: "generously" -> "gener"; Porter2 (Snowball english) -> "generous".
    assert stem("generously", Lang.EN) == "generous"


def test_russian_stemmer_is_exact_snowball() -> None:
    # Whoosh's bundled Russian stemmer folds ъ into ь; Snowball keeps it.
    assert stem("подъезд", Lang.RU) == "подъезд"


def test_stem_rejects_an_unknown_language() -> None:
    with pytest.raises(ValueError):
        stem("word", "xx")


@pytest.mark.parametrize("lang", ALL_LANGS)
def test_analysers_survive_pickling(lang: Lang) -> None:
    # Whoosh pickles the schema, analysers included, into the index.
    for make in (analyzer, key_analyzer):
        clone = pickle.loads(pickle.dumps(make(lang)))
        text = "Лукашэнкі torture пытки"
        assert [t.text for t in clone(text)] == [t.text for t in make(lang)(text)]


def test_token_offsets_point_into_the_raw_text() -> None:
    text = "Катава\u0301нні і пы\u00adткі"
    # Whoosh reuses one Token object: read the offsets while iterating.
    spans = [(t.startchar, t.endchar) for t in analyzer(Lang.BE)(text, chars=True)]
    assert [text[a:b] for a, b in spans] == ["Катава\u0301нні", "і", "пы\u00adткі"]


def test_an_apostrophe_between_letters_keeps_one_word() -> None:
    assert words("сям’я сям'я сямʼя") == ["сям'я"] * 3
    assert len(analyze("сям’я", Lang.BE)) == 1


def test_words_are_normalised_but_not_stemmed() -> None:
    assert words("Tortures, Лукашэнкi!") == ["tortures", "лукашэнкі"]


def test_digits_are_not_cross_script_keys() -> None:
    assert cross_script_keys("2025 7,500", Lang.EN) == []


SPACES = {
    "space": " ",
    "no-break space": "\u00a0",
    "narrow no-break space": "\u202f",
    "thin space": "\u2009",
}


@pytest.mark.parametrize("space", SPACES.values(), ids=SPACES.keys())
@pytest.mark.parametrize("lang", ALL_LANGS)
def test_a_number_is_one_token_whatever_separates_its_thousands(space: str, lang: Lang) -> None:
    for spelling in ("30,000", f"30{space}000", "30000", "30.000"):
        assert analyze(f"more than {spelling} documents", lang)[2] == "30000"
        assert analyze(spelling, lang) == ["30000"]
    assert analyze(f"1{space}250{space}000", lang) == ["1250000"]


def test_token_offsets_of_a_spaced_number_cover_all_its_groups() -> None:
    text = "до 29\u00a0492. IAPB"
    spans = [(t.startchar, t.endchar, t.text) for t in analyzer(Lang.RU)(text, chars=True)]
    assert spans[1] == (3, 9, "29492")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023", ["2023"]),  # a year stays a year
        ("2021, 2022", ["2021", "2022"]),  # a comma and a space: a list, not thousands
        ("2021 2022", ["2021", "2022"]),  # a four-digit lead takes no group
        ("1, 234", ["1", "234"]),
        ("30 September 2025", ["30", "september", "2025"]),
        ("12 2025", ["12", "2025"]),  # a group has exactly three digits
        ("1 000 2023", ["1000", "2023"]),  # the year after a number stays apart
        ("5 0000", ["5", "0000"]),
        ("0 500", ["0", "500"]),  # no lead of 0
        ("1.5 million", ["1.5", "million"]),
        ("1,5 мільёна", ["1.5", "мільена"]),
        ("1 234,5", ["1234.5"]),
    ],
)
def test_years_lists_and_decimals_are_not_glued_into_thousands(
    text: str, expected: list[str]
) -> None:
    assert words(text) == expected


def test_query_text_joins_spaced_digit_groups_and_nothing_else() -> None:
    assert join_digit_groups("over 30\u202f000 -torture") == "over 30000 -torture"
    assert join_digit_groups('"1 100 people" 2021 2022') == '"1100 people" 2021 2022'
    assert join_digit_groups("ab1 000") == "ab1 000"  # "ab1" is a word: no number starts it


_NUMBERISH = st.text(alphabet="0123456789 ,.\u00a0\u202f\u2009x", max_size=24)


@given(_NUMBERISH)
def test_numbers_normalise_idempotently(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@given(_NUMBERISH, st.sampled_from(ALL_LANGS))
def test_joined_query_text_analyses_as_the_indexed_text(text: str, lang: Lang) -> None:
    # The query side joins digit groups before its parser splits at spaces.
    joined = join_digit_groups(text)
    assert analyze(joined, lang) == analyze(text, lang)
    assert sum((analyze(w, lang) for w in joined.split()), []) == analyze(text, lang)


def test_language_table_lists_every_language() -> None:
    assert set(SUPPORT) == set(ALL_LANGS)
    assert parse_lang(" BE ") is Lang.BE
    with pytest.raises(ValueError, match="unknown language"):
        parse_lang("uk")


@given(st.text())
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@given(st.text(), st.sampled_from(ALL_LANGS))
def test_analyze_never_raises_and_gives_nonempty_terms(text: str, lang: Lang) -> None:
    terms = analyze(text, lang)
    assert all(isinstance(t, str) and t for t in terms)
    assert all(isinstance(k, str) and k for k in cross_script_keys(text, lang))


@given(st.text(alphabet=st.characters(categories=["L", "M", "N"]), min_size=1, max_size=30))
def test_a_word_analyses_the_same_alone_and_inside_a_sentence(word: str) -> None:
    # Index time sees words in sentences, query time alone: the terms must agree.
    for lang in ALL_LANGS:
        assert analyze(f"«{word}», ", lang) == analyze(word, lang)


@pytest.mark.parametrize(
    ("spellings", "expected"),
    [
        ((("Lukashenka", "en"), ("Lukashenko", "en"), ("Лукашенко", "ru"), ("Лукашэнка", "be"),
          ("Лукашэнкі", "be")), "lakasank"),
        ((("Viasna", "en"), ("Вясна", "be"), ("Весна", "ru"), ("Вясны", "be")), "vasn"),
        ((("Hrodna", "en"), ("Гродна", "be"), ("Гродно", "ru")), "gradn"),
        ((("Tsikhanouskaya", "en"), ("Ціханоўская", "be"), ("Тихановская", "ru")), "taxanavsk"),
        ((("Bialiatski", "en"), ("Бяляцкі", "be"), ("Беляцкий", "ru")), "balatk"),
        ((("Dzmitry", "en"), ("Дзмітрый", "be"), ("Дмитрий", "ru")), "dmatr"),
        ((("Маскоўскі", "be"), ("Московский", "ru")), "maskavsk"),
    ],
)  # fmt: skip
def test_a_name_has_one_cross_script_key_in_every_script_and_romanisation(
    spellings: tuple[tuple[str, str], ...], expected: str
) -> None:
    assert {tuple(cross_script_keys(word, lang)) for word, lang in spellings} == {(expected,)}


@pytest.mark.parametrize(
    ("a", "b"),
    [("torture", "тетрадь"), ("Lukashenka", "Лукин"), ("Viasna", "вясёлы"), ("evidence", "вдова")],
)
def test_different_words_keep_different_keys(a: str, b: str) -> None:
    assert set(cross_script_keys(a, Lang.EN)).isdisjoint(cross_script_keys(b, Lang.RU))


def test_short_keys_are_not_indexed() -> None:
    # "МУС" would become "mas": three letters join too many unrelated words.
    assert cross_script_keys("МУС ICC ООН", Lang.RU) == []


@given(st.text(max_size=40), st.sampled_from(ALL_LANGS))
def test_a_key_is_lower_ascii_without_doubled_letters_or_final_vowel(word: str, lang: Lang) -> None:
    for key in cross_script_keys(word, lang):
        assert key.isascii() and key.isalpha() and key == key.lower()
        assert all(x != y for x, y in zip(key, key[1:], strict=False))
        assert not key.endswith("a") and len(key) >= 4


def _whoosh_spans(text: str, lang: Lang) -> tuple[list, list]:
    def of(chain):
        return [(t.startchar, t.endchar, t.text) for t in chain(text, chars=True, mode="index")]

    return of(analyzer(lang)), of(key_analyzer(lang))


def test_spans_are_the_analysers_tokens_on_the_corpus() -> None:
    corpus = load_corpus(CORPUS)
    checked = 0
    for report in corpus.reports:
        for lang, summary in report.summaries.items():
            for text in (summary.title, summary.summary):
                assert spans(text, lang) == _whoosh_spans(text, lang)
                checked += 1
    assert checked > 30


@given(st.text(max_size=80), st.sampled_from(ALL_LANGS))
def test_spans_are_the_analysers_tokens(text: str, lang: Lang) -> None:
    assert spans(text, lang) == _whoosh_spans(text, lang)


@given(st.lists(st.text(max_size=60), max_size=5), st.sampled_from(ALL_LANGS))
def test_spans_of_several_texts_are_each_ones_analysers_tokens(texts, lang: Lang) -> None:
    # A page's summaries share their words' analysis; each keeps its own offsets.
    assert spans_of_texts(texts, lang) == [_whoosh_spans(text, lang) for text in texts]


# Latin and Cyrillic letters of both cases (ё, ў, і, ѐ, ѝ included), Latin look-alikes,
# an apostrophe, a combining acute, a digit: plain words and every rule's exceptions.
_LETTERS = "aAbBcCeEiIkKoOxXyYzZ" + "".join(map(chr, range(0x400, 0x460))) + "'\u0301\u00ad1"


@given(st.text(alphabet=_LETTERS, min_size=1, max_size=12))
def test_a_plain_word_is_normalised_as_every_rule_would(word: str) -> None:
    assert normalise_word(word) == _normalise_any_word(word)
