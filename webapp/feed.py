"""``GET /feed.atom``: an Atom 1.0 feed of any search, newest first.

It takes the parameters of ``/api/search`` and runs the same search, sorted by date,
so a feed reader sees each report when it is published.  Like the search page, it lists
each report once (``collapse=report`` unless ``collapse=none`` is asked for), its other
language versions as ``alternate`` links of the entry.  The XML is built with
:mod:`xml.etree.ElementTree` (never by string templates), so user text is always
escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import replace
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, current_app, request
from flask_babel import gettext as _

from indexer.languages import ALL_LANGS
from indexer.records import MAX_PER_PAGE, Collapse, Facet, Hit, SearchResult, SortOrder
from webapp.i18n import ui_lang
from webapp.searching import current_index, run_search, search_request
from webapp.urls import absolute, report_address, report_url, search_url

bp = Blueprint("feed", __name__)

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
AUTHOR = "International Accountability Platform for Belarus (IAPB)"
_MARK = re.compile(r"</?mark>")
# Characters XML 1.0 cannot carry even escaped: C0 controls but tab and newlines,
# surrogates, U+FFFE and U+FFFF.  ElementTree writes them as they are, which makes the
# document not well-formed, so they are dropped from every text and attribute.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters an XML 1.0 document cannot contain."""
    return _NOT_XML.sub("", text)


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def plain_snippet(snippet: str) -> str:
    """A search snippet as plain text: ``<mark>`` tags dropped, entities decoded."""
    return html.unescape(_MARK.sub("", snippet))


def feed_title(result: SearchResult) -> str:
    """The feed's title in the interface language, naming the query searched (a query
    typed on the wrong layout or misspelt names its correction)."""
    if result.request.q:
        return _("IAPB progress reports: %(query)s", query=result.searched)
    return _("IAPB progress reports: latest")


def _entry(root: ET.Element, hit: Hit, topic_labels: dict[str, str]) -> None:
    entry = _add(root, "entry")
    entry.set(XML_LANG, hit.lang.value)
    _add(entry, "id", report_address(hit.id))
    _add(entry, "title", hit.title, type="text")
    _add(entry, "updated", _timestamp(hit.date))
    _add(entry, "published", _timestamp(hit.date))
    page = absolute(report_url(hit.id))
    _add(entry, "link", rel="alternate", type="text/html", href=page, hreflang=hit.lang.value)
    for other in sorted(hit.other_languages, key=lambda version: ALL_LANGS.index(version.lang)):
        href = absolute(report_url(other.id))
        _add(entry, "link", rel="alternate", type="text/html", href=href, hreflang=other.lang.value)
    for topic in hit.topics:
        _add(entry, "category", term=topic, label=topic_labels.get(topic, topic))
    _add(entry, "summary", plain_snippet(hit.snippet), type="text")


def build_feed(result: SearchResult, self_url: str, html_url: str, built_at: str) -> bytes:
    """The Atom document of ``result`` (UTF-8 with an XML declaration).

    ``self_url`` identifies the feed (it is also its ``id``); ``html_url`` is the same
    search as a web page; ``built_at`` (the index's build time) dates a feed without
    entries.
    """
    # Unqualified tags under a default xmlns: ElementTree's default_namespace option
    # refuses the (rightly) unqualified Atom attributes such as rel and href.
    root = ET.Element("feed", xmlns=ATOM)
    root.set(XML_LANG, result.request.ui_lang.value)
    _add(root, "id", self_url)
    _add(root, "title", feed_title(result), type="text")
    dates = [hit.date for hit in result.hits]
    _add(root, "updated", _timestamp(max(dates)) if dates else built_at)
    _add(_add(root, "author"), "name", AUTHOR)
    _add(root, "link", rel="self", type="application/atom+xml", href=self_url)
    _add(root, "link", rel="alternate", type="text/html", href=html_url)
    _add(root, "generator", "iapb-search")
    labels = {c.value: c.label for c in result.facets.get(Facet.TOPIC, ())}
    for hit in result.hits:
        _entry(root, hit, labels)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@bp.get("/feed.atom")
def feed():
    """The Atom feed of the search in the query string (newest first).

    Raises ``QueryError`` (400) for bad parameters, ``IndexUnavailable`` (503).
    """
    req = search_request()
    changes: dict[str, object] = {"sort": SortOrder.DATE, "timeline": False}
    if "collapse" not in request.args:
        changes["collapse"] = Collapse.REPORT  # the page's view: one entry per report
    if "per_page" not in request.args:
        changes["per_page"] = MAX_PER_PAGE
    req = replace(req, **changes)
    result = run_search(req)
    body = build_feed(
        result,
        self_url=absolute(search_url(req, "feed.feed")),
        html_url=absolute(search_url(req, "pages.index")),
        built_at=current_index().health().get("built_at") or "1970-01-01T00:00:00Z",
    )
    response = Response(body, content_type=CONTENT_TYPE)
    response.headers["Content-Language"] = ui_lang().value
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["API_MAX_AGE"]
    if "hl" not in request.args:
        # Titles and labels are in the language Accept-Language chose.
        response.vary.add("Accept-Language")
    response.add_etag()
    return response.make_conditional(request)
