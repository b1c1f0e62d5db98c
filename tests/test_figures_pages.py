"""/figures and /figures/<id> (issue 27): three interface languages, the step chart with
its table twin and description, quotations, notes, exports, citations and feed."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote
from xml.etree import ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ATOM = "{http://www.w3.org/2005/Atom}"


def page(client, path: str, **query) -> str:
    response = client.get(path, query_string=query)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("hl", "title", "latest"),
    [
        ("en", "Figures across reports", "over 3,200"),
        ("be", "Лічбы па справаздачах", "больш за 3\u00a0200"),
        ("ru", "Цифры по отчётам", "более 3\u00a0200"),
    ],
)
def test_the_figures_index_lists_every_figure_in_the_interface_language(
    client, hl, title, latest
) -> None:
    html = page(client, "/figures", hl=hl)
    assert f'<h1 class="page-title">{title}</h1>' in html
    assert latest in html
    assert html.count('href="/figures/') >= 19


def test_the_figure_page_draws_a_step_chart_linked_to_paragraphs(client) -> None:
    html = page(client, "/figures/interviews")
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="group"' in svg and "<desc" in svg
    links = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)"', svg)
    # Each name starts with the report number the point shows (label-content-name-mismatch).
    assert [label for _, label in links] == [
        "No. 7: 2,637, September 2024",
        "No. 8: 2,775, March 2025",
        "No. 9: over 3,200, September 2025",
    ]
    assert all(re.fullmatch(r"/reports/r[789]-en\?hl=en#p\d-[0-9a-f]{6}", u) for u, _ in links)
    path = re.search(r'<path class="step" d="([^"]+)"', svg).group(1)
    assert path.count("M") == 2 and path.count("H") == 2 and path.count("V") == 2
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg).group(1)
    assert "2,637 by September 2024 (report 7)" in desc and "over 3,200" in desc


def test_the_figure_page_has_a_table_twin_and_honest_qualifiers(client) -> None:
    html = page(client, "/figures/interviews")
    table = html[html.index('<table class="figure-values">') : html.index("</table>")]
    rows = re.findall(r"<tr>\s*<th scope=\"row\">([^<]+)</th>\s*<td>([^<]+)</td>", table)
    assert rows == [
        ("September 2025", "over 3,200"),
        ("March 2025", "2,775"),
        ("September 2024", "2,637"),
    ]


def test_quotations_show_the_reader_s_language_beside_the_english_original(client) -> None:
    html = page(client, "/figures/interviews", hl="be")
    assert 'lang="be"' in html and 'lang="en"' in html
    assert "з больш чым <mark>3200</mark> ахвярамі" in html
    assert "with over <mark>3,200</mark> victims" in html
    assert "Неафіцыйны пераклад" in html or "неафіцыйны пераклад" in html.lower()


def test_notes_say_where_a_series_changes_definition_or_counts_a_period(client) -> None:
    html = page(client, "/figures/documents")
    assert "witness-related documents in the evidence database" in html
    html = page(client, "/figures/psychosocial-support")
    assert "This value counts the reporting period only" in html
    assert "point period" in html  # drawn hollow on the chart
    assert "88 (in the period) → 717" in html


def test_an_unknown_figure_is_404(client) -> None:
    assert client.get("/figures/nope").status_code == 404
    response = client.get("/api/figures/nope")
    assert response.status_code == 404 and "error" in response.json


def test_the_json_export_has_every_value_with_quotes_in_three_languages(client) -> None:
    data = client.get("/api/figures").json
    interviews = next(f for f in data["figures"] if f["id"] == "interviews")
    assert [v["value"] for v in interviews["values"]] == ["2637", "2775", "3200"]
    last = interviews["values"][-1]
    assert last["qualifier"] == "over" and last["as_of"] == "2025-09"
    assert last["url"].startswith("http://localhost/reports/r9-en#p3-")
    assert "3,200" in last["quote_en"] and "3200" in last["quote_be"] and "3200" in last["quote_ru"]
    one = client.get("/api/figures/interviews").json
    assert one["id"] == "interviews" and len(one["values"]) == 3


def test_the_csv_export_is_one_row_per_value(client) -> None:
    response = client.get("/api/figures/documents", query_string={"format": "csv"})
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["report"], r["value"], r["qualifier"]) for r in rows] == [
        ("7", "29492", "exact"),
        ("8", "30000", "over"),
    ]
    assert rows[0]["quote_be"].endswith("— да 29\u00a0492.")


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("bibtex", "url = {http://localhost/reports/r9-en#p3-"),
        ("ris", "UR  - http://localhost/reports/r9-en#p3-"),
        ("csl-json", '"URL": "http://localhost/reports/r9-en#p3-'),
    ],
)
def test_each_value_is_cited_through_the_reports_serialisers(client, fmt, expected) -> None:
    response = client.get("/api/figures/interviews/reports/9", query_string={"format": fmt})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert expected in body and "over 3,200" in body


def test_a_citation_in_russian_cites_the_russian_document(client) -> None:
    query = {"format": "ris", "lang": "ru"}
    body = client.get("/api/figures/interviews/reports/7", query_string=query).get_data(
        as_text=True
    )
    assert "UR  - http://localhost/reports/r7-ru#p1-" in body and "LA  - ru" in body
    assert "доведя общее число интервью до 2637" in body


@pytest.mark.parametrize(
    ("path", "query", "param"),
    [
        ("/api/figures/interviews/reports/9", {"format": "pdf"}, "format"),
        ("/api/figures/interviews/reports/9", {"lang": "de"}, "lang"),
        ("/api/figures", {"format": "bibtex"}, "format"),
    ],
)
def test_bad_parameters_are_400_in_the_json_error_shape(client, path, query, param) -> None:
    response = client.get(path, query_string=query)
    assert response.status_code == 400 and response.json["error"]["param"] == param


def test_a_value_of_a_report_the_figure_lacks_is_404(client) -> None:
    assert client.get("/api/figures/interviews/reports/4").status_code == 404


def test_the_value_alone_is_json(client) -> None:
    value = client.get("/api/figures/interviews/reports/8").json
    assert (value["report"], value["value"], value["qualifier"]) == (8, "2775", "exact")


def test_each_figure_has_an_atom_feed_newest_value_first(client) -> None:
    response = client.get("/figures/interviews/feed.atom")
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)
    titles = [e.find(f"{ATOM}title").text for e in root.iter(f"{ATOM}entry")]
    assert titles[0] == "Interviews with survivors and witnesses: over 3,200 (September 2025)"
    assert len(titles) == 3
    links = [e.find(f"{ATOM}link").get("href") for e in root.iter(f"{ATOM}entry")]
    assert links[0].startswith("http://localhost/reports/r9-en#p3-")
    page_html = page(client, "/figures/interviews")
    assert 'type="application/atom+xml"' in page_html


def test_the_feed_is_in_the_interface_language(client) -> None:
    root = ET.fromstring(client.get("/figures/interviews/feed.atom?hl=ru").data)
    assert root.find(f"{ATOM}title").text == "Цифры IAPB: Интервью с пострадавшими и свидетелями"


def test_pages_escape_nothing_from_the_request_into_markup(client) -> None:
    html = page(client, "/figures", hl="<script>")
    assert "<script>" not in html.split("</head>")[1]


def test_figure_answers_are_cacheable_and_revalidate_with_304(client) -> None:
    first = client.get("/api/figures/interviews")
    etag = first.headers["ETag"]
    assert first.cache_control.public and first.cache_control.max_age is not None
    again = client.get("/api/figures/interviews", headers={"If-None-Match": etag})
    assert again.status_code == 304
    other = client.get("/api/figures/interviews", query_string={"format": "csv"})
    assert other.headers["ETag"] != etag


def test_each_figure_page_names_its_json_twin(client) -> None:
    assert 'type="application/json" href="/api/figures/interviews"' in page(
        client, "/figures/interviews"
    )
    assert 'type="application/json" href="/api/figures"' in page(client, "/figures")


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    figure_id=st.text(min_size=1, max_size=20).filter(lambda t: "/" not in t and t.strip(".")),
    hl=st.text(max_size=5),
    fmt=st.text(max_size=8),
)
def test_no_figure_url_gives_a_500(app, figure_id, hl, fmt) -> None:
    client = app.test_client()
    for path in (
        f"/figures/{quote(figure_id)}",
        f"/figures/{quote(figure_id)}/feed.atom",
        f"/api/figures/{quote(figure_id)}",
        f"/api/figures/interviews/reports/9?format={quote(fmt)}&hl={quote(hl)}",
        f"/figures?hl={quote(hl)}",
    ):
        assert client.get(path).status_code in (200, 400, 404), path
