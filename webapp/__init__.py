"""The web app: a thin HTTP layer over :mod:`indexer.search`.

``create_app`` builds it: settings (defaults, ``IAPB_*`` environment variables, the
mapping given), the index opened once and kept in ``app.extensions``, the interface
language, the blueprints (API, pages, feed, widget, full reports), one error shape,
response headers, the response class (:mod:`webapp.responses`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from indexer.engine.generation import SearchIndex
from webapp import (
    admission,
    api,
    dates,
    errors,
    export,
    feed,
    figures,
    figures_api,
    fulltext,
    headers,
    i18n,
    pages,
    public_url,
    responses,
    searching,
    settings,
    urls,
    widget,
)
from webapp.searching import EXTENSION


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """The Flask app serving the index in ``INDEX_DIR``.

    Never fails for want of an index: searches answer 503 until one is built, and a
    later build is picked up without a restart.  Raises ``ValueError`` for a malformed
    ``IAPB_*`` environment variable.
    """
    app = Flask(__name__)
    app.response_class = responses.Response
    app.config.update(settings.load(os.environ, test_config))
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions[EXTENSION] = SearchIndex(
        app.config["INDEX_DIR"],
        cache_size=app.config["CACHE_SIZE"],
        time_limit=app.config["SEARCH_TIME_LIMIT"],
    )
    public_url.init_app(app)
    i18n.init_app(app)
    urls.init_app(app)
    dates.init_app(app)
    api.init_app(app)
    searching.init_app(app)
    for module in (pages, feed, widget, fulltext, export, figures, figures_api):
        app.register_blueprint(module.bp)
    errors.init_app(app)
    admission.init_app(app)
    headers.init_app(app)
    return app
