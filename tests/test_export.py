"""``GET /export``: every result of a search as CSV, JSON, BibTeX, RIS or CSL-JSON.

Each format is read back by a parser that is not ours: the csv module, bibtexparser,
rispy and the published CSL-JSON schema (vendored in tests/fixtures/csl) with jsonschema.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import bibtexparser
import jsonschema
import pytest
import rispy

from indexer.languages import Lang
from webapp import create_app
from webapp.citation import AUTHOR, CitedReport, to_csv

CSL_SCHEMA = json.loads((Path(__file__).parent / "fixtures/csl/csl-data.json").read_text())
# Reports whose summaries mention the International Criminal Court, read from corpus/
# (ICC, Rome Statute, МУС, МКС): 7 (en, be, ru), 8 (en, be, ru), 9 (en, be, ru).
ICC_DOCS = {f"r{n}-{lang}" for n in (7, 8, 9) for lang in ("en", "be", "ru")}


def export(client, query: str, fmt: str):
    response = client.get(f"/export?{query}&format={fmt}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def csv_rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_csv_holds_every_match_with_its_fields(client) -> None:
    response = export(client, "q=ICC&per_page=2&page=1", "csv")
    assert response.mimetype == "text/csv"
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    rows = csv_rows(raw.decode("utf-8"))
    assert {row["id"] for row in rows} == ICC_DOCS  # all matches, not one page
    assert response.headers["X-Export-Total"] == str(len(ICC_DOCS))
    assert "X-Export-Truncated" not in response.headers
    r9 = next(row for row in rows if row["id"] == "r9-en")
    assert r9["report"] == "9"
    assert r9["title"] == "9th Progress Report"
    assert (r9["language"], r9["date"]) == ("en", "2025-11-10")
    assert (r9["period_start"], r9["period_end"]) == ("2025-04-01", "2025-09-30")
    assert "icc" in r9["topics"].split(";")
    assert r9["url"] == "http://localhost/reports/r9-en"
    assert r9["source_url"] == "https://iapbelarus.org/progress-reports"
    assert r9["unofficial_translation"] == "no"
    assert "International Criminal Court" in r9["snippet"]
    assert "<mark>" not in r9["snippet"]
    r9be = next(row for row in rows if row["id"] == "r9-be")
    assert r9be["unofficial_translation"] == "yes"
    assert r9be["source_url"] == "https://iapbelarus.org/progress-reports"  # its original's


def test_csv_cells_cannot_run_as_formulas() -> None:
    record = CitedReport(
        id="r1-en",
        report=1,
        lang=Lang.EN,
        title='=HYPERLINK("http://evil.example","x")',
        date=dt.date(2024, 1, 2),
        period_start="2023-06",
        period_end="2023-12",
        topics=("+cmd", "@SUM(A1)"),
        url="http://localhost/reports/r1-en",
        source_url=None,
        translated=False,
        snippet="-2+3",
    )
    rows = list(csv.reader(io.StringIO("".join(to_csv([record])).removeprefix("\ufeff"))))
    assert len(rows) == 2
    title, topics, snippet = rows[1][2], rows[1][7], rows[1][11]
    assert title == "'" + record.title
    assert topics == "'+cmd;@SUM(A1)"
    assert snippet == "'-2+3"
    for cell in rows[1]:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    tabbed = CitedReport(**{**record.__dict__, "title": "\t=1+1", "snippet": "\r=2"})
    row = list(csv.reader(io.StringIO("".join(to_csv([tabbed])).removeprefix("\ufeff"))))[1]
    assert (row[2], row[11]) == ("'\t=1+1", "'\r=2")


def test_json_export_describes_itself(client) -> None:
    data = export(client, "q=ICC&lang=en", "json").get_json()
    assert data["total"] == data["exported"] == 3
    assert data["truncated"] is False
    assert {r["id"] for r in data["results"]} == {"r7-en", "r8-en", "r9-en"}
    first = data["results"][0]
    assert set(first) >= {
        "report", "title", "lang", "date", "period", "topics", "url", "source_url",
        "unofficial_translation", "snippet", "pages",
    }  # fmt: skip


def test_bibtex_is_read_by_bibtexparser(client) -> None:
    text = export(client, "q=ICC", "bibtex").get_data(as_text=True)
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    assert {e.key for e in library.entries} == {f"iapb-{d}" for d in ICC_DOCS}
    for entry in library.entries:
        assert entry.entry_type == "techreport"
        fields = entry.fields_dict
        # Double braces: a corporate author, which BibTeX does not split into names.
        assert fields["author"].value == "{" + AUTHOR + "}"
        assert fields["institution"].value == AUTHOR
        assert fields["url"].value.startswith("http://localhost/reports/")
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", fields["urldate"].value)
    be = next(e for e in library.entries if e.key == "iapb-r9-be").fields_dict
    assert be["language"].value == "belarusian"
    assert "Unofficial translation" in be["note"].value
    en = next(e for e in library.entries if e.key == "iapb-r9-en").fields_dict
    assert "note" not in en or "Unofficial" not in en["note"].value
    assert (en["number"].value, en["year"].value) == ("9", "2025")


def test_bibtex_escapes_tex_specials() -> None:
    from webapp.citation import bibtex_entry

    record = CitedReport(
        id="r1-en", report=1, lang=Lang.EN, title="50% of {cases} & #1_a",
        date=dt.date(2024, 1, 2), period_start="2023-06", period_end="2023-12", topics=(),
        url="http://localhost/reports/r1-en", source_url=None, translated=False,
        snippet="a } b { c \\ d",
    )  # fmt: skip
    library = bibtexparser.parse_string(bibtex_entry(record, dt.date(2026, 1, 1)))
    assert library.failed_blocks == []
    fields = library.entries[0].fields_dict
    assert fields["title"].value == r"{50\% of \textbraceleft{}cases\textbraceright{} \& \#1\_a}"


def test_ris_follows_the_published_structure(client) -> None:
    text = export(client, "q=ICC", "ris").get_data(as_text=True)
    assert text.endswith("ER  - \r\n")
    records = [block for block in text.removesuffix("\r\n").split("\r\n\r\n") if block]
    assert len(records) == len(ICC_DOCS)
    for block in records:
        lines = block.split("\r\n")
        assert lines[0] == "TY  - RPRT"  # TY first
        assert lines[-1] == "ER  - "  # ER last
        for line in lines:
            assert re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line), line
    entries = rispy.loads(text)
    assert len(entries) == len(ICC_DOCS)
    by_id = {e["id"]: e for e in entries}
    r9be = by_id["iapb-r9-be"]
    assert r9be["type_of_reference"] == "RPRT"
    assert r9be["authors"] == [AUTHOR]
    assert r9be["language"] == "be"
    assert r9be["urls"][0] == "http://localhost/reports/r9-be"
    assert any("Unofficial translation" in n for n in r9be["notes"])
    assert "icc" in r9be["keywords"]


def test_csl_json_is_valid_against_the_csl_schema(client) -> None:
    items = export(client, "q=ICC", "csl-json").get_json()
    jsonschema.validate(items, CSL_SCHEMA)
    assert len(items) == len(ICC_DOCS)
    item = next(i for i in items if i["id"] == "iapb-r8-ru")
    assert item["type"] == "report"
    assert item["author"] == [{"literal": AUTHOR}]
    assert item["language"] == "ru"
    assert item["issued"]["date-parts"][0][0] == 2025
    assert "Unofficial translation" in item["note"]


@pytest.mark.parametrize(
    ("query", "fmt", "ascii_part", "utf8_part"),
    [
        ("q=ICC", "csv", "iapb-search-ICC-", None),
        ("q=%D0%9C%D0%A3%D0%A1", "ris", "iapb-search-", "iapb-search-МУС-"),
        ('q=a/b"c%5Cd', "bibtex", "iapb-search-a-b-c-d-", None),
        ("", "csl-json", "iapb-search-", None),
    ],
)
def test_downloads_are_attachments_with_safe_names(
    client, query: str, fmt: str, ascii_part: str, utf8_part: str | None
) -> None:
    response = export(client, query, fmt)
    header = response.headers["Content-Disposition"]
    today = dt.datetime.now(dt.UTC).date().isoformat()
    ext = {"csv": "csv", "ris": "ris", "bibtex": "bib", "csl-json": "csl.json"}[fmt]
    match = re.fullmatch(r'attachment; filename="([A-Za-z0-9.\-]+)"(?:; filename\*=(.*))?', header)
    assert match, header
    assert match.group(1) == f"{ascii_part}{today}.{ext}"
    if utf8_part is None:
        assert match.group(2) is None
    else:
        assert match.group(2).startswith("UTF-8''")
        assert unquote(match.group(2).removeprefix("UTF-8''")) == f"{utf8_part}{today}.{ext}"


def test_past_the_cap_the_export_is_cut_and_says_so(index_dir: Path) -> None:
    app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "EXPORT_MAX": 4})
    client = app.test_client()
    csv_response = export(client, "q=ICC", "csv")
    assert len(csv_rows(csv_response.get_data(as_text=True))) == 4
    assert csv_response.headers["X-Export-Count"] == "4"
    assert csv_response.headers["X-Export-Total"] == "9"
    assert "at most 4" in csv_response.headers["X-Export-Truncated"]
    data = export(client, "q=ICC", "json").get_json()
    assert (data["exported"], data["total"], data["truncated"]) == (4, 9, True)
    assert "at most 4" in data["note"]
    text = export(client, "q=ICC", "bibtex").get_data(as_text=True)
    assert "at most 4" in text.split("\n")[0]  # an @comment before the entries
    assert len(bibtexparser.parse_string(text).entries) == 4


def test_exports_of_several_chunks_keep_every_match_once(index_dir: Path, monkeypatch) -> None:
    import webapp.export

    monkeypatch.setattr(webapp.export, "CHUNK", 4)
    client = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()
    rows = csv_rows(export(client, "", "csv").get_data(as_text=True))
    assert len(rows) == len({row["id"] for row in rows}) == 18  # 6 reports x 3 languages


def test_urls_follow_public_url(index_dir: Path) -> None:
    app = create_app(
        {"TESTING": True, "INDEX_DIR": str(index_dir), "PUBLIC_URL": "https://s.example.org/x"}
    )
    items = export(app.test_client(), "q=ICC", "csl-json").get_json()
    assert all(i["URL"].startswith("https://s.example.org/x/reports/r") for i in items)


@pytest.mark.parametrize(
    "query", ["q=ICC&format=xlsx", "q=ICC", "q=ICC&format=csv&format=ris", "format=csv&lang=xx"]
)
def test_bad_parameters_get_400_in_the_error_shape(client, query: str) -> None:
    response = client.get(f"/export?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert set(error) == {"code", "message", "param"}
    assert error["param"] == ("lang" if "lang=xx" in query else "format")


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        ("q=ICC&format=csv&format=ris", "repeated_parameter", "'format' may be given once"),
        ("q=ICC", "invalid_parameter", "'format' is missing: one of csv, json, bibtex, ris"),
        ("q=ICC&format=xlsx", "invalid_parameter", "'format' must be one of csv, json"),
    ],
)
def test_a_missing_or_repeated_format_is_refused_saying_so(client, query, code, message) -> None:
    error = client.get(f"/export?{query}").get_json()["error"]
    assert error["code"] == code and error["message"].startswith(message)
    assert "None" not in error["message"]


def test_search_pages_link_every_export_format(client) -> None:
    page = client.get("/?q=ICC&hl=en").get_data(as_text=True)
    links = dict(re.findall(r'<a href="(/export\?[^"]+)" download>([^<]+)</a>', page))
    assert sorted(links.values()) == ["BibTeX", "CSL-JSON", "CSV", "JSON", "RIS"]
    assert "Export:" in page
    for url, label in links.items():
        params = parse_qs(urlsplit(url.replace("&amp;", "&")).query)
        assert params["q"] == ["ICC"]
        assert params["collapse"] == ["report"]  # what the page shows
        response = client.get(url.replace("&amp;", "&"))
        assert response.status_code == 200, label
        assert response.headers["Content-Disposition"].startswith("attachment;")


def test_zero_result_pages_have_no_export_links(client) -> None:
    page = client.get("/?q=zzzzqqqxx&hl=en").get_data(as_text=True)
    assert "/export?" not in page


@pytest.mark.parametrize(("hl", "word"), [("be", "Экспарт:"), ("ru", "Экспорт:")])
def test_export_links_are_labelled_in_the_interface_language(client, hl: str, word: str) -> None:
    assert word in client.get(f"/?q=ICC&hl={hl}").get_data(as_text=True)
