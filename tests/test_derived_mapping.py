"""The derived arrays are memory-mapped by reading ``np.save``'s header directly (a
fraction of ``np.load``'s cost): the same arrays as ``np.load``, read-only, and the same
errors for a damaged file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from indexer.build import build_index
from indexer.engine import derived
from indexer.engine.derived import _mapped
from indexer.engine.layout import current_generation
from tests.helpers import CORPUS

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
def test_a_mapped_array_is_np_load_read_only(tmp_path: Path, name: str) -> None:
    path = tmp_path / "a.npy"
    np.save(path, ARRAYS[name])
    mapped = _mapped(path)
    expected = np.load(path)
    assert mapped.dtype == expected.dtype and mapped.shape == expected.shape
    assert np.array_equal(mapped, expected)
    assert type(mapped) is np.ndarray and not mapped.flags.writeable


@pytest.mark.parametrize("keep", [0.5, 0.0])
def test_a_truncated_array_raises_as_np_load_does(tmp_path: Path, keep: float) -> None:
    path = tmp_path / "a.npy"
    np.save(path, np.arange(1000, dtype=np.int64))
    with open(path, "r+b") as handle:
        handle.truncate(int(path.stat().st_size * keep))
    with pytest.raises((ValueError, EOFError)) as loading:
        np.load(path, mmap_mode="r")
    with pytest.raises(loading.type):
        _mapped(path)


def test_every_array_a_build_writes_is_mapped_without_np_load(tmp_path: Path, monkeypatch) -> None:
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
        assert type(_mapped(path)) is np.ndarray, path.name
