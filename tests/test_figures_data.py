"""corpus/figures.yaml checked against the summaries (issue 27): every value found in
every language, numbers read as search reads them, corrupted figures refused with file,
line and field, uncovered numbers warned about and suggested."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.build import build_index
from indexer.cli import main
from indexer.corpus.load import load_corpus
from indexer.corpus.paragraphs import split_paragraphs
from indexer.errors import CorpusError
from indexer.figures.coverage import uncovered_numbers
from indexer.figures.loading import FIGURES_FILE, load_figures
from indexer.figures.numbers import mentions
from indexer.languages import Lang
from tests.helpers import CORPUS


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(CORPUS)


@pytest.fixture(scope="module")
def figures(corpus):
    return load_figures(CORPUS, corpus)


def test_check_passes_on_the_bundled_corpus_and_counts_the_figures(capsys) -> None:
    assert main(["check", "--corpus", str(CORPUS)]) == 0
    out, err = capsys.readouterr()
    assert re.search(r"\d+ figures with \d+ values, \d+ ignored", out)
    assert "warning" not in err


def test_every_value_is_in_its_paragraph_in_every_language(corpus, figures) -> None:
    reports = {r.number: r for r in corpus.reports}
    checked = 0
    for figure in figures.figures:
        for point in figure.values:
            report = reports[point.report]
            assert set(point.quotes) == set(report.langs)
            for lang in report.langs:
                paragraph = split_paragraphs(report.summaries[lang].summary)[point.paragraph - 1]
                values = [m.value for m in mentions(paragraph.text)]
                assert point.value in values, (figure.id, point.report, lang)
                quote = point.quotes[lang]
                assert quote.text in paragraph.text
                assert [m.value for m in mentions(quote.text[quote.start : quote.end])] == [
                    point.value
                ]
                checked += 1
    assert checked >= 3 * 25


def test_the_issue_s_series_are_recorded_with_their_qualifiers(figures) -> None:
    def series(figure_id):
        return [(p.report, p.value, p.qualifier.value) for p in figures.get(figure_id).values]

    assert series("interviews") == [
        (7, 2637, "exact"),
        (8, 2775, "exact"),
        (9, 3200, "over"),
    ]
    assert series("documents") == [(7, 29492, "exact"), (8, 30000, "over")]
    assert series("states-supported") == [(6, 4, "exact"), (9, 6, "exact")]
    assert series("state-requests")[-1] == (9, 11, "exact")
    assert series("open-source") == [(8, 1500000, "exact"), (9, 2000000, "more-than")]


def test_every_number_of_the_six_summaries_is_a_figure_or_ignored(corpus, figures) -> None:
    assert uncovered_numbers(corpus, figures) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a total of 2,637 interviews", 2637),
        ("a total of 2 637 interviews", 2637),
        ("a total of 2\u00a0637 interviews", 2637),
        ("a total of 2\u202f637 interviews", 2637),
        ("a total of 2637 interviews", 2637),
        ("in four states", 4),
        ("у чатырох дзяржавах", 4),
        ("с четырьмя государствами", 4),
        ("more than two million materials", 2000000),
        ("больш за два мільёны матэрыялаў", 2000000),
        ("1,5 миллиона записей", 1500000),
        ("1.5 million records", 1500000),
        ("шасці дзяржаў", 6),
    ],
)
def test_numbers_are_read_as_search_reads_them(text, value) -> None:
    assert [m.value for m in mentions(text)] == [Decimal(value)]


def test_ordinals_and_dates_are_not_counts() -> None:
    assert mentions("the fourth progress report, its seventh term") == []
    assert [m.value for m in mentions("on 17.05.2023")] == []


def test_a_translation_with_no_break_spaces_inside_numbers_still_checks(tmp_path) -> None:
    # The dates branch writes "29 492" with U+00A0: quotations are derived, not stored.
    corpus_dir = _copy(tmp_path)
    path = corpus_dir / "reports" / "07.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("29 492", "29\u00a0492"), "utf-8")
    found = load_figures(corpus_dir, load_corpus(corpus_dir))
    quote = next(p for p in found.get("documents").values if p.report == 7).quotes[Lang.BE]
    assert quote.text[quote.start : quote.end] == "29\u00a0492"


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    if not target.exists():
        shutil.copytree(CORPUS, target, ignore=shutil.ignore_patterns("*.pdf", "full"))
    return target


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _value_lines(path: Path) -> list[int]:
    """The line numbers (from 1) of the one-line values ``- {report: ..., value: ...}``."""
    return [
        i
        for i, line in enumerate(_lines(path), 1)
        if re.match(r"\s+- \{report:", line) and "paragraph:" in line
    ]


def _refused(corpus_dir: Path) -> CorpusError:
    with pytest.raises(CorpusError) as caught:
        load_figures(corpus_dir, load_corpus(corpus_dir))
    return caught.value


CORRUPTIONS = ["value", "report", "paragraph", "qualifier"]


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(index=st.integers(min_value=0, max_value=200), how=st.sampled_from(CORRUPTIONS))
def test_a_corrupted_figure_is_refused_with_file_line_and_field(tmp_path_factory, index, how):
    corpus_dir = _copy(tmp_path_factory.mktemp("c"))
    path = corpus_dir / FIGURES_FILE
    candidates = _value_lines(path)
    line_no = candidates[index % len(candidates)]
    lines = _lines(path)
    entry = yaml.safe_load(lines[line_no - 1].strip()[2:])
    if how == "value":
        entry["value"] = entry["value"] + 1000  # no summary holds this number there
    elif how == "report":
        entry["report"] = 5 if entry["report"] != 5 else 4  # reports 4 and 5: few numbers
    elif how == "paragraph":
        entry["paragraph"] = 9  # no summary has nine paragraphs
    else:
        entry["qualifier"] = "about"  # no value of the corpus is "about"
    indent = lines[line_no - 1][: lines[line_no - 1].index("-")]
    pairs = ", ".join(f"{k}: {v}" for k, v in entry.items())
    lines[line_no - 1] = f"{indent}- {{{pairs}}}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    error = _refused(corpus_dir)
    problem = error.problems[0]
    assert problem.file == str(path)
    assert problem.line == line_no
    assert problem.field and problem.field.startswith("figures[")
    expected = {
        "value": (".value",),
        # Reports 4 and 5 have one paragraph; report 5's holds a 2 another figure has.
        "report": (".value", ".paragraph", ".report"),
        "paragraph": (".paragraph",),
        "qualifier": (".qualifier",),
    }
    assert problem.field.endswith(expected[how])


def test_a_value_missing_from_one_translation_names_that_language(tmp_path) -> None:
    corpus_dir = _copy(tmp_path)
    path = corpus_dir / "reports" / "09.yaml"
    text = path.read_text(encoding="utf-8").replace("717 пацярпелых", "семсот пацярпелых")
    path.write_text(text, encoding="utf-8")
    problem = _refused(corpus_dir).problems[0]
    assert "be.summary" in problem.message and "717" in problem.message
    assert problem.file.endswith(FIGURES_FILE) and problem.line is not None


def test_a_wrong_figure_leaves_the_index_in_service_as_it_was(tmp_path, capsys) -> None:
    corpus_dir = _copy(tmp_path)
    out = tmp_path / "index"
    build_index(corpus_dir, out)
    before = sorted(p.name for p in out.iterdir())
    path = corpus_dir / FIGURES_FILE
    path.write_text(path.read_text("utf-8").replace("value: 2637", "value: 2638"), "utf-8")
    with pytest.raises(CorpusError):
        build_index(corpus_dir, out)
    assert sorted(p.name for p in out.iterdir()) == before
    assert main(["check", "--corpus", str(corpus_dir)]) == 1
    err = capsys.readouterr().err
    assert "2638 is not in paragraph 1 of en.summary" in err
    assert f"{path}:" in err and "[figures[0].values[0].value]" in err


def test_check_warns_about_an_uncovered_number_and_suggest_lists_it(tmp_path, capsys) -> None:
    corpus_dir = _copy(tmp_path)
    path = corpus_dir / FIGURES_FILE
    path.write_text(
        "\n".join(line for line in _lines(path) if "Article 15" not in line) + "\n", "utf-8"
    )
    assert main(["check", "--corpus", str(corpus_dir)]) == 0
    err = capsys.readouterr().err
    assert "warning:" in err and "09.yaml: paragraph 4: 15 is not a figure" in err
    assert main(["figures", "suggest", "--report", "9", "--corpus", str(corpus_dir)]) == 0
    out = capsys.readouterr().out
    assert "report 9, paragraph 4: 15" in out
    assert "under Article [15] of the Rome Statute" in out  # en, the number marked
    assert "паводле артыкула [15] Рымскага статута" in out  # be
    assert "со статьёй [15] Римского статута" in out  # ru
    assert main(["figures", "suggest", "--report", "8", "--corpus", str(corpus_dir)]) == 0
    assert "every number is a figure or ignored" in capsys.readouterr().out


def test_suggest_refuses_an_unknown_report(capsys) -> None:
    assert main(["figures", "suggest", "--report", "99", "--corpus", str(CORPUS)]) == 1
    assert "no report 99" in capsys.readouterr().err


def test_an_ignore_that_matches_nothing_is_refused(tmp_path) -> None:
    corpus_dir = _copy(tmp_path)
    path = corpus_dir / FIGURES_FILE
    path.write_text(
        path.read_text("utf-8") + "  - {report: 4, value: 1999, reason: typo}\n", "utf-8"
    )
    problem = _refused(corpus_dir).problems[0]
    assert problem.field.startswith("ignore[") and "nothing to ignore" in problem.message


def test_a_corpus_without_figures_file_has_no_figures(tmp_path, capsys) -> None:
    corpus_dir = _copy(tmp_path)
    (corpus_dir / FIGURES_FILE).unlink()
    assert load_figures(corpus_dir, load_corpus(corpus_dir)).figures == ()
    assert main(["check", "--corpus", str(corpus_dir)]) == 0
    err = capsys.readouterr().err
    assert "note: no figures.yaml" in err and "warning" not in err


def test_a_generation_built_before_figures_answers_nothing() -> None:
    from indexer.figures.answer import FigureBook

    book = FigureBook.from_meta(None)
    assert book.figures.figures == () and book.figure_of("how many interviews") is None


def test_a_name_two_figures_share_once_analysed_is_refused(tmp_path) -> None:
    corpus_dir = _copy(tmp_path)
    path = corpus_dir / FIGURES_FILE
    text = path.read_text("utf-8").replace(
        "en: [States that requested assistance,", "en: [requesting States,"
    )
    path.write_text(text, "utf-8")
    problem = _refused(corpus_dir).problems[0]
    assert "reads as a name of figure 'state-requests' too" in problem.message
    line = next(i for i, t in enumerate(_lines(path), 1) if "requesting States" in t)
    assert (problem.line, problem.field.endswith(".names.en[0]")) == (line, True)


def test_a_name_of_question_words_only_is_refused(tmp_path) -> None:
    corpus_dir = _copy(tmp_path)
    path = corpus_dir / FIGURES_FILE
    path.write_text(
        path.read_text("utf-8").replace("ru: [уголовные расследования,", "ru: [сколько,"), "utf-8"
    )
    assert "names nothing" in _refused(corpus_dir).problems[0].message


def test_a_value_moved_to_a_report_holding_the_same_number_is_refused(tmp_path) -> None:
    # Report 5's only count is "two additional States": the two NGOs of report 6 moved
    # there would be found in the text, but that number already backs another figure.
    corpus_dir = _copy(tmp_path)
    path = corpus_dir / FIGURES_FILE
    old = "- {report: 6, paragraph: 1, value: 2, occurrence: 1}"
    path.write_text(path.read_text("utf-8").replace(old, old.replace("6", "5", 1)), "utf-8")
    problem = _refused(corpus_dir).problems[0]
    assert "already the value of figure 'states-supported-in-period'" in problem.message
    line = next(
        i for i, t in enumerate(_lines(path), 1) if "{report: 5, paragraph: 1, value: 2, occ" in t
    )
    assert (problem.line, problem.field) == (line, "figures[7].values[0].report")


def test_a_unit_with_the_wrong_number_of_forms_is_refused(tmp_path) -> None:
    corpus_dir = _copy(tmp_path)
    path = corpus_dir / FIGURES_FILE
    text = path.read_text("utf-8").replace(
        "be: [дакумент, дакументы, дакументаў]", "be: [дакумент, дакументаў]"
    )
    path.write_text(text, "utf-8")
    problem = _refused(corpus_dir).problems[0]
    assert problem.field == "figures[2].unit.be" and "one, few, many" in problem.message
