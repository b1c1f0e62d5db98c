"""The interface language: Flask-Babel set up, chosen from ``hl=`` or the browser.

Catalogues live in ``translations/<lang>/LC_MESSAGES/*.po``; every ``.po`` of a language
(one per part of the app) is merged into that language's ``messages.mo`` when the app
starts and a ``.mo`` is missing or older than its sources.  ``.mo`` files are build
products and are not committed.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, g, request
from flask_babel import Babel

from indexer.languages import ALL_LANGS, Lang

TRANSLATIONS = Path(__file__).parent / "translations"
DOMAIN = "messages"
UI_CODES = frozenset(lang.value for lang in ALL_LANGS)
_UI_CODE_LIST = [lang.value for lang in ALL_LANGS]


def compile_catalogs(source: Path = TRANSLATIONS, target: Path | None = None) -> Path:
    """Merge and compile each language's ``.po`` files into ``target`` (default: beside them).

    Returns the directory holding the compiled catalogues.  Raises ``OSError`` when
    ``target`` cannot be written.
    """
    target = target or source
    for lang_dir in sorted(p for p in source.iterdir() if p.is_dir()):
        sources = sorted((lang_dir / "LC_MESSAGES").glob("*.po"))
        if not sources:
            continue
        mo = target / lang_dir.name / "LC_MESSAGES" / f"{DOMAIN}.mo"
        newest = max(p.stat().st_mtime for p in sources)
        if mo.exists() and mo.stat().st_mtime >= newest:
            continue
        merged = Catalog(locale=lang_dir.name)
        for po in sources:
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=lang_dir.name)
            if merged.plural_forms != catalog.plural_forms:
                merged = _with_plurals(merged, catalog)
            for message in catalog:
                if message.id and message.string and not message.fuzzy:
                    merged[message.id] = message
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as handle:
            write_mo(handle, merged)
    return target


def _with_plurals(merged: Catalog, catalog: Catalog) -> Catalog:
    fresh = Catalog(locale=merged.locale)
    fresh._num_plurals, fresh._plural_expr = catalog.num_plurals, catalog.plural_expr
    for message in merged:
        if message.id:
            fresh[message.id] = message
    return fresh


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
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", _translations_dir())
    Babel(app, locale_selector=lambda: ui_lang().value)
