"""The limits the pages and the widget render are the API's, defined once in Python.

The search box's ``maxlength`` is :data:`indexer.records.MAX_QUERY_LENGTH` (rendered from
it), and the widget caps its ``per-page`` attribute at
:data:`indexer.records.MAX_PER_PAGE`, the most the API answers.
"""

from __future__ import annotations

import re

import pytest

from indexer.records import MAX_PER_PAGE, MAX_QUERY_LENGTH
from tests.helpers import ROOT


def test_the_search_box_takes_as_many_characters_as_the_api(client) -> None:
    page = client.get("/").get_data(as_text=True)
    box = re.search(r'<input type="search" id="q"[^>]*>', page)
    assert box is not None
    assert f'maxlength="{MAX_QUERY_LENGTH}"' in box.group()
    accepted = client.get("/api/search", query_string={"q": "a" * MAX_QUERY_LENGTH})
    refused = client.get("/api/search", query_string={"q": "a" * (MAX_QUERY_LENGTH + 1)})
    assert accepted.status_code == 200 and refused.status_code == 400


def test_the_search_box_follows_the_python_definition(client, monkeypatch) -> None:
    monkeypatch.setattr("webapp.pages.MAX_QUERY_LENGTH", 123)
    page = client.get("/").get_data(as_text=True)
    assert 'maxlength="123"' in page


@pytest.mark.parametrize("asked", [MAX_PER_PAGE, MAX_PER_PAGE + 1, 1000])
def test_the_widget_asks_no_more_per_page_than_the_api_answers(client, asked) -> None:
    script = (ROOT / "webapp" / "static" / "widget.js").read_text(encoding="utf-8")
    caps = re.findall(r"Math\.min\(n, (\d+)\)", script)
    assert caps == [str(MAX_PER_PAGE)]
    shown = min(asked, int(caps[0]))
    assert client.get(f"/api/search?q=ICC&per_page={shown}").status_code == 200
