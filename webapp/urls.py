"""Every URL the web app writes, built here from its routes with ``url_for``.

The search API returns document ids only.  The JSON contract
(:mod:`indexer.records`) takes its links from :data:`API_LINKS`; the pages, the feed,
the exports and the widget's demo take theirs from the functions below.  Links between
pages carry the interface language (``hl``), so a view's whole state is in its URL;
the API's links do not (its client chooses ``hl``).  Every URL carries the app's root
(``PUBLIC_URL``'s path, see :mod:`webapp.public_url`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from flask import Flask, request, url_for

from indexer.records import Collapse, SearchRequest
from webapp.i18n import ui_lang
from webapp.params import search_params

PAGE_ENDPOINT = "pages.index"


def with_hl(endpoint: str, params: Sequence[tuple[str, str]] = (), **values: Any) -> str:
    """The URL of ``endpoint`` with query pairs ``params`` and the interface language."""
    pairs = [*params, ("hl", ui_lang().value)]
    return f"{url_for(endpoint, **values)}?{urlencode(pairs)}"


def page_params(req: SearchRequest, **changes: Any) -> list[tuple[str, str]]:
    """Query pairs reproducing ``req`` on the search page (where collapsing is the default)."""
    # The pages decide these themselves: one result per report unless told otherwise, and
    # a query's timeline always.
    pairs = [(k, v) for k, v in search_params(req, **changes) if k not in ("collapse", "timeline")]
    if changes.get("collapse", req.collapse) is Collapse.NONE:
        pairs.append(("collapse", Collapse.NONE.value))
    return pairs


def search_url(req: SearchRequest, endpoint: str = PAGE_ENDPOINT, **changes: Any) -> str:
    """The URL reproducing ``req`` (with ``changes``) on ``endpoint``, ``hl`` included."""
    if endpoint == PAGE_ENDPOINT:
        return with_hl(endpoint, page_params(req, **changes))
    return with_hl(endpoint, search_params(req, **changes))


def report_url(doc: str) -> str:
    """The page of document ``doc`` in the current interface language."""
    return with_hl("pages.report", doc=doc)


def paragraph_url(doc: str, anchor: str | None, q: str = "") -> str:
    """The page of ``doc`` opened at the paragraph ``anchor``, the matches of ``q`` marked."""
    url = with_hl("pages.report", [("q", q)] if q else [], doc=doc)
    return f"{url}#{anchor}" if anchor else url


def compare_url(number: int, q: str = "") -> str:
    """The page of report ``number`` in its languages side by side, ``q`` marked."""
    return with_hl("pages.compare", [("q", q)] if q else [], number=number)


def passage_url(doc: str, page: int, position: int, q: str = "") -> str:
    """Page ``page`` of ``doc``'s full report at passage ``position``, ``q`` marked."""
    return f"{full_page_url(doc, page, q)}#passage-{position}"


def full_page_url(doc: str, page: int, q: str = "") -> str:
    """Page ``page`` of ``doc``'s full report, the matches of ``q`` marked."""
    return with_hl("fulltext.passage_page", [("q", q)] if q else [], doc=doc, page=page)


def reference_url(doc: str, fmt: str) -> str:
    """The reference of ``doc`` in the citation format ``fmt`` (``bibtex``, ``ris``…)."""
    return url_for("api.report", doc=doc, format=fmt)


def switch_language_url(code: str) -> str:
    """This request's URL with the interface language ``code``."""
    args = request.args.to_dict(flat=False)
    args["hl"] = [code]
    return url_for(request.endpoint or PAGE_ENDPOINT, **(request.view_args or {}), **args)


def absolute(url: str) -> str:
    """The absolute form of ``url``, a path built here (it starts with the app's root).

    The scheme and host are those ``url_for(..., _external=True)`` uses: ``PUBLIC_URL``
    when it is set (see :mod:`webapp.public_url`), else the trusted request host.
    """
    return url_for(PAGE_ENDPOINT, _external=True).removesuffix(url_for(PAGE_ENDPOINT)) + url


def report_address(doc: str) -> str:
    """The absolute address of ``doc``'s page, without ``hl``: what identifies it
    (feed entries, exports, the page's own citation)."""
    return url_for("pages.report", doc=doc, _external=True)


def widget_script_address() -> str:
    """The absolute address of ``widget.js``, for the snippet other sites paste."""
    return url_for("widget.script", _external=True)


def search_page_address() -> str:
    """The absolute address of the search page (the widget's fallback form sends there)."""
    return url_for(PAGE_ENDPOINT, _external=True)


class ApiLinks:
    """The links of the JSON API (:class:`indexer.records.Links`): paths under the
    app's root, without ``hl``."""

    def report(self, doc: str, anchor: str | None = None) -> str:
        """The page of ``doc``, at the paragraph ``anchor`` when given."""
        return url_for("pages.report", doc=doc, _anchor=anchor)

    def passage(self, doc: str, page: int, position: int, q: str) -> str:
        """Passage ``position`` on page ``page`` of ``doc``'s full report, ``q`` marked."""
        return url_for(
            "fulltext.passage_page", doc=doc, page=page, q=q or None, _anchor=f"passage-{position}"
        )

    def figure(self, figure_id: str) -> str:
        """The page of the figure ``figure_id`` (``/figures/<id>``)."""
        return url_for("figures.figure", figure_id=figure_id)


API_LINKS = ApiLinks()


def init_app(app: Flask) -> None:
    """Make the page links available to every template."""
    app.jinja_env.globals.update(
        report_url=report_url,
        paragraph_url=paragraph_url,
        compare_url=compare_url,
        passage_url=passage_url,
        switch_language_url=switch_language_url,
    )
