"""A generation's manifest, and how opening a generation checks its files against it.

The build lists in ``meta.json`` every file of a generation with its size (``files``)
and SHA-256 (``checksums``): a file that is missing, truncated or altered after the
build is damage, and the generation is not served (see :mod:`indexer.engine.generation`).

Hashing every file on every open costs half a second at 100,000 documents, so a
generation also carries ``verified.json`` (not in the manifest): for each file that was
hashed and matched, the ``stat`` it had then (size, ``st_mtime_ns``, inode,
``st_ctime_ns``), for this ``meta.json`` (its SHA-256 is recorded with them).  Opening
trusts, without reading it, a file whose ``stat`` still equals its stamp, and hashes
the others against the manifest as before.  Any write through the file system changes a
file's ``st_ctime_ns``, which no user tool can set back (``touch`` and ``os.utime`` set
``mtime`` and change ``ctime`` to now), and a copy (``rsync`` to a replica, a restore from
a backup) has another inode and ctime: all of these are hashed.  When every hashed file
matches, the opening process rewrites ``verified.json`` (a temporary file renamed over
it, so concurrent workers each write a whole file); in a directory it cannot write it
simply hashes at every open.  A ``verified.json`` that cannot be read, is malformed or
was written for another ``meta.json`` is ignored: every file is hashed.

The trade-off: bytes that change on the medium without a write (bit rot, a faulty disk
or controller) keep their ``stat`` and are not seen on open; ``iapb-index verify`` hashes
every file of every generation, refreshes the stamps of the intact ones and removes them
from a damaged one, so that no process opens it again.

Timestamps are coarse on some file systems (a clock tick): a file written in the same
tick as a later write could keep its ``ctime``.  So a file is stamped only when its
``ctime`` is older than a file created before it was hashed (the file system's own
clock, as Git does for its index), and only when its ``stat`` did not change while it
was hashed; a file too recent to stamp is hashed again at the next open.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.engine.layout import META, PASSAGES, file_checksum

VERIFIED = "verified.json"
VERSION = 1
Stamp = tuple[int, int, int, int]  # size, mtime_ns, inode, ctime_ns


def stamp_of(info: os.stat_result) -> Stamp:
    """What ``verified.json`` records of a file's ``stat``."""
    return (info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns)


def meta_digest(raw: bytes) -> str:
    """The SHA-256 of a ``meta.json``'s bytes: the stamps are valid for that manifest only."""
    return hashlib.sha256(raw).hexdigest()


def read_stamps(directory: Path, digest: str) -> dict[str, Stamp]:
    """The stamps in ``directory``'s ``verified.json`` for the ``meta.json`` of ``digest``.

    Empty when there is none, when it cannot be read or parsed, or when it was written
    for another ``meta.json``; a malformed entry is left out (its file is hashed).
    """
    try:
        data = json.loads((directory / VERIFIED).read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != VERSION or data.get("meta") != digest:
        return {}
    files = data.get("files")
    if not isinstance(files, dict):
        return {}
    return {
        name: (value[0], value[1], value[2], value[3])
        for name, value in files.items()
        if isinstance(value, list) and len(value) == 4 and all(type(v) is int for v in value)
    }


@dataclass
class Stamper:
    """Hashes files of a generation and stamps those it may (see the module), then
    writes them to ``verified.json``.

    Use as a context manager.  On entry it creates its temporary file in ``directory``:
    that file's ``ctime`` is the file system's clock before any file is hashed.  When the
    directory cannot be written it stamps nothing (``writable`` is false) and hashes all
    the same.
    """

    directory: Path
    stamps: dict[str, Stamp] = field(default_factory=dict)
    _tmp: Path | None = field(default=None, init=False)
    _clock: int = field(default=0, init=False)

    def __enter__(self) -> Stamper:
        tmp = self.directory / f".{VERIFIED}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except OSError:
            return self  # a read-only generation: hash, stamp nothing
        try:
            self._clock = os.fstat(fd).st_ctime_ns
        finally:
            os.close(fd)
        self._tmp = tmp
        return self

    def __exit__(self, *exc: object) -> None:
        if self._tmp is not None:
            self._tmp.unlink(missing_ok=True)
            self._tmp = None

    @property
    def writable(self) -> bool:
        return self._tmp is not None

    def checksum(self, name: str) -> str:
        """The SHA-256 of file ``name``; stamps it when its ``stat`` held still while it
        was read and it is older than the stamper.  Raises ``OSError``."""
        path = self.directory / name
        before = path.stat()
        digest = file_checksum(path)
        after = stamp_of(path.stat())
        if self.writable and after == stamp_of(before) and before.st_ctime_ns < self._clock:
            self.stamps[name] = after
        return digest

    def keep(self, name: str, stamp: Stamp) -> None:
        """Carry over the stamp of a file trusted without hashing."""
        self.stamps[name] = stamp

    def save(self, meta_raw: bytes) -> None:
        """Write the stamps to ``verified.json`` for the ``meta.json`` of ``meta_raw``
        (atomically: the temporary file is renamed over it).  Does nothing when the
        directory is not writable; a failure to write is ignored (the next open hashes).
        """
        if self._tmp is None:
            return
        data: dict[str, Any] = {
            "version": VERSION,
            "meta": meta_digest(meta_raw),
            "files": {name: list(stamp) for name, stamp in sorted(self.stamps.items())},
        }
        try:
            self._tmp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(self._tmp, self.directory / VERIFIED)
        except OSError:
            return
        self._tmp = None


def read_manifest(directory: Path) -> tuple[dict, bytes]:
    """A generation's ``meta.json``, parsed and as bytes.  Raises ``OSError`` or
    ``ValueError`` when it cannot be read."""
    raw = (directory / META).read_bytes()
    return json.loads(raw), raw


def check_files(
    directory: Path, meta: dict, meta_raw: bytes, *, trust_stamps: bool = True
) -> dict[str, Stamp]:
    """Check each file the manifest of ``directory`` lists: its size, and its checksum
    unless its ``verified.json`` stamp still matches (with ``trust_stamps``).

    Refreshes ``verified.json`` when a file was hashed and all matched.  Returns each
    file's ``stat`` stamp as seen now.  Raises ``OSError`` naming the first file that is
    missing or differs from what the build wrote.
    """
    files: dict[str, int] = meta.get("files", {})
    checksums: dict[str, str] = meta.get("checksums", {})
    recorded = read_stamps(directory, meta_digest(meta_raw)) if trust_stamps else {}
    seen: dict[str, Stamp] = {}
    unverified: list[str] = []
    for name, size in files.items():
        stamp = stamp_of((directory / name).stat())
        if stamp[0] != size:
            raise OSError(f"{name} has {stamp[0]} bytes, the build wrote {size}")
        seen[name] = stamp
        if name in checksums and recorded.get(name) != stamp:
            unverified.append(name)
    if not unverified:
        return seen
    with Stamper(directory) as stamper:
        for name in unverified:
            if stamper.checksum(name) != checksums[name]:
                raise OSError(f"{name} does not have the checksum the build recorded")
        for name in checksums.keys() - set(unverified):
            if name in seen:
                stamper.keep(name, seen[name])
        stamper.save(meta_raw)
    return seen


def forget_stamps(directory: Path) -> None:
    """Remove ``verified.json`` (a damaged generation): every open hashes every file."""
    try:
        (directory / VERIFIED).unlink(missing_ok=True)
    except OSError:
        pass


@dataclass
class Verified:
    """What :func:`verify_generation` checked: files and bytes hashed, and whether the
    build recorded checksums (a generation built before them is checked by size only)."""

    files: int = 0
    bytes: int = 0
    checksums: bool = True


def verify_generation(directory: Path) -> Verified:
    """Hash every file of the generation at ``directory`` (and of its passage index)
    against its manifest, whatever the stamps say (``iapb-index verify``).

    Refreshes the stamps of an intact generation and removes those of a damaged one, so
    that every process opening it hashes it (and refuses it).  Raises ``OSError`` or
    ``ValueError`` saying what is wrong.
    """
    done = Verified()
    for part in (directory, directory / PASSAGES):
        if part != directory and not (part / META).exists():
            continue
        try:
            meta, raw = read_manifest(part)
            if not isinstance(meta, dict) or not isinstance(meta.get("files", {}), dict):
                raise ValueError(f"{part / META} is not a manifest")
            check_files(part, meta, raw, trust_stamps=False)
        except (OSError, ValueError):
            forget_stamps(part)
            raise
        done.files += len(meta.get("files", {}))
        done.bytes += sum(meta.get("files", {}).values())
        done.checksums &= bool(meta.get("checksums"))
    return done


def generation_files(directory: Path) -> dict[str, int]:
    """Each index file of a generation with its size, recorded in ``meta.json``.

    The search side checks them when it opens the generation: with one file per part of
    a segment, a missing or truncated column would otherwise be read as default values.
    """
    return {
        p.name: p.stat().st_size
        for p in sorted(directory.iterdir())
        if p.is_file()
        and p.name not in (META, VERIFIED)
        and not p.name.startswith(".")
        and not p.name.endswith("WRITELOCK")
    }
