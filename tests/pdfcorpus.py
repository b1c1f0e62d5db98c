"""The full-report fixture corpus: the mini corpus with generated PDFs (see test_fulltext)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.pdfs import Block, Page, column, write_pdf
from indexer.build import build_index

MINI = Path(__file__).parent / "fixtures" / "mini"
LEFT = (
    "Left column. Survivors received psychosocial support from the Platform's "
    "counsellors throughout the period, in Vilnius and in Warsaw."
)
RIGHT = (
    "Right column. The Platform gave evidence to the ICC Office of the Prosecutor "
    "for its preliminary examination."
)
EN_PAGES = [
    Page(
        (
            Block(
                (
                    "This report describes the Platform's work for justice and accounta-",
                    "bility in Belarus during the whole reporting period, in detail.",
                    "Its documentation grew.",
                )
            ),
        )
    ),
    Page((column(LEFT, 20, 25, 40), column(RIGHT, 110, 25, 40))),
    Page(
        (
            Block(("The ﬁndings of the eﬀort were ofﬁcial and were published in full¹.",)),
            Block(("¹ See the Rome Statute of the International Criminal Court.",), 20, 280, 8),
        )
    ),
    Page(image=True),
]
BE_PAGES = [
    Page((Block(("Гэтая справаздача апісвае працу Платформы.",)),)),
    Page((Block(("Платформа перадала доказы Міжнароднаму крымінальнаму суду (МКС).",)),)),
]
RU_PAGES = [
    Page((Block(("Этот отчёт описывает работу Платформы.",)),)),
    Page((Block(("Платформа передала доказательства Международному уголовному суду (МУС).",)),)),
]


def _add_full_reports(root: Path, number: int, files: dict[str, str]) -> None:
    path = root / "reports" / f"{number:02d}.yaml"
    text = path.read_text(encoding="utf-8")
    lines = ["full_report:"]
    for lang, name in files.items():
        lines.append(f"  {lang}: {{title: Full report, url: 'https://example.org/{name}'")
        lines[-1] += f", file: full/{name}}}"
    path.write_text(text.replace("\nen:\n", "\n" + "\n".join(lines) + "\nen:\n", 1), "utf-8")


@pytest.fixture(scope="session")
def pdf_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini corpus with full reports: report 1 in three languages; report 2 in
    English only, its full report a scan."""
    root = tmp_path_factory.mktemp("pdfcorpus") / "corpus"
    shutil.copytree(MINI, root)
    write_pdf(root / "full" / "01-en.pdf", EN_PAGES)
    write_pdf(root / "full" / "01-be.pdf", BE_PAGES)
    write_pdf(root / "full" / "01-ru.pdf", RU_PAGES)
    write_pdf(root / "full" / "02-en.pdf", [Page(image=True), Page(image=True)])
    _add_full_reports(root, 1, {"en": "01-en.pdf", "be": "01-be.pdf", "ru": "01-ru.pdf"})
    _add_full_reports(root, 2, {"en": "02-en.pdf"})
    second = root / "reports" / "02.yaml"
    text = second.read_text(encoding="utf-8")
    second.write_text(text[: text.index("be:\n")], encoding="utf-8")  # English only
    return root


@pytest.fixture(scope="session")
def pdf_index(pdf_corpus: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("pdfindex")
    info = build_index(pdf_corpus, out)
    return out, info
