"""``GET /openapi.json``: the OpenAPI 3.1 description of the JSON API.

The search parameters are derived from :data:`webapp.params.PARAMETERS` (their names
and descriptions) and the limits in :mod:`indexer.records` (their bounds), so the
document cannot drift from what :func:`webapp.params.parse_search` accepts; the topic
ids are those of the index in service.  ``tests/test_api.py`` checks the document
against the OpenAPI meta-schema and ``tests/test_fuzz.py`` checks real responses
against it.
"""

from __future__ import annotations

from typing import Any

from indexer.languages import ALL_LANGS
from indexer.query import MIN_PREFIX
from indexer.records import (
    DEFAULT_PER_PAGE,
    MAX_DATE,
    MAX_FILTER_VALUES,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_QUERY_LENGTH,
    MAX_YEAR,
    MIN_DATE,
    MIN_YEAR,
    Collapse,
    SortOrder,
)
from indexer.recovery import Reason
from webapp import openapi_figures
from webapp.citation import CITATION_FORMATS
from webapp.params import PARAMETERS

# Part of every ETag: a change of response shape must not be hidden by a cached answer.
API_VERSION = "1.1.0"  # 1.1: `answer` (issue 27)
OPENAPI_VERSION = "3.1.0"

LANG_CODES = [lang.value for lang in ALL_LANGS]


def _array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items, "maxItems": MAX_FILTER_VALUES}


def _parameter_schemas(topics: list[str] | None) -> dict[str, dict[str, Any]]:
    """The JSON Schema of each search parameter, keyed like ``PARAMETERS``."""
    year = {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR}
    # JSON Schema bounds no dates: the range is said in words.
    date = {
        "type": "string",
        "format": "date",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        "description": f"{MIN_DATE} to {MAX_DATE}",
    }
    topic: dict[str, Any] = {"type": "string", "minLength": 1}
    if topics:
        topic = {"type": "string", "enum": topics}
    return {
        # NUL is refused by the parser; every other character is allowed.
        "q": {"type": "string", "maxLength": MAX_QUERY_LENGTH, "pattern": "^[^\\u0000]*$"},
        "lang": _array({"type": "string", "enum": LANG_CODES}),
        "year": _array(year),
        "topic": _array(topic),
        "year_from": year,
        "year_to": year,
        "date_from": date,
        "date_to": date,
        "sort": {"type": "string", "enum": [s.value for s in SortOrder], "default": "relevance"},
        "page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
        "per_page": {
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_PER_PAGE,
            "default": DEFAULT_PER_PAGE,
        },
        "collapse": {"type": "string", "enum": [c.value for c in Collapse], "default": "none"},
        "expand": {"type": "string", "enum": ["1", "0", "true", "false"], "default": "1"},
        "timeline": {"type": "string", "enum": ["1", "0", "true", "false"], "default": "0"},
        "verbatim": {"type": "string", "enum": ["1", "0", "true", "false"], "default": "0"},
    }


def search_parameters(topics: list[str] | None = None) -> list[dict[str, Any]]:
    """OpenAPI query parameters of ``/api/search``, one per entry of ``PARAMETERS``.

    Raises ``KeyError`` if ``PARAMETERS`` names a parameter without a schema here.
    """
    schemas = _parameter_schemas(topics)
    params = []
    for name, description in PARAMETERS.items():
        schema = schemas[name]
        param: dict[str, Any] = {
            "name": name,
            "in": "query",
            "required": False,
            "description": description,
            "schema": schema,
        }
        if schema["type"] == "array":
            # Repeat the name: ?lang=en&lang=ru (comma-separated values are also read).
            param.update(style="form", explode=True)
        params.append(param)
    return params


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema_name: str, description: str, **extra: Any) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": _ref(schema_name)}},
        **extra,
    }


def _error(description: str) -> dict[str, Any]:
    return _json("Error", description)


_HL = {
    "name": "hl",
    "in": "query",
    "required": False,
    "description": "interface language of labels (facets, topics); default: Accept-Language",
    "schema": {"type": "string", "enum": LANG_CODES},
}
_ACCEPT_LANGUAGE = {
    "name": "Accept-Language",
    "in": "header",
    "required": False,
    "description": "interface language when `hl` is not given",
    "schema": {"type": "string"},
}
_IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "an ETag from an earlier answer: 304 when it is still current",
    "schema": {"type": "string"},
}
_CACHED_HEADERS = {
    "ETag": {
        "description": "strong validator: index generation and normalised request",
        "required": True,
        "schema": {"type": "string"},
    },
    "Cache-Control": {"required": True, "schema": {"type": "string"}},
}
_NOT_MODIFIED = {"description": "the answer has not changed since the given ETag"}
_EXPORT_FORMAT = {
    "name": "format",
    "in": "query",
    "required": True,
    "description": "csv (UTF-8 with BOM), json, bibtex, ris or csl-json",
    "schema": {"type": "string", "enum": ["csv", "json", "bibtex", "ris", "csl-json"]},
}
_EXPORT_HEADERS = {
    "Content-Disposition": {"required": True, "schema": {"type": "string"}},
    "X-Export-Total": {"description": "matches of the search", "schema": {"type": "string"}},
    "X-Export-Count": {"description": "records in the export", "schema": {"type": "string"}},
    "X-Export-Truncated": {
        "description": "present when the export was cut at EXPORT_MAX: says so in words",
        "schema": {"type": "string"},
    },
}

_STR = {"type": "string"}
_INT = {"type": "integer"}
_BOOL = {"type": "boolean"}
_NULLABLE_STR = {"type": ["string", "null"]}


def _object(properties: dict[str, Any], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    required = [name for name in properties if name not in optional]
    return {"type": "object", "required": required, "properties": properties}


def _facet_count(value: dict[str, Any]) -> dict[str, Any]:
    return _object({"value": value, "label": _STR, "count": _INT, "selected": _BOOL})


def _component_schemas() -> dict[str, Any]:
    lang = {"type": "string", "enum": LANG_CODES}
    other_language = _object({"id": _STR, "lang": lang, "title": _STR, "url": _STR})
    hit = _object(
        {
            "id": _STR,
            "report": _INT,
            "lang": lang,
            "date": {"type": "string", "format": "date"},
            "year": _INT,
            "title": _STR,
            "topics": {"type": "array", "items": _STR},
            "snippet": {"type": "string", "description": "HTML: only <mark> is markup"},
            "url": {
                "type": "string",
                "description": "the report page, at the paragraph holding the snippet (#anchor)",
            },
            "paragraph": {
                "type": ["integer", "null"],
                "description": "position (from 1) of the summary paragraph holding the snippet",
            },
            "anchor": {
                "type": ["string", "null"],
                "description": "that paragraph's permalink anchor, p<position>-<hash of its text>",
            },
            "score": {"type": "number"},
            "provenance": _STR,
            "translated": _BOOL,
            "other_languages": {"type": "array", "items": _ref("OtherLanguage")},
            "passages": {
                "type": "array",
                "description": "best passages of the full report (PDF) that matched, best first",
                "items": _object({"page": _INT, "snippet": _STR, "url": _STR}),
            },
            "missing": {
                "type": "array",
                "items": _STR,
                "description": "only on a relaxed hit (the answer's relaxed is not null): "
                "the parts of the query (words, numbers, names, phrases, as typed) this "
                "document lacks",
            },
        },
        optional=("other_languages", "passages", "missing"),
    )
    facets = _object(
        {
            "year": {"type": "array", "items": _facet_count(_INT)},
            "lang": {"type": "array", "items": _facet_count(lang)},
            "topic": {"type": "array", "items": _facet_count(_STR)},
        }
    )
    result = _object(
        {
            "query": _STR,
            "total": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "pages": {"type": "integer", "minimum": 1},
            "sort": {"type": "string", "enum": [s.value for s in SortOrder]},
            "collapse": {"type": ["string", "null"], "enum": ["report", None]},
            "results": {"type": "array", "items": _ref("Hit")},
            "facets": facets,
            "expanded": {"type": "array", "items": _STR},
            "months": {
                "type": "array",
                "description": (
                    "months the query names (September 2024, верасня 2024, 2024-09), searched"
                    " as dates: the reports whose reporting period contains the month or that"
                    " were published in it, or whose text names it"
                ),
                "items": _object(
                    {
                        "text": {"type": "string", "description": "as typed"},
                        "month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                    }
                ),
            },
            "dates": {
                "type": "array",
                "description": (
                    "every date the query was read as (1 April 2025, 10.2024, «в октябре"
                    " 2024», Q3 2024, «другое паўгоддзе 2023», autumn 2024, «за октябрь»),"
                    " searched as dates: the reports whose reporting period or publication"
                    " falls in it (a day: whose period holds its month or that were"
                    " published that day), or whose text names it"
                ),
                "items": _object(
                    {
                        "from": {
                            "type": ["string", "null"],
                            "format": "date",
                            "description": "first day covered; null for a month of any year",
                        },
                        "to": {
                            "type": ["string", "null"],
                            "format": "date",
                            "description": "last day covered; null for a month of any year",
                        },
                        "text": {"type": "string", "description": "as typed"},
                        "month": {
                            "type": "integer",
                            "minimum": 1,
                            "maximum": 12,
                            "description": "only for a month of any year («за октябрь»)",
                        },
                    },
                    optional=("month",),
                ),
            },
            "suggestion": {
                "type": ["string", "null"],
                "description": "when the words match nothing and no correction is sure: "
                "the query with its nearest indexed words, which finds something",
            },
            "corrected": {
                "oneOf": [{"type": "null"}, _ref("Correction")],
                "description": "when the words as typed match nothing, the query searched "
                "instead: read back from the other keyboard layout (`layout`) or with a "
                "confident spelling correction (`spelling`); `verbatim=1` turns it off",
            },
            "ignored": {
                "type": "array",
                "items": _STR,
                "description": "prefixes too short to search (fewer than "
                f"{MIN_PREFIX} letters before *, e.g. a*), left out of the query",
            },
            "only_excluded": {
                "type": "boolean",
                "description": "the query only excludes (-torture, NOT torture): every "
                "document except those it names, newest first",
            },
            "relaxed": {
                "oneOf": [
                    {"type": "null"},
                    _object(
                        {
                            "dropped": {
                                "type": "array",
                                "items": _STR,
                                "description": "the parts of the query some hit lacks, "
                                "as typed, in query order",
                            }
                        }
                    ),
                ],
                "description": "null when every hit holds every part of the query. When "
                "the query as a whole finds nothing, the documents holding more than half "
                "of its meaningful parts (not stop words, not words every report holds) "
                "are listed, best first, each with its missing parts; two or more parts "
                "no document holds still find nothing. Never with verbatim=1. Stop words are "
                "never required.",
            },
            "fallback": _BOOL,
            "partial": _BOOL,
            "generation": _INT,
            "timeline": {
                "type": "array",
                "description": "with timeline=1: each report the filters leave, oldest first",
                "items": _object(
                    {
                        "report": _INT,
                        "period_start": _STR,
                        "period_end": _STR,
                        "mentions": {"type": "integer", "minimum": 0},
                        "documents": {"type": "integer", "minimum": 0},
                    }
                ),
            },
            "timeline_truncated": _BOOL,
            "answer": openapi_figures.answer_property(),
        },
        optional=("timeline", "timeline_truncated"),
    )
    document = _object(
        {
            "id": _STR,
            "report": _INT,
            "lang": lang,
            "date": {"type": "string", "format": "date"},
            "year": _INT,
            "period": _object({"start": _STR, "end": _STR}),
            "title": _STR,
            "summary": _STR,
            "topics": {"type": "array", "items": _object({"value": _STR, "label": _STR})},
            "provenance": _STR,
            "translated": _BOOL,
            "url": _STR,
            "other_languages": {"type": "array", "items": _ref("OtherLanguage")},
            "full_reports": {
                "type": "array",
                "description": "full reports per language; pages > 0 when served here",
                "items": _object(
                    {"lang": lang, "title": _STR, "url": _NULLABLE_STR, "pages": _INT}
                ),
            },
        }
    )
    health = _object(
        {
            "status": {"type": "string", "enum": ["ok", "degraded"]},
            "generation": _INT,
            "documents": _INT,
            "reports": {"type": ["integer", "null"]},
            "built_at": _NULLABLE_STR,
            "process": _INT,
            # Generations this process found damaged (not served again), by name.
            "damaged": {"type": "array", "items": _STR},
        }
    )
    error = _object(
        {
            "error": {
                **_object(
                    {
                        "code": _STR,
                        "message": _STR,
                        "param": _NULLABLE_STR,
                        "available": {
                            "type": "array",
                            "items": _STR,
                            "description": "language_not_available: the versions that exist",
                        },
                    },
                    optional=("available",),
                ),
                "additionalProperties": False,
            }
        }
    )
    correction = _object(
        {
            "from": {"type": "string", "description": "the query as typed"},
            "to": {"type": "string", "description": "the query searched"},
            "reason": {"type": "string", "enum": [r.value for r in Reason]},
        }
    )
    return {
        "SearchResult": result,
        "Correction": correction,
        "Hit": hit,
        "OtherLanguage": other_language,
        "Document": document,
        "Health": health,
        "Error": error,
        **openapi_figures.schemas(),
    }


def openapi_document(topics: list[str] | None = None) -> dict[str, Any]:
    """The OpenAPI document of the JSON API; ``topics`` are the valid topic ids, if known."""
    search_op = {
        "operationId": "search",
        "summary": "Search the reports (documents are report × language pairs)",
        "parameters": [*search_parameters(topics), _HL, _ACCEPT_LANGUAGE, _IF_NONE_MATCH],
        "responses": {
            "200": _json("SearchResult", "a page of hits and facets", headers=_CACHED_HEADERS),
            "304": _NOT_MODIFIED,
            "400": _error(
                "a bad parameter (named in `param`), a span whose end comes before its start "
                "(`invalid_range`), or a page past the last one"
            ),
            "503": _error("no index is available"),
        },
    }
    report_op = {
        "operationId": "getReport",
        "summary": "One (report, language) document with its full summary",
        "parameters": [
            {
                "name": "id",
                "in": "path",
                "required": True,
                "description": "document id: report number and language, such as r9-en",
                "schema": {"type": "string", "pattern": "^r[0-9]+-(en|be|ru)$"},
            },
            {
                "name": "format",
                "in": "query",
                "required": False,
                "description": (
                    "the document as a reference instead of JSON: the record an export of it "
                    "gives, accessed today"
                ),
                "schema": {"type": "string", "enum": [f.value for f in CITATION_FORMATS]},
            },
            _HL,
            _ACCEPT_LANGUAGE,
            _IF_NONE_MATCH,
        ],
        "responses": {
            "200": {
                "description": "the document; with `format`, its reference in that format",
                "headers": _CACHED_HEADERS,
                "content": {
                    "application/json": {"schema": _ref("Document")},
                    "application/x-bibtex": {"schema": _STR},
                    "application/x-research-info-systems": {"schema": _STR},
                    "application/vnd.citationstyles.csl+json": {
                        "schema": {"type": "array", "minItems": 1, "maxItems": 1}
                    },
                },
            },
            "304": _NOT_MODIFIED,
            "400": _error("a bad parameter (named in `param`), `format` included"),
            "404": _error("no document has this id"),
            "503": _error("no index is available"),
        },
    }
    html_error = {"text/html": {"schema": _STR}}
    feed_op = {
        "operationId": "feed",
        "summary": "The Atom feed of a search: its newest matches, newest first",
        "description": (
            "Takes the search parameters of /api/search (sort is always date; per_page "
            f"defaults to {MAX_PER_PAGE}; collapse defaults to report, as on the search "
            "page: one entry per report, its other language versions as alternate links). "
            "Errors are HTML pages, as on the web pages."
        ),
        "parameters": [*search_parameters(topics), _HL, _ACCEPT_LANGUAGE, _IF_NONE_MATCH],
        "responses": {
            "200": {
                "description": "an Atom 1.0 feed",
                "content": {"application/atom+xml": {"schema": _STR}},
            },
            "304": _NOT_MODIFIED,
            "400": {"description": "a bad parameter", "content": html_error},
            "503": {"description": "no index is available", "content": html_error},
        },
    }
    export_op = {
        "operationId": "export",
        "summary": "Every result of a search as a download: CSV, JSON, BibTeX, RIS, CSL-JSON",
        "description": (
            "Takes the search parameters of /api/search; page and per_page are ignored: the "
            "export holds every match, up to the EXPORT_MAX setting (10,000 by default). "
            "Past it the export is cut, and X-Export-Truncated says so. The body is at "
            "most EXPORT_MAX_BYTES (32 MiB by default): past it, 413. An export runs only "
            "when the server is idle: otherwise 503 with Retry-After, at once."
        ),
        "parameters": [*search_parameters(topics), _EXPORT_FORMAT],
        "responses": {
            "200": {
                "description": "a download (Content-Disposition: attachment)",
                "headers": _EXPORT_HEADERS,
                "content": {
                    "text/csv": {"schema": _STR},
                    "application/json": {"schema": {"type": "object"}},
                    "application/x-bibtex": {"schema": _STR},
                    "application/x-research-info-systems": {"schema": _STR},
                    "application/vnd.citationstyles.csl+json": {"schema": {"type": "array"}},
                },
            },
            "400": _error("a bad parameter (named in `param`), `format` included"),
            "413": _error("the export would pass EXPORT_MAX_BYTES; `message` names it"),
            "503": _error("no index is available, or the server is busy"),
        },
    }
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "iapb-search API",
            "version": API_VERSION,
            "description": (
                "Full-text search over the IAPB progress reports in English, Belarusian "
                "and Russian. Every error answers "
                '`{"error": {"code", "message", "param"}}`. Cross-origin GET is allowed.'
            ),
        },
        "paths": {
            "/api/search": {"get": search_op},
            "/api/reports/{id}": {"get": report_op},
            "/feed.atom": {"get": feed_op},
            "/export": {"get": export_op},
            **openapi_figures.paths(_error),
            "/healthz": {
                "get": {
                    "operationId": "health",
                    "summary": "Index generation and document count",
                    "responses": {
                        "200": _json("Health", "the index in service"),
                        "503": _error("no index is available; `message` says why"),
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "responses": {
                        "200": {
                            "description": "the OpenAPI document",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
        },
        "components": {"schemas": _component_schemas()},
    }
