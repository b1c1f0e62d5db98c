"""The embeddable widget: ``/widget.js`` (the ``<iapb-search>`` element) and ``/widget``.

The script is a static file served under a stable top-level URL that any site may load.
The demo page shows it live, gives the copy-paste snippet with this server's absolute
URL, and documents the attributes, the CSS custom properties and the ``::part()`` names
from the tables below (a test checks them against the script).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import (
    Blueprint,
    Response,
    current_app,
    render_template,
    request,
    send_from_directory,
)
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from webapp.i18n import ui_lang
from webapp.urls import search_page_address, widget_script_address

bp = Blueprint("widget", __name__)

SCRIPT = "widget.js"
SCRIPT_MAX_AGE = 3600  # seconds; the ETag lets browsers revalidate cheaply after that


@dataclass(frozen=True)
class ReferenceEntry:
    """One documented knob of the widget: its name, its default and what it does."""

    name: str
    default: str
    help: LazyString


ATTRIBUTES: tuple[ReferenceEntry, ...] = (
    ReferenceEntry(
        "lang",
        _l("the page's language, else en"),
        _l(
            "Interface language (en, be or ru); each report is shown once, in this language "
            "where it matches, with links to its other language versions."
        ),
    ),
    ReferenceEntry(
        "endpoint",
        _l("where widget.js came from"),
        _l("Base URL of the search service whose API the widget calls."),
    ),
    ReferenceEntry("per-page", "5", _l("Results shown at once, 1 to 50.")),
    ReferenceEntry(
        "facets",
        "year,topic,lang",
        _l("Filters offered, comma-separated, in this order; empty for none."),
    ),
    ReferenceEntry(
        "placeholder",
        _l("per language"),
        _l("Placeholder text of the search box."),
    ),
    ReferenceEntry(
        "year-from",
        "",
        _l("Searches only reports published in or after this year (a span with year-to)."),
    ),
    ReferenceEntry("year-to", "", _l("Searches only reports published in or before this year.")),
    ReferenceEntry(
        "date-from", "", _l("Searches only reports published on or after this date, YYYY-MM-DD.")
    ),
    ReferenceEntry(
        "date-to", "", _l("Searches only reports published on or before this date, YYYY-MM-DD.")
    ),
    ReferenceEntry(
        "theme",
        "auto",
        _l(
            "auto follows the color-scheme of the page around the widget (light unless the "
            "page declares dark); light or dark fixes it."
        ),
    ),
)

PROPERTIES: tuple[ReferenceEntry, ...] = (
    ReferenceEntry("--iapb-font", "system-ui, sans-serif", _l("Font family.")),
    ReferenceEntry("--iapb-font-size", "1rem", _l("Base font size.")),
    ReferenceEntry("--iapb-text", "#1f1f24", _l("Text colour.")),
    ReferenceEntry("--iapb-muted", "#595963", _l("Secondary text: dates, labels, counts.")),
    ReferenceEntry("--iapb-bg", "#fff", _l("Background of the widget and of the search box.")),
    ReferenceEntry("--iapb-surface", "#f0f0f4", _l("Background of the filter chips.")),
    ReferenceEntry("--iapb-border", "#c5c5ce", _l("Borders and separators.")),
    ReferenceEntry("--iapb-accent", "#0b57d0", _l("Links and selected chips.")),
    ReferenceEntry("--iapb-on-accent", "#fff", _l("Text on selected chips.")),
    ReferenceEntry("--iapb-mark-bg", "#ffe482", _l("Background of the matched words.")),
    ReferenceEntry("--iapb-mark-text", "#1f1f24", _l("Colour of the matched words.")),
    ReferenceEntry("--iapb-focus", "#0b57d0", _l("Keyboard focus outline.")),
    ReferenceEntry("--iapb-error", "#b3261e", _l("Error message colour.")),
    ReferenceEntry("--iapb-radius", "0.375rem", _l("Corner radius.")),
    ReferenceEntry("--iapb-space", "0.5rem", _l("Base spacing unit.")),
)

PARTS: tuple[ReferenceEntry, ...] = (
    ReferenceEntry("container", "", _l("The whole widget.")),
    ReferenceEntry("form", "", _l("The search landmark around the box.")),
    ReferenceEntry("input", "", _l("The search box.")),
    ReferenceEntry("bar", "", _l("The row under the box: result count and buttons.")),
    ReferenceEntry("filters-toggle", "", _l("The button that shows and hides the filters.")),
    ReferenceEntry("versions", "", _l("The switch listing every language version apart.")),
    ReferenceEntry("clear", "", _l("The button clearing the filters when they exclude all.")),
    ReferenceEntry("facets", "", _l("All the filters.")),
    ReferenceEntry("facet-group", "", _l("The filters of one facet: year, topic or language.")),
    ReferenceEntry("facet-label", "", _l("The name of a facet.")),
    ReferenceEntry("chip", "", _l("A filter button.")),
    ReferenceEntry("chip-selected", "", _l("A filter button that is on.")),
    ReferenceEntry("count", "", _l("The number of results on a chip.")),
    ReferenceEntry("status", "", _l("The result count, the empty and the error message.")),
    ReferenceEntry("error", "", _l("The status when the service cannot be reached.")),
    ReferenceEntry(
        "corrected",
        "",
        _l(
            "What was searched instead of the words typed (keyboard layout, spelling), "
            "and prefixes left out."
        ),
    ),
    ReferenceEntry(
        "correction",
        "",
        _l("Its buttons: search the words as typed, or the suggested words."),
    ),
    ReferenceEntry("results", "", _l("The list of results.")),
    ReferenceEntry("result", "", _l("One result.")),
    ReferenceEntry("title", "", _l("The title link of a result.")),
    ReferenceEntry("meta", "", _l("Date and language of a result.")),
    ReferenceEntry("snippet", "", _l("The passage that matched.")),
    ReferenceEntry("mark", "", _l("A matched word in the passage.")),
    ReferenceEntry("passage", "", _l("A passage of the full report that matched.")),
    ReferenceEntry("page", "", _l("Its page number, linking to the passage in its page.")),
    ReferenceEntry("languages", "", _l("Links to the other language versions.")),
    ReferenceEntry("language", "", _l("One of those links.")),
    ReferenceEntry("more", "", _l("The link to all results on this site.")),
    ReferenceEntry(
        "answer", "", _l("The answer card above the results, when the query asks for a figure.")
    ),
    ReferenceEntry("answer-value", "", _l("The figure's value in the answer card.")),
    ReferenceEntry("answer-quote", "", _l("The sentence of the report the value comes from.")),
    ReferenceEntry("answer-links", "", _l("Links to the paragraph and to the figure's page.")),
)


FALLBACK_LABEL = {
    "en": "Search the IAPB progress reports",
    "be": "Пошук па справаздачах IAPB",
    "ru": "Поиск по отчётам IAPB",
}
FALLBACK_BUTTON = {"en": "Search", "be": "Шукаць", "ru": "Искать"}


def embed_snippet(lang: str) -> str:
    """What a web editor pastes: the script (absolute URL) and the element.

    The element holds a plain search form: browsers without JavaScript show it and send
    the reader to the search page; with the script, the widget replaces it.
    """
    src = widget_script_address()
    action = search_page_address()
    label = FALLBACK_LABEL.get(lang, FALLBACK_LABEL["en"])
    button = FALLBACK_BUTTON.get(lang, FALLBACK_BUTTON["en"])
    return (
        f'<script src="{src}" defer></script>\n'
        f'<iapb-search lang="{lang}">\n'
        f'  <form action="{action}" method="get" role="search">\n'
        f'    <label>{label} <input type="search" name="q"></label>\n'
        f'    <input type="hidden" name="hl" value="{lang}">\n'
        f"    <button>{button}</button>\n"
        f"  </form>\n"
        f"</iapb-search>"
    )


@bp.get("/widget.js")
def script() -> Response:
    """The widget script: JavaScript in UTF-8, cacheable, loadable from any origin."""
    folder = current_app.static_folder or ""
    response = send_from_directory(folder, SCRIPT, max_age=SCRIPT_MAX_AGE)
    response.mimetype = "text/javascript"  # with "; charset=utf-8": the strings are Cyrillic
    # A plain <script src> needs no CORS; these let crossorigin="anonymous" loads and
    # cross-origin isolated hosts (Cross-Origin-Embedder-Policy) use it too.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@bp.get("/widget")
def demo() -> str:
    """The demo page: the widget live, the snippet to copy and the reference."""
    return render_template(
        "widget/demo.html",
        snippet=embed_snippet(ui_lang().value),
        fallback_label=FALLBACK_LABEL[ui_lang().value],
        fallback_button=FALLBACK_BUTTON[ui_lang().value],
        origin=request.host_url.rstrip("/"),
        attributes=ATTRIBUTES,
        properties=PROPERTIES,
        parts=PARTS,
    )
