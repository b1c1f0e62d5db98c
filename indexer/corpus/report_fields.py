"""The optional fields of a report file: ``full_report`` and ``proposed``.

``full_report`` records, per language, the downloadable full report as the source page
lists it (its link text and address) or ``null``, and optionally a copy of its PDF in
the corpus (``file: full/09-en.pdf``) that the build indexes page by page.
``proposed`` lists the fields ``iapb-index import-page`` guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from indexer.corpus.yamlcheck import Checker
from indexer.languages import ALL_LANGS, Lang

# The longest summary (and title) a report may have, in characters.  The page's
# summaries are 600 to 2,500 characters; a summary is shown whole on its report page and
# every search that hits it reads it for snippets, so a runaway one (a whole page pasted
# in) is refused with the limit, not served slowly.
MAX_SUMMARY_CHARS = 20_000
MAX_TITLE_CHARS = 300
PROPOSABLE = ("topics", "period")  # fields an import may guess (``proposed: [topics]``)
FULL_DIR = "full"  # full-report PDFs: <corpus>/full/NN-<lang>.pdf
_URL_RE = re.compile(r"https?://[^\s/]+\S*")


@dataclass(frozen=True)
class FullReport:
    """The downloadable full report in one language, as the source page lists it.

    ``url`` is ``None`` when the page was saved without its link addresses; ``file`` is
    the PDF's path inside the corpus directory (``full/09-en.pdf``) when a copy is kept
    for page-by-page search, and ``path`` is that file on disk.
    """

    lang: Lang
    title: str
    url: str | None = None
    file: str | None = None
    path: Path | None = None


def load_full_reports(
    check: Checker, node: yaml.Node, corpus_root: Path
) -> dict[Lang, FullReport | None]:
    """``full_report``: per language ``null`` or ``{title, url?, file?}``."""
    codes = tuple(lang.value for lang in ALL_LANGS)
    entries = check.mapping(node, "full_report", (), codes)
    out: dict[Lang, FullReport | None] = {}
    for code, value in (entries or {}).items():
        lang, where = Lang(code), f"full_report.{code}"
        if isinstance(value, yaml.ScalarNode) and value.tag == "tag:yaml.org,2002:null":
            out[lang] = None
            continue
        item = check.mapping(value, where, ("title",), ("url", "file"))
        if item is None:
            continue
        title = check.text(item.get("title"), f"{where}.title")
        url = file = None
        url_node = item.get("url")
        if url_node is not None and url_node.tag != "tag:yaml.org,2002:null":
            url = check.text(url_node, f"{where}.url")
            if url is not None and not _URL_RE.fullmatch(url):
                check.problem(url_node, f"{where}.url", f"expected an http(s) address, not {url!r}")
                url = None
        pdf = None
        if "file" in item:
            file = check.text(item["file"], f"{where}.file")
            pdf = _full_report_file(check, item["file"], f"{where}.file", file, corpus_root)
            if pdf is None:
                file = None
        if title is not None:
            out[lang] = FullReport(lang, title, url, file, pdf)
    return out


def _full_report_file(
    check: Checker, node: yaml.Node, where: str, name: str | None, corpus_root: Path
) -> Path | None:
    """The PDF named ``name`` (relative to the corpus, under ``full/``), if it exists."""
    if name is None:
        return None
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts or relative.parts[:1] != (FULL_DIR,):
        check.problem(node, where, f"expected a path under {FULL_DIR}/, not {name!r}")
        return None
    if relative.suffix.lower() != ".pdf":
        check.problem(node, where, f"expected a .pdf file, not {name!r}")
        return None
    path = corpus_root / relative
    if not path.is_file():
        check.problem(node, where, f"file not found: {path}")
        return None
    return path


def load_proposed(check: Checker, node: yaml.Node) -> tuple[str, ...]:
    values = []
    for i, item in enumerate(check.sequence(node, "proposed")):
        value = check.text(item, f"proposed[{i}]")
        if value is not None and value not in PROPOSABLE:
            check.problem(item, f"proposed[{i}]", f"expected one of {', '.join(PROPOSABLE)}")
        elif value is not None:
            values.append(value)
    return tuple(values)
