"""The Belarusian stemmer: paradigms that meet, words kept apart, and its properties."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.analysis import normalise_word
from indexer.stemmer_be import FUNCTION_WORDS, IRREGULAR, fold, fold_letters, stem

BELARUSIAN_LETTERS = "абвгдежзійклмнопрстуўфхцчшыьэюя'"


def stems(words: list[str]) -> set[str]:
    return {stem(normalise_word(w)) for w in words}


@pytest.mark.parametrize(
    "forms",
    [
        # nouns, every declension
        ["катаванне", "катаванні", "катаванняў", "катаваннем", "катаванню", "катаваннямі"],
        ["выбары", "выбараў", "выбарах", "выбарамі", "выбарам"],
        ["пытка", "пыткі", "пытак", "пытку", "пыткай", "пыткамі", "пытках"],
        ["справаздача", "справаздачы", "справаздачай", "справаздачу", "справаздач"],
        ["Беларусь", "Беларусі", "Беларуссю"],
        ["суд", "суда", "судзе", "суду", "судом", "суды", "судоў"],
        ["адказнасць", "адказнасці", "адказнасцю"],
        ["сведка", "сведкі", "сведак", "сведкам", "сведкамі", "сведку"],
        ["ахвяра", "ахвяры", "ахвяраў", "ахвярам", "ахвярамі", "ахвярах", "ахвяру"],
        ["палітвязень", "палітвязня", "палітвязні", "палітвязняў", "палітвязнямі"],
        ["рэпрэсія", "рэпрэсіі", "рэпрэсій", "рэпрэсію", "рэпрэсіямі"],
        ["злачынства", "злачынствы", "злачынстваў", "злачынствах"],
        ["камітэт", "камітэта", "камітэце", "камітэтам"],
        ["праваабаронца", "праваабаронцы", "праваабаронцаў", "праваабаронцам"],
        ["дапамога", "дапамогі", "дапамогу", "дапамогай"],
        # adjectives
        ["міжнародны", "міжнароднага", "міжнародным", "міжнароднай", "міжнародныя"],
        ["крымінальны", "крымінальнага", "крымінальнаму", "крымінальную", "крымінальных"],
        # verbs, the reflexive -цца included
        ["займацца", "займаецца", "займаюцца", "займаўся", "займалася", "займаліся"],
        ["збіраць", "збірае", "збіралі", "збіраю", "збіраюць", "збіраў", "збірала"],
        ["працаваць", "працуе", "працуюць", "працаваў", "працавалі"],
        ["катаваць", "катуе", "катуюць", "катаваў", "катавалі"],  # -ава- / -уй-
        # irregular verbs: closed paradigms
        ["быць", "быў", "была", "былі", "будзе", "будуць", "ёсць"],
        ["магчы", "магу", "можа", "могуць", "мог", "маглі"],
        ["мець", "мае", "маюць", "меў", "мела"],
        # pronominal adjectives: closed paradigms
        ["які", "якая", "якога", "якім", "якія"],
        ["той", "тая", "таго", "тым", "тыя"],
        # proper names
        ["Лукашэнка", "Лукашэнкі", "Лукашэнкам", "Лукашэнку"],
        ["Ціханоўская", "Ціханоўскай", "Ціханоўскую"],
        # a stem keeps three letters: the imperative "-йце" is not taken off "сайце"
        ["сайт", "сайта", "сайце", "сайтах"],
        ["дзень", "дня", "дні", "днём"],  # fleeting vowel of a short root
        # "-ула", "-ола" of nouns in -ул, -ол are not the past "-ла" of a verb
        ["артыкул", "артыкула", "артыкуле", "артыкулы", "артыкулаў", "артыкулам"],
        ["консул", "консула", "консулы"],
        ["футбол", "футбола", "футболе"],
        # ...but the "-нула" past of "-нуць" verbs is
        ["дасягнула", "дасягнуло", "дасягнулі"],
        ["прыцягнула", "прыцягнуло", "прыцягнулі"],
    ],
)
def test_inflected_forms_share_one_stem(forms: list[str]) -> None:
    assert len(stems(forms)) == 1


@pytest.mark.parametrize(
    "forms",
    [
        ["сьнег", "снег", "сьнегу", "снегу"],  # classical spelling's soft sign
        ["катаваньне", "катаванне", "катаваньні"],
        ["Эўропа", "Еўропа", "Еўропы"],  # э / е of the classical spelling
        ["год", "гады", "года", "гадоў"],  # akanne: о stressed, а unstressed
        ["горад", "гарады", "горадзе"],  # akanne, and д -> дз before е
        ["канцэрт", "канцэрце", "канцэрта"],  # т -> ц before е
        ["рука", "руцэ", "рукі"],  # к -> ц before э
        ["частка", "частцы", "часткі", "частак"],  # к -> ц, fleeting vowel
        ["выпадак", "выпадку", "выпадкаў"],  # fleeting vowel
        ["верасень", "верасня"],  # fleeting vowel
        ["узровень", "узроўні", "узроўню"],  # в / ў
        ["людзі", "людзей", "чалавек", "чалавека"],  # suppletive plural
        ["я", "мяне", "мне", "мной"],  # suppletive pronoun
    ],
)
def test_spelling_variants_and_alternations_meet(forms: list[str]) -> None:
    assert len(stems(forms)) == 1


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("адбываць", "адбывацца"),  # serve (a sentence) / take place
        ("збіраць", "збірацца"),  # collect / be about to
        ("справа", "справаздача"),  # case / report
        ("міністр", "міністэрства"),  # minister / ministry
        ("палітвязень", "палітыка"),  # political prisoner / politics
        ("выбары", "выбарачны"),  # elections / selective
        ("гэта", "гэты"),  # particle / demonstrative
        ("жыцці", "жыць"),  # life (locative) / to live
        ("справаздачы", "справа"),  # report (genitive) / case
        ("праца", "працэс"),  # work / process
        ("праца", "працуе"),  # work / (he) works: -уй- of the verb kept
        ("рада", "радуе"),  # council / pleases
        ("кат", "катуе"),  # executioner / tortures
        ("была", "бы"),  # was / the conditional particle
        ("дае", "да"),  # gives / the preposition
        ("мае", "мая"),  # has / my (feminine)
        ("якая", "як"),  # which / how
        ("такая", "так"),  # such / so
        ("сайце", "са"),  # site (locative) / the preposition
        ("волі", "ва"),  # will (genitive) / the preposition
    ],
)
def test_distinct_words_keep_distinct_stems(first: str, second: str) -> None:
    assert stem(normalise_word(first)) != stem(normalise_word(second))


@pytest.mark.parametrize("word", ["і", "у", "ад", "мы", "ен", "па"])
def test_words_of_one_or_two_letters_are_untouched(word: str) -> None:
    assert stem(word) == word


@pytest.mark.parametrize("word", ["viasna", "icc", "2025", "1980-х", "un-ohchr"])
def test_words_that_are_not_belarusian_are_untouched(word: str) -> None:
    assert stem(word) == word


@pytest.mark.parametrize("word", sorted(FUNCTION_WORDS))
def test_function_words_are_untouched(word: str) -> None:
    assert stem(word) == word


@pytest.mark.parametrize(
    "word", sorted(FUNCTION_WORDS | IRREGULAR.keys() | set(IRREGULAR.values()))
)
def test_word_tables_hold_normalised_words(word: str) -> None:
    assert normalise_word(word) == word


@pytest.mark.parametrize("word", sorted(IRREGULAR))
def test_closed_paradigms_give_their_citation_form(word: str) -> None:
    target = IRREGULAR[word]
    if target in IRREGULAR:
        assert IRREGULAR[target] == target
        assert len(word) <= 2 or stem(word) == target
    else:
        assert stem(word) == stem(target)


@pytest.mark.parametrize("fn", [stem, fold, fold_letters])
def test_functions_pickle_by_reference(fn) -> None:
    assert pickle.loads(pickle.dumps(fn)) is fn


@given(st.text())
def test_never_raises_and_never_empties_a_word(text: str) -> None:
    word = normalise_word(text)
    result = stem(word)
    assert isinstance(result, str)
    assert bool(result) == bool(word)


@given(st.text(alphabet=BELARUSIAN_LETTERS, min_size=1, max_size=24))
def test_stem_is_a_folded_prefix_up_to_its_last_letter(text: str) -> None:
    # Outside the irregular table the stem, without a reflexive "ся", is fold_letters of a
    # prefix of the word except for its last letter (an alternation partner: судзе -> суд).
    word = normalise_word(text)
    result = stem(word)
    if result == word or word in IRREGULAR:
        return
    core = result.removesuffix("ся")
    assert fold_letters(word).startswith(core[:-1])


@given(st.text(alphabet=BELARUSIAN_LETTERS, min_size=1, max_size=24))
def test_stem_is_never_longer_than_the_word_outside_the_irregular_table(text: str) -> None:
    word = normalise_word(text)
    if word not in IRREGULAR:
        assert len(stem(word)) <= len(word)


@given(st.text(alphabet=BELARUSIAN_LETTERS, max_size=24))
def test_fold_letters_works_letter_by_letter(text: str) -> None:
    half = len(text) // 2
    assert fold_letters(text) == fold_letters(text[:half]) + fold_letters(text[half:])
