"""Absolute URLs from the ``PUBLIC_URL`` setting, or from a ``Host`` the app trusts.

Every absolute URL the app writes (feed ids and links, the widget snippet, redirects,
exports: whatever ``url_for(..., _external=True)`` or ``request.host_url`` builds) is
made of the WSGI environment's scheme, host and script root.  The client chooses its
``Host`` header and proxies cache the answers, so a forged host would be served to
others.

With ``PUBLIC_URL`` set, a WSGI middleware replaces the scheme, host and script root of
every request by the public URL's before Flask sees it: no code in the app can see the
client's ``Host``, so every ``url_for(..., _external=True)``, present or future, uses
the public URL.  Without it, Flask's ``TRUSTED_HOSTS`` check answers 400 to a request
whose ``Host`` is not listed in the ``TRUSTED_HOSTS`` setting.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

DEFAULT_PORTS = {"http": "80", "https": "443"}


class PublicURL:
    """WSGI middleware: the request seen through ``public_url`` (scheme, host, path prefix).

    A path under the prefix has it removed (a proxy that passes the public path through
    is served like one that strips it); ``SCRIPT_NAME`` becomes the prefix, so the URLs
    the app builds carry it.
    """

    def __init__(self, app: Callable[..., Iterable[bytes]], public_url: str) -> None:
        parts = urlsplit(public_url)
        self.app = app
        self.scheme = parts.scheme
        self.host = parts.netloc
        self.server_name = parts.hostname or ""
        self.server_port = str(parts.port) if parts.port else DEFAULT_PORTS[parts.scheme]
        self.prefix = parts.path.rstrip("/")

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        environ["wsgi.url_scheme"] = self.scheme
        environ["HTTP_HOST"] = self.host
        environ["SERVER_NAME"] = self.server_name
        environ["SERVER_PORT"] = self.server_port
        if self.prefix:
            path = environ.get("PATH_INFO", "")
            if path == self.prefix or path.startswith(self.prefix + "/"):
                environ["PATH_INFO"] = path[len(self.prefix) :] or "/"
            environ["SCRIPT_NAME"] = self.prefix
        return self.app(environ, start_response)


_HOST_PORT = re.compile(r"(\[[^\]]*\]|[^:\[\]]*)(:[0-9]*)?")


def normal_host(value: str) -> str:
    """A ``Host`` header as DNS compares names: lower case, without the trailing dot of
    a fully qualified name (``LOCALHOST.:8000`` is ``localhost:8000``).  A value that is
    not a host and port is returned as it is (the trusted-host check refuses it)."""
    match = _HOST_PORT.fullmatch(value)
    if match is None:
        return value
    name = match[1].lower()
    if not name.startswith("["):
        name = name.removesuffix(".")
    return name + (match[2] or "")


class NormalHost:
    """WSGI middleware: the ``Host`` header made :func:`normal_host` before Flask checks
    it against ``TRUSTED_HOSTS`` and builds URLs from it."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        host = environ.get("HTTP_HOST")
        if host:
            environ["HTTP_HOST"] = normal_host(host)
        return self.app(environ, start_response)


def init_app(app: Flask) -> None:
    """Serve ``app`` under its ``PUBLIC_URL``, or check ``Host`` against ``TRUSTED_HOSTS``."""
    public = app.config["PUBLIC_URL"]
    if public:
        app.wsgi_app = PublicURL(app.wsgi_app, public)  # type: ignore[method-assign]
        app.config["TRUSTED_HOSTS"] = [urlsplit(public).hostname]
    else:
        app.wsgi_app = NormalHost(app.wsgi_app)  # type: ignore[method-assign]
        app.config["TRUSTED_HOSTS"] = list(app.config["TRUSTED_HOSTS"])
