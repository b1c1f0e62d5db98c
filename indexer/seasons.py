"""Seasons as a query names them, in English, Belarusian and Russian: plain data, shared by
the date reader (:mod:`indexer.dates`) and the glossary (:mod:`indexer.glossary`), which
must not take «весной» ("in spring") for the human rights centre «Весна»."""

from __future__ import annotations

# Seasons: every form a query may use, lower case, ё as е, ў as у (as words() gives them).
SEASON_STARTS = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}
SEASON_FORMS: dict[str, str] = {
    **{w: "spring" for w in ("spring", "весна", "весны", "весне", "весну", "весной", "весною")},
    **{w: "spring" for w in ("вясна", "вясны", "вясне", "вясну", "вясной", "вясною", "увесну")},
    **{w: "summer" for w in ("summer", "лето", "лета", "лету", "летом", "лете")},
    **{w: "summer" for w in ("летам", "леце", "улетку", "улета")},
    **{w: "autumn" for w in ("autumn", "fall", "осень", "осени", "осенью")},
    **{w: "autumn" for w in ("восень", "восені", "восенню", "увосень")},
    **{w: "winter" for w in ("winter", "зима", "зимы", "зиме", "зиму", "зимой", "зимою")},
    **{w: "winter" for w in ("зіма", "зімы", "зіме", "зіму", "зімой", "зімою", "узімку")},
}  # fmt: skip
# The forms that only say "in spring" (never the name «Весна»/«Вясна» of a concept).
SEASON_ADVERBS = frozenset({"весной", "весною", "вясной", "вясною", "увесну"})
