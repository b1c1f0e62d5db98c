"""The derived arrays are read into memory by reading ``np.save``'s header directly (a
fraction of ``np.load``'s cost): the same arrays as ``np.load``, read-only, the same
errors for a damaged file, and never memory-mapped, so a file truncated afterwards
cannot kill the process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from indexer.build import build_index
from indexer.engine import derived
from indexer.engine.derived import _loaded
from indexer.engine.layout import current_generation
from tests.helpers import CORPUS, ROOT

ARRAYS = {
    "int64": np.arange(1000, dtype=np.int64),
    "int32": np.arange(-50, 50, dtype=np.int32),
    "int16": np.array([2024, 2025, 2021], dtype=np.int16),
    "uint8": np.array([0, 1, 2, 255], dtype=np.uint8),
    "float64": np.linspace(0, 1, 17),
    "bool matrix": np.eye(7, 3, dtype=bool),
    "big-endian": np.arange(9, dtype=">i4"),
    "empty": np.zeros(0, dtype=np.int32),
    "empty rows": np.zeros((0, 4), dtype=bool),
    "scalar": np.array(3.5),
    "fortran order": np.asfortranarray(np.arange(12, dtype=np.int64).reshape(3, 4)),
    "bytes": np.array([b"abc", "\u043c\u0443\u0441".encode(), b""], dtype="S8"),
    "unicode": np.array(["ICC", "\u041c\u0423\u0421"], dtype="<U5"),
}


@pytest.mark.parametrize("name", ARRAYS)
def test_a_loaded_array_is_np_load_read_only(tmp_path: Path, name: str) -> None:
    path = tmp_path / "a.npy"
    np.save(path, ARRAYS[name])
    loaded = _loaded(path)
    expected = np.load(path)
    assert loaded.dtype == expected.dtype and loaded.shape == expected.shape
    assert np.array_equal(loaded, expected)
    assert type(loaded) is np.ndarray and not loaded.flags.writeable


@pytest.mark.parametrize("keep", [0.5, 0.0])
def test_a_truncated_array_raises_as_np_load_does(tmp_path: Path, keep: float) -> None:
    path = tmp_path / "a.npy"
    np.save(path, np.arange(1000, dtype=np.int64))
    with open(path, "r+b") as handle:
        handle.truncate(int(path.stat().st_size * keep))
    with pytest.raises((ValueError, EOFError)) as loading:
        np.load(path, mmap_mode="r")
    with pytest.raises(loading.type):
        _loaded(path)


def test_every_array_a_build_writes_is_loaded_without_np_load(tmp_path: Path, monkeypatch) -> None:
    # np.load parses headers with ast.literal_eval: slower, and on Python 3.11 not safe
    # in several threads at once (a generation is opened by each worker thread).
    build_index(CORPUS, tmp_path / "index")
    generation = current_generation(tmp_path / "index")
    arrays = sorted(generation.glob("*.npy"))
    assert {"words.npy", "post-keys.npy", "col-years.npy"} <= {p.name for p in arrays}

    def refused(*args, **kwargs):
        raise AssertionError("np.load called")

    monkeypatch.setattr(derived.np, "load", refused)
    for path in arrays:
        assert type(_loaded(path)) is np.ndarray, path.name


# Opens the generation at argv[1], truncates every derived array of it to a third, then
# reads every array the generation holds: a memory-mapped one would kill the process
# with SIGBUS here.
_READ_AFTER_TRUNCATION = """
import sys
from pathlib import Path
import numpy as np
from indexer.engine.generation import SearchIndex
gen = SearchIndex(sys.argv[1]).generation()
for path in gen.path.glob("*.npy"):
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size // 3)
arrays = [*gen.derived.columns.values(), *(a for a, _ in gen.derived.lengths.values())]
arrays += [v for v in vars(gen.derived.postings).values() if isinstance(v, np.ndarray)]
arrays += [v for v in vars(gen.derived.words).values() if isinstance(v, np.ndarray)]
arrays += [gen.derived._phrase_docs, gen.derived._phrase_offsets]
total = sum(int(np.asarray(a).view(np.uint8).sum()) for a in arrays)
print("read", len(arrays), "arrays", total > 0)
"""


def test_arrays_truncated_under_an_open_generation_do_not_kill_the_process(tmp_path):
    build_index(CORPUS, tmp_path / "index")
    run = subprocess.run(
        [sys.executable, "-c", _READ_AFTER_TRUNCATION, str(tmp_path / "index")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, (run.returncode, run.stderr[-2000:])
    assert run.stdout.startswith("read ") and run.stdout.strip().endswith("True")
