"""The dates a query was read as, in the API, its OpenAPI description and on the search
page in the interface language (issue 24 §2)."""

from __future__ import annotations

import pytest

from tests.test_pages import get_page


def test_the_api_answers_with_the_dates_it_understood(client) -> None:
    body = client.get("/api/search", query_string={"q": "1 красавіка 2025"}).get_json()
    assert body["dates"] == [{"from": "2025-04-01", "to": "2025-04-01", "text": "1 красавіка 2025"}]
    assert {hit["report"] for hit in body["results"]} == {9}
    body = client.get("/api/search", query_string={"q": "ў кастрычніку"}).get_json()
    assert body["dates"] == [{"from": None, "to": None, "text": "ў кастрычніку", "month": 10}]
    assert client.get("/api/search", query_string={"q": "torture"}).get_json()["dates"] == []


def test_openapi_describes_the_dates(client) -> None:
    spec = client.get("/openapi.json").get_json()
    result = spec["components"]["schemas"]["SearchResult"]
    assert "dates" in result["required"]
    item = result["properties"]["dates"]["items"]
    assert set(item["required"]) == {"from", "to", "text"}
    assert item["properties"]["from"]["type"] == ["string", "null"]


@pytest.mark.parametrize(
    ("url", "said"),
    [
        # One report (the first plural form), a span of months written by the calendar.
        ("/?q=Q3+2024&hl=en", "1 report covers July – September 2024"),
        ("/?q=Q3+2024&hl=ru", "1 отчёт за июль — сентябрь 2024 г."),
        ("/?q=Q3+2024&hl=be", "1 справаздача за ліпень–верасень 2024"),
        # Three reports (the second form): every October.
        ("/?q=за+октябрь&hl=en", "3 reports cover October (any year)"),
        ("/?q=за+октябрь&hl=ru", "3 отчёта за октябрь (любого года)"),
        ("/?q=за+октябрь&hl=be", "3 справаздачы за кастрычнік (любога года)"),
        # Nine documents when every language version is listed (the third form).
        ("/?q=за+октябрь&collapse=none&hl=ru", "9 результатов за октябрь (любого года)"),
        ("/?q=за+октябрь&collapse=none&hl=be", "9 вынікаў за кастрычнік (любога года)"),
        # A day.
        ("/?q=01.04.2025&hl=en", "1 report covers April 1, 2025"),
        ("/?q=01.04.2025&hl=be", "1 справаздача за 1 красавіка 2025 г."),
        # Nothing found still says what was read.
        ("/?q=winter+2026&hl=ru", "0 отчётов за декабрь 2025 г. — февраль 2026 г."),
    ],
)
def test_the_page_says_which_dates_it_read_in_the_interface_language(client, url, said) -> None:
    _, page = get_page(client, url)
    assert said in " ".join(page.text.split())


def test_the_page_marks_each_date_with_what_was_typed(client) -> None:
    _, page = get_page(client, "/?q=torture+1.4.2025+OR+2024-09&hl=en")
    assert page.find("time", datetime="2025-04-01", title="1.4.2025")
    assert page.find("time", datetime="2024-09", title="2024-09")
    _, plain = get_page(client, "/?q=torture&hl=en")
    assert not plain.find("p", class_="dates")
