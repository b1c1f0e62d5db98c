"""Every query of every ``tests/querysets/*.yaml`` finds its reports (collapse=report).

The files, their rules (``exact``, ``recall``) and ``known_gap`` are described in
``tests/querysets/README.md`` and :mod:`tools.querysets`, which scores the same sets.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.querysets import (
    QuerySetError,
    found_reports,
    judge,
    load_queryset,
    load_querysets,
)

SETS = load_querysets()
CASES = [
    pytest.param(
        qs.rule,
        case,
        id=case.label,
        marks=[pytest.mark.xfail(reason=case.known_gap, strict=True)] if case.known_gap else [],
    )
    for qs in SETS
    for case in qs.cases
]


def test_every_queryset_file_is_read():
    names = {qs.name for qs in SETS}
    assert "questions.yaml" in names
    assert all(qs.cases for qs in SETS)


@pytest.mark.parametrize(("rule", "case"), CASES)
def test_query_finds_its_reports(search_index, rule, case):
    found = found_reports(search_index, case)
    assert judge(rule, case, found), (
        f"{case.q!r} found {sorted(found)}, expected {sorted(case.expect)} ({rule})"
    )


def test_recall_rule_allows_more_reports_but_not_for_nothing(tmp_path: Path):
    path = tmp_path / "r.yaml"
    path.write_text("rule: recall\nqueries:\n  - {q: a, expect: [7]}\n  - {q: b, expect: []}\n")
    qs = load_queryset(path)
    some, nothing = qs.cases
    assert judge("recall", some, {7, 8})
    assert not judge("recall", some, {8})
    assert not judge("recall", nothing, {8})
    assert judge("recall", nothing, set())
    assert not judge("exact", some, {7, 8})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rule: fuzzy\nqueries: [{q: a, expect: []}]", "rule must be"),
        ("queries: []", "no queries"),
        ("- {q: a}", "no expect"),
        ("- {q: a, expect: [x]}", "list of integers"),
        ("- {q: a, expect: [], lang: [de]}", "'de'"),
        ("- {q: a, expect: [], colour: red}", "unknown keys"),
        ("- {q: a, expect: [1]\n", "r.yaml"),
    ],
)
def test_a_bad_queryset_file_is_named_with_what_is_wrong(tmp_path: Path, text, message):
    path = tmp_path / "r.yaml"
    path.write_text(text)
    with pytest.raises(QuerySetError, match=message):
        load_queryset(path)


def test_the_tool_prints_the_scores_per_file_and_overall(index_dir: Path, capsys):
    import json

    from tools.querysets import main

    assert main(["--index", str(index_dir), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert {"questions.yaml", "overall"} <= set(scores)
    overall = scores["overall"]
    assert overall["queries"] == sum(len(qs.cases) for qs in SETS)
    assert 0.0 <= overall["f1"] <= 1.0
