"""Cite this report: the report page's APA and Chicago citations, and
``GET /api/reports/<id>?format=bibtex|ris|csl-json``.

The references are read back with the parsers ``test_export.py`` uses (bibtexparser,
rispy, the vendored CSL-JSON schema), and must equal the export's record of the same
document.  Expected titles and dates are read from corpus/reports/09.yaml and 07.yaml.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy

from webapp import create_app
from webapp.citation import AUTHOR

CSL_SCHEMA = json.loads((Path(__file__).parent / "fixtures/csl/csl-data.json").read_text())


def citeproc_reference(style: str, records: list[dict], locale: str) -> str:
    """The reference citeproc-py makes of an exported CSL-JSON record with the committed
    official style, as plain text."""
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    name = {"apa": "apa.csl", "chicago": "chicago-author-date.csl"}[style]
    path = Path(__file__).parent.parent / "webapp" / "csl" / name
    bibliography = CitationStylesBibliography(
        CitationStylesStyle(str(path), locale=locale, validate=False),
        CiteProcJSON(records),
        formatter.plain,
    )
    bibliography.register(Citation([CitationItem(records[0]["id"])]))
    return " ".join(str(bibliography.bibliography()[0]).split())


def citation_texts(body: str) -> dict[str, str]:
    """The page's citations as the copy button copies them (tags dropped), by style."""
    found = re.findall(r'<p class="citation-text" id="cite-(\w+)"[^>]*>(.*?)</p>', body, re.S)
    return {style: html.unescape(re.sub(r"<[^>]+>", "", text)) for style, text in found}


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


# (document, title from the corpus, translation marker)
CASES = [
    ("r9-en", "9th Progress Report", None),
    ("r9-be", "9-я справаздача аб ходзе работы", "Неафіцыйны пераклад"),
    ("r9-ru", "9-й отчёт о ходе работы", "Неофициальный перевод"),
]


@pytest.mark.parametrize(("doc", "title", "marker"), CASES)
@pytest.mark.parametrize("hl", ["en", "be", "ru"])
def test_report_page_cites_its_version_in_both_styles(
    client, doc: str, title: str, marker: str | None, hl: str
) -> None:
    body = client.get(f"/reports/{doc}?hl={hl}").get_data(as_text=True)
    lang = doc[-2:]
    url = f"http://localhost/reports/{doc}"
    cites = citation_texts(body)
    assert set(cites) == {"apa", "chicago"}
    apa, chicago = cites["apa"], cites["chicago"]
    # APA 7 for a report: the year alone, the report's number after its title, no
    # retrieval date (the text does not change), the publisher left out (it is the author).
    genre = "Progress Report" if lang == "en" else "Progress report"
    after_title = f" [{marker}]" if marker else ""
    assert apa == f"{AUTHOR}. (2025). {title}{after_title} ({genre} No. 9). {url}"
    note = f". {marker}" if marker else ""
    assert chicago == f"{AUTHOR}. 2025. {title}{note}. {genre} No. 9. {url}."
    # The same references as citeproc-py gives the exported CSL-JSON record.
    record = client.get(f"/api/reports/{doc}?format=csl-json").get_json()
    for style, rendered in (("apa", apa), ("chicago", chicago)):
        expected = citeproc_reference(style, record, "ru-RU" if lang == "ru" else "en-US")
        assert rendered == expected.replace(
            title, title + (after_title if style == "apa" else note), 1
        )
    # The title is set in italics in both.
    assert body.count(f"<i>{html.escape(title)}</i>") == 2
    # Labels in the interface language; the citation itself in the version's.
    heading = {"en": "Cite this report", "be": "Цытаваць гэтую справаздачу",
               "ru": "Цитировать этот отчёт"}[hl]  # fmt: skip
    assert f'<h2 id="cite-title">{heading}</h2>' in body
    assert f'id="cite-apa" lang="{lang}"' in body
    copy = {"en": "Copy", "be": "Скапіяваць", "ru": "Скопировать"}[hl]
    assert f'data-copy="{copy}"' in body


def test_access_date_is_today(client) -> None:
    (record,) = client.get("/api/reports/r7-en?format=csl-json").get_json()
    day = today()
    assert record["accessed"] == {"date-parts": [[day.year, day.month, day.day]]}


def test_bibtex_month_is_the_month_macro(client) -> None:
    text = client.get("/api/reports/r9-en?format=bibtex").get_data(as_text=True)
    assert "  month = nov,\n" in text  # published 10 November 2025 (corpus/reports/09.yaml)
    fields = bibtexparser.parse_string(text).entries[0].fields_dict
    assert fields["month"].value == "nov"


def test_ris_report_number_is_where_zotero_reads_it(client) -> None:
    # Zotero's RIS translator reads SN as a report's reportNumber (TY RPRT).
    text = client.get("/api/reports/r9-en?format=ris").get_data(as_text=True)
    assert "TY  - RPRT\r\n" in text and "SN  - 9\r\n" in text


def test_report_page_links_the_references(client) -> None:
    body = client.get("/reports/r9-be?hl=en").get_data(as_text=True)
    links = re.findall(r'<a href="(/api/reports/r9-be\?format=[^"]+)" download="([^"]+)">', body)
    assert links == [
        ("/api/reports/r9-be?format=bibtex", "iapb-r9-be.bib"),
        ("/api/reports/r9-be?format=ris", "iapb-r9-be.ris"),
        ("/api/reports/r9-be?format=csl-json", "iapb-r9-be.csl.json"),
    ]
    for href, _name in links:
        assert client.get(href).status_code == 200


def test_bibtex_reference_is_the_exports_record(client) -> None:
    response = client.get("/api/reports/r9-en?format=bibtex")
    assert response.status_code == 200
    assert response.content_type == "application/x-bibtex; charset=utf-8"
    text = response.get_data(as_text=True)
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == ["iapb-r9-en"]
    fields = library.entries[0].fields_dict
    assert library.entries[0].entry_type == "techreport"
    assert fields["author"].value == "{" + AUTHOR + "}"
    assert fields["title"].value == "{9th Progress Report}"
    assert (fields["year"].value, fields["date"].value) == ("2025", "2025-11-10")
    assert fields["url"].value == "http://localhost/reports/r9-en"
    assert fields["urldate"].value == today().isoformat()
    # The same entry as the export of a search that finds this document alone.
    exported = client.get("/export?q=ICC&lang=en&year=2025&format=bibtex").get_data(as_text=True)
    entry = next(e for e in bibtexparser.parse_string(exported).entries if e.key == "iapb-r9-en")
    assert {k: v.value for k, v in entry.fields_dict.items() if k != "annote"} == {
        k: v.value for k, v in fields.items()
    }


def test_ris_reference_follows_the_published_structure(client) -> None:
    response = client.get("/api/reports/r8-ru?format=ris")
    assert response.status_code == 200
    assert response.content_type == "application/x-research-info-systems; charset=utf-8"
    text = response.get_data(as_text=True)
    lines = text.removesuffix("\r\n").split("\r\n")
    assert lines[0] == "TY  - RPRT"
    assert lines[-1] == "ER  - "
    for line in lines:
        assert re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line), line
    (entry,) = rispy.loads(text)
    assert entry["type_of_reference"] == "RPRT"
    assert entry["authors"] == [AUTHOR]
    assert entry["language"] == "ru"
    assert entry["urls"] == ["http://localhost/reports/r8-ru"]
    assert any("Unofficial translation" in n for n in entry["notes"])


def test_csl_json_reference_is_valid_against_the_schema(client) -> None:
    response = client.get("/api/reports/r9-be?format=csl-json")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.citationstyles.csl+json"
    items = json.loads(response.get_data(as_text=True))
    jsonschema.validate(items, CSL_SCHEMA)
    (item,) = items
    assert item["id"] == "iapb-r9-be"
    assert item["type"] == "report"
    assert item["author"] == [{"literal": AUTHOR}]
    assert item["title"] == "9-я справаздача аб ходзе работы"
    assert item["issued"] == {"date-parts": [[2025, 11, 10]]}
    day = today()
    assert item["accessed"] == {"date-parts": [[day.year, day.month, day.day]]}
    assert "Unofficial translation" in item["note"]


def test_without_format_the_document_is_json(client) -> None:
    response = client.get("/api/reports/r9-en")
    assert response.mimetype == "application/json"
    assert response.get_json()["id"] == "r9-en"


def test_reference_etag_differs_from_the_documents(client) -> None:
    plain = client.get("/api/reports/r9-en").headers["ETag"]
    bib = client.get("/api/reports/r9-en?format=bibtex").headers["ETag"]
    ris = client.get("/api/reports/r9-en?format=ris").headers["ETag"]
    assert len({plain, bib, ris}) == 3
    again = client.get("/api/reports/r9-en?format=bibtex", headers={"If-None-Match": bib})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "query", ["format=csv", "format=json", "format=", "format=xlsx", "format=ris&format=bibtex"]
)
def test_bad_format_gets_400_in_the_error_shape(client, query: str) -> None:
    response = client.get(f"/api/reports/r9-en?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert set(error) == {"code", "message", "param"}
    assert error["param"] == "format"


def test_unknown_document_in_a_format_is_404(client) -> None:
    response = client.get("/api/reports/r99-en?format=bibtex")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"]


def test_reference_urls_follow_public_url(index_dir: Path) -> None:
    app = create_app(
        {"TESTING": True, "INDEX_DIR": str(index_dir), "PUBLIC_URL": "https://s.example.org/x"}
    )
    client = app.test_client()
    (item,) = client.get("/api/reports/r9-en?format=csl-json").get_json(force=True)
    assert item["URL"] == "https://s.example.org/x/reports/r9-en"
    body = client.get("/reports/r9-en?hl=en").get_data(as_text=True)
    assert "https://s.example.org/x/reports/r9-en." in citation_texts(body)["chicago"]


def test_openapi_documents_the_reference_formats(client) -> None:
    op = client.get("/openapi.json").get_json()["paths"]["/api/reports/{id}"]["get"]
    fmt = next(p for p in op["parameters"] if p["name"] == "format")
    assert fmt["schema"]["enum"] == ["bibtex", "ris", "csl-json"]
    assert set(op["responses"]["200"]["content"]) == {
        "application/json",
        "application/x-bibtex",
        "application/x-research-info-systems",
        "application/vnd.citationstyles.csl+json",
    }
