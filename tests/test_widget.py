"""The widget as served: ``/widget.js`` (type, size, caching, safety) and the ``/widget`` page."""

from __future__ import annotations

import gzip
import html
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract
from babel.messages.pofile import read_po

from webapp import widget

WEBAPP = Path(widget.__file__).parent
SCRIPT = WEBAPP / "static" / "widget.js"
MAX_GZIPPED = 12 * 1024
SNIPPET = re.compile(
    r'<script src="([^"]+)" defer></script>\s*<iapb-search lang="(\w+)">\s*'
    r'<form action="([^"]+)" method="get" role="search">.*?</form>\s*</iapb-search>',
    re.S,
)
KEYWORDS = {"_": None, "gettext": None, "lazy_gettext": None, "_l": None}


@pytest.fixture(scope="module")
def script_text() -> str:
    return SCRIPT.read_text(encoding="utf-8")


def _get(client, url: str, **kwargs):
    # The file is streamed: close the response, or the open file warns (filterwarnings).
    with client.get(url, **kwargs) as response:
        response.get_data()
        return response


def test_widget_script_is_served_as_utf8_javascript(client):
    response = _get(client, "/widget.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.mimetype_params.get("charset") == "utf-8"
    assert response.data == SCRIPT.read_bytes()


def test_widget_script_is_cacheable_and_revalidates(client):
    response = _get(client, "/widget.js")
    assert response.cache_control.public
    assert response.cache_control.max_age == widget.SCRIPT_MAX_AGE
    etag = response.headers["ETag"]
    again = _get(client, "/widget.js", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_widget_script_loads_from_any_origin(client):
    response = _get(client, "/widget.js", headers={"Origin": "https://news.example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert "Set-Cookie" not in response.headers


def test_widget_script_is_under_12_kb_gzipped(script_text):
    size = len(gzip.compress(script_text.encode("utf-8"), compresslevel=9))
    assert size < MAX_GZIPPED, f"widget.js is {size} bytes gzipped"


@pytest.mark.parametrize(
    "sink", ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function("]
)
def test_widget_script_never_turns_text_into_markup(script_text, sink):
    assert sink not in script_text


def test_widget_script_has_three_plural_forms_for_be_and_ru(script_text):
    forms = {
        "be": '["{n} вынік", "{n} вынікі", "{n} вынікаў"]',
        "ru": '["{n} результат", "{n} результата", "{n} результатов"]',
        "en": '["{n} result", "{n} results"]',
    }
    for expected in forms.values():
        assert expected in script_text


@pytest.mark.parametrize(
    ("hl", "heading", "attributes"),
    [
        ("en", "Search widget", "Attributes"),
        ("be", "Віджэт пошуку", "Атрыбуты"),
        ("ru", "Виджет поиска", "Атрибуты"),
    ],
)
def test_widget_page_renders_in_each_interface_language(client, hl, heading, attributes):
    response = client.get(f"/widget?hl={hl}")
    assert response.status_code == 200
    text = html.unescape(response.get_data(as_text=True))
    assert f'<html lang="{hl}">' in text
    assert f'<h1 class="page-title">{heading}</h1>' in text
    assert attributes in text
    assert f'<iapb-search class="widget-live" lang="{hl}">' in text
    snippet = SNIPPET.search(text)
    assert snippet is not None and snippet.group(2) == hl


def test_widget_page_snippet_has_this_servers_absolute_url(index_dir):
    from webapp import create_app

    app = create_app({"INDEX_DIR": str(index_dir), "TRUSTED_HOSTS": "search.example.org"})
    response = app.test_client().get("/widget", base_url="https://search.example.org")
    snippet = SNIPPET.search(html.unescape(response.get_data(as_text=True)))
    assert snippet is not None
    assert snippet.group(1) == "https://search.example.org/widget.js"
    assert snippet.group(3) == "https://search.example.org/"  # the no-JavaScript fallback


@pytest.mark.parametrize("hl", ["en", "be", "ru"])
def test_the_snippet_holds_a_fallback_form_in_the_interface_language(client, hl):
    text = html.unescape(client.get(f"/widget?hl={hl}").get_data(as_text=True))
    snippet = SNIPPET.search(text).group(0)
    assert '<input type="search" name="q">' in snippet
    assert f'<input type="hidden" name="hl" value="{hl}">' in snippet
    assert widget.FALLBACK_BUTTON[hl] in snippet


def test_widget_page_loads_the_script_without_inline_code(client):
    response = client.get("/widget")
    text = response.get_data(as_text=True)
    assert '<script src="/widget.js" defer></script>' in text
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) is None
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "table", [widget.ATTRIBUTES, widget.PROPERTIES, widget.PARTS], ids=["attr", "prop", "part"]
)
def test_widget_page_shows_the_reference(client, table):
    text = client.get("/widget").get_data(as_text=True)
    for entry in table:
        assert f"<code>{entry.name}</code>" in text


def test_every_custom_property_of_the_script_is_documented(script_text):
    used = set(re.findall(r"--iapb-[a-z-]+", script_text))
    assert used == {entry.name for entry in widget.PROPERTIES}


def test_every_part_of_the_script_is_documented(script_text):
    parts: set[str] = set()
    for words in re.findall(r'\bh\(\s*"\w+",\s*"([\w -]+)"', script_text):
        parts.update(words.split())
    parts.update(re.findall(r'\.part\.add\("([\w-]+)"\)', script_text))
    for expression in re.findall(r'setAttribute\("part",([^;]+)\)', script_text):
        for words in re.findall(r'"([\w -]+)"', expression):
            parts.update(words.split())
    assert parts == {entry.name for entry in widget.PARTS}


def _widget_messages() -> set[str]:
    sources = [(WEBAPP / "widget.py", "python")]
    sources += [(path, "jinja2") for path in (WEBAPP / "templates" / "widget").glob("*.html")]
    found = set()
    for path, method in sources:
        with path.open("rb") as handle:
            found.update(msg for _, msg, _, _ in extract(method, handle, keywords=KEYWORDS))
    return found


@pytest.mark.parametrize("lang", ["be", "ru"])
def test_every_widget_page_string_is_translated(lang):
    with (WEBAPP / "translations" / lang / "LC_MESSAGES" / "widget.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    assert catalog.num_plurals == 3
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    assert _widget_messages() <= translated
