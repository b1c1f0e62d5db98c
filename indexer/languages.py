"""The three corpus languages and what the analysis chain supports for each."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Lang(StrEnum):
    """A corpus and interface language (ISO 639-1 code)."""

    EN = "en"
    BE = "be"
    RU = "ru"


@dataclass(frozen=True)
class LanguageSupport:
    """What the code needs to know about one language (the README's language table says
    what the analysis chain does for each)."""

    native_name: str  # the language's name in itself: the language facet and the switcher


SUPPORT: dict[Lang, LanguageSupport] = {
    Lang.EN: LanguageSupport("English"),
    Lang.BE: LanguageSupport("Беларуская"),
    Lang.RU: LanguageSupport("Русский"),
}

ALL_LANGS: tuple[Lang, ...] = (Lang.EN, Lang.BE, Lang.RU)
# A language's position in ALL_LANGS: how the index's language column stores it.
LANG_INDEX: dict[Lang, int] = {lang: i for i, lang in enumerate(ALL_LANGS)}


def parse_lang(value: str) -> Lang:
    """Return the :class:`Lang` for a code such as ``"be"``; raises ``ValueError``."""
    try:
        return Lang(value.strip().lower())
    except ValueError:
        codes = ", ".join(lang.value for lang in ALL_LANGS)
        raise ValueError(f"unknown language {value!r} (expected one of {codes})") from None
