"""Corpus loading and validation: every kind of error names its file, line and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer.cli import main
from indexer.corpus.load import load_corpus
from indexer.errors import CorpusError
from indexer.languages import ALL_LANGS, Lang

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture()
def mini(tmp_path: Path) -> Path:
    """A writable copy of the small valid corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(MINI, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_bundled_corpus_is_valid_and_complete() -> None:
    corpus = load_corpus(ROOT / "corpus")
    assert sorted(r.number for r in corpus.reports) == [4, 5, 6, 7, 8, 9]
    required = {
        "icc",
        "un",
        "osce",
        "national-prosecutions",
        "political-repression",
        "torture",
        "transnational-repression",
        "elections",
        "crimes-against-humanity",
        "survivor-support",
        "evidence-collection",
    }
    assert required <= {t.id for t in corpus.topics}
    for report in corpus.reports:
        assert set(report.summaries) == set(ALL_LANGS)
        assert report.summaries[Lang.EN].provenance_kind == "original"
        for lang in (Lang.BE, Lang.RU):
            assert report.summaries[lang].translated


def test_bundled_english_summaries_are_the_source_page_text() -> None:
    corpus = load_corpus(ROOT / "corpus")
    ninth = next(r for r in corpus.reports if r.number == 9)
    assert ninth.summaries[Lang.EN].summary.startswith(
        "The IAPB’s Ninth Progress report presents the human rights situation in Belarus"
    )
    assert ninth.date.isoformat() == "2025-11-10"
    assert "ICC" not in " ".join(r.summaries[Lang.EN].summary for r in corpus.reports)


def test_glossary_names_the_icc_in_every_language() -> None:
    corpus = load_corpus(ROOT / "corpus")
    icc = next(c for c in corpus.glossary if "ICC" in c.names[Lang.EN])
    assert "International Criminal Court" in icc.names[Lang.EN]
    assert "МУС" in icc.names[Lang.RU]
    assert "МКС" in icc.names[Lang.BE]


def test_reports_come_newest_first() -> None:
    corpus = load_corpus(MINI)
    assert [r.number for r in corpus.reports] == [2, 1]
    assert corpus.reports[1].period_start == "2023-10"


# (file, old text, new text, line, field, message fragment)
BROKEN = {
    "missing field": ("reports/01.yaml", "date: 2024-05-17\n", "", 1, "date", "missing field"),
    "unknown field": (
        "reports/01.yaml",
        "number: 1\n",
        "number: 1\nauthor: someone\n",
        2,
        "author",
        "unknown field",
    ),
    "bad date": ("reports/01.yaml", "date: 2024-05-17", "date: 2024-13-40", 2, "date", "date"),
    "date not a date": ("reports/01.yaml", "date: 2024-05-17", "date: soon", 2, "date", "date"),
    "period end before start": (
        "reports/02.yaml",
        "end: 2025-09-30",
        "end: 2025-03-30",
        5,
        "period.end",
        "ends before it starts",
    ),
    "bad month": ("reports/01.yaml", "start: 2023-10", "start: 2023-1", 4, "period.start", "month"),
    "unknown topic": (
        "reports/01.yaml",
        "topics: [icc]",
        "topics: [icc, weather]",
        6,
        "topics[1]",
        "unknown topic id 'weather'",
    ),
    "duplicate number": ("reports/02.yaml", "number: 2", "number: 1", 1, "number", "duplicate"),
    "bad number": ("reports/02.yaml", "number: 2", "number: two", 1, "number", "whole number"),
    "missing language": (
        "reports/02.yaml",
        "ru:\n  title: Второй тестовый отчёт",
        "rux:\n  title: Второй тестовый отчёт",
        22,
        "rux",
        "unknown field",
    ),
    "empty summary": (
        "reports/02.yaml",
        "    Пытки и жестокое обращение с задержанными продолжались.\n",
        "",
        24,
        "ru.summary",
        "empty",
    ),
    "bad provenance kind": (
        "reports/02.yaml",
        "kind: original",
        "kind: official",
        12,
        "en.provenance.kind",
        "unknown kind",
    ),
    "YAML syntax error": ("reports/01.yaml", "topics: [icc]", "topics: [icc", 7, None, "YAML"),
    "duplicate topic id": (
        "topics.yaml",
        "  - id: torture",
        "  - id: icc",
        6,
        "topics[1].id",
        "duplicate topic id",
    ),
    "topic label missing a language": (
        "topics.yaml",
        "label: {en: Torture, be: Катаванні, ru: Пытки}",
        "label: {en: Torture, be: Катаванні}",
        7,
        "topics[1].label.ru",
        "missing field",
    ),
    "glossary kind unknown": (
        "glossary.yaml",
        "kind: person",
        "kind: animal",
        9,
        "concepts[1].kind",
        "unknown kind",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_broken_corpus_reports_file_line_and_field(mini: Path, case: str) -> None:
    name, old, new, line, field, fragment = BROKEN[case]
    _edit(mini / name, old, new)
    with pytest.raises(CorpusError) as raised:
        load_corpus(mini)
    problems = raised.value.problems
    match = [p for p in problems if p.file.endswith(name) and p.field == field]
    assert match, [str(p) for p in problems]
    assert match[0].line == line, str(match[0])
    assert fragment in match[0].message
    assert f"{name}:{line}" in str(raised.value)


def test_a_report_may_lack_languages(mini: Path) -> None:
    text = (mini / "reports/02.yaml").read_text(encoding="utf-8")
    (mini / "reports/02.yaml").write_text(text[: text.index("be:\n")], encoding="utf-8")
    second = next(r for r in load_corpus(mini).reports if r.number == 2)
    assert second.langs == (Lang.EN,)


def test_a_report_without_any_language_is_an_error(mini: Path) -> None:
    text = (mini / "reports/02.yaml").read_text(encoding="utf-8")
    (mini / "reports/02.yaml").write_text(text[: text.index("en:\n")], encoding="utf-8")
    with pytest.raises(CorpusError) as raised:
        load_corpus(mini)
    assert any("at least one language" in p.message for p in raised.value.problems)


def test_bundled_full_reports_are_recorded_per_report_and_language() -> None:
    corpus = load_corpus(ROOT / "corpus")
    for report in corpus.reports:
        for lang in ALL_LANGS:
            entry = report.full_report(lang)
            if report.number in (5, 6, 7, 8):
                assert entry is not None and entry.url is None
                assert entry.title.startswith("Download the full report in ")
            else:
                assert lang in report.full_reports and entry is None


@pytest.mark.parametrize(
    ("entry", "field", "message"),
    [
        ("en: {title: T, url: ftp://x}", "full_report.en.url", "http(s) address"),
        ("en: {title: T, file: full/01-en.pdf}", "full_report.en.file", "file not found"),
        ("en: {title: T, file: ../x.pdf}", "full_report.en.file", "under full/"),
        ("en: {title: T, file: full/01-en.txt}", "full_report.en.file", ".pdf"),
        ("en: {url: https://x.org/a.pdf}", "full_report.en.title", "missing field"),
        ("xx: null", "full_report.xx", "unknown field"),
    ],
)
def test_bad_full_report_entries_name_line_and_field(
    mini: Path, entry: str, field: str, message: str
) -> None:
    _edit(mini / "reports/01.yaml", "topics: [icc]", f"topics: [icc]\nfull_report:\n  {entry}")
    with pytest.raises(CorpusError) as raised:
        load_corpus(mini)
    problem = next(p for p in raised.value.problems if p.field == field)
    assert message in problem.message and problem.line in (7, 8)


def test_a_full_report_file_needs_its_language(mini: Path) -> None:
    (mini / "full").mkdir()
    (mini / "full" / "01-ru.pdf").write_bytes(b"%PDF-1.4")
    text = (mini / "reports/01.yaml").read_text(encoding="utf-8")
    text = text[: text.index("ru:\n")] + "full_report:\n  ru: {title: T, file: full/01-ru.pdf}\n"
    (mini / "reports/01.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError, match="has no ru text"):
        load_corpus(mini)


def test_proposed_fields_are_checked(mini: Path) -> None:
    _edit(mini / "reports/01.yaml", "topics: [icc]", "topics: [icc]\nproposed: [topics, colour]")
    with pytest.raises(CorpusError) as raised:
        load_corpus(mini)
    assert [p.field for p in raised.value.problems] == ["proposed[1]"]


def test_every_problem_is_reported_at_once(mini: Path) -> None:
    _edit(mini / "reports/01.yaml", "date: 2024-05-17", "date: never")
    _edit(mini / "reports/02.yaml", "topics: [torture]", "topics: [nope]")
    with pytest.raises(CorpusError) as raised:
        load_corpus(mini)
    assert {p.field for p in raised.value.problems} >= {"date", "topics[0]"}


def test_missing_corpus_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="not found"):
        load_corpus(tmp_path / "nowhere")


def test_missing_topics_file_is_an_error(mini: Path) -> None:
    (mini / "topics.yaml").unlink()
    with pytest.raises(CorpusError, match="topics.yaml"):
        load_corpus(mini)


def test_check_command_prints_problems_and_exits_non_zero(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(mini / "reports/01.yaml", "topics: [icc]", "topics: [weather]")
    assert main(["check", "--corpus", str(mini)]) == 1
    err = capsys.readouterr().err
    assert "01.yaml:6: [topics[0]] unknown topic id 'weather'" in err


def test_check_command_accepts_the_bundled_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--corpus", str(ROOT / "corpus")]) == 0
    assert "6 reports" in capsys.readouterr().out


def _bundled_copy(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", target)
    return target


def test_check_rejects_a_glossary_name_that_is_a_common_word(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The bug this guards against: a comma inside an unquoted flow list made «подход»
    # alone a name of the survivor-centred approach (it is in the ru texts of 8 and 9).
    corpus = _bundled_copy(tmp_path)
    quoted = 'ru: ["подход, ориентированный на пострадавших",'
    _edit(corpus / "glossary.yaml", quoted, "ru: [подход, ориентированный на пострадавших,")
    lines = (corpus / "glossary.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "ru: [подход," in text)
    assert main(["check", "--corpus", str(corpus)]) == 1
    err = capsys.readouterr().err
    assert f"glossary.yaml:{line}: [concepts[" in err
    assert "].names.ru[0]] 'подход' is a common word (2 of 6 ru documents)" in err
    assert "1 problem in the corpus" in err


def test_check_accepts_proper_names_and_rare_terms_in_many_documents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "Belarus" and "IAPB" are in every document but written with capitals; a
    # lower-case word in one report of six ("impunity") is under the threshold.
    corpus = _bundled_copy(tmp_path)
    _edit(corpus / "glossary.yaml", "en: [impunity]", "en: [impunity, accountability]")
    assert main(["check", "--corpus", str(corpus)]) == 1
    err = capsys.readouterr().err
    assert "'accountability' is a common word" in err
    assert "Belarus" not in err and "IAPB" not in err and "'impunity'" not in err


def test_glossary_homonyms_must_be_names_of_their_concept(mini: Path) -> None:
    _edit(
        mini / "glossary.yaml",
        "      ru: [Лукашенко]\n",
        "      ru: [Лукашенко]\n    homonyms:\n      ru: [Весна]\n",
    )
    with pytest.raises(CorpusError) as raised:
        load_corpus(mini)
    assert "[concepts[1].homonyms.ru[0]] 'Весна' is not a ru name above" in str(raised.value)


# The bilingual review of issue 9: (report, language, corrected wording, the wording it replaced).
REVIEWED = [
    (4, Lang.BE, "зрабілі ўнёсак у яго высновы", "паспрыялі яго высновам"),
    (4, Lang.RU, "внесли вклад в его выводы", "способствовали его выводам"),
    (4, Lang.RU, "содействовать усилиям", "продвигать усилия"),
    (5, Lang.BE, "прывяла да яго закліку", "падштурхнула яго заклікаць"),
    (5, Lang.BE, "ўчынілі шэраг парушэнняў", "цэлы шэраг"),
    (5, Lang.RU, "привела к его призыву", "побудила его призвать"),
    (5, Lang.RU, "совершили ряд нарушений", "целый ряд"),
    (6, Lang.BE, "вылучае значныя дасягненні", "асвятляе"),
    (6, Lang.BE, "запыты аб інфармацыі", "прадастаўленні"),
    (6, Lang.RU, "подчёркивает значительные достижения", "освещает"),
    (8, Lang.BE, "пасля таго, як Літва перадала яму сітуацыю", "куды Літва перадала"),
    (9, Lang.BE, "Па стане на верасень 2025 года", "Да верасня 2025 года"),
    (9, Lang.BE, "гэтыя паслугі ўключаюць механізмы перанакіравання", "у тым ліку механізмамі"),
    (9, Lang.RU, "эти услуги включают механизмы перенаправления", "включая механизмы"),
    (9, Lang.RU, "К другим ключевым достижениям относится публикация", "относятся публикация"),
]


@pytest.mark.parametrize(("number", "lang", "corrected", "replaced"), REVIEWED)
def test_bundled_translations_carry_the_review_corrections(
    number: int, lang: Lang, corrected: str, replaced: str
) -> None:
    report = next(r for r in load_corpus(ROOT / "corpus").reports if r.number == number)
    text = report.summaries[lang].summary
    assert corrected in text
    assert replaced not in text


def test_bundled_translation_notes_say_who_translated_and_when() -> None:
    for report in load_corpus(ROOT / "corpus").reports:
        for lang in (Lang.BE, Lang.RU):
            note = report.summaries[lang].provenance_note
            assert "iapb-search" in note and "2026" in note, (report.number, lang)


# (file, text before the character, where it lands: line, column)
CONTROL = {
    "report summary": ("reports/01.yaml", "    Evidence was provided to the ", 10, 34),
    "glossary name, after Cyrillic": ("glossary.yaml", "      be: [Міжнародны крымінальны ", 6, 35),
}


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x7f", "\x9b"])
@pytest.mark.parametrize("case", list(CONTROL))
def test_a_raw_control_character_is_reported_with_file_line_and_column(
    mini: Path, case: str, char: str
) -> None:
    name, before, line, column = CONTROL[case]
    _edit(mini / name, before, before + char)
    with pytest.raises(CorpusError) as raised:
        load_corpus(mini)
    (problem,) = [p for p in raised.value.problems if p.file.endswith(name)]
    assert (problem.line, problem.column) == (line, column), str(problem)
    assert f"U+{ord(char):04X}" in problem.message
    assert f"{name}:{line}:{column}:" in str(raised.value)
    assert "position" not in str(raised.value)


def test_check_accepts_a_new_report_about_a_concept_named_by_a_common_word(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The next real report, imported in English only, says "torture" like report 9:
    # 2 of 7 English documents.  The concept is as common in Belarusian and Russian
    # («катаванні», «пытки» in report 9), so "torture" is its name, not a stray word.
    corpus = _bundled_copy(tmp_path)
    text = (corpus / "reports" / "09.yaml").read_text(encoding="utf-8")
    head, _, rest = text.partition("\nbe:\n")
    new = head.replace("number: 9", "number: 10").replace("date: 2025-11-10", "date: 2026-05-10")
    new = new.replace("start: 2025-04-01", "start: 2025-10-01")
    new = new.replace("end: 2025-09-30", "end: 2026-03-31")
    (corpus / "reports" / "10.yaml").write_text(new + "\n", encoding="utf-8")
    assert main(["check", "--corpus", str(corpus)]) == 0, capsys.readouterr().err
