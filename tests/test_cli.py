"""``iapb-index search``: the search API from a terminal, as text or as the API's JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.cli import main


def test_search_prints_the_count_the_expansion_and_each_hit(index_dir: Path, capsys) -> None:
    assert main(["search", "ICC", "--index", str(index_dir)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("9 results for 'ICC'")
    assert "also searched: " in out
    assert out.count("\n[r") == 9
    assert "<mark>" in out


def test_search_says_which_months_it_read_as_dates(index_dir: Path, capsys) -> None:
    # Report 7's period is April to September 2024: its three versions.
    assert main(["search", "сентября 2024", "--index", str(index_dir)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("3 results for 'сентября 2024'")
    assert "read as dates: сентября 2024 (2024-09)" in out
    assert main(["search", "2024", "--index", str(index_dir)]) == 0
    assert "read as dates" not in capsys.readouterr().out


def test_search_says_which_days_spans_and_months_of_any_year_it_read(
    index_dir: Path, capsys
) -> None:
    # 1 April 2025 opens report 9's period; Q3 2024 is inside report 7's; every October
    # is in the periods of 4, 6 and 8.
    assert main(["search", "1.4.2025 OR (Q3 2024) OR (за октябрь)", "--index", str(index_dir)]) == 0
    out = capsys.readouterr().out
    assert "1.4.2025 (2025-04-01)" in out
    assert "Q3 2024 (2024-07-01..2024-09-30)" in out
    assert "за октябрь (month 10 of any year)" in out


def test_search_json_is_the_api_answer_with_the_filters_applied(index_dir: Path, capsys) -> None:
    argv = ["search", "ICC", "--index", str(index_dir), "--lang", "be", "--collapse", "--json"]
    assert main([*argv, "--sort", "date", "--per-page", "2", "--hl", "ru"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["total"] == 3 and len(answer["results"]) == 2
    assert {hit["lang"] for hit in answer["results"]} == {"be"}
    dates = [hit["date"] for hit in answer["results"]]
    assert dates == sorted(dates, reverse=True)
    # A terminal has no server to link to: documents are named by their ids only.
    assert all("url" not in hit and hit["id"].endswith("-be") for hit in answer["results"])


@pytest.mark.parametrize(
    ("argv", "param"),
    [
        (["--year", "1800"], "year"),
        (["--per-page", "51"], "per_page"),
        (["--year-from", "2025", "--year-to", "2024"], "year_to"),
        (["--page", "99"], "page"),  # past the last page
    ],
)
def test_a_bad_parameter_exits_2_naming_it(index_dir: Path, capsys, argv, param) -> None:
    assert main(["search", "ICC", "--index", str(index_dir), *argv]) == 2
    assert capsys.readouterr().err.startswith(f"error: {param}: ")


def test_a_missing_index_exits_1_with_the_reason(tmp_path: Path, capsys) -> None:
    assert main(["search", "ICC", "--index", str(tmp_path / "nowhere")]) == 1
    assert "nowhere" in capsys.readouterr().err
