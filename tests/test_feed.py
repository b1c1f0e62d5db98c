"""The Atom feed of a search: valid Atom, newest first, filters applied, text escaped."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit
from xml.etree import ElementTree as ET

import pytest

NS = {"a": "http://www.w3.org/2005/Atom"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def get_feed(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.data)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    return root


def test_feed_has_the_required_atom_elements(client) -> None:
    root = get_feed(client, "/feed.atom?q=ICC&hl=en")
    for tag in ("id", "title", "updated", "author/a:name"):
        assert root.find(f"a:{tag}", NS) is not None, tag
    links = {link.get("rel"): link.get("href") for link in root.findall("a:link", NS)}
    assert urlsplit(links["self"]).path == "/feed.atom"
    assert urlsplit(links["alternate"]).path == "/"
    assert parse_qs(urlsplit(links["alternate"]).query)["q"] == ["ICC"]
    assert root.findtext("a:title", namespaces=NS) == "IAPB progress reports: ICC"
    assert root.get(XML_LANG) == "en"


def test_the_feed_lists_each_report_once_as_the_page_does(client) -> None:
    # ICC is named in reports 7, 8 and 9, each in three languages.
    root = get_feed(client, "/feed.atom?q=ICC&hl=en")
    entries = root.findall("a:entry", NS)
    assert len(entries) == 3
    for entry in entries:
        links = entry.findall("a:link[@rel='alternate']", NS)
        # Its own version first, then the others in one fixed order.
        assert (
            urlsplit(links[0].get("href")).path
            == urlsplit(entry.findtext("a:id", namespaces=NS)).path
        )
        others = [link.get("hreflang") for link in links[1:]]
        own = entry.get(XML_LANG)
        assert others == [lang for lang in ("en", "be", "ru") if lang != own]
        assert all(urlsplit(link.get("href")).path.startswith("/reports/r") for link in links)


def test_entries_are_complete_and_newest_first(client) -> None:
    root = get_feed(client, "/feed.atom?q=ICC&collapse=none")
    entries = root.findall("a:entry", NS)
    assert len(entries) == 9
    updated = [e.findtext("a:updated", namespaces=NS) for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert root.findtext("a:updated", namespaces=NS) == updated[0]
    for entry in entries:
        entry_id = entry.findtext("a:id", namespaces=NS)
        assert urlsplit(entry_id).path.startswith("/reports/r")
        assert entry.findtext("a:title", namespaces=NS)
        link = entry.find("a:link[@rel='alternate']", NS)
        assert urlsplit(link.get("href")).path == urlsplit(entry_id).path
        summary = entry.findtext("a:summary", namespaces=NS)
        assert summary and "<mark>" not in summary and "&lt;" not in summary
        assert entry.get(XML_LANG) in {"en", "be", "ru"}
        assert entry.findall("a:category", NS)


def test_filters_are_applied(client) -> None:
    root = get_feed(client, "/feed.atom?q=ICC&lang=ru&collapse=none")
    entries = root.findall("a:entry", NS)
    assert len(entries) == 3
    assert {e.get(XML_LANG) for e in entries} == {"ru"}
    assert root.findall("a:entry/a:category[@term='icc']", NS)


def test_empty_query_browses_every_report_newest_first(client) -> None:
    root = get_feed(client, "/feed.atom?lang=en&hl=ru")
    entries = root.findall("a:entry", NS)
    assert len(entries) == 6
    ids = [urlsplit(e.findtext("a:id", namespaces=NS)).path for e in entries]
    assert ids == [f"/reports/r{n}-en" for n in (9, 8, 7, 6, 5, 4)]
    assert root.findtext("a:title", namespaces=NS) == "Отчёты IAPB: последние"


def test_feed_without_entries_is_still_valid(client) -> None:
    root = get_feed(client, "/feed.atom?q=zzzqqqxx")
    assert root.findall("a:entry", NS) == []
    # Dated by the generation's build, not by the request: the same feed, the same date.
    built = client.get("/healthz").get_json()["built_at"]
    assert root.findtext("a:updated", namespaces=NS) == built


@pytest.mark.parametrize(
    "q", ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "a & b ]]> <!--"]
)
def test_markup_in_the_query_is_escaped(client, q: str) -> None:
    response = client.get("/feed.atom", query_string={"q": q})
    assert q.encode() not in response.data
    root = get_feed(client, response.request.url)
    assert q in root.findtext("a:title", namespaces=NS)


def test_feed_is_cacheable(client) -> None:
    response = client.get("/feed.atom?q=ICC")
    assert response.headers["ETag"]
    assert "max-age" in response.headers["Cache-Control"]
    again = client.get("/feed.atom?q=ICC", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "url", ["/feed.atom?year=abc", "/feed.atom?topic=nope", "/feed.atom?per_page=0"]
)
def test_bad_parameters_answer_400(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert b"Traceback" not in response.data


@pytest.mark.parametrize("q", ["\x01\x08\x1b", "a\ufffeb", "x\x0by\x0c", "\uffff torture"])
def test_control_characters_in_the_query_still_give_well_formed_xml(client, q: str) -> None:
    root = get_feed(client, "/feed.atom?" + urlencode({"q": q}))
    title = root.find("a:title", NS)
    assert title is not None and title.text is not None
    assert not any(ord(c) < 0x20 and c not in "\t\n\r" for c in title.text)
