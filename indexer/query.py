"""From the text a user types to a Whoosh query over every language's fields.

Syntax: words (all required), "phrases", AND / OR / NOT, ``-word``, ``word*``.  Whoosh's
parser parses the structure only (no schema, no fields plugin: ``topic:x`` is a word);
each word, phrase and prefix is then analysed here with each language's analyser,
searched in that language's fields, and in the cross-script key fields at low weight;
glossary names are expanded across names and languages.  With expansion on, what only
one language's words can match — a phrase, a prefix, a number, a word matched in
another script — is a :class:`~indexer.engine.ranking.SameReport`: it finds every language
version of the reports it matches.

The parser is not trusted: it never raises, and marks trouble in ways that are easy
to miss (``"unclosed`` becomes the word ``"unclosed``, a lone ``*`` matches everything,
``AND OR`` becomes two words).  Anything of the kind makes the query fall back to its
plain words, and the plan says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice

from whoosh import query as wq
from whoosh.qparser import (
    BoostPlugin,
    EveryPlugin,
    FieldsPlugin,
    PlusMinusPlugin,
    QueryParser,
    RangePlugin,
)
from whoosh.reading import IndexReader

from indexer import schema
from indexer.analysis import (
    analyze,
    cross_script_keys,
    join_digit_groups,
    normalise_word,
    stem,
    stem_ru,
    words,
)
from indexer.dates import DateMention, bracket_dates, find_dates
from indexer.engine.ranking import SameReport
from indexer.glossary import Glossary
from indexer.languages import ALL_LANGS, Lang
from indexer.snippets import Terms

OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
MIN_PREFIX = 2
EXPANSION_BOOST = 0.5
PROXIMITY_SLOP = 3  # words this many positions apart or fewer count as near each other
PROXIMITY_BOOST = 0.5  # the weight of the words again, when they are near each other
MAX_CLAUSES = 600  # glossary expansion stops adding names past this many clauses
MAX_TERMS = 32  # words, phrases and prefixes searched; the rest of a query is ignored
MAX_PREFIX_TERMS = 64  # indexed terms one prefix may stand for, per field
MAX_PREFIX_WORDS = 256  # corpus words a prefix is matched against (their terms as above)
MONTH_SCORE = 1.0  # the score of a report for being of a month the query names
_SYNTAX_RE = re.compile(r'["()*?]')
_LATIN_RE = re.compile(r"[A-Za-z]")
_NUMBER_RE = re.compile(r"\d[\d.,]*")


def _parser() -> QueryParser:
    parser = QueryParser("_", schema=None)
    for plugin in (FieldsPlugin, RangePlugin, BoostPlugin, EveryPlugin):
        parser.remove_plugin_class(plugin)
    # "-word" excludes only at the start of a word: "survivor-centred" stays one word.
    parser.add_plugin(PlusMinusPlugin(minusexpr=r"(?<![^\s(])-(?=\S)"))
    return parser


_PARSER = _parser()


@dataclass
class QueryPlan:
    """A parsed query and what the rest of the search needs to know about it."""

    query: wq.Query | None = None
    expanded: list[str] = field(default_factory=list)
    fallback: bool = False
    words: list[str] = field(default_factory=list)
    marks: dict[Lang, set[str]] = field(default_factory=lambda: {x: set() for x in ALL_LANGS})
    prefixes: dict[Lang, set[str]] = field(default_factory=lambda: {x: set() for x in ALL_LANGS})
    keys: set[str] = field(default_factory=set)
    # Phrases and multi-word glossary names (index terms, in order): marked only whole.
    phrases: dict[Lang, set[tuple[str, ...]]] = field(
        default_factory=lambda: {x: set() for x in ALL_LANGS}
    )
    # Dates named in the query and searched as dates (see _Builder.date).
    dates: list[DateMention] = field(default_factory=list)
    clauses: int = 0
    truncated: bool = False  # a cost limit cut the query: results may be incomplete
    # Prefixes too short to search ("a*"), left out of the query, as typed.
    ignored: list[str] = field(default_factory=list)
    # Only excluded words ("-torture"): every document except those, in date order.
    only_excluded: bool = False

    def snippet_terms(self, lang: Lang) -> Terms:
        """What a snippet in ``lang`` marks for this query."""
        return Terms(
            frozenset(self.marks[lang]),
            frozenset(self.prefixes[lang]),
            frozenset(self.keys),
            frozenset(self.phrases[lang]),
        )


def prefix_stem(prefix: str, lang: Lang) -> str:
    """The stem a typed prefix stands for among ``lang``'s terms: its stem, and in
    Russian its Snowball stem (a lemma is a whole word: the dictionary would read
    «прав» of «прав*» as a word, not as the start of one)."""
    return stem_ru(prefix) if lang is Lang.RU else stem(prefix, lang)


def _text_clauses(lang: Lang, tokens: list[str], boost: float = 1.0) -> list[wq.Query]:
    """``tokens`` (one word, or words in order with at most one between) in the title
    and the summary of ``lang``, each field with its weight times ``boost``."""
    clauses: list[wq.Query] = []
    for name in (schema.title_field(lang), schema.summary_field(lang)):
        weight = schema.field_boosts()[name] * boost
        if len(tokens) == 1:
            clauses.append(wq.Term(name, tokens[0], boost=weight))
        else:
            clauses.append(wq.Phrase(name, tokens, slop=1, boost=weight))
    return clauses


class _Malformed(Exception):
    """The parsed structure cannot be trusted; fall back to plain words."""


class _Builder:
    def __init__(self, plan: QueryPlan, glossary: Glossary | None, reader: IndexReader | None):
        self.plan = plan
        self.glossary = glossary
        self.reader = reader
        self.leaves = 0

    def _budget(self) -> bool:
        """Count one more word, phrase or prefix; False once the query has too many."""
        self.leaves += 1
        if self.leaves > MAX_TERMS:
            self.plan.truncated = True
            return False
        return True

    def _prefix_terms(self, name: str, prefixes: list[str]) -> list[str]:
        """The indexed terms of ``name`` starting with any of ``prefixes``, at most a few."""
        found: dict[str, None] = {}
        for prefix in prefixes:
            for term in islice(self.reader.expand_prefix(name, prefix), MAX_PREFIX_TERMS + 1):
                found[term.decode("utf-8") if isinstance(term, bytes) else term] = None
        if len(found) > MAX_PREFIX_TERMS:
            self.plan.truncated = True
        return list(found)[:MAX_PREFIX_TERMS]

    def _words_beginning(self, prefix: str) -> list[str]:
        """The corpus's words (the spelling field's lexicon: every word of every title
        and summary, normalised, unstemmed) that begin with ``prefix``, at most a few."""
        if self.reader is None or schema.SPELLING not in self.reader.schema:
            return []
        # Past MAX_PREFIX_WORDS the prefix is short ("pr*") and the words' terms begin
        # with it (a stem or lemma of two letters or more begins like its word): the
        # expansion of the terms finds them, so the rest are not needed.
        return [
            t.decode("utf-8") if isinstance(t, bytes) else t
            for t in islice(self.reader.expand_prefix(schema.SPELLING, prefix), MAX_PREFIX_WORDS)
        ]

    # -- leaves ---------------------------------------------------------------------

    def _or(self, clauses: list[wq.Query]) -> wq.Query | None:
        self.plan.clauses += len(clauses)
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else wq.Or(clauses)

    def word(self, text: str, negated: bool) -> wq.Query | None:
        if text in OPERATORS or _SYNTAX_RE.search(text):
            raise _Malformed(text)
        if not self._budget():
            return None
        clauses: list[wq.Query] = []
        latin = bool(_LATIN_RE.search(text))
        for lang in ALL_LANGS:
            tokens = analyze(text, lang)
            if not tokens:
                continue
            if not negated:
                self.plan.marks[lang].update(tokens)
            clauses.extend(_text_clauses(lang, tokens))
            keys = cross_script_keys(text, lang)
            if keys:
                name = schema.key_field(lang)
                if not negated:
                    self.plan.keys.update(keys)
                terms = [wq.Term(name, k, boost=schema.KEY_BOOST) for k in dict.fromkeys(keys)]
                romanised = terms[0] if len(terms) == 1 else wq.And(terms)
                # A word typed in another script ("pytki" for «пытки») names what
                # the other versions of the report say in their own words.
                if latin != (lang is Lang.EN):
                    if self.own_word(text, latin):
                        continue  # "approach" is not «апрача» romanised
                    romanised = self.concept(romanised)
                clauses.append(romanised)
        if not negated:
            self.plan.words.extend(words(text))
        found = self._or(clauses)
        return self.concept(found) if _NUMBER_RE.fullmatch(text) else found

    def own_word(self, text: str, latin: bool) -> bool:
        """Whether ``text`` is a word of the corpus in its own script's languages
        (English for Latin letters, Belarusian or Russian for Cyrillic): such a word
        means itself, and its cross-script key would find false friends ("approach"
        and «апрача», "except", share a key).  Names in both scripts are the
        glossary's to join: a glossary name, or any word when names are not expanded
        (``expand`` off), is still searched by its key."""
        if self.reader is None or self.glossary is None or self.glossary.lookup([text]):
            return False
        own = (Lang.EN,) if latin else (Lang.BE, Lang.RU)
        for lang in own:
            for token in analyze(text, lang):
                field = schema.summary_field(lang)
                if (field, token) in self.reader or (
                    schema.title_field(lang),
                    token,
                ) in self.reader:
                    return True
        return False

    def phrase(self, text: str, langs: tuple[Lang, ...], negated: bool, boost: float = 1.0):
        if boost == 1.0 and not self._budget():
            return None
        clauses: list[wq.Query] = []
        for lang in langs:
            tokens = analyze(text, lang)
            if not tokens:
                continue
            if not negated and len(tokens) > 1:
                self.plan.phrases[lang].add(tuple(tokens))
            elif not negated:
                self.plan.marks[lang].update(tokens)
            clauses.extend(_text_clauses(lang, tokens, boost))
        return self._or(clauses)

    def prefix(self, text: str, negated: bool) -> wq.Query | None:
        base = normalise_word(text)
        if _SYNTAX_RE.search(base) or not base.isalnum():
            raise _Malformed(text)
        if len(base) < MIN_PREFIX:
            # "a*" would stand for a large part of the vocabulary: left out, and said so.
            self.plan.ignored.append(f"{text}*")
            return None
        if not self._budget():
            return None
        clauses: list[wq.Query] = []
        corpus_words = self._words_beginning(base)
        for lang in ALL_LANGS:
            candidates = sorted({base, prefix_stem(base, lang)} - {""})
            # The terms of the corpus's words that begin with the prefix: "prosecuti*"
            # names "prosecutions", whose stem "prosecut" is shorter than the prefix.
            of_words = sorted({stem(w, lang) for w in corpus_words} - {""})
            # Those the terms' own expansion does not find (most begin with the prefix).
            beyond = [t for t in of_words if not t.startswith(tuple(candidates))]
            if not negated:
                self.plan.prefixes[lang].update(candidates)
                self.plan.marks[lang].update(of_words)
            for name in (schema.title_field(lang), schema.summary_field(lang)):
                boost = schema.field_boosts()[name]
                if self.reader is None:
                    clauses.extend(wq.Prefix(name, c, boost=boost) for c in candidates)
                    continue
                # Expanded here rather than by Whoosh, so that the number of terms a
                # prefix may stand for is bounded ("a*" would otherwise be every word).
                terms = self._prefix_terms(name, candidates)
                terms += [t for t in beyond if t not in terms and (name, t) in self.reader]
                if len(terms) > MAX_PREFIX_TERMS:
                    self.plan.truncated = True
                clauses.extend(wq.Term(name, t, boost=boost) for t in terms[:MAX_PREFIX_TERMS])
        if not negated:
            self.plan.words.append(base)
        return self._or(clauses)

    def concept(self, query: wq.Query | None) -> wq.Query | None:
        """``query`` found in every language version of the reports it matches, when
        names are expanded across languages (``expand``)."""
        if query is None or self.glossary is None:
            return query
        return SameReport(query)

    # -- glossary -------------------------------------------------------------------

    def expansion(self, typed: list[str], original: wq.Query | None, negated: bool):
        """``original`` OR every other name of the concept ``typed`` names, if any."""
        if self.glossary is None or original is None:
            return original
        concept = self.glossary.lookup(typed)
        if concept is None:
            return original
        typed_text = " ".join(typed)
        alternatives = [original]
        for lang, name in concept.all_names():
            if self.plan.clauses > MAX_CLAUSES:
                self.plan.truncated = True
                break
            if analyze(name, lang) == analyze(typed_text, lang):
                continue
            # Latin-script names (ICC, OSCE) are also written in Cyrillic texts.
            langs = ALL_LANGS if _LATIN_RE.search(name) else (lang,)
            query = self.phrase(name, langs, negated, EXPANSION_BOOST)
            if query is not None:
                alternatives.append(query)
                if not negated and name not in self.plan.expanded:
                    self.plan.expanded.append(name)
        return self._or(alternatives) if len(alternatives) > 1 else original

    def date(self, mention: DateMention, negated: bool) -> wq.Query | None:
        """A date the query names (:mod:`indexer.dates`: "September 2024", «верасня 2024»,
        ``2024-09``, "1 April 2025", "Q3 2024", «осенью 2024», «за октябрь»).

        A date is read as a date, not as words: it matches the reports whose reporting
        period or publication falls in it (a day: whose period holds the day's month or
        that were published that day), every language version of them, each scored
        :data:`MONTH_SCORE`; the build indexes each summary's date keys
        (:func:`indexer.dates.report_date_keys`).  OR'ed with that, a month or a day
        written out in every language and case form with its year, as phrases
        ("september 2024", «верасня 2024», «26 студзеня 2025»), keeps what the words
        found before: a report that names a month outside its own dates (report 6's
        "since April 2021") is still found, and ranks above the reports found by date
        alone; the snippet marks where the text names it.

        OR rather than replacing the text match, and not as a filter: a date is one
        concept of the query, so "torture September 2025" needs both, and ``-2024-09``
        excludes the month's reports.  A quoted "September 2024" stays a phrase of words;
        a year alone ("2024") stays a word, and a number next to a month is its day, not
        a word.  This does not depend on ``expand``: it is how a date is read, not a
        glossary expansion.
        """
        if not self._budget():
            return None
        keys = [wq.Term(schema.MONTHS, key) for key in mention.keys()]
        clauses: list[wq.Query] = [
            wq.ConstantScoreQuery(keys[0] if len(keys) == 1 else wq.Or(keys), MONTH_SCORE)
        ]
        for lang in ALL_LANGS:
            phrases = sorted({tuple(analyze(name, lang)) for name in mention.names(lang)})
            for tokens in phrases:
                if not negated:
                    self.plan.phrases[lang].add(tokens)
                for name in (schema.title_field(lang), schema.summary_field(lang)):
                    boost = schema.field_boosts()[name]
                    clauses.append(wq.Phrase(name, list(tokens), boost=boost))
        if not negated:
            self.plan.words.extend(words(mention.text))
            self.plan.dates.append(mention)
        return self._or(clauses)

    def terms_run(self, texts: list[str], negated: bool) -> list[wq.Query]:
        """Queries for consecutive plain words: the dates named among them (see
        :meth:`date`), the glossary names among the others expanded."""
        built: list[wq.Query] = []
        i = 0
        for mention in find_dates(texts):
            built.extend(self.names_run(texts[i : mention.start], negated))
            query = self.date(mention, negated)
            if query is not None:
                built.append(query)
            i = mention.end
        built.extend(self.names_run(texts[i:], negated))
        return built

    def names_run(self, texts: list[str], negated: bool) -> list[wq.Query]:
        """Queries for consecutive plain words, expanding the glossary names among them."""
        if not texts:
            return []
        if self.glossary is None:
            return [q for q in (self.word(t, negated) for t in texts) if q is not None]
        built: list[wq.Query] = []
        i = 0
        for match in self.glossary.find(texts):
            built.extend(q for q in (self.word(t, negated) for t in texts[i : match.start]) if q)
            if match.end - match.start == 1:
                group = self.word(texts[match.start], negated)
            else:
                # A name of several words is searched as the phrase it is; each of its
                # words counts against MAX_TERMS, as it would on its own.
                name = " ".join(texts[match.start : match.end])
                counted = all([self._budget() for _ in range(match.end - match.start - 1)])
                group = self.phrase(name, ALL_LANGS, negated) if counted else None
                if not negated:
                    self.plan.words.extend(words(name))
            expanded = self.expansion(texts[match.start : match.end], group, negated)
            if expanded is not None:
                built.append(expanded)
            i = match.end
        built.extend(q for q in (self.word(t, negated) for t in texts[i:]) if q)
        return built

    # -- structure ------------------------------------------------------------------

    def build(self, node: wq.Query, negated: bool = False) -> wq.Query | None:
        if getattr(node, "error", None) is not None:
            raise _Malformed(str(node.error))
        if isinstance(node, wq.Term):
            built = self.terms_run([node.text], negated)
            return built[0] if built else None
        if isinstance(node, wq.Phrase):
            text = " ".join(node.words)
            original = self.phrase(text, ALL_LANGS, negated)
            if not negated:
                self.plan.words.extend(words(text))
            return self.concept(self.expansion(list(node.words), original, negated))
        if isinstance(node, wq.Prefix):
            return self.concept(self.prefix(node.text, negated))
        if isinstance(node, wq.Not):
            inner = self.build(node.query, negated=not negated)
            return wq.Not(inner) if inner is not None else None
        if isinstance(node, wq.AndNot):
            positive = self.build(node.a, negated)
            negative = self.build(node.b, not negated)
            if negative is None:
                return positive
            if positive is None:
                return wq.Not(negative)
            return wq.AndNot(positive, negative)
        if isinstance(node, wq.AndMaybe):
            required = self.build(node.a, negated)
            optional = self.build(node.b, negated)
            if required is None or optional is None:
                return required or optional
            return wq.AndMaybe(required, optional)
        if isinstance(node, wq.And | wq.Or):
            return self.compound(node, negated)
        # Every ("*"), wildcards other than a trailing "*", null queries, anything new.
        raise _Malformed(type(node).__name__)

    def proximity(self, texts: list[str]) -> wq.Query | None:
        """A bonus for unquoted words found near each other, in order, in one field:
        the words as a sloppy phrase (:data:`PROXIMITY_SLOP`) in each language."""
        clauses: list[wq.Query] = []
        for lang in ALL_LANGS:
            tokens = analyze(" ".join(texts), lang)
            if len(tokens) < 2:
                continue
            for name in (schema.title_field(lang), schema.summary_field(lang)):
                weight = schema.field_boosts()[name] * PROXIMITY_BOOST
                clauses.append(wq.Phrase(name, tokens, slop=PROXIMITY_SLOP, boost=weight))
        return self._or(clauses)

    def compound(self, node: wq.CompoundQuery, negated: bool) -> wq.Query | None:
        children: list[wq.Query] = []
        run: list[str] = []
        runs: list[list[str]] = []
        glue_words = isinstance(node, wq.And)
        for child in node.subqueries:
            if glue_words and isinstance(child, wq.Term) and getattr(child, "error", None) is None:
                run.append(child.text)
                continue
            if run:
                children.extend(self.terms_run(run, negated))
                runs.append(run)
                run = []
            built = self.build(child, negated)
            if built is not None:
                children.append(built)
        if run:
            children.extend(self.terms_run(run, negated))
            runs.append(run)
        if not children:
            return None
        if len(children) == 1:
            return self.near(children[0], runs, negated)
        if isinstance(node, wq.And):
            return self.near(wq.And(children), runs, negated)
        return wq.Or(children)

    def near(self, query: wq.Query, runs: list[list[str]], negated: bool) -> wq.Query:
        """``query``, scoring higher where each run of two or more words is close."""
        if negated:
            return query
        bonuses = [self.proximity(run) for run in runs if len(run) > 1]
        bonuses = [b for b in bonuses if b is not None]
        if not bonuses:
            return query
        return wq.AndMaybe(query, bonuses[0] if len(bonuses) == 1 else wq.Or(bonuses))


# What Whoosh's parser raises on some operator sequences instead of marking an error
# node: "NOT -torture AND torture" gives an IndexError from an empty group.
_PARSER_CRASHES = (
    AssertionError,
    AttributeError,
    IndexError,
    KeyError,
    NotImplementedError,
    TypeError,
    ValueError,
)


def _parse(text: str) -> wq.Query:
    try:
        # Not normalised: normalising drops a repeated word from an AND ("Office of the
        # Prosecutor of the ICC" would lose its second "of the"), breaking typed names.
        raw = _PARSER.parse(text, normalize=False)
        if isinstance(raw, wq.AndNot) and not _has_terms(raw.a) and _has_terms(raw.b):
            # Whoosh would reduce "-torture" alone (an AndNot of nothing) to a null
            # query: it means every document except those, as "NOT torture" does.
            return wq.Not(raw.b.normalize())
        return raw
    except _PARSER_CRASHES as exc:
        raise _Malformed(repr(exc)) from exc


def _has_terms(node: wq.Query) -> bool:
    """Whether an unnormalised parse holds any word, phrase or prefix."""
    if node.is_leaf():
        return node is not wq.NullQuery and not isinstance(node, type(wq.NullQuery))
    return any(_has_terms(child) for child in node.children())


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0 and text.count('"') % 2 == 0


def plan_query(
    text: str, glossary: Glossary | None = None, reader: IndexReader | None = None
) -> QueryPlan:
    """Parse ``text`` into a :class:`QueryPlan`; never raises on any input.

    An empty query gives ``plan.query is None`` (browse everything).  A malformed one
    (unbalanced quotes or brackets, a dangling operator, a lone ``*``, a wildcard in the
    middle of a word) is searched as its plain words, with ``plan.fallback`` set.
    A number written with spaces between its digit groups ("30 000", also with a
    no-break or thin space) is one word, as the analysers index it.
    """
    plan = QueryPlan()
    if not text.strip():
        return plan
    text = bracket_dates(join_digit_groups(text), OPERATORS, _SYNTAX_RE)
    try:
        if not _balanced(text):
            raise _Malformed("unbalanced")
        plan.query = _Builder(plan, glossary, reader).build(_parse(text))
    except _Malformed:
        plan = QueryPlan(fallback=True)
        typed = _SYNTAX_RE.sub(" ", text).split()
        plain = [w for w in typed if w not in OPERATORS]
        # "-word" still excludes: searching it would find the opposite of what was asked.
        # Not after a NOT ("NOT -torture" is a double negation) nor beside the word itself.
        excluded = [w.lstrip("+-") for w in plain if w.startswith("-") and w.lstrip("+-")]
        plain = [w.lstrip("+") for w in plain if not w.startswith("-") and w.lstrip("+")]
        if "NOT" in typed:
            plain, excluded = plain + excluded, []
        excluded = [w for w in excluded if w not in plain]
        builder = _Builder(plan, glossary, reader)
        built = builder.terms_run(plain, negated=False)
        plan.query = (built[0] if len(built) == 1 else wq.And(built)) if built else None
        negatives = builder.terms_run(excluded, negated=True)
        if negatives:
            negative = negatives[0] if len(negatives) == 1 else wq.Or(negatives)
            plan.query = wq.AndNot(plan.query, negative) if plan.query else wq.Not(negative)
    if plan.query is None:
        # Text was typed but nothing in it can be searched ("!!!", "*"): match nothing.
        plan.query = wq.NullQuery
    plan.only_excluded = isinstance(plan.query, wq.Not)
    return plan
