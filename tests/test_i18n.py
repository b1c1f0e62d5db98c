"""The interface in English, Belarusian and Russian: choice, plural forms, catalogues."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from babel.support import Translations
from flask_babel import ngettext

from webapp.i18n import DOMAINS, compile_catalogs

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "webapp" / "translations"
CATALOGUES = {lang: TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po" for lang in ("be", "ru")}
PLURAL_FORMS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)
RESULT = ("%(num)d result", "%(num)d results")


def text_of(body: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            ["Search the IAPB progress reports", "9 results", "Filter", "Unofficial translation"],
        ),
        ("be", ["Пошук па справаздачах IAPB", "9 вынікаў", "Фільтры", "Неафіцыйны пераклад"]),
        ("ru", ["Поиск по отчётам IAPB", "9 результатов", "Фильтры", "Неофициальный перевод"]),
    ],
)
def test_search_page_is_translated_by_hl(client, lang: str, expected: list[str]) -> None:
    body = client.get(f"/?q=ICC&collapse=none&hl={lang}").get_data(as_text=True)
    assert f'<html lang="{lang}">' in body
    for phrase in expected:
        assert phrase in text_of(body)


@pytest.mark.parametrize(
    ("header", "lang", "phrase"),
    [
        ("be-BY,be;q=0.9,en;q=0.5", "be", "Шукаць"),
        ("ru-RU,ru;q=0.9", "ru", "Найти"),
        ("en-GB,en;q=0.8", "en", "Search"),
        ("de-DE", "en", "Search"),
    ],
)
def test_interface_language_defaults_from_accept_language(
    client, header: str, lang: str, phrase: str
) -> None:
    body = client.get("/?q=ICC", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{lang}">' in body
    assert f'<input type="hidden" name="hl" value="{lang}">' in body
    assert phrase in text_of(body)


def test_hl_wins_over_accept_language(client) -> None:
    body = client.get("/?hl=be", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert '<html lang="be">' in body


PLURALS = {
    "en": {
        1: "1 result",
        2: "2 results",
        5: "5 results",
        11: "11 results",
        21: "21 results",
        22: "22 results",
        25: "25 results",
    },
    "be": {
        1: "1 вынік",
        2: "2 вынікі",
        5: "5 вынікаў",
        11: "11 вынікаў",
        21: "21 вынік",
        22: "22 вынікі",
        25: "25 вынікаў",
    },
    "ru": {
        1: "1 результат",
        2: "2 результата",
        5: "5 результатов",
        11: "11 результатов",
        21: "21 результат",
        22: "22 результата",
        25: "25 результатов",
    },
}


@pytest.mark.parametrize(
    ("lang", "n", "expected"),
    [(lang, n, text) for lang, forms in PLURALS.items() for n, text in forms.items()],
)
def test_result_count_has_the_right_plural_form(app, lang: str, n: int, expected: str) -> None:
    with app.test_request_context(f"/?hl={lang}"):
        assert ngettext(*RESULT, n) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/?q=ICC&lang=en&year=2024&collapse=none&hl=be", "1 вынік"),
        ("/?q=ICC&collapse=none&hl=be", "9 вынікаў"),
        ("/?q=ICC&collapse=none&hl=ru", "9 результатов"),
        ("/?q=ICC&lang=en&year=2024&collapse=none&hl=ru", "1 результат"),
        ("/?q=ICC&lang=en&year=2024&collapse=none&hl=en", "1 result"),
        ("/?hl=ru&collapse=none", "18 результатов"),
        ("/?q=ICC&hl=be", "3 справаздачы"),
        ("/?q=ICC&hl=ru", "3 отчёта"),
        ("/?q=ICC&year=2024&hl=ru", "1 отчёт"),
        ("/?hl=be", "6 справаздач"),
        ("/?q=ICC&hl=en", "3 reports"),
    ],
)
def test_rendered_result_count_is_pluralised(client, url: str, expected: str) -> None:
    body = client.get(url).get_data(as_text=True)
    assert f"<strong>{expected}</strong>" in body


@pytest.mark.parametrize(
    ("lang", "date", "period"),
    [
        ("en", "November 10, 2025", "April 1, 2025 – September 30, 2025"),
        ("be", "10 лістапада 2025", "1 красавіка 2025"),
        ("ru", "10 ноября 2025", "30 сентября 2025"),
    ],
)
def test_dates_are_formatted_for_the_language(client, lang: str, date: str, period: str) -> None:
    text = text_of(client.get(f"/reports/r9-en?hl={lang}").get_data(as_text=True))
    assert date in text
    assert period in text


@pytest.mark.parametrize("lang", ["be", "ru"])
def test_translated_report_says_so_in_the_interface_language(client, lang: str) -> None:
    words = {"be": "Неафіцыйны пераклад", "ru": "Неофициальный перевод"}
    for doc in ("r9-be", "r9-ru"):
        assert words[lang] in client.get(f"/reports/{doc}?hl={lang}").get_data(as_text=True)


@pytest.mark.parametrize("lang", ["be", "ru"])
def test_error_pages_are_translated(client, lang: str) -> None:
    body = client.get(f"/?year=abc&hl={lang}").get_data(as_text=True)
    assert {"be": "Не ўдалося выканаць пошук", "ru": "Не удалось выполнить поиск"}[lang] in body


def test_language_switcher_keeps_the_search(client) -> None:
    body = client.get("/?q=ICC&year=2025&hl=en").get_data(as_text=True)
    assert 'href="/?q=ICC&amp;year=2025&amp;hl=be"' in body
    assert 'href="/?q=ICC&amp;year=2025&amp;hl=ru"' in body


@pytest.mark.parametrize("lang", ["be", "ru"])
def test_catalogue_translates_every_message(lang: str) -> None:
    with CATALOGUES[lang].open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    assert catalog.num_plurals == 3
    assert catalog.plural_forms == PLURAL_FORMS
    untranslated = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings) or len(strings) not in (1, 3):
            untranslated.append(message.id)
    assert not untranslated


@pytest.mark.parametrize("lang", ["be", "ru"])
def test_catalogues_compile(tmp_path: Path, lang: str) -> None:
    compiled = compile_catalogs(target=tmp_path)
    mo = compiled / lang / "LC_MESSAGES" / "messages.mo"
    assert mo.is_file()
    translations = Translations.load(str(compiled), [lang], domain="messages")
    assert (
        translations.ngettext("%(num)d result", "%(num)d results", 22) % {"num": 22}
        == (PLURALS[lang][22])
    )


def extracted_messages() -> set[str]:
    """Every msgid the pages use, extracted with babel from the files ``babel.cfg`` names."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_extraction_finds_the_strings_of_templates_and_code() -> None:
    messages = extracted_messages()
    assert "%(num)d result" in messages  # ngettext in a template
    assert "Unofficial translation" in messages
    assert "Belarusian" in messages  # pages.py
    assert "IAPB progress reports: latest" in messages  # feed.py


@pytest.mark.parametrize("lang", ["be", "ru"])
def test_every_string_used_exists_in_the_catalogue(lang: str) -> None:
    known = set()
    for po in sorted(CATALOGUES[lang].parent.glob("*.po")):  # every domain the app looks in
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        known |= {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog if m.id}
    assert extracted_messages() - known == set()


@pytest.mark.parametrize("lang", ["be", "ru"])
def test_each_catalogue_is_compiled_as_its_own_domain(tmp_path: Path, lang: str) -> None:
    compiled = compile_catalogs(target=tmp_path)
    for domain in DOMAINS:
        with (TRANSLATIONS / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        message = next(m for m in catalog if m.id and isinstance(m.id, str) and m.string)
        translations = Translations.load(str(compiled), [lang], domain=domain)
        assert translations.gettext(message.id) == message.string


@pytest.mark.parametrize("lang", ["be", "ru"])
def test_every_domain_of_a_language_has_the_same_plural_rule(lang: str) -> None:
    # Flask-Babel merges the domains and keeps one plural rule: they must agree.
    rules = set()
    for domain in DOMAINS:
        with (TRANSLATIONS / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
            rules.add(read_po(handle, locale=lang).plural_forms)
    assert len(rules) == 1


def test_the_template_holds_every_string_used() -> None:
    """``messages.pot`` is what a translator starts from: regenerate it (docs/using.md,
    "Translations") when strings are added."""
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    held = {m.id[0] if isinstance(m.id, tuple) else m.id for m in template if m.id}
    assert extracted_messages() - held == set()
