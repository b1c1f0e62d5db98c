"""Paragraph permalinks: anchors that survive rebuilds and edits, hits that link to them,
and the report page that marks a query's matches in them."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.corpus.paragraphs import paragraph_anchor, paragraph_of_snippet, split_paragraphs
from tests.helpers import CORPUS

ANCHOR_RE = re.compile(r"^p\d+-[0-9a-f]{6}$")
PARAGRAPH_ID_RE = re.compile(r'<p id="(p\d+-[0-9a-f]{6})"')


def _client(index: Path):
    from webapp import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(index)}).test_client()


def _anchors(client, doc: str) -> list[str]:
    return PARAGRAPH_ID_RE.findall(client.get(f"/reports/{doc}?hl=en").get_data(as_text=True))


def _hit_urls(client) -> list[str]:
    return [h["url"] for h in client.get("/api/search?q=ICC&per_page=50").get_json()["results"]]


def _corpus_copy(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    shutil.copytree(CORPUS, root, ignore=shutil.ignore_patterns("full"))
    return root


def test_an_anchor_is_the_position_and_a_hash_of_the_normalised_text() -> None:
    text = "The IAPB’s Ninth Progress report presents the situation."
    anchor = paragraph_anchor(3, text)
    assert ANCHOR_RE.match(anchor) and anchor.startswith("p3-")
    # White space and Unicode composition do not change it; the words do.
    spaced = "  The IAPB’s Ninth Progress\n report presents the situation. "
    assert paragraph_anchor(3, spaced) == anchor
    assert paragraph_anchor(3, text.replace("Ninth", "Tenth")) != anchor
    assert paragraph_anchor(1, "Cafe\u0301.") == paragraph_anchor(1, "Café.")


def test_identical_paragraphs_of_one_summary_get_distinct_anchors() -> None:
    paragraphs = split_paragraphs("Same words.\n\nOther words.\n\n  \nSame words.\n")
    assert [p.position for p in paragraphs] == [1, 2, 3]
    assert paragraphs[0].anchor != paragraphs[2].anchor
    assert paragraphs[0].anchor[3:] == paragraphs[2].anchor[3:]  # same hash


def test_anchors_are_equal_across_two_builds_of_the_same_corpus(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    build_index(_corpus_copy(tmp_path, "a"), first)
    one = _client(first)
    docs = ("r9-en", "r9-be", "r9-ru", "r4-ru")
    anchors = {doc: _anchors(one, doc) for doc in docs}
    urls = _hit_urls(one)
    assert len(anchors["r9-en"]) == 5 and len(anchors["r4-ru"]) == 1
    assert all(ANCHOR_RE.match(a) for found in anchors.values() for a in found)
    assert all("#" in url for url in urls)
    # Another copy of the corpus, built twice: a new generation, the same anchors.
    copy = _corpus_copy(tmp_path, "b")
    build_index(copy, second)
    build_index(copy, second)
    two = _client(second)
    assert two.get("/healthz").get_json()["generation"] == 2
    assert {doc: _anchors(two, doc) for doc in docs} == anchors
    assert _hit_urls(two) == urls


def test_editing_one_paragraph_keeps_the_other_paragraphs_anchors(tmp_path: Path) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    build_index(_corpus_copy(tmp_path, "a"), before)
    edited = _corpus_copy(tmp_path, "b")
    report = edited / "reports" / "09.yaml"
    text = report.read_text(encoding="utf-8")
    old = "The IAPB’s Ninth Progress report presents"
    assert old in text
    report.write_text(text.replace(old, "The IAPB’s ninth progress report sets out"), "utf-8")
    build_index(edited, after)
    was, now = _anchors(_client(before), "r9-en"), _anchors(_client(after), "r9-en")
    assert len(was) == len(now) == 5
    assert was[0] != now[0] and was[0].startswith("p1-") and now[0].startswith("p1-")
    assert was[1:] == now[1:]
    assert _anchors(_client(before), "r9-ru") == _anchors(_client(after), "r9-ru")


@pytest.mark.parametrize("q", ["ICC", "torture", "пытки", "Лукашэнка", "OSCE", "survivor*"])
def test_each_hit_links_to_the_paragraph_holding_its_snippet(client, q: str) -> None:
    results = client.get(f"/api/search?q={q}&per_page=50").get_json()["results"]
    assert results
    assert any("<mark>" in hit["snippet"] for hit in results)
    for hit in results:
        if "<mark>" not in hit["snippet"]:
            # A version found through another language's match marks nothing: no anchor.
            assert hit["anchor"] is None and hit["url"] == f"/reports/{hit['id']}"
            continue
        assert ANCHOR_RE.match(hit["anchor"]), hit
        assert hit["url"] == f"/reports/{hit['id']}#{hit['anchor']}"
        assert hit["paragraph"] == int(hit["anchor"][1:].split("-")[0])
        summary = client.get(f"/api/reports/{hit['id']}").get_json()["summary"]
        paragraph = split_paragraphs(summary)[hit["paragraph"] - 1]
        assert paragraph.anchor == hit["anchor"]
        # The snippet up to its first match is text of that paragraph.
        upto = hit["snippet"].removeprefix("… ").split("</mark>", 1)[0]
        words = html.unescape(re.sub(r"</?mark>", "", upto)).split()[-4:]
        assert " ".join(words) in paragraph.text, (hit["id"], words)


def test_a_snippet_over_two_paragraphs_links_to_the_one_with_its_first_match() -> None:
    summary = "First paragraph ends here.\n\nThe second names the <Court>.\n"
    snippet = "First paragraph ends here. The second names the <mark>&lt;Court&gt;</mark>."
    assert paragraph_of_snippet(summary, snippet).position == 2
    assert paragraph_of_snippet(summary, "First paragraph ends here.") is None
    assert paragraph_of_snippet(summary, "<mark>Elsewhere</mark>") is None


def test_a_browse_hit_has_no_anchor(client) -> None:
    hit = client.get("/api/search?per_page=1").get_json()["results"][0]
    assert hit["anchor"] is None and hit["paragraph"] is None
    assert hit["url"] == f"/reports/{hit['id']}"


def test_search_page_results_open_the_report_at_the_paragraph_with_the_query(client) -> None:
    body = client.get("/?q=ICC&hl=en&collapse=none&lang=en").get_data(as_text=True)
    links = re.findall(r'class="hit-link" href="([^"]+)"', body)
    assert links
    for link in links:
        # The report opens at the paragraph, keeps the query's marks and carries the way
        # back to these results (``back``: the search's own parameters).
        assert re.fullmatch(
            r"/reports/r\d+-en\?q=ICC&amp;hl=en&amp;back=[^#&]+#p\d+-[0-9a-f]{6}", link
        ), link
        assert "back=q%3DICC%26lang%3Den%26collapse%3Dnone" in link


def _marks(body: str, anchor: str) -> list[str]:
    paragraph = re.search(rf'<p id="{anchor}"[^>]*>(.*?)</p>', body, re.S)
    assert paragraph, anchor
    return re.findall(r"<mark>([^<]*)</mark>", paragraph.group(1))


def test_the_report_page_marks_the_query_in_the_linked_paragraph(client) -> None:
    hit = next(
        h
        for h in client.get("/api/search?q=ICC&lang=en").get_json()["results"]
        if h["id"] == "r9-en"
    )
    body = client.get("/reports/r9-en?hl=en&q=ICC").get_data(as_text=True)
    # Report 9 names the court in its 4th paragraph (and writes no "ICC"): the glossary
    # name is marked there.
    assert hit["anchor"].startswith("p4-")
    assert _marks(body, hit["anchor"])[:3] == ["International", "Criminal", "Court"]
    assert f'id="{hit["anchor"]}" class="matched"' in body
    assert "<mark>" not in client.get("/reports/r9-en?hl=en").get_data(as_text=True)


@pytest.mark.parametrize(
    ("doc", "q", "marked"),
    [
        ("r9-ru", "ICC", "МУС"),  # glossary across languages
        ("r9-ru", "пыткі", "пытки"),  # the Belarusian word finds the Russian stem
        ("r9-be", "Лукашенко", "Лукашэнка"),  # cross-script key
        ("r9-en", "survivor*", "survivors"),  # prefix
    ],
)
def test_the_report_page_marks_stems_glossary_names_and_prefixes(client, doc, q, marked) -> None:
    body = client.get(f"/reports/{doc}?hl=en&q={q}").get_data(as_text=True)
    assert f"<mark>{marked}</mark>" in body


def test_the_report_page_escapes_the_text_and_survives_any_query(client) -> None:
    for q in ['"unclosed', "(", "*", "a" * 500, "<script>"]:
        response = client.get("/reports/r9-en", query_string={"q": q, "hl": "en"})
        assert response.status_code == 200
        assert "<script>" not in response.get_data(as_text=True).split("<body", 1)[1]
    # Longer than a search's query: refused as a search is (issue 28), with a page.
    response = client.get("/reports/r9-en", query_string={"q": "a" * 600, "hl": "en"})
    assert response.status_code == 400 and "<body" in response.get_data(as_text=True)


def test_each_paragraph_has_a_named_link_to_itself(client) -> None:
    body = client.get("/reports/r9-en?hl=be&q=ICC").get_data(as_text=True)
    links = re.findall(r'<a class="permalink" href="([^"]+)" aria-label="([^"]+)"', body)
    anchors = PARAGRAPH_ID_RE.findall(body)
    assert [href for href, _ in links] == [f"/reports/r9-en?hl=be#{a}" for a in anchors]
    assert links[1][1] == "Спасылка на абзац 2"
