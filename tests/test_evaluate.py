"""The analysis evaluation: CoNLL-U reading, pair scoring, the command line."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tools.evaluate import Token, exact_match_rate, form_lemmas, main, pair_scores, read_conllu

CONLLU = """\
# sent_id = 1
# text = Суды, суд і 2 суды.
1\tСуды\tсуд\tNOUN\t_\t_\t0\troot\t_\tSpaceAfter=No
2\t,\t,\tPUNCT\t_\t_\t1\tpunct\t_\t_
3\tсуд\tсуд\tNOUN\t_\t_\t1\tconj\t_\t_
4\tі\tі\tCCONJ\t_\t_\t5\tcc\t_\t_
5\t2\t2\tNUM\t_\t_\t1\tnummod\t_\t_
6-7\tсудзе\t_\t_\t_\t_\t_\t_\t_\t_
6\tсудзе\tсуд\tNOUN\t_\t_\t1\tconj\t_\t_
7\tсудзе\tсудзіць\tVERB\t_\t_\t1\tconj\t_\t_
7.1\tсуды\tсуд\tNOUN\t_\t_\t_\t_\t1:conj\t_
8\tЁлкі\tёлка\tNOUN\t_\t_\t1\tconj\t_\t_

# sent_id = 2
1\tсудзе\tсуд\tNOUN\t_\t_\t0\troot\t_\t_
2\tGmbH\tGmbH\tX\t_\t_\t1\tflat\t_\t_
"""


def test_read_conllu_keeps_syntactic_words_only() -> None:
    tokens = read_conllu(CONLLU.splitlines())
    assert [t.form for t in tokens] == [
        "Суды",
        ",",
        "суд",
        "і",
        "2",
        "судзе",
        "судзе",
        "Ёлкі",
        "судзе",
        "GmbH",
    ]
    assert tokens[0] == Token("Суды", "суд", "NOUN")


def test_read_conllu_rejects_a_short_line() -> None:
    with pytest.raises(ValueError, match="line 1"):
        read_conllu(["1\tсуд\tсуд\tNOUN"])


def test_form_lemmas_normalises_drops_tags_and_takes_the_most_frequent_lemma() -> None:
    assert form_lemmas(read_conllu(CONLLU.splitlines())) == {
        "суды": "суд",
        "суд": "суд",
        "і": "і",
        "судзе": "суд",  # twice "суд", once "судзіць"
        "елкі": "елка",
    }


def test_pair_scores_on_a_worked_example() -> None:
    lemmas = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "c": "C"}
    stems = {"a1": "s1", "a2": "s1", "a3": "s2", "b1": "s1", "b2": "s1", "c": "s3"}
    # same lemma: 3 + 1 pairs; same stem: 6 pairs; both: a1-a2 and b1-b2.
    assert pair_scores(lemmas, stems.__getitem__) == pytest.approx((2 / 4, 2 / 6))


def test_pair_scores_without_pairs_are_vacuously_perfect() -> None:
    assert pair_scores({"a": "A", "b": "B"}, str.upper) == (1.0, 1.0)


def _brute_force(lemmas: dict[str, str], stems: dict[str, str]) -> tuple[float, float]:
    pairs = list(combinations(lemmas, 2))
    same_lemma = [p for p in pairs if lemmas[p[0]] == lemmas[p[1]]]
    same_stem = [p for p in pairs if stems[p[0]] == stems[p[1]]]
    both = [p for p in same_lemma if stems[p[0]] == stems[p[1]]]
    return (
        len(both) / len(same_lemma) if same_lemma else 1.0,
        len(both) / len(same_stem) if same_stem else 1.0,
    )


@given(
    st.dictionaries(
        st.text(min_size=1, max_size=3),
        st.tuples(st.sampled_from("ABC"), st.sampled_from("xyz")),
        max_size=12,
    )
)
def test_pair_scores_agree_with_counting_every_pair(entries) -> None:
    lemmas = {form: lemma for form, (lemma, _) in entries.items()}
    stems = {form: stem for form, (_, stem) in entries.items()}
    assert pair_scores(lemmas, stems.__getitem__) == pytest.approx(_brute_force(lemmas, stems))


def test_exact_match_rate_normalises_before_stemming() -> None:
    words = ["Суды", "суду", "суд"]
    assert exact_match_rate(words, ["суды", "суду", "x"], lambda w: w) == pytest.approx(2 / 3)


def test_exact_match_rate_rejects_lists_of_different_lengths() -> None:
    with pytest.raises(ValueError):
        exact_match_rate(["a"], [], lambda w: w)


def _write_refdata(root: Path) -> None:
    root.mkdir()
    (root / "be_hse-ud-dev.conllu").write_text(CONLLU, encoding="utf-8")
    (root / "ru_gsd-ud-dev.conllu").write_text(CONLLU, encoding="utf-8")
    (root / "en_voc.txt").write_text("reports\nreport\n", encoding="utf-8")
    (root / "en_output.txt").write_text("report\nreport\n", encoding="utf-8")
    (root / "ru_voc.txt").write_text("суды\n", encoding="utf-8")
    (root / "ru_output.txt").write_text("суд\n", encoding="utf-8")


def test_main_prints_the_figures_as_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_refdata(tmp_path / "data")
    monkeypatch.setenv("IAPB_REFDATA", str(tmp_path / "data"))
    assert main(["--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {(p["lang"], p["stemmer"]) for p in doc["pair_scores"]} >= {
        ("be", "stemmer_be (ours)"),
        ("be", "baseline: Snowball Russian"),
        ("be", "baseline: 5-letter truncation"),
        ("ru", "pymorphy3 lemmas (ours)"),
        ("ru", "pymorphy3, Snowball if unknown"),
        ("ru", "baseline: Snowball Russian"),
    }
    assert [m["exact"] for m in doc["snowball_reference"]] == [1.0, 1.0]
    assert {c["stemmer"] for c in doc["russian_cost"]} == {"pymorphy3 lemma", "Snowball Russian"}
    assert all(c["words"] == 5 and c["microseconds"] >= 0 for c in doc["russian_cost"])


def test_main_prints_an_aligned_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_refdata(tmp_path / "data")
    monkeypatch.setenv("IAPB_REFDATA", str(tmp_path / "data"))
    assert main([]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [line for line in lines if line.startswith(("be ", "ru ", "en "))]
    assert len(rows) == 10  # 6 pair scores, 2 reference lists, 2 costs
    assert len({len(row) for row in rows[:6]}) == 1


def test_missing_data_is_one_line_and_exit_status_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("IAPB_REFDATA", str(tmp_path / "nowhere"))
    assert main([]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1
    assert "nowhere" in captured.err


def test_sentences_are_grouped_by_their_orthography() -> None:
    from tools.evaluate import sentences_by_spelling

    lines = [
        "# spelling = nar",
        "1\tснег\tснег\tNOUN\t_\t_\t0\troot\t_\t_",
        "",
        "# spelling = tar",
        "1\tсьнег\tсьнег\tNOUN\t_\t_\t0\troot\t_\t_",
        "",
        "1\tбез\tбез\tADP\t_\t_\t0\troot\t_\t_",
    ]
    groups = sentences_by_spelling(lines)
    assert [t.form for t in read_conllu(groups["nar"])] == ["снег"]
    assert [t.form for t in read_conllu(groups["tar"])] == ["сьнег"]
    assert [t.form for t in read_conllu(groups[""])] == ["без"]
