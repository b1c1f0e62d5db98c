"""The layout of an index directory, shared by the builder and the serving side.

An index directory holds numbered generations and a ``current`` symbolic link to the
one in service; each generation carries a ``meta.json`` (see :mod:`indexer.build`), whose
manifest :mod:`indexer.engine.manifest` checks when the generation is opened.
Serving reads the directory through this module only, so it never imports the builder.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

DEFAULT_INDEX_DIR = "var/index"  # the CLI's, the app's and the Makefile's default
CURRENT = "current"
META = "meta.json"
# In a generation: the full reports' passage index (indexer.fullreports.extraction).
PASSAGES = "passages"
PDFS = "full"  # in a generation: the full-report PDFs it serves, as <doc>.pdf


def current_generation(out_dir: str | Path) -> Path | None:
    """The directory of the generation in service, or ``None`` when there is none."""
    link = Path(out_dir) / CURRENT
    try:
        target = os.readlink(link)
    except OSError:
        return None
    return Path(out_dir) / target


def read_meta(generation_dir: Path) -> dict:
    """The ``meta.json`` of a generation; raises ``OSError`` or ``ValueError`` if unreadable."""
    return json.loads((generation_dir / META).read_text(encoding="utf-8"))


def file_checksum(path: Path) -> str:
    """The SHA-256 of a file, hex (recorded by the build, checked when a generation opens)."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
