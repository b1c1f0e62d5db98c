"""Synthetic full-report PDFs for the tests and ``make bench`` (fpdf2, Debian's DejaVu font).

A page is a list of :class:`Block` (text at a position and width) or an image-only
page; text is written line by line exactly as given, so a test controls where lines
break (``accounta-`` / ``bility``), which columns a page has and what its footnote says.
No real IAPB PDF is used anywhere.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian: fonts-dejavu-core
PAGE_WIDTH = 210  # A4, mm
MARGIN = 20
LINE_HEIGHT = 6


@dataclass(frozen=True)
class Block:
    """Lines of text written from ``(x, y)`` (mm), one under the other, at ``size`` pt."""

    lines: tuple[str, ...]
    x: float = MARGIN
    y: float = 25
    size: int = 11


@dataclass(frozen=True)
class Page:
    """One page: its text blocks, or ``image=True`` for a scanned-looking page without text."""

    blocks: tuple[Block, ...] = ()
    image: bool = False


def column(text: str, x: float, y: float, width_chars: int, size: int = 11) -> Block:
    """``text`` (paragraphs separated by blank lines) wrapped into lines of at most
    ``width_chars`` characters, a blank line between paragraphs."""
    lines: list[str] = []
    for paragraph in text.split("\n\n"):
        line = ""
        for word in paragraph.split():
            if line and len(line) + 1 + len(word) > width_chars:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.extend([line, ""])
    return Block(tuple(lines[:-1]), x, y, size)


def _noise_png(seed: int) -> bytes:
    from PIL import Image

    rng = random.Random(seed)
    image = Image.new("L", (400, 560), 235)
    pixels = image.load()
    for row in range(30, 530, 14):  # grey bars like lines of a scanned page
        length = rng.randint(200, 340)
        for x in range(30, 30 + length):
            for y in range(row, row + 6):
                pixels[x, y] = rng.randint(20, 90)
    from io import BytesIO

    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def write_pdf(path: Path, pages: list[Page], title: str = "Synthetic report") -> Path:
    """Write ``pages`` as a PDF at ``path`` (DejaVu Sans, so Cyrillic and ligatures work)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_title(title)
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(FONT))
    for number, page in enumerate(pages, start=1):
        pdf.add_page()
        if page.image:
            pdf.image(_noise_png(number), x=MARGIN, y=MARGIN, w=PAGE_WIDTH - 2 * MARGIN)
            continue
        for block in page.blocks:
            pdf.set_font("DejaVu", size=block.size)
            height = LINE_HEIGHT * block.size / 11
            for i, line in enumerate(block.lines):
                if line:
                    pdf.text(block.x, block.y + i * height, line)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def text_pages(text: str, lines_per_page: int = 38, width_chars: int = 85) -> list[Page]:
    """``text`` laid out on as many single-column pages as it needs."""
    block = column(text, MARGIN, 25, width_chars)
    pages = []
    for start in range(0, len(block.lines), lines_per_page):
        lines = block.lines[start : start + lines_per_page]
        pages.append(Page((Block(lines, MARGIN, 25),)))
    return pages
