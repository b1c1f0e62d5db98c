"""The fixed query mix of the benchmarks, as query-string parameters.

Each entry is what a user sends to ``/api/search``: the same parameters drive the
in-process benchmark (through :func:`webapp.params.parse_search`) and the HTTP one.
Every topic used here exists in the bundled corpus's ``topics.yaml`` and in the
synthetic corpora copied from it.
"""

from __future__ import annotations

import itertools
import random
from urllib.parse import urlencode

from indexer.languages import Lang
from indexer.records import SearchRequest
from webapp.params import parse_search

Params = dict[str, list[str]]


def _p(q: str = "", **filters: str | list[str]) -> Params:
    params: Params = {"q": [q]} if q else {}
    for name, value in filters.items():
        params[name] = value if isinstance(value, list) else [value]
    return params


# (name, parameters): words in each language, phrases, acronyms that expand, names in
# either script, prefixes, operators, filters alone and combined, browse, collapse, date.
QUERY_MIX: tuple[tuple[str, Params], ...] = (
    ("word en", _p("torture")),
    ("word en 2", _p("evidence")),
    ("word en 3", _p("survivors")),
    ("word be", _p("катаванні")),
    ("word be 2", _p("выбары")),
    ("word be 3", _p("пыткі")),
    ("word ru", _p("пытки")),
    ("word ru 2", _p("выборы")),
    ("word ru 3", _p("доказательства")),
    ("phrase en", _p('"International Criminal Court"')),
    ("phrase ru", _p('"политических заключённых"')),
    ("acronym ICC", _p("ICC")),
    ("acronym OSCE", _p("OSCE")),
    ("acronym МУС", _p("МУС")),
    ("acronym OHCHR", _p("OHCHR")),
    ("name Lukashenka", _p("Lukashenka")),
    ("name Лукашенко", _p("Лукашенко")),
    ("name Viasna", _p("Viasna")),
    ("prefix tortur*", _p("tortur*")),
    ("prefix пыт*", _p("пыт*")),
    ("operators", _p("torture AND detention -OSCE")),
    ("two words", _p("political prisoners")),
    ("filter year", _p("torture", year="2024")),
    ("filter lang", _p("ICC", lang="ru")),
    ("filter topic", _p("evidence", topic="icc")),
    ("filters combined", _p("пытки", year=["2023", "2024"], lang=["ru", "be"], topic="torture")),
    ("browse", _p()),
    ("browse filtered", _p(year="2024", topic="torture")),
    ("collapse", _p("ICC", collapse="report")),
    ("collapse browse", _p(collapse="report")),
    ("sort date", _p("torture", sort="date")),
    ("sort date filtered", _p("Lukashenka", sort="date", lang="en")),
)

# Repeated-query mix for the cached figures: a handful of popular searches.
REPEATED: tuple[Params, ...] = tuple(params for _, params in QUERY_MIX[::4])


def request(params: Params) -> SearchRequest:
    """The parsed request of ``params`` (interface language English)."""
    return parse_search(lambda name: params.get(name, []), Lang.EN)


def path(params: Params) -> str:
    """The ``/api/search`` URL path of ``params``."""
    pairs = [(name, value) for name, values in params.items() for value in values]
    return "/api/search?" + urlencode(pairs)


def distinct_variants(limit: int, seed: int = 0) -> list[Params]:
    """Up to ``limit`` variants of the mix whose cache keys all differ (each a cache miss).

    Variants change ``per_page`` (1 to 20: 10.5 on average, about the default 10), the
    order, collapsing, an added year filter and an added language filter, and always
    ask for page 1 (a later page may not exist).  Shuffled with ``seed``.
    """
    seen: set[tuple] = set()
    out: list[Params] = []
    years = [None, "2021", "2022", "2023", "2024", "2025"]
    langs = [None, "en", "be", "ru"]
    for (_, base), per_page, sort, collapse, year, lang in itertools.product(
        QUERY_MIX, range(1, 21), ("relevance", "date"), (None, "report"), years, langs
    ):
        params = {k: list(v) for k, v in base.items()}
        params["per_page"] = [str(per_page)]
        params["sort"] = [sort]
        if collapse:
            params["collapse"] = [collapse]
        if year and year not in params.get("year", []):
            params["year"] = [*params.get("year", []), year]
        if lang and lang not in params.get("lang", []):
            params["lang"] = [*params.get("lang", []), lang]
        key = request(params).cache_key()
        if key not in seen:
            seen.add(key)
            out.append(params)
    random.Random(seed).shuffle(out)
    return out[:limit]
