"""The app's settings, each declared once: name, default, how to read it, and help.

``create_app`` applies the defaults, then ``IAPB_<NAME>`` environment variables, then
the mapping given to it.  The README's settings table is checked against this list
(``tests/test_settings.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from indexer.engine.generation import RESULT_CACHE_SIZE, SEARCH_TIME_LIMIT
from indexer.engine.layout import DEFAULT_INDEX_DIR
from indexer.languages import parse_lang

# Measured on the 100,000-document synthetic index (docs/deploy.md, "Admission control").
COSTLY_SEARCH_POSTINGS = 150_000
ORIGIN = re.compile(r"^https?://[^/\s,]+$")
PUBLIC_URL = re.compile(r"^https?://[A-Za-z0-9.\-]+(:\d{1,5})?(/[A-Za-z0-9._~\-/]*)?$")
# A host name, an IPv4 address, a bracketed IPv6 address, or `.example.org` (any subdomain).
HOST = re.compile(r"^(\.?[a-z0-9\-]+(\.[a-z0-9\-]+)*|\[[0-9a-f:.]+\])$")


@dataclass(frozen=True)
class Setting:
    """One configuration value of the app."""

    name: str
    default: Any
    parse: Callable[[str], Any]
    help: str

    @property
    def env(self) -> str:
        """The environment variable that overrides the default."""
        return f"IAPB_{self.name}"


def _origins(text: str) -> tuple[str, ...]:
    origins = tuple(o.strip().rstrip("/") for o in text.split(",") if o.strip())
    if not origins:
        raise ValueError("expected `*` or a comma-separated list of origins")
    for origin in origins:
        if origin != "*" and not ORIGIN.match(origin):
            raise ValueError(f"{origin!r} is not an origin such as https://example.org")
    return origins


def _count(low: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = int(text.strip())
        if value < low:
            raise ValueError(f"must be at least {low}, not {value}")
        return value

    return parse


def _seconds(text: str) -> float:
    value = float(text.strip())
    if not value > 0 or value == float("inf"):
        raise ValueError(f"must be a positive number of seconds, not {text!r}")
    return value


def _share(text: str) -> float:
    value = float(text.strip())
    if not 0 < value <= 1:
        raise ValueError(f"must be more than 0 and at most 1, not {text!r}")
    return value


def _locale(text: str) -> str:
    return parse_lang(text).value


def _public_url(text: str) -> str:
    url = text.strip().rstrip("/")
    if url and not PUBLIC_URL.match(url):
        raise ValueError("expected http(s)://host[:port][/path], without query or fragment")
    return url


def _hosts(text: str) -> tuple[str, ...]:
    hosts = tuple(h.strip().lower() for h in text.split(",") if h.strip())
    if not hosts:
        raise ValueError("expected a comma-separated list of host names")
    for host in hosts:
        if not HOST.match(host):
            raise ValueError(f"{host!r} is not a host name such as search.example.org")
    return hosts


SETTINGS: tuple[Setting, ...] = (
    Setting("INDEX_DIR", DEFAULT_INDEX_DIR, str, "index directory (holds the `current` link)"),
    Setting(
        "CORS_ORIGINS",
        ("*",),
        _origins,
        "origins allowed to call `/api/*` from a browser, comma-separated; `*` allows any",
    ),
    Setting(
        "CACHE_SIZE",
        RESULT_CACHE_SIZE,
        _count(1),
        "searches kept in the per-generation result cache",
    ),
    Setting(
        "SEARCH_TIME_LIMIT",
        SEARCH_TIME_LIMIT,
        _seconds,
        "seconds a search may run before it answers with partial results",
    ),
    Setting(
        "API_MAX_AGE",
        60,
        _count(0),
        "`Cache-Control: max-age` of API and feed responses, seconds",
    ),
    Setting(
        "DEFAULT_LOCALE",
        "en",
        _locale,
        "interface language (en, be, ru) when neither `hl` nor the browser says",
    ),
    Setting(
        "MAX_SEARCHES",
        8,
        _count(1),
        "searches one server process runs at once; past it a search gets 503 at once",
    ),
    Setting(
        "COSTLY_SEARCH_POSTINGS",
        COSTLY_SEARCH_POSTINGS,
        _count(1),
        "estimated postings from which a search is costly: one at a time per process",
    ),
    Setting(
        "COSTLY_SEARCH_SECONDS",
        0.1,
        _seconds,
        "predicted time from which a search is costly (learned per kind of search and "
        "index generation, see webapp/costmodel.py); until a kind is learned, "
        "COSTLY_SEARCH_POSTINGS decides",
    ),
    Setting(
        "COSTLY_SEARCH_SHARE",
        0.25,
        _share,
        "share of a process's time costly searches may use (over 10 s); past it, 503",
    ),
    Setting(
        "PUBLIC_URL",
        "",
        _public_url,
        "the service's public base URL (`https://search.example.org`); every absolute URL "
        "uses it, whatever the request's `Host`",
    ),
    Setting(
        "TRUSTED_HOSTS",
        ("localhost", "127.0.0.1", "[::1]"),
        _hosts,
        "without `PUBLIC_URL`: host names a request's `Host` may carry, comma-separated "
        "(`.example.org` allows its subdomains); others get 400",
    ),
    Setting(
        "EXPORT_MAX",
        10_000,
        _count(1),
        "records one `/export` holds at most; past it the export is cut and says so",
    ),
    Setting(
        "EXPORT_MAX_BYTES",
        32 * 1024 * 1024,
        _count(1024),
        "bytes one `/export` body may have (built whole in memory, then sent); past it "
        "the export is refused with 413 naming the limit",
    ),
)
BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


def load(environ: Mapping[str, str], overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Defaults, then ``IAPB_*`` variables from ``environ``, then ``overrides``.

    String values in ``overrides`` are read like environment values; other values are
    taken as they are.  Raises ``ValueError`` naming the variable (or setting) when a
    value cannot be read.
    """
    config: dict[str, Any] = {}
    for setting in SETTINGS:
        config[setting.name] = setting.default
        if setting.env in environ:
            config[setting.name] = _parse(setting, environ[setting.env], setting.env)
    for name, value in (overrides or {}).items():
        setting = BY_NAME.get(name)
        config[name] = _parse(setting, value, name) if setting and isinstance(value, str) else value
    return config


def _parse(setting: Setting, text: str, source: str) -> Any:
    try:
        return setting.parse(text)
    except ValueError as exc:
        raise ValueError(f"{source}={text!r} is not valid ({setting.help}): {exc}") from None
