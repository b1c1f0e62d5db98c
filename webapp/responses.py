"""The app's response class: a body already in memory goes to the server as one list.

A WSGI app may answer any iterable.  Werkzeug wraps every body in an iterator that
closes it after the last chunk, so the server must iterate it; granian then sends each
chunk from its Rust side, taking the interpreter's lock once per chunk and once more to
close it.  Given a list, granian sends the joined bytes in one call.  Every JSON answer
and page is built in memory (``response.data``), so :class:`Response` hands such a body
over as a one-item list: same bytes, same headers, less work per request (measured
under load: ``docs/deploy.md``, "Per-request cost").  Streamed bodies (files, generators)
keep Werkzeug's closing iterator.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Response as FlaskResponse
from werkzeug.wrappers.response import Response as WerkzeugResponse

# Statuses whose answers have no body (RFC 9110), as Werkzeug's get_app_iter has it.
NO_BODY = frozenset((204, 304))


class Response(FlaskResponse):
    """Flask's response; a body held in memory is returned to the server as a list."""

    def get_app_iter(self, environ: dict) -> Iterable[bytes]:
        """The body as a one-item list when it is in memory and nothing waits for its end
        (no ``call_on_close``); else Werkzeug's closing iterator."""
        if (
            not isinstance(self.response, list)
            or self.direct_passthrough
            or self._on_close  # Werkzeug's own list of call_on_close functions
        ):
            return WerkzeugResponse.get_app_iter(self, environ)
        status = self.status_code
        if environ["REQUEST_METHOD"] == "HEAD" or 100 <= status < 200 or status in NO_BODY:
            return []
        return [b"".join(self.iter_encoded())]
