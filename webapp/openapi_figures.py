"""The OpenAPI description of the figures (issue 27): the ``answer`` of a search and
the ``/api/figures`` paths.  :mod:`webapp.openapi` includes it."""

from __future__ import annotations

from typing import Any

from indexer.figures.model import Basis, Qualifier

_STR = {"type": "string"}
_INT = {"type": "integer"}
_NULLABLE_STR = {"type": ["string", "null"]}
_NUMBER = {"type": "number", "description": "the value (2637, 1500000)"}
_QUALIFIER = {
    "type": "string",
    "enum": [q.value for q in Qualifier],
    "description": "as the text says it: 3,200 (`exact`), over 3,200, more than 1,100, about",
}
_BASIS = {
    "type": "string",
    "enum": [b.value for b in Basis],
    "description": "a total so far, or a count for the reporting period only",
}
_AS_OF = {
    "type": "string",
    "pattern": "^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$",
    "description": "the date the value holds for (YYYY-MM or YYYY-MM-DD)",
}
_LANGS = {"type": "string", "enum": ["en", "be", "ru"]}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": list(properties), "properties": properties}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def answer_property() -> dict[str, Any]:
    """The ``answer`` property of a search result."""
    return {
        "oneOf": [{"type": "null"}, _ref("Answer")],
        "description": (
            "when the query asks for a measure the reports count ('how many interviews', "
            "'number of States supported', «сколько документов собрано», or its name "
            "alone): its value at the time the year filters or span select (else the "
            "latest), quoted from the report; null otherwise"
        ),
    }


def schemas() -> dict[str, Any]:
    """The components the figures add: ``Answer``, ``Figure``, ``FigureValue``."""
    point = _object(
        {
            "value": _NUMBER,
            "qualifier": _QUALIFIER,
            "basis": _BASIS,
            "display": {"type": "string", "description": "the value as the reader writes it"},
            "as_of": _AS_OF,
            "report": _INT,
            "paragraph": {"type": ["string", "null"], "description": "the paragraph's anchor"},
            "url": {"type": ["string", "null"], "description": "the report page at it"},
        }
    )
    answer = _object(
        {
            "figure": {"type": "string", "description": "the figure's id (/figures/{id})"},
            "label": _STR,
            "unit": _STR,
            "value": _NUMBER,
            "qualifier": _QUALIFIER,
            "basis": _BASIS,
            "display": {"type": "string", "description": "'over 3,200', «более 3 200»"},
            "as_of": _AS_OF,
            "report": _INT,
            "paragraph": {"type": ["string", "null"], "description": "the paragraph's anchor"},
            "quote": {
                "type": "string",
                "description": "the sentence holding the value, in the reader's language "
                "(else English); HTML in which only <mark> (the number) is markup",
            },
            "quote_lang": _LANGS,
            "url": {"type": ["string", "null"], "description": "the report page at it"},
            "figure_url": _NULLABLE_STR,
            "trend": {"type": "string", "description": "2,637 → 2,775 → over 3,200"},
            "series": {"type": "array", "items": point, "description": "oldest first"},
        }
    )
    value = _object(
        {
            "figure": _STR,
            "report": _INT,
            "value": {"type": "string", "description": "the value as a plain number"},
            "qualifier": _QUALIFIER,
            "basis": _BASIS,
            "as_of": _AS_OF,
            "date": {"type": ["string", "null"], "format": "date"},
            "paragraph": _NULLABLE_STR,
            "url": {"type": "string", "description": "the English report page at it"},
            "quote_en": _NULLABLE_STR,
            "quote_be": _NULLABLE_STR,
            "quote_ru": _NULLABLE_STR,
        }
    )
    texts = {"type": "object", "additionalProperties": _STR}
    figure = _object(
        {
            "id": _STR,
            "label": texts,
            "unit": {
                "type": "object",
                "description": "per language: the unit, or its plural forms (en: one, other; "
                "be, ru: one, few, many)",
                "additionalProperties": {"type": "array", "items": _STR},
            },
            "names": {"type": "object", "additionalProperties": {"type": "array", "items": _STR}},
            "values": {"type": "array", "items": _ref("FigureValue")},
        }
    )
    return {"Answer": answer, "Figure": figure, "FigureValue": value}


def _figure_id() -> dict[str, Any]:
    return {
        "name": "figure_id",
        "in": "path",
        "required": True,
        "description": "the figure's id, such as interviews",
        "schema": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
    }


def _format(values: list[str], description: str) -> dict[str, Any]:
    return {
        "name": "format",
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "string", "enum": values},
    }


def _ok(schema: dict[str, Any], description: str, others: dict[str, Any]) -> dict[str, Any]:
    content = {"application/json": {"schema": schema}, **others}
    return {"description": description, "content": content}


def paths(error: Any) -> dict[str, Any]:
    """The ``/api/figures`` paths; ``error(description)`` is the API's error response."""
    csv = {"text/csv": {"schema": {"type": "string"}}}
    cited = {
        media: {"schema": {"type": "string"}}
        for media in ("application/x-bibtex", "application/x-research-info-systems")
    }
    cited["application/vnd.citationstyles.csl+json"] = {"schema": {"type": "array"}}
    return {
        "/api/figures": {
            "get": {
                "operationId": "listFigures",
                "summary": "Every figure the reports state, with its values over time",
                "parameters": [_format(["json", "csv"], "json (default) or csv")],
                "responses": {
                    "200": _ok(
                        _object({"figures": {"type": "array", "items": _ref("Figure")}}),
                        "the figures",
                        csv,
                    ),
                    "400": error("a bad format"),
                    "503": error("no index is available"),
                },
            }
        },
        "/api/figures/{figure_id}": {
            "get": {
                "operationId": "getFigure",
                "summary": "One figure and its values",
                "parameters": [_figure_id(), _format(["json", "csv"], "json (default) or csv")],
                "responses": {
                    "200": _ok(_ref("Figure"), "the figure", csv),
                    "400": error("a bad format"),
                    "404": error("no such figure"),
                    "503": error("no index is available"),
                },
            }
        },
        "/api/figures/{figure_id}/reports/{report}": {
            "get": {
                "operationId": "getFigureValue",
                "summary": "One report's value of a figure, or its reference",
                "parameters": [
                    _figure_id(),
                    {
                        "name": "report",
                        "in": "path",
                        "required": True,
                        "description": "the report's number",
                        "schema": {"type": "integer", "minimum": 0},
                    },
                    _format(
                        ["bibtex", "ris", "csl-json"],
                        "the value's reference in a citation format, with the paragraph's link",
                    ),
                    {
                        "name": "lang",
                        "in": "query",
                        "required": False,
                        "description": "the language of the document cited (default: hl)",
                        "schema": _LANGS,
                    },
                ],
                "responses": {
                    "200": _ok(_ref("FigureValue"), "the value", cited),
                    "400": error("a bad format or lang"),
                    "404": error("no such figure, or no value in that report"),
                    "503": error("no index is available"),
                },
            }
        },
    }
