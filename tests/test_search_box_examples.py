"""The search box's example queries: in the interface language, and each finds reports.

The expected reports were read from the corpus text: the ICC is named in reports 7, 8
and 9 (МКС/МУС in be/ru), Lukashenka in 8 and 9, torture (катаванні/пытки) in 9.
"""

from __future__ import annotations

import html
import re

import pytest

EXAMPLES = {
    "en": {"ICC": {7, 8, 9}, "Lukashenka": {8, 9}, "пыткі": {9}},
    "be": {"МКС": {7, 8, 9}, "Лукашэнка": {8, 9}, "пыткі": {9}},
    "ru": {"МУС": {7, 8, 9}, "Лукашенко": {8, 9}, "пытки": {9}},
}


@pytest.mark.parametrize("hl", list(EXAMPLES))
def test_search_box_examples_are_in_the_interface_language_and_find_reports(
    client, hl: str
) -> None:
    body = client.get(f"/?hl={hl}").get_data(as_text=True)
    placeholders = re.findall(r'<input[^>]*name="q"[^>]*placeholder="([^"]*)"', body)
    assert len(placeholders) == 1, placeholders
    # The examples alone ("ICC, Lukashenka, пыткі"): a phone's box shows them whole.
    listed = html.unescape(placeholders[0])
    examples = [e.strip() for e in listed.split(",")]
    assert examples == list(EXAMPLES[hl])
    for q, reports in EXAMPLES[hl].items():
        answer = client.get("/api/search", query_string={"q": q, "per_page": 50}).get_json()
        assert {hit["report"] for hit in answer["results"]} == reports, q
