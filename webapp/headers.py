"""Response headers: security headers on every response, CORS on the API only."""

from __future__ import annotations

from flask import Flask, Response, current_app, request

# Pages use no inline script and no inline style attribute: everything is in static files.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "
    "object-src 'none'"
)


def allowed_origin(origin: str | None) -> str | None:
    """The ``Access-Control-Allow-Origin`` value for ``origin``, or ``None`` to refuse."""
    allowed = current_app.config["CORS_ORIGINS"]
    if "*" in allowed:
        return "*"
    if origin and origin.rstrip("/") in allowed:
        return origin
    return None


def _secure(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if response.mimetype == "text/html":
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Frame-Options", "DENY")
    if request.path.startswith("/api/") and request.method in ("GET", "HEAD", "OPTIONS"):
        origin = allowed_origin(request.headers.get("Origin"))
        if origin is not None:
            headers["Access-Control-Allow-Origin"] = origin
            headers["Access-Control-Allow-Methods"] = "GET"
            headers["Access-Control-Expose-Headers"] = "ETag"
            if origin != "*":
                headers.add("Vary", "Origin")
    return response


def register(app: Flask) -> None:
    """Add the headers to every response of ``app``."""
    app.after_request(_secure)
