"""bench.relax measures what it says: its relaxed queries are relaxed on the bundled
corpus, its strict ones are not, and every figure is reported."""

from __future__ import annotations

from bench import relax


def test_relax_pairs_are_relaxed_and_strict_as_named(index_dir):
    result = relax.measure(index_dir, budget=0.0, max_rounds=1)
    for name, _, _ in relax.RELAX_PAIRS:
        what = result["outcome"][name]
        if name == "absent topic":
            assert what == "0 found, not relaxed"
        else:
            assert "partial, dropped" in what and not what.startswith("0 ")
    assert result["rounds"] == 1
    for key in ("strict", "relaxed", "step"):
        assert result[key]["count"] > 0
    assert result["ratio"] > 0 and result["step_ratio"] > 0
    assert set(result["pairs"]) == {name for name, _, _ in relax.RELAX_PAIRS}
