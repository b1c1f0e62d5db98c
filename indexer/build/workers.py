"""The build's parallel workers: one writer process per CPU for a large corpus.

Large corpora are indexed by one writer process per CPU, each writing its own segment of
a run of consecutive reports sent to it in pickled batches; the writers are forked
before the corpus is loaded (and parse a share of its report files meanwhile), so that
none of them maps it (the resident memory of a process forked after the load counts
every page of the corpus it inherits); the segments are not merged (Whoosh's merge is a
third of a large build and searching a few segments costs about the same as searching
one).  Each process writes through :mod:`indexer.build.writer`, which holds every use of
Whoosh's private interface.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import fcntl
import itertools
import multiprocessing
import multiprocessing.connection
import multiprocessing.util
import os
import signal
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from indexer import schema
from indexer.analysis import plain_analyzer
from indexer.build.writer import (
    _BuildWriter,
    _normalised_counts,
    commit_segments,
    finish_segment,
    new_writer,
)
from indexer.corpus.load import Corpus, Parsed, Report, parse_reports
from indexer.dates import report_date_keys
from indexer.languages import ALL_LANGS

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
PARALLEL_FROM = 5000  # documents; below this, starting writer processes costs more than it saves
FEED_BATCH = 20  # reports sent to a writer process at a time (and between its progress reports)
PIPE_BYTES = 1 << 20  # the command pipe of a writer process holds a few batches

Progress = Callable[[int, int], None]


class _Lifeline:
    """Makes each writer process forked while it lives die with the building process.

    Whoosh's parallel writer forks ``multiprocessing`` processes that would outlive a
    killed parent (adopted by PID 1, waiting for work forever).  In each child, Linux's
    parent-death signal is set to SIGKILL.
    """

    def __init__(self) -> None:
        self.parent = os.getpid()
        multiprocessing.util.register_after_fork(self, _Lifeline.attach)

    def attach(self) -> None:
        """In a forked child: be killed when the parent dies (or exit if it already has)."""
        libc = ctypes.CDLL(None, use_errno=True)
        if hasattr(libc, "prctl"):
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != self.parent:
            os._exit(1)


def _documents(report: Report) -> Iterator[dict]:
    for lang in report.langs:
        text = report.summaries[lang]
        yield {
            schema.ID_FIELD: report.doc_id(lang),
            **schema.report_fields(report, lang),
            schema.PERIOD_START: report.period_start,
            schema.PERIOD_END: report.period_end,
            schema.MONTHS: ",".join(
                report_date_keys(report.period_start, report.period_end, report.date)
            ),
            schema.PROVENANCE: text.provenance_note,
            schema.TRANSLATED: text.translated,
            schema.title_field(lang): text.title,
            schema.summary_field(lang): text.summary,
            schema.key_field(lang): f"{text.title}\n{text.summary}",
        }


def _texts(corpus: Corpus) -> Iterator[str]:
    """The text of each document whose words the spelling corrector may suggest."""
    for report in corpus.reports:
        for text in report.summaries.values():
            yield f"{text.title}\n{text.summary}"


def count_words(texts: Iterable[str]) -> Counter[str]:
    """How often each word occurs in ``texts``, words as the plain analyser gives them.

    Equal to counting ``analysis.words(text)`` over every text, at a fraction of the cost:
    the analyser's own token pattern finds the raw tokens (in C), and each distinct
    token is normalised once.
    """
    tokens = plain_analyzer()[0].expression
    raw: Counter[str] = Counter()
    for text in texts:
        raw.update(tokens.findall(text))
    return _normalised_counts(raw)


def add_reports(writer: _BuildWriter, reports: Iterable[Report]) -> int:
    """Add the documents of ``reports``; returns how many."""
    count = 0
    for report in reports:
        for doc in _documents(report):
            writer.add_document(**doc)
            count += 1
    return count


def index_part(ix, reports: Iterable[Report], added: Callable) -> Any:
    """Index the documents of ``reports`` into a new segment of ``ix`` in this process;
    returns the writer (its segment not yet written)."""
    writer = new_writer(ix)
    try:
        for report in reports:
            added(add_reports(writer, (report,)))
    except BaseException:
        writer.cancel()
        raise
    return writer


def _processes(documents: int) -> int:
    cpus = len(os.sched_getaffinity(0))
    return cpus if documents >= PARALLEL_FROM and cpus > 1 else 1


def _worker(commands, results) -> None:
    """A writer process, forked before the corpus is loaded: parses the report files it
    is sent while the corpus is loaded (:meth:`_Writers.parse`), opens the index it is
    sent, indexes the batches of reports it is sent (pickled), sends the words it
    counted, waits for the word to write (with the whole corpus's vocabulary for the
    first segment), sends the segment.  A closed command pipe ends it (the build
    failed)."""
    writer = None
    try:
        what, value = commands.recv()
        while what == "parse":
            results.send(("parsed", parse_reports(*value)))
            what, value = commands.recv()
        if what != "open":
            return
        writer = new_writer(whoosh_index.open_dir(value))
        while (message := commands.recv())[0] == "reports":
            results.send(("added", add_reports(writer, message[1])))
        if message[0] != "end":
            writer.cancel()
            return
        results.send(("ready", writer.words()))
        what, vocabulary = commands.recv()
        if what != "write":
            writer.cancel()
            return
        writer.vocabulary = vocabulary
        results.send(("segment", finish_segment(writer)))
    except EOFError:  # the building process gave up: its temporary generation goes
        return
    except BaseException as exc:  # reported to the building process, which raises
        with contextlib.suppress(OSError):
            results.send(("error", f"{type(exc).__name__}: {exc}"))
        raise


class _Writers:
    """Writer processes (:func:`_worker`), each with a pipe for commands and one for
    results.

    The building process forks them before it loads the corpus (:func:`build_index`), so
    that they do not map the corpus it holds: each writer is sent its run of reports in
    pickled batches and drops them once indexed.  (Forked after loading, each writer's
    resident memory counted the whole corpus again, shared or not.)
    """

    def __init__(self, count: int) -> None:
        context = multiprocessing.get_context("fork")
        self.tasks: list = []
        self.commands: list = []
        self.results: list = []
        self._lifeline = _Lifeline()
        try:
            for _ in range(count):
                their_commands, commands = context.Pipe(duplex=False)
                results, their_results = context.Pipe(duplex=False)
                task = context.Process(
                    target=_worker, args=(their_commands, their_results), daemon=True
                )
                task.start()
                their_commands.close()
                their_results.close()
                with contextlib.suppress(OSError, AttributeError):  # else the default size
                    fcntl.fcntl(commands.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
                self.tasks.append(task)
                self.commands.append(commands)
                self.results.append(results)
        except BaseException:
            self.close()
            raise

    def __len__(self) -> int:
        return len(self.tasks)

    def parse(self, paths: Sequence[Path], topic_ids: Collection[str]) -> list[Parsed]:
        """:func:`indexer.corpus.load.parse_reports` of ``paths``, shared between these
        processes and this one (which would otherwise wait for the corpus to load):
        consecutive runs of files, the results in the order of ``paths``."""
        count = len(self) + 1
        bounds = [len(paths) * i // count for i in range(count + 1)]
        runs = [paths[a:b] for a, b in itertools.pairwise(bounds)]
        for channel, run in zip(self.commands, runs[1:], strict=True):
            channel.send(("parse", (list(run), sorted(topic_ids))))
        parsed = parse_reports(runs[0], topic_ids)
        for channel in self.results:
            parsed += _receive(channel)[1]
        return parsed

    def close(self) -> None:
        """End every writer process still running (a finished build has ended them)."""
        for connection in (*self.commands, *self.results):
            connection.close()
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
            task.join()


@contextlib.contextmanager
def early_writers(corpus_dir: Path) -> Iterator[_Writers | None]:
    """Writer processes for a corpus that will need them, forked before it is loaded
    (at most a document per language of each report file); ``None`` for a small one."""
    reports = Path(corpus_dir) / "reports"
    files = sum(1 for _ in reports.glob("*.yaml")) if reports.is_dir() else 0
    count = _processes(files * len(ALL_LANGS))
    writers = _Writers(count) if count > 1 else None
    try:
        yield writers
    finally:
        if writers is not None:
            writers.close()


def write_index(
    corpus: Corpus,
    directory: Path,
    progress: Progress | None = None,
    writers: _Writers | None = None,
    *,
    keep_texts: bool = True,
) -> int:
    """Write a Whoosh index of ``corpus`` into the empty ``directory``; returns the doc count.

    ``progress(done, total)`` is called as documents are added; ``done == total`` comes
    once, just before Whoosh writes the segments (a large part of a big build).

    A large corpus is split into one run of consecutive reports per CPU, each indexed
    into its own segment by a writer process (``writers``, forked before the corpus was
    loaded; forked here when not given), which is sent its reports in pickled batches.
    The segments keep the corpus order, so document numbers do not depend on which
    process ran faster.  The spelling vocabulary (every word of the corpus counted, see
    :class:`schema.Vocabulary`) goes into the first document: each writer counts the
    words of its documents, and the building process sums them for the first segment
    before it is written.  With ``keep_texts=False`` the building process drops each
    report's texts (titles, summaries, provenance notes: :func:`_drop_texts`) once its
    writer process has them, and returns the memory: what a build does, which needs
    only the reports' other fields after.
    """
    total = sum(len(report.summaries) for report in corpus.reports)
    ix = whoosh_index.create_in(str(directory), schema.build_schema())
    counter = _Progress(total, progress)
    parts = _processes(total)
    if parts == 1:
        writer = index_part(ix, corpus.reports, counter.add)
        writer.vocabulary = writer.words()
        counter.finish()
        writer.commit()
        return total
    with contextlib.ExitStack() as stack:
        if writers is None:
            writers = _Writers(parts)
            stack.callback(writers.close)
        runs = _split(corpus.reports, len(writers))
        _write_parallel(ix, directory, runs, counter, writers, keep_texts)
    return total


class _Progress:
    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total, self.progress = total, progress
        self.done = self.shown = 0

    def add(self, n: int) -> None:
        self.done += n
        if self.progress and self.done - self.shown >= 3000 and self.done < self.total:
            self.progress(self.done, self.total)
            self.shown = self.done

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total)


def _split(reports: tuple[Report, ...], parts: int) -> list[tuple[Report, ...]]:
    """``reports`` cut into ``parts`` runs of about as many documents each."""
    total = sum(len(r.summaries) for r in reports)
    runs: list[tuple[Report, ...]] = []
    start = done = 0
    for i, report in enumerate(reports):
        done += len(report.summaries)
        if done * parts >= total * (len(runs) + 1) and len(runs) < parts - 1:
            runs.append(reports[start : i + 1])
            start = i + 1
    runs.append(reports[start:])
    return [run for run in runs if run]


def _drop_texts(reports: Iterable[Report]) -> None:
    """Replace each text of ``reports`` by one without its title, summary and note."""
    for report in reports:
        for lang, text in report.summaries.items():
            report.summaries[lang] = dataclasses.replace(
                text, title="", summary="", provenance_note=""
            )


def _return_memory() -> None:
    """Give the memory freed in this process back to the system (glibc keeps it)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


def _write_parallel(
    ix,
    directory: Path,
    runs: list[tuple[Report, ...]],
    counter,
    writers: _Writers,
    keep_texts: bool = True,
) -> None:
    parent = ix.writer()  # holds Whoosh's lock, writes the table of contents
    try:
        commands = writers.commands[: len(runs)]
        channels = writers.results[: len(runs)]
        for extra in writers.commands[len(runs) :]:
            extra.send(("quit", None))
        for channel in commands:
            channel.send(("open", str(directory)))
        words: dict[int, Counter[str]] = {}

        def answers(timeout: float | None) -> None:
            for channel in multiprocessing.connection.wait(channels, timeout):
                what, value = _receive(channel)
                if what == "added":
                    counter.add(value)
                elif what == "ready":
                    words[channels.index(channel)] = value

        # Each writer is sent a batch in turn; its command pipe holds a few batches, so
        # that a send waiting for one writer to read leaves the others batches to index.
        batches = [
            [("reports", run[i : i + FEED_BATCH]) for i in range(0, len(run), FEED_BATCH)]
            + [("end", None)]
            for run in runs
        ]
        for step in range(max(map(len, batches))):
            for i, channel in enumerate(commands):
                if step < len(batches[i]):
                    what, batch = batches[i][step]
                    _send(channel, (what, batch), channels[i])
                    if what == "reports" and not keep_texts:
                        _drop_texts(batch)
                    answers(0)
        if not keep_texts:
            _return_memory()
        while len(words) < len(channels):
            answers(None)
        counter.finish()
        vocabulary: Counter[str] = Counter()
        for i in range(len(channels)):
            vocabulary.update(words.pop(i))
        for i, channel in enumerate(commands):
            channel.send(("write", vocabulary if i == 0 else None))
        del vocabulary
        segments = [_receive(channel)[1] for channel in channels]
        for task in writers.tasks:
            task.join()
        commit_segments(parent, segments)
    except BaseException:
        writers.close()
        parent.cancel()
        raise


def _send(channel, message, answers) -> None:
    """Send a writer process ``message``; if it has ended, raise its error."""
    try:
        channel.send(message)
    except OSError:
        _receive(answers)
        raise


def _receive(channel) -> tuple[str, Any]:
    try:
        what, value = channel.recv()
    except EOFError:
        raise RuntimeError("a writer process ended without its segment") from None
    if what == "error":
        raise RuntimeError(f"a writer process failed: {value}")
    return what, value
