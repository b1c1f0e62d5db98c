"""The interface language: Flask-Babel set up, chosen from ``hl=`` or the browser.

Catalogues live in ``translations/<lang>/LC_MESSAGES/<domain>.po``, one gettext domain
per part of the app (``DOMAINS``); Flask-Babel looks a string up in each domain in turn.
Each ``.po`` is compiled to the ``.mo`` beside it when the app starts and the ``.mo`` is
missing or older.  ``.mo`` files are build products and are not committed.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, g, request
from flask_babel import Babel

from indexer.languages import ALL_LANGS, Lang

TRANSLATIONS = Path(__file__).parent / "translations"
# messages.po: the pages, the feed and the errors (babel.cfg); widget.po: the widget page;
# fulltext.po: full reports (missing versions, passages, the page of a full report);
# years.po: spans of years, months read as dates and the term over time (the search page);
# reading.po: paragraph links and the three languages side by side;
# cite.po: export links and citations;
# recovery.po: corrected queries (keyboard layout, spelling) and query notes;
# results.po: the results-first search page (active filters, empty states, way back);
# figures.po: the figures' pages and the answer card;
# relax.po: partial matches ("Missing: ...", pages/hit_missing.html, pages/relaxed_note.html).
# dates.po: the dates a query was read as (pages/_dates.html, webapp/dates.py).
DOMAINS = (
    "messages",
    "widget",
    "fulltext",
    "years",
    "reading",
    "cite",
    "recovery",
    "results",
    "figures",
    "relax",
    "dates",
)
UI_CODES = frozenset(lang.value for lang in ALL_LANGS)
_UI_CODE_LIST = [lang.value for lang in ALL_LANGS]


def compile_catalogs(source: Path = TRANSLATIONS, target: Path | None = None) -> Path:
    """Compile each ``<lang>/LC_MESSAGES/<domain>.po`` into ``target`` (default: beside it).

    Returns the directory holding the compiled catalogues.  Raises ``OSError`` when
    ``target`` cannot be written.
    """
    target = target or source
    for po in sorted(source.glob("*/LC_MESSAGES/*.po")):
        mo = target / po.relative_to(source).with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parent.parent.name)
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as handle:
            write_mo(handle, catalog)
    return target


def _translations_dir() -> str:
    try:
        return str(compile_catalogs())
    except OSError:
        # An installed, read-only package: compile into a private temporary directory.
        return str(compile_catalogs(target=Path(tempfile.mkdtemp(prefix="iapb-mo-"))))


def ui_lang() -> Lang:
    """The interface language of the current request (``hl=``, else ``Accept-Language``)."""
    chosen = g.get("ui_lang")
    if chosen is not None:
        return chosen
    hl = request.args.get("hl")
    if hl is not None and (hl := hl.strip().lower()) in UI_CODES:
        chosen = Lang(hl)
    else:
        best = request.accept_languages.best_match(_UI_CODE_LIST)
        chosen = Lang(best) if best else Lang(current_app.config["DEFAULT_LOCALE"])
    g.ui_lang = chosen
    return chosen


def init_app(app: Flask) -> None:
    """Attach Flask-Babel to ``app`` with the request's interface language."""
    # Flask-Babel pairs the n-th directory with the n-th domain: the same one for each.
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join([_translations_dir()] * len(DOMAINS))
    app.config["BABEL_DOMAIN"] = ";".join(DOMAINS)
    Babel(app, locale_selector=lambda: ui_lang().value)
