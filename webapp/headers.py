"""Response headers: security headers on every response, CORS on the API only.

The API (``/api/*``) may be read cross-origin with GET (the widget on other sites):
``Access-Control-Allow-Origin: *`` by default, or the request's own origin when it is
in the ``CORS_ORIGINS`` allow-list.  No credentials are ever allowed, other methods are
not offered, and pages get no CORS headers at all.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from werkzeug.http import parse_range_header

from webapp.errors import is_api_path

# Pages use no inline script and no inline style attribute: everything is in static files.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "
    "object-src 'none'"
)
CORS_METHODS = "GET, HEAD"
# Request headers a cross-origin script may set (the others it needs are safelisted).
CORS_REQUEST_HEADERS = "If-None-Match"
CORS_EXPOSED_HEADERS = "ETag"
CORS_PREFLIGHT_MAX_AGE = 86400  # seconds a browser may remember a preflight answer


def allowed_origin(origin: str | None) -> str | None:
    """The ``Access-Control-Allow-Origin`` value for ``origin``, or ``None`` to refuse."""
    allowed = current_app.config["CORS_ORIGINS"]
    if "*" in allowed:
        return "*"
    if origin and origin.rstrip("/") in allowed:
        return origin
    return None


def _cors(response: Response) -> None:
    headers = response.headers
    if "*" not in current_app.config["CORS_ORIGINS"]:
        # The answer depends on the caller's origin: shared caches must keep them apart.
        response.vary.add("Origin")
    origin = allowed_origin(request.headers.get("Origin"))
    if origin is None:
        return
    headers["Access-Control-Allow-Origin"] = origin
    headers["Access-Control-Expose-Headers"] = CORS_EXPOSED_HEADERS
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        headers["Access-Control-Allow-Methods"] = CORS_METHODS
        headers["Access-Control-Allow-Headers"] = CORS_REQUEST_HEADERS
        headers["Access-Control-Max-Age"] = str(CORS_PREFLIGHT_MAX_AGE)


def _secure(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if response.mimetype == "text/html":
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Frame-Options", "DENY")
    if is_api_path(request.path) and request.method in ("GET", "HEAD", "OPTIONS"):
        _cors(response)
    return response


def _ignore_unusable_ranges() -> None:
    # RFC 9110 lets a server ignore Range: a malformed one or several ranges get the
    # whole file (200) rather than Werkzeug's 416, which would break a plain download.
    header = request.environ.get("HTTP_RANGE")
    if header is None:
        return
    ranges = parse_range_header(header)
    if ranges is None or ranges.units != "bytes" or len(ranges.ranges) != 1:
        del request.environ["HTTP_RANGE"]


def init_app(app: Flask) -> None:
    """Add the headers to every response of ``app``; ignore unusable ``Range`` headers."""
    app.before_request(_ignore_unusable_ranges)
    app.after_request(_secure)
