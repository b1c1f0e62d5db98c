"""``iapb-index``: check the corpus, build the index, verify it, search it from a terminal.

Exit status: 0 on success, 1 when the corpus is invalid or the index is unusable or
damaged, 2 for bad command-line arguments.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from indexer.build import build_index
from indexer.corpus.glossarycheck import common_word_names
from indexer.corpus.importer import SOURCE_URL, add_full_report, import_page
from indexer.corpus.load import load_corpus, unaligned_paragraphs
from indexer.corpus.page import PageError, parse_page, read_page_blocks
from indexer.corpus.pdftext import FullTextError
from indexer.engine.derived import outdated
from indexer.engine.generation import SearchIndex
from indexer.engine.layout import DEFAULT_INDEX_DIR, current_generation, read_meta
from indexer.engine.manifest import verify_generation
from indexer.errors import CorpusError, IndexUnavailable, QueryError
from indexer.figures.commands import add_commands as add_figure_commands
from indexer.figures.commands import answer_line, check_figures
from indexer.languages import ALL_LANGS, Lang
from indexer.records import DEFAULT_PER_PAGE, Collapse, SearchRequest, SortOrder
from indexer.search import search


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        width = 30
        filled = width * done // max(total, 1)
        bar = "#" * filled + "-" * (width - filled)
        end = "\n" if done >= total else ""
        print(f"\r[{bar}] {done}/{total} documents", end=end, file=sys.stderr, flush=True)
        if done >= total:
            # Whoosh sorts and writes the postings after the last document: no progress
            # is reported for that part, a large one on big corpora.
            print("writing segments…", file=sys.stderr, flush=True)


def _report_corpus_error(error: CorpusError) -> int:
    for problem in error.problems:
        print(f"error: {problem}", file=sys.stderr)
    count = len(error.problems)
    print(f"{count} problem{'s' if count != 1 else ''} in the corpus", file=sys.stderr)
    return 1


def _check(args: argparse.Namespace) -> int:
    try:
        corpus = load_corpus(args.corpus)
        unaligned = unaligned_paragraphs(corpus)
        if unaligned:
            raise CorpusError(unaligned)
        figures = check_figures(args.corpus, corpus)
    except CorpusError as error:
        return _report_corpus_error(error)
    common = common_word_names(corpus, args.corpus)
    if common:
        return _report_corpus_error(CorpusError(common))
    print(
        f"corpus OK: {len(corpus.reports)} reports, {len(corpus.topics)} topics, "
        f"{len(corpus.glossary)} glossary concepts; {figures}"
    )
    for report in corpus.reports:
        if report.proposed:
            fields = " and ".join(report.proposed)
            _notice(
                f"{report.source}: {fields} proposed by import-page; "
                "review, then delete `proposed:`"
            )
        if len(report.summaries) < len(ALL_LANGS):
            missing = ", ".join(lang.value for lang in ALL_LANGS if lang not in report.summaries)
            _notice(f"{report.source}: no {missing} text yet")
    return 0


def _notice(message: str) -> None:
    print(f"note: {message}", file=sys.stderr, flush=True)


def _build(args: argparse.Namespace) -> int:
    try:
        info = build_index(
            args.corpus, args.out, if_stale=args.if_stale, progress=_progress, notice=_notice
        )
    except CorpusError as error:
        print("build aborted: the index in service is unchanged", file=sys.stderr)
        return _report_corpus_error(error)
    except FullTextError as error:
        print(f"error: {error}", file=sys.stderr)
        print("build aborted: the index in service is unchanged", file=sys.stderr)
        return 1
    except OSError as error:
        # Read-only or full disk, a path that is a file: one line, not a traceback.
        where = error.filename or args.out
        cause = error.strerror or str(error)
        print(f"error: cannot build the index: {where}: {cause}", file=sys.stderr)
        return 1
    if not info.built:
        print(f"index is up to date: generation {info.generation} at {info.path}")
        return 0
    print(
        f"indexed {info.documents} documents ({info.reports} reports, one per language) "
        f"in {info.seconds:.2f} s: generation {info.generation} at {info.path}"
    )
    full = info.fulltext
    if full is not None and full.pdfs:
        print(
            f"full text: {full.pdfs} full-report PDFs, {full.pages} pages, {full.passages} passages"
        )
        for scan in full.scans:
            print(f"warning: {scan}", file=sys.stderr)
    return 0


def _import_page(args: argparse.Namespace) -> int:
    lang = Lang(args.lang)
    try:
        blocks, page_text = read_page_blocks(args.file)
        print(page_text.describe(args.file))
        pages = parse_page(blocks, lang, str(args.file))
        result = import_page(
            args.corpus,
            pages,
            lang,
            dry_run=args.dry_run,
            update=args.update,
            source_url=args.source_url,
        )
    except OSError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except PageError as error:
        for line, message in error.problems:
            print(f"error: {error.path}:{line}: {message}", file=sys.stderr)
        return 1
    except CorpusError as error:
        return _report_corpus_error(error)
    would = "would write" if args.dry_run else "wrote"
    for number in result.new:
        proposed = result.proposed[number]
        print(f"new report {number}: {would} reports/{number:02d}.yaml ({lang.value} only)")
        print(f"  proposed topics (review them): {', '.join(proposed['topics'])}")
        if "period" in proposed:
            period = proposed["period"]
            print(
                f"  proposed period (not found in the summary): {period['start']}..{period['end']}"
            )
        print(f"  its figures: iapb-index figures suggest --report {number}")
    for number, found in result.changed.items():
        action = ("would update" if args.dry_run else "updated") if args.update else "unchanged"
        print(f"report {number} differs from the page ({action}):")
        for line in found:
            print(f"  {line}")
    if not result.new and not result.changed:
        print("the corpus already has every report on the page")
    elif result.changed and not args.update:
        print("run again with --update to take the page's text for the reports above")
    return 0


def _add_full_report(args: argparse.Namespace) -> int:
    lang = Lang(args.lang)
    try:
        path, text = add_full_report(
            args.corpus, args.number, lang, Path(args.pdf), url=args.url, title=args.title
        )
    except CorpusError as error:
        return _report_corpus_error(error)
    except (LookupError, FullTextError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    name = f"full/{args.number:02d}-{lang.value}.pdf"
    print(f"{name}: {len(text.pages)} pages, named in {path} (full_report.{lang.value}.file)")
    if text.empty_pages:
        print(
            f"warning: {text.empty_pages} of {len(text.pages)} pages have no extractable text",
            file=sys.stderr,
        )
    print("next: iapb-index check && iapb-index build")
    return 0


def _verify(args: argparse.Namespace) -> int:
    directory = Path(args.index)
    current = current_generation(directory)
    generations = sorted(
        (p for p in directory.glob("gen-*") if p.is_dir() and not p.name.endswith(".tmp")),
        reverse=True,
    )
    problems = outdated_found = 0
    if current is not None and not current.is_dir():
        print(f"error: {directory}/current names {current.name}, which is missing", file=sys.stderr)
        problems += 1
    if not generations:
        print(f"error: no index generation in {directory} (run: iapb-index build)", file=sys.stderr)
        return 1
    for generation in generations:
        label = generation.name + (" (current)" if generation == current else "")
        try:
            done = verify_generation(generation)
        except (OSError, ValueError) as error:
            cause = (
                f"{error.strerror}: {error.filename}" if getattr(error, "filename", None) else error
            )
            print(f"error: {label} is damaged: {cause}", file=sys.stderr)
            problems += 1
            continue
        how = "checksums match" if done.checksums else "sizes match (built without checksums)"
        print(f"{label}: {how}, {done.files} files, {done.bytes / 1e6:.1f} MB")
        why = outdated(read_meta(generation))
        if why is not None:
            print(f"error: {label} is not served: {why}: rebuild the index", file=sys.stderr)
            outdated_found += 1
    if problems:
        print(
            "a damaged generation is not served (the newest older intact one is); a process "
            "that opened it earlier serves it until it restarts: run iapb-index build",
            file=sys.stderr,
        )
    if outdated_found:
        print(
            "run: iapb-index build (a generation built by an older version is not served)",
            file=sys.stderr,
        )
    return 1 if problems or outdated_found else 0


def _search(args: argparse.Namespace) -> int:
    request = SearchRequest(
        q=args.query.strip(),
        langs=tuple(dict.fromkeys(args.lang or ())),
        years=tuple(sorted(set(args.year or ()), reverse=True)),
        topics=tuple(dict.fromkeys(args.topic or ())),
        year_from=args.year_from,
        year_to=args.year_to,
        date_from=args.date_from,
        date_to=args.date_to,
        sort=args.sort,
        page=args.page,
        per_page=args.per_page,
        collapse=Collapse.REPORT if args.collapse else Collapse.NONE,
        verbatim=args.verbatim,
        ui_lang=args.hl,
    )
    try:
        result = search(SearchIndex(args.index), request.check())
    except QueryError as error:
        print(f"error: {error.param}: {error.message}", file=sys.stderr)
        return 2
    except IndexUnavailable as error:
        print(f"error: {error.detail}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return 0
    print(f"{result.total} results for {request.q!r}" + (" (as plain words)" * result.fallback))
    if result.answer is not None:
        print(answer_line(result.answer))
    if result.corrected:
        reason = result.corrected.reason.value
        print(f"showing results for {result.corrected.target!r} ({reason} correction)")
    if result.expanded:
        print("also searched: " + ", ".join(result.expanded))
    if result.dates:
        print("read as dates: " + ", ".join(_date_read(span) for span in result.dates))
    if result.suggestion:
        print(f"did you mean: {result.suggestion}")
    if result.relaxed_dropped is not None and result.hits:
        print("no report holds every word: partial matches")
    for hit in result.hits:
        print(f"\n[{hit.id}] {hit.date.isoformat()} {hit.title}  ({hit.score:.2f})")
        print(f"    {hit.snippet}")
        if hit.missing:
            print("    missing: " + ", ".join(hit.missing))
        for passage in hit.passages:
            print(f"    p. {passage.page}: {passage.snippet}")
    for facet, counts in result.facets.items():
        shown = ", ".join(f"{c.label}{'*' if c.selected else ''} {c.count}" for c in counts)
        print(f"{facet.value}: {shown}")
    return 0


def make_parser() -> argparse.ArgumentParser:
    """The argument parser of ``iapb-index``."""
    parser = argparse.ArgumentParser(prog="iapb-index", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="validate the corpus")
    check.add_argument("--corpus", default="corpus", help="corpus directory (default: corpus)")
    check.set_defaults(run=_check)

    build = commands.add_parser("build", help="build a new index generation and swap it in")
    build.add_argument("--corpus", default="corpus", help="corpus directory (default: corpus)")
    build.add_argument(
        "--out", default=DEFAULT_INDEX_DIR, help=f"index directory (default: {DEFAULT_INDEX_DIR})"
    )
    build.add_argument(
        "--if-stale", action="store_true", help="do nothing when the index is up to date"
    )
    build.set_defaults(run=_build)

    page = commands.add_parser(
        "import-page", help="add the reports of the IAPB's progress-reports page to the corpus"
    )
    page.add_argument("file", help="the page saved as text or HTML")
    page.add_argument("--lang", required=True, choices=["en", "be", "ru"], help="page language")
    page.add_argument("--corpus", default="corpus", help="corpus directory (default: corpus)")
    page.add_argument("--dry-run", action="store_true", help="report, write nothing")
    page.add_argument(
        "--update", action="store_true", help="rewrite reports that differ from the page"
    )
    page.add_argument("--source-url", default=SOURCE_URL, help="the page's address, for notes")
    page.set_defaults(run=_import_page)

    pdf = commands.add_parser(
        "add-full-report", help="copy a full report's PDF into the corpus and name it"
    )
    pdf.add_argument("number", type=int, help="report number, e.g. 10")
    pdf.add_argument("lang", choices=["en", "be", "ru"], help="language of the PDF")
    pdf.add_argument("pdf", help="the PDF file")
    pdf.add_argument("--url", help="the publisher's address of the PDF")
    pdf.add_argument("--title", help="its link text (default: kept, or 'Full report')")
    pdf.add_argument("--corpus", default="corpus", help="corpus directory (default: corpus)")
    pdf.set_defaults(run=_add_full_report)

    verify = commands.add_parser(
        "verify",
        help="hash every file of every generation against its manifest (opening a "
        "generation hashes only the files changed since they were last verified)",
    )
    verify.add_argument(
        "--index", default=DEFAULT_INDEX_DIR, help=f"index directory (default: {DEFAULT_INDEX_DIR})"
    )
    verify.set_defaults(run=_verify)

    find = commands.add_parser("search", help="search the index")
    find.add_argument("query", help='query text, e.g. ICC or "Moscow Mechanism"')
    find.add_argument(
        "--index", default=DEFAULT_INDEX_DIR, help=f"index directory (default: {DEFAULT_INDEX_DIR})"
    )
    find.add_argument(
        "--lang", action="append", type=Lang, choices=ALL_LANGS, help="language filter (repeatable)"
    )
    find.add_argument("--year", action="append", type=int, help="year filter (repeatable)")
    find.add_argument("--topic", action="append", help="topic filter (repeatable)")
    find.add_argument("--year-from", type=int, help="first publication year of a span")
    find.add_argument("--year-to", type=int, help="last publication year of a span")
    day = dt.date.fromisoformat
    find.add_argument("--date-from", type=day, help="first publication date, YYYY-MM-DD")
    find.add_argument("--date-to", type=day, help="last publication date, YYYY-MM-DD")
    find.add_argument("--sort", default=SortOrder.RELEVANCE, type=SortOrder, choices=SortOrder)
    find.add_argument("--page", type=int, default=1)
    find.add_argument("--per-page", type=int, default=DEFAULT_PER_PAGE)
    find.add_argument("--collapse", action="store_true", help="one hit per report")
    find.add_argument(
        "--verbatim", action="store_true", help="no keyboard-layout or spelling correction"
    )
    find.add_argument("--hl", default=Lang.EN, type=Lang, choices=ALL_LANGS, help="label language")
    find.add_argument("--json", action="store_true", help="print the API's JSON, no links")
    find.set_defaults(run=_search)
    add_figure_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``iapb-index`` console script."""
    args = make_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())


def _date_read(span) -> str:
    """A date the query was read as, for the terminal: "Q3 2024 (2024-07-01..2024-09-30)"."""
    if span.first is None:
        return f"{span.text} (month {span.month:02d} of any year)"
    if span.first == span.last:
        return f"{span.text} ({span.first.isoformat()})"
    if span.first.day == 1 and span.last == _last_day(span.first):
        return f"{span.text} ({span.first:%Y-%m})"
    return f"{span.text} ({span.first.isoformat()}..{span.last.isoformat()})"


def _last_day(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
