"""The ranking helpers of indexer.engine.ranking on their own: query language, version spreading."""

from __future__ import annotations

import numpy as np
import pytest

from indexer.engine.ranking import SIBLING_WEIGHT, Versions, query_language
from indexer.languages import ALL_LANGS, LANG_INDEX, Lang


@pytest.mark.parametrize(
    ("text", "ui", "expected"),
    [
        ("катаванні", Lang.EN, Lang.BE),  # і
        ("ўлада", Lang.RU, Lang.BE),  # ў
        ("пытки", Lang.BE, Lang.RU),  # и
        ("объект", Lang.BE, Lang.RU),  # ъ
        ("щит", Lang.EN, Lang.RU),  # щ
        ("torture", Lang.RU, Lang.EN),
        ("ICC", Lang.BE, Lang.BE),  # an acronym is written so in every language
        ("ICC torture", Lang.BE, Lang.EN),
        ("суд", Lang.BE, Lang.BE),  # Cyrillic of both languages: the interface decides
        ("суд", Lang.RU, Lang.RU),
        ("2024", Lang.RU, Lang.RU),
        ("пыткі пытки", Lang.EN, Lang.EN),  # both alphabets: the interface decides
    ],
)
def test_query_language_follows_the_letters_typed(text: str, ui: Lang, expected: Lang) -> None:
    assert query_language(text, ui) is expected


def test_spreading_adds_the_other_versions_at_a_share_of_the_best() -> None:
    # Documents 0-2 are report 1 (en, be, ru), 3-5 report 2; 6 is report 3 alone.
    versions = Versions(np.array([1, 1, 1, 2, 2, 2, 3]), np.array([0, 1, 2, 0, 1, 2, 0]))
    docs, scores = versions.spread(np.array([1, 2, 6]), np.array([4.0, 1.0, 3.0]))
    assert docs.tolist() == [0, 1, 2, 6]
    assert scores.tolist() == [4.0 * SIBLING_WEIGHT, 4.0, 4.0 * SIBLING_WEIGHT, 3.0]


@pytest.mark.parametrize("reader", list(Lang))
def test_language_rank_puts_the_reader_first_then_the_others_in_order(reader: Lang) -> None:
    langs = np.array([0, 1, 2, 2, 1, 0], dtype=np.int8)
    versions = Versions(np.array([0, 0, 0, 1, 1, 1]), langs)
    docs = np.arange(len(langs))
    expected = (langs.astype(np.int64) - LANG_INDEX[reader]) % len(ALL_LANGS)
    assert versions.language_rank(docs, reader).tolist() == expected.tolist()
