"""HTML pages (placeholder: the search page and report pages arrive next)."""

from __future__ import annotations

from flask import Blueprint, render_template_string, request, url_for

from indexer.languages import ALL_LANGS, SUPPORT
from webapp.i18n import ui_lang
from webapp.searching import run_search

bp = Blueprint("pages", __name__)


@bp.app_context_processor
def _globals():
    def switch_language_url(code: str) -> str:
        args = request.args.to_dict(flat=False)
        args["hl"] = [code]
        return url_for(request.endpoint or "pages.index", **(request.view_args or {}), **args)

    return {
        "hl": ui_lang().value,
        "interface_languages": [(lang.value, SUPPORT[lang].native_name) for lang in ALL_LANGS],
        "switch_language_url": switch_language_url,
    }


@bp.get("/")
def index():
    result = run_search()
    return render_template_string(
        "{% extends 'base.html' %}{% block content %}<p>{{ r.total }}</p>{% endblock %}", r=result
    )
