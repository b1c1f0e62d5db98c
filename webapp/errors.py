"""One error shape for the whole app, registered on the app (blueprints miss routing 404s).

JSON paths (``/api/*``, ``/healthz``, ``/openapi.json``) answer
``{"error": {"code", "message", "param"}}``; pages answer a friendly HTML page with the
same status.  Nothing a client sends produces a 500: the last handler turns anything
unexpected into a logged 500 without a traceback in the body.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, SecurityError

from indexer.errors import DocumentNotFound, IndexUnavailable, QueryError

API_PATH = "/api"  # the public JSON API, readable cross-origin (see webapp.headers)
JSON_PATHS = (API_PATH, "/healthz", "/openapi.json", "/export")
RETRY_AFTER = 10  # seconds a client is asked to wait after a 503


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def is_api_path(path: str) -> bool:
    """True for ``/api`` and everything below it."""
    return _under(path, API_PATH)


def wants_json() -> bool:
    """True when the request is for a JSON endpoint (``/api`` and below, health, OpenAPI)."""
    return any(_under(request.path, p) for p in JSON_PATHS)


def error_response(
    status: int, code: str, message: str, param: str | None = None
) -> tuple[Response | str, int]:
    """The error answer for this request: JSON on JSON paths, an HTML page elsewhere.

    ``code`` is a stable machine-readable word (``invalid_parameter``, ``not_found``, …),
    ``param`` the offending query parameter of a 400, if any.
    """
    if wants_json():
        body = {"error": {"code": code, "message": message, "param": param}}
        return jsonify(body), status
    page = render_template("error.html", status=status, code=code, message=message, param=param)
    return page, status


def _query_error(error: QueryError):
    return error_response(400, error.code, error.message, error.param)


def _not_found(error: DocumentNotFound):
    return error_response(404, "not_found", str(error))


def unavailable(code: str, message: str, retry_after: int = RETRY_AFTER):
    """A 503 answer asking the client to come back in ``retry_after`` seconds."""
    body, status = error_response(503, code, message)
    return body, status, {"Retry-After": str(retry_after)}


def _unavailable(error: IndexUnavailable):
    # The body says why in words; where (paths) and the underlying error go to the log.
    current_app.logger.warning("index unavailable on %s: %s", request.path, error.detail)
    if wants_json():
        return unavailable("index_unavailable", str(error))
    return unavailable("index_unavailable", _("The search index is not available yet."))


def _untrusted_host(error: SecurityError):
    # Answered before routing: no URL can be built for this request, so no HTML page;
    # the host is not echoed back.
    message = "the Host header names a host this service does not answer for"
    return jsonify({"error": {"code": "untrusted_host", "message": message, "param": None}}), 400


def _http(error: HTTPException):
    status = error.code or 500
    code = (error.name or "error").lower().replace(" ", "_")
    body, status = error_response(status, code, error.description or error.name)
    # Keep the headers the exception carries (``Allow`` of a 405), not its HTML body type.
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    return body, status, headers


def _unexpected(error: Exception):
    # The one broad handler: log the traceback, never show it.
    current_app.logger.exception("unhandled error on %s", request.path)
    return error_response(500, "internal_error", "an unexpected error occurred")


def init_app(app: Flask) -> None:
    """Register the error handlers on ``app``."""
    app.register_error_handler(SecurityError, _untrusted_host)
    app.register_error_handler(QueryError, _query_error)
    app.register_error_handler(DocumentNotFound, _not_found)
    app.register_error_handler(IndexUnavailable, _unavailable)
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(Exception, _unexpected)
