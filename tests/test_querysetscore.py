"""tools/querysetscore.py: a query set's exact answers, precision, recall and F1."""

from __future__ import annotations

from tools.querysetscore import ROOT, score


def test_a_query_set_is_scored_per_report() -> None:
    cases = [
        # Report 9 alone names torture: right.
        {"q": "torture", "expect": [9], "note": "right"},
        # The ICC is named in 7, 8 and 9: one report missed, none extra.
        {"q": "ICC", "expect": [7, 8, 9, 4], "note": "4 is missed"},
        # Nothing names nuclear weapons; expecting report 5 is one report missed.
        {"q": "nuclear weapons", "expect": [5], "note": "5 is missed"},
        {"q": "Q3 2024", "expect": [], "note": "7 is found, not expected", "lang": "en"},
    ]
    result = score(ROOT, cases)
    assert result["queries"] == 4 and result["exact"] == 1
    # Pairs: found 9; 7, 8, 9; nothing; 7.  Expected 9; 4, 7, 8, 9; 5; nothing.
    assert (result["precision"], result["recall"]) == (0.8, round(4 / 6, 3))
    assert result["f1"] == round(2 * 0.8 * (4 / 6) / (0.8 + 4 / 6), 3)
    assert [w["q"] for w in result["wrong"]] == ["ICC", "nuclear weapons", "Q3 2024"]
