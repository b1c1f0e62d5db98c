"""A Belarusian stemmer: suffix stripping plus spelling folds, written for this project.

No public Belarusian stemmer exists.  This one works on a word already normalised by
:func:`indexer.analysis.normalise_word` (lower case, ``ё`` -> ``е``, word-initial ``ў``
-> ``у``, apostrophe ``'``) and returns a search key, not a linguistic root:

1. Words of one or two letters, words with a character that is not a Belarusian letter
   (Latin, digits), and uninflected function words are returned unchanged.
2. A handful of suppletive or irregular forms (personal pronouns, ``людзі``, ``будзе``)
   are replaced by the word whose stem they share; closed paradigms (pronominal
   adjectives, irregular verbs and verbs with a two-letter root) get their citation form
   as key, so ``быў`` gives ``быць`` and never meets the particle ``бы``.
3. The reflexive particle is taken off (``-ся``; ``-цца`` is ``-ць`` + ``-ся``) and
   remembered: a reflexive verb keeps a final ``ся`` on its stem, because it is usually
   a different word (``збірацца`` "to be about to" against ``збіраць`` "to collect").
4. The longest inflectional ending of a noun, adjective (participle) or verb that lies
   after the first vowel (Snowball's RV region) and leaves at least three letters is
   removed; verb endings include the theme vowel, so ``збіраць``, ``збірае``,
   ``збіралі`` all give ``збір``.  The suffix ``-ава-``/``-ява-`` of the infinitive
   and past alternates with ``-уй-``/``-юй-`` of the present, so both give the root
   plus ``у``/``ю`` (``працаваць``, ``працуе`` -> ``працу``), apart from the noun
   (``праца`` -> ``прац``).
5. Consonant alternations undone before the endings that cause them; a stem-final
   ``і``/``ы``/``е`` of j-stems dropped.
6. The stem is folded (:func:`fold`) so that spellings and alternations meet: soft sign
   dropped (classical spelling ``сьнег`` meets ``снег``), ``э`` -> ``е``, akanne
   ``о`` -> ``а``, ``ў`` -> ``в``, fleeting vowels and stem-final clusters simplified.

The stem is a key for matching: it is not always a prefix of the word (see
:func:`stem`).  Everything here is a module-level function, so Whoosh can pickle the
analysers that use it.
"""

from __future__ import annotations

from functools import lru_cache

VOWELS = frozenset("аеіоуыэюя")
_LETTERS = frozenset("абвгдежзійклмнопрстуўфхцчшыьэюяё'-")

# Uninflected words (conjunctions, particles, prepositions, adverbs), already normalised.
# They are never stemmed: the particle "гэта" cut to "гэт" would meet "гэты", "гэтага".
FUNCTION_WORDS = frozenset(
    """
    ды ці ні але або альбо ані бо каб калі як так таксама нібы быццам бы ж жа то ну вось
    гэта нават толькі ужо яшчэ там тут дзе куды адкуль тады цяпер зараз потым пасля раней
    заўсёды ніколі часта вельмі больш менш лепш горш разам таму чаму навошта амаль зусім
    проста хутка многа мала шмат трохі крыху
    да на па за пад над перад пра праз пры для без каля ля ад са ва аб паміж сярод акрамя
    апроч замест нягледзячы дзякуючы паводле насупраць
    """.replace("ё", "е").split()
)

# Suppletive and irregular forms -> the word whose stem they take (from the grammar:
# personal pronouns, "будзе" of "быць", "людзі" of "чалавек").  A paradigm that lists
# its own citation form is closed: the citation form itself is the key of every form,
# so a short root cannot meet an unrelated word ("быў" -> "быць", never "бы", which is
# the particle; "якая" -> "які", never "як", which is the adverb).
IRREGULAR = {
    **dict.fromkeys("мяне мне мной мною".split(), "я"),
    **dict.fromkeys("цябе табе табой табою".split(), "ты"),
    # Personal pronouns of the third person: each of ён, яна, яно, яны is its own word.
    **dict.fromkeys("ен яго яму".split(), "ен"),
    **dict.fromkeys("яна яе ей ею".split(), "яна"),
    **dict.fromkeys("яно".split(), "яно"),
    **dict.fromkeys("нас нам намі".split(), "мы"),
    **dict.fromkeys("вас вам вамі".split(), "вы"),
    **dict.fromkeys("яны іх імі".split(), "яны"),
    **dict.fromkeys("сябе сабе сабой сабою".split(), "сябе"),
    **dict.fromkeys("хто каго каму кім".split(), "хто"),
    **dict.fromkeys("што чаго чым".split(), "што"),
    # Pronominal adjectives decline with short roots that meet adverbs: які / як, такі /
    # так, той / то, увесь (усе, усіх) / ус-.  Forms used as adverbs (таму "therefore",
    # чаму "why") stay in FUNCTION_WORDS.
    **dict.fromkeys("які якая якое якія якога якой якому якую якім якіх якімі якою".split(), "які"),
    **dict.fromkeys(
        "такі такая такое такія такога такой такому такую такім такіх такімі такою".split(),
        "такі",
    ),
    **dict.fromkeys("той тая тое тыя таго тым тую тою тых тымі".split(), "той"),
    **dict.fromkeys("увесь уся усе усяго усей усяму усю усім усіх усімі усею".split(), "увесь"),
    # Irregular verbs and verbs whose root is two letters (бы-, ма-, да-, ста-): the
    # root alone would meet the particle "бы", the possessive "мая", the preposition "да".
    **dict.fromkeys(
        """быць быў была было былі быўшы буду будзеш будзе будзем будзеце будуць будзь
        будзьце будучы есць есьць""".split(),
        "быць",
    ),
    **dict.fromkeys(
        "мець маю маеш мае маем маеце маюць меў мела мело мелі мей майце маючы".split(),
        "мець",
    ),
    **dict.fromkeys(
        "даць дам дасі дасць дадзім дасце дадуць даў дала дало далі дай дайце даўшы".split(),
        "даць",
    ),
    **dict.fromkeys(
        """даваць даю даеш дае даем даяце даюць даваў давала давало давалі давай
        давайце даючы""".split(),
        "даваць",
    ),
    **dict.fromkeys(
        "стаць стану станеш стане станем станеце стануць стаў стала стало сталі стань".split(),
        "стаць",
    ),
    **dict.fromkeys(
        """стаяць стаю стаіш стаіць стаім стаіце стаяў стаяла стаяло стаялі стой стойце
        стоячы""".split(),
        "стаяць",
    ),
    **dict.fromkeys(
        "магчы магу можаш можа можам можаце могуць мог магла магло маглі".split(), "магчы"
    ),
    **dict.fromkeys(
        "хацець хачу хочаш хоча хочам хочаце хочуць хацеў хацела хацело хацелі".split(),
        "хацець",
    ),
    # Fleeting vowel of a three-letter root: дзень, дня, дні, днем.
    **dict.fromkeys("дзень дня дню днем дні дзен дням днямі днях".split(), "дзень"),
    **dict.fromkeys("людзі людзей людзям людзьмі людзях".split(), "чалавек"),
    **dict.fromkeys("дзеці дзяцей дзецям дзецьмі дзецях".split(), "дзіця"),
}

_NOUN = "а я о е э ы і у ю ь ой ай ей яй ою аю ею яю ом ам ем ям аў яў оў еў амі ямі ьмі ах ях ох"
_ADJECTIVE = "ая яя ое ае яе ога ага яга ому аму яму ым ім ай ой яй ую юю ыя ія ых іх ымі імі"
_VERB = (
    "ць ці чы ю у еш эш ыш іш е э ем эм ім ым іце ыце юць уць аць яць ыць іць "
    "ў ла ло лі й йце ючы учы ячы ачы ўшы еце"
)
# Verb endings with the theme vowel: збіра-ць, рабі-ла, падрыхтава-ў.  The present
# "-уе" of -ава- verbs keeps its "у" (see _AVA_KEY); "-еце" is listed only after у, ю
# (працуеце), so that the locative "-еце" of свеце, прадмеце is not taken for it.
_THEME_PAST = [t + e for t in "аяеіы" for e in "ць ў ла ло лі ўшы".split()]
_THEME_PRESENT = [t + e for t in "ая" for e in "е еш ем еце ю юць й йце ючы".split()]
_THEME_AVA = [t + e for t in ("ава", "ява", "ова") for e in "ць ў ла ло лі ўшы".split()]

# -ава- / -ява- (infinitive, past) alternates with -уй- / -юй- (present): працава-ць,
# працуj-е; малява-ць, малюj-е.  Both get the root plus "у" / "ю" ("працу", "малю"),
# which the present reaches by losing only its ending, and which keeps the verb apart
# from its noun ("праца" -> "прац", "рада" -> "рад").
_AVA_ENDINGS = frozenset(_THEME_AVA)
_AVA_KEY = {"а": "у", "о": "у", "я": "ю"}

ENDINGS: tuple[str, ...] = tuple(
    sorted(
        set(_NOUN.split())
        | set(_ADJECTIVE.split())
        | set(_VERB.split())
        | set(_THEME_PAST + _THEME_PRESENT + _THEME_AVA),
        key=lambda e: (-len(e), e),
    )
)

# Endings that only count after certain letters.  Infinitive "-ці" follows с, з, р
# (несці, везці, памерці) but not ц ("жыцці" is the noun жыццё); infinitive "-чы"
# follows г, к (магчы) but not "лічы" (imperative); "-ць" follows a vowel or ь; the
# gerund "-ачы" follows ж, ш, ч, р (гаворачы) but "справаздачы" is a noun.
_ENDING_RANK = {ending: i for i, ending in enumerate(ENDINGS)}
_ENDING_LENGTHS = sorted({len(ending) for ending in ENDINGS}, reverse=True)
_PRECEDED_BY = {"ці": "сзр", "чы": "гк", "ць": "аеіоуыэюяь", "ачы": "жшчр", "еце": "ую"}

# The bare past "-ла", "-ло", "-лі" (несла, узялі, дасягнула) is not taken after "у" or
# "о", where it is the genitive or plural of a noun in -ул, -ол (артыкула, консула,
# футбола), except in the "-нул-" past of "-нуць" verbs (дасягнулі, прыцягнула).
_PAST_L = frozenset({"ла", "ло", "лі"})


def _noun_in_l(word: str, ending: str) -> bool:
    before = word[: -len(ending)]
    return ending in _PAST_L and before[-1:] in ("у", "о") and not before.endswith("ну")


_LETTER_FOLDS = str.maketrans({"ь": None, "э": "е", "о": "а", "ў": "в"})


def _region_start(word: str) -> int:
    """Index after the first vowel: endings may only be removed from there on."""
    for i, ch in enumerate(word):
        if ch in VOWELS:
            return i + 1
    return len(word)


def _strip_reflexive(word: str) -> tuple[str, bool]:
    # Before -ся the 3rd person "-ць" is written "-цца": займаецца = займае + ся (the
    # plain 3sg has no -ць), займаюцца = займаюць + ся, займацца = займаць + ся.
    if word.endswith("ецца") and len(word) > 5:
        return word[:-3], True
    if word.endswith("цца") and len(word) > 5:
        return word[:-3] + "ць", True
    if word.endswith("ся") and len(word) > 4:
        return word[:-2], True
    return word, False


def _strip_ending(word: str) -> tuple[str, str]:
    # A stem keeps at least three letters: Belarusian roots are almost all of three or
    # more, and a two-letter remainder meets unrelated short words and roots ("сайце"
    # would lose "-йце" and give "са", the preposition; "волі" would give "ва").  The
    # few verbs with a two-letter root (даць, мець, стаць) are in the IRREGULAR table.
    start = max(_region_start(word), 3)
    # The endings the word ends with, in the order of ENDINGS (a lookup per length
    # instead of trying each of the hundred endings).
    found = {_ENDING_RANK[word[-n:]] for n in _ENDING_LENGTHS if word[-n:] in _ENDING_RANK}
    for ending in (ENDINGS[i] for i in sorted(found)):
        if len(word) - len(ending) >= start:
            allowed = _PRECEDED_BY.get(ending)
            if allowed and word[-len(ending) - 1] not in allowed or _noun_in_l(word, ending):
                continue
            return word[: -len(ending)], ending
    return word, ""


def _undo_alternation(base: str, ending: str) -> str:
    # т -> ц' before a soft е: канцэрт, у канцэрце (not the doubled цц of жыцце).
    if ending == "е" and base.endswith("ц") and not base.endswith("цц"):
        return base[:-1] + "т"
    # к -> ц before a hard э: рака, на рацэ.
    if ending == "э" and base.endswith("ц"):
        return base[:-1] + "к"
    # A sibilant doubles before the instrumental -ю of soft feminines: Беларусь, Беларуссю.
    if ending == "ю" and len(base) > 3 and base[-1] == base[-2] and base[-1] in "сзшжч":
        return base[:-1]
    # д -> дз before е: суд, у судзе (not the doubled ддз of асяроддзе).
    if ending == "е" and base.endswith("дз") and not base.endswith("ддз"):
        return base[:-2] + "д"
    return base


def _drop_stem_vowel(base: str) -> str:
    # j-stems keep a vowel before the ending: акцыя, акцыі, акцыю, акцыяй -> акцы / акц.
    if len(base) > max(_region_start(base), 3) and base[-1] in "іые" and base[-2] not in VOWELS:
        return base[:-1]
    return base


def fold_letters(text: str) -> str:
    """Apply the letter folds of :func:`fold` to any text, character by character.

    Soft sign dropped (classical spelling "сьнег" meets "снег"), "э" -> "е" ("газэта"
    meets "газета"), akanne "о" -> "а" ("горад" meets "гарады"), "ў" -> "в" ("узровень"
    meets "узроўні").  ``fold_letters(a + b) == fold_letters(a) + fold_letters(b)``.
    """
    return text.translate(_LETTER_FOLDS)


def fold(base: str) -> str:
    """Fold a stem so that spelling variants and alternating forms meet.

    First :func:`fold_letters`; then, at the stem end: trailing apostrophe or hyphen
    dropped, "сц" -> "с" (адказнасць / адказнасці), a fleeting vowel dropped before к,
    ц, н (выпадак / выпадку, верасень / верасня), "-аг" of feminine "-ога" nouns
    dropped, consonant + ц -> consonant + к (частка / частцы).  Only the last letter of
    the result can differ from a prefix of ``fold_letters(base)``.
    """
    s = fold_letters(base).rstrip("'-")
    if s.endswith("сц"):
        s = s[:-1]
    # Fleeting vowel: выпадак / выпадку, канец / канца, верасень / верасня.
    if (
        len(s) > 4
        and s[-3] not in VOWELS
        and (s[-2] == "е" and s[-1] in "кцн" or s[-2] == "а" and s[-1] in "кц")
        and any(c in VOWELS for c in s[:-3])
    ):
        s = s[:-2] + s[-1]
    # Feminine nouns in -ога meet their other cases (the bare "-ога" is taken as the
    # adjective ending of маладога): дапамога / дапамогі, дарога / дарогу.
    if s.endswith("аг") and len(s) >= 5:
        s = s[:-2]
    # к -> ц after a consonant before the dative/locative ending: частка, у частцы.
    if len(s) > 3 and s[-1] == "ц" and s[-2] not in VOWELS and s[-2] not in "сц":
        s = s[:-1] + "к"
    return s


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Return the stem of a normalised Belarusian word (never empty for a non-empty word).

    Forms of one word get one stem: "катаванне", "катаванні", "катаванняў" -> "катаванн".
    Unchanged: words of at most two letters, words containing anything but Belarusian
    letters, apostrophe and hyphen, and :data:`FUNCTION_WORDS`.  A word of a closed
    paradigm in :data:`IRREGULAR` gets its citation form ("была" -> "быць").  Otherwise,
    for a word not in :data:`IRREGULAR`: the result is ``core`` or, for a reflexive verb,
    ``core + "ся"``, and ``core[:-1]`` is a prefix of ``fold_letters(word)`` (only the
    last letter may be an alternation partner).  Not idempotent: a stem can look like
    an inflected word ("атрым" -> "атр").  Never raises on a ``str``.
    """
    if len(word) <= 2 or not _LETTERS.issuperset(word) or word in FUNCTION_WORDS:
        return word
    if word in IRREGULAR:
        target = IRREGULAR[word]
        if target in IRREGULAR:  # a closed paradigm: its citation form is the key
            return target
        word = target
    word, reflexive = _strip_reflexive(word)
    base, ending = _strip_ending(word)
    if ending in _AVA_ENDINGS:
        base += _AVA_KEY[ending[0]]
    elif not reflexive:
        base = _undo_alternation(base, ending)
    base = _drop_stem_vowel(base)
    result = fold(base) or word
    return result + "ся" if reflexive else result
