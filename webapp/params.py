"""The search's query-string parameters: what each takes, how it is read, how it is written.

:func:`parse_search` is the one place where query-string parameters become a
:class:`~indexer.records.SearchRequest` (the API, the pages, the feed and the exports
read them through it); it reads the text and :meth:`SearchRequest.check` enforces the
limits.  :func:`search_params` writes a request back as query-string pairs, for links.
:data:`PARAMETERS` documents each parameter; the OpenAPI document and the README are
checked against it by the tests.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from indexer.errors import QueryError
from indexer.languages import ALL_LANGS, Lang
from indexer.records import (
    DEFAULT_PER_PAGE,
    MAX_FILTER_VALUES,
    MAX_PER_PAGE,
    MAX_QUERY_LENGTH,
    MAX_YEAR,
    MIN_YEAR,
    Collapse,
    SearchRequest,
    SortOrder,
)

GetAll = Callable[[str], list[str]]  # every value of a parameter, e.g. ``request.args.getlist``

# The parameters of /api/search: name -> what it takes.
PARAMETERS: dict[str, str] = {
    "q": f"query text, at most {MAX_QUERY_LENGTH} characters; empty browses newest first",
    "lang": "document language filter, repeatable: en, be, ru",
    "year": "publication year filter, repeatable",
    "topic": "topic id filter, repeatable (see topics.yaml)",
    "year_from": f"first publication year of a span, {MIN_YEAR} to {MAX_YEAR}; `year` also applies",
    "year_to": "last publication year of a span (inclusive), not before year_from",
    "date_from": "first publication date, YYYY-MM-DD (inclusive)",
    "date_to": "last publication date, YYYY-MM-DD (inclusive), not before date_from",
    "sort": "relevance (default) or date (newest first)",
    "page": "page number, from 1",
    "per_page": f"hits per page, 1 to {MAX_PER_PAGE} (default {DEFAULT_PER_PAGE})",
    "collapse": "report: one hit per report, the best language first",
    "expand": "1 (default) expands glossary names across languages; 0 turns it off",
    "timeline": "1 adds `timeline`: per matching report, its period, mentions and documents",
    "verbatim": "1 searches `q` exactly as typed: no keyboard-layout or spelling correction, "
    "no partial matches",
}
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def one_value(get_all: GetAll, name: str) -> str | None:
    """The value of a parameter that may be given once, ``None`` when absent.

    Raises :class:`QueryError` (``repeated_parameter``) when it is given more than once.
    """
    values = get_all(name)
    if not values:
        return None
    if len(values) > 1:
        raise QueryError(name, f"'{name}' may be given once", "repeated_parameter")
    return values[0]


def _int(name: str, text: str) -> int:
    digits = text.strip()
    # int() also reads other scripts' digits ("٣") and underscores ("1_0"): ASCII only.
    if not (digits.isascii() and digits.isdigit()):
        raise QueryError(name, f"'{name}' must be a whole number, not {text!r}")
    return int(digits)


def _date(name: str, text: str) -> dt.date:
    # fromisoformat() alone would also read "20240101" and "2024-W01-1": one form only.
    try:
        if not (text.isascii() and _DATE_RE.fullmatch(text.strip())):
            raise ValueError(text)
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise QueryError(name, f"'{name}' must be a date YYYY-MM-DD, not {text!r}") from None


def _optional(
    get_all: GetAll, name: str, read: Callable[[str, str], Any], default: Any = None
) -> Any:
    """The value of ``name`` read by ``read``, ``default`` when absent or empty."""
    text = (one_value(get_all, name) or "").strip()
    return read(name, text) if text else default


def _many(get_all: GetAll, name: str) -> list[str]:
    values = [v for raw in get_all(name) for v in raw.split(",") if v.strip()]
    if len(values) > MAX_FILTER_VALUES:
        raise QueryError(name, f"at most {MAX_FILTER_VALUES} values of '{name}'", "out_of_range")
    return [v.strip() for v in values]


def _choice(get_all: GetAll, name: str, kind: type[Any], default: Any, allowed: str) -> Any:
    text = one_value(get_all, name)
    try:
        return kind(text.strip().lower()) if text else default
    except ValueError:
        raise QueryError(name, f"'{name}' must be {allowed}, not {text!r}") from None


def _switch(get_all: GetAll, name: str, default: bool) -> bool:
    text = one_value(get_all, name)
    if text not in (None, "0", "1", "true", "false"):
        raise QueryError(name, f"'{name}' must be 0 or 1, not {text!r}")
    return default if text is None else text in ("1", "true")


def _lang(value: str) -> Lang:
    try:
        return Lang(value.lower())
    except ValueError:
        codes = ", ".join(lang.value for lang in ALL_LANGS)
        raise QueryError("lang", f"unknown language {value!r} (one of {codes})") from None


def parse_search(get_all: GetAll, ui_lang: Lang = Lang.EN) -> SearchRequest:
    """The search that query-string parameters ask for (``get_all(name)`` returns every
    value of ``name``), in the interface language ``ui_lang``.

    Raises :class:`QueryError` naming the parameter for anything malformed or out of
    bounds.  Topic ids are checked against the index by :func:`indexer.search.search`.
    """
    q = one_value(get_all, "q") or ""
    if "\x00" in q:
        raise QueryError("q", "the query contains a NUL character")
    # Read in this order, so a request with several faults is told of the first.
    return SearchRequest(
        q=q.strip(),
        langs=tuple(dict.fromkeys(_lang(v) for v in _many(get_all, "lang"))),
        years=tuple(sorted({_int("year", v) for v in _many(get_all, "year")}, reverse=True)),
        topics=tuple(dict.fromkeys(_many(get_all, "topic"))),
        year_from=_optional(get_all, "year_from", _int),
        year_to=_optional(get_all, "year_to", _int),
        date_from=_optional(get_all, "date_from", _date),
        date_to=_optional(get_all, "date_to", _date),
        sort=_choice(get_all, "sort", SortOrder, SortOrder.RELEVANCE, "relevance or date"),
        page=_optional(get_all, "page", _int, 1),
        per_page=_optional(get_all, "per_page", _int, DEFAULT_PER_PAGE),
        collapse=_choice(get_all, "collapse", Collapse, Collapse.NONE, "report"),
        expand=_switch(get_all, "expand", True),
        timeline=_switch(get_all, "timeline", False),
        verbatim=_switch(get_all, "verbatim", False),
        ui_lang=ui_lang,
    ).check()


def search_params(req: SearchRequest, **changes: Any) -> list[tuple[str, str]]:
    """Query-string pairs reproducing ``req`` (with ``changes`` applied).

    Only non-default values are written, so links stay short.
    """
    values = {
        "q": req.q,
        "lang": list(req.langs),
        "year": list(req.years),
        "topic": list(req.topics),
        "year_from": req.year_from,
        "year_to": req.year_to,
        "date_from": req.date_from,
        "date_to": req.date_to,
        "sort": req.sort,
        "page": req.page,
        "per_page": req.per_page,
        "collapse": req.collapse,
        "expand": req.expand,
        "timeline": req.timeline,
        "verbatim": req.verbatim,
    }
    values.update(changes)
    defaults = SearchRequest()
    pairs: list[tuple[str, str]] = []
    for name, value in values.items():
        if isinstance(value, list | tuple):
            pairs.extend((name, str(v)) for v in value)
        elif name == "expand":
            if not value:
                pairs.append(("expand", "0"))
        elif name in ("timeline", "verbatim"):
            if value:
                pairs.append((name, "1"))
        elif value != getattr(defaults, name) and value != "":
            pairs.append((name, str(value)))
    return pairs
