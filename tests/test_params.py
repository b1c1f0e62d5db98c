"""Search parameters: the query string read into a request (``webapp.params``) and the
limits every request is held to (``SearchRequest.check``), whoever builds it."""

from __future__ import annotations

import datetime as dt

import pytest

from indexer.errors import QueryError
from indexer.languages import Lang
from indexer.records import MAX_PAGE, Collapse, SearchRequest, SortOrder
from webapp.params import parse_search, search_params


def params(**values: str | list[str]):
    """A ``get_all`` over a dict, as ``request.args.getlist`` behaves."""

    def get_all(name: str) -> list[str]:
        value = values.get(name, [])
        return [value] if isinstance(value, str) else list(value)

    return get_all


def test_a_query_string_becomes_a_typed_request() -> None:
    req = parse_search(
        params(
            q=" ICC ",
            lang=["RU", "be,ru"],
            year=["2024", "2025", "2024"],
            date_from="2024-01-31",
            sort="Date",
            page="2",
            collapse="report",
            expand="0",
            timeline="true",
        ),
        Lang.BE,
    )
    assert req == SearchRequest(
        q="ICC",
        langs=(Lang.RU, Lang.BE),
        years=(2025, 2024),
        date_from=dt.date(2024, 1, 31),
        sort=SortOrder.DATE,
        page=2,
        collapse=Collapse.REPORT,
        expand=False,
        timeline=True,
        ui_lang=Lang.BE,
    )


@pytest.mark.parametrize(
    ("values", "param"),
    [
        ({"year": "abc"}, "year"),
        ({"lang": "xx"}, "lang"),
        ({"per_page": "0"}, "per_page"),
        ({"per_page": "1000"}, "per_page"),
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"q": "x" * 501}, "q"),
        ({"sort": "random"}, "sort"),
        ({"collapse": "year"}, "collapse"),
        ({"expand": "maybe"}, "expand"),
        ({"q": ["a", "b"]}, "q"),
    ],
)
def test_bad_parameters_raise_query_errors_naming_the_parameter(values, param: str) -> None:
    with pytest.raises(QueryError) as raised:
        parse_search(params(**values))
    assert raised.value.param == param


def test_parameters_round_trip_through_search_params() -> None:
    request = parse_search(
        params(q="ICC", lang=["ru", "be"], year=["2024", "2025"], sort="date", expand="0")
    )
    pairs = search_params(request)
    again = parse_search(lambda name: [value for key, value in pairs if key == name])
    assert again == request


@pytest.mark.parametrize(
    ("changes", "param", "code"),
    [
        ({"per_page": 51}, "per_page", "out_of_range"),
        ({"page": MAX_PAGE + 1}, "page", "out_of_range"),
        ({"years": (2024, 1899)}, "year", "out_of_range"),
        ({"date_to": dt.date(3000, 1, 1)}, "date_to", "out_of_range"),
        ({"year_from": 2025, "year_to": 2024}, "year_to", "invalid_range"),
        (
            {"date_from": dt.date(2025, 2, 1), "date_to": dt.date(2025, 1, 1)},
            "date_to",
            "invalid_range",
        ),
        ({"q": "x" * 501}, "q", "invalid_parameter"),
    ],
)
def test_a_request_out_of_bounds_is_refused_however_it_was_built(changes, param, code) -> None:
    with pytest.raises(QueryError) as raised:
        SearchRequest(**changes).check()
    assert (raised.value.param, raised.value.code) == (param, code)


def test_a_request_within_bounds_passes_its_check_unchanged() -> None:
    req = SearchRequest(q="ICC", years=(2024,), year_from=2020, year_to=2020, per_page=50)
    assert req.check() is req
