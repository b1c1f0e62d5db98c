"""Checking composed YAML nodes: every problem with its file, line and field.

:class:`Checker` walks the nodes of one file (composed, not loaded, so that each value
keeps its line) and collects :class:`~indexer.errors.CorpusProblem` records; the corpus
loader (:mod:`indexer.corpus.load`) raises them together.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from indexer.errors import CorpusProblem
from indexer.languages import ALL_LANGS

try:  # libyaml is much faster on large (synthetic) corpora; same nodes, same marks.
    YAML_LOADER: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    YAML_LOADER = yaml.SafeLoader

# What YAML 1.1 does not allow in a file: every character outside its printable set
# (C0 controls but tab and line breaks, DEL, C1 controls but NEL, surrogates, U+FFFE/F).
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def unprintable(text: str) -> tuple[int, int, str] | None:
    """(line, column, character) of the first character YAML does not allow in
    ``text``, both 1-based, or ``None``."""
    match = _NOT_PRINTABLE.search(text)
    if match is None:
        return None
    start = match.start()
    line_start = text.rfind("\n", 0, start) + 1
    return text.count("\n", 0, start) + 1, start - line_start + 1, match.group()


_MONTH_RE = re.compile(r"\d{4}-\d{2}")


class Checker:
    """Walks composed YAML nodes of one file, collecting problems with their lines."""

    def __init__(self, path: Path, problems: list[CorpusProblem]) -> None:
        self.file = str(path)
        self.problems = problems

    def problem(self, node: yaml.Node | None, field: str | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        self.problems.append(CorpusProblem(self.file, line, field, message))

    def compose(self, path: Path) -> yaml.Node | None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.problems.append(CorpusProblem(self.file, None, None, f"cannot read: {exc}"))
            return None
        try:
            node = yaml.compose(text, Loader=YAML_LOADER)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else None
            what = exc.problem or exc.context or "invalid YAML"
            self.problems.append(CorpusProblem(self.file, line, None, f"YAML syntax error: {what}"))
            return None
        except yaml.reader.ReaderError as exc:
            # Its position counts characters or bytes, depending on the loader: found
            # again here, with a line and a column.
            found = unprintable(text)
            if found is None:
                self.problems.append(CorpusProblem(self.file, None, None, f"YAML error: {exc}"))
                return None
            line, column, char = found
            message = (
                f"control character U+{ord(char):04X} is not allowed in YAML "
                "(remove it, or write it as an escape in a double-quoted string)"
            )
            self.problems.append(CorpusProblem(self.file, line, None, message, column))
            return None
        except yaml.YAMLError as exc:
            self.problems.append(CorpusProblem(self.file, None, None, f"YAML error: {exc}"))
            return None
        if node is None:
            self.problems.append(CorpusProblem(self.file, 1, None, "the file is empty"))
        return node

    def mapping(
        self, node: yaml.Node, field: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict[str, yaml.Node] | None:
        """The entries of a mapping node; reports unknown, duplicate and missing keys."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, field or None, "expected a mapping")
            return None
        entries: dict[str, yaml.Node] = {}
        prefix = f"{field}." if field else ""
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in entries:
                self.problem(key_node, prefix + key, "duplicate field")
            elif key not in required and key not in optional:
                allowed = ", ".join(required + optional)
                self.problem(key_node, prefix + key, f"unknown field (allowed: {allowed})")
            else:
                entries[key] = value_node
        for key in required:
            if key not in entries:
                self.problem(node, prefix + key, "missing field")
        return entries

    def text(self, node: yaml.Node | None, field: str) -> str | None:
        """A non-empty string scalar."""
        if node is None:
            return None
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            self.problem(node, field, "expected text")
            return None
        value = str(node.value).strip()
        if not value:
            self.problem(node, field, "must not be empty")
            return None
        return value

    def integer(self, node: yaml.Node | None, field: str) -> int | None:
        value = self.text(node, field)
        if value is None:
            return None
        if not value.isdigit() or int(value) < 1:
            self.problem(node, field, f"expected a positive whole number, not {value!r}")
            return None
        return int(value)

    def day(self, node: yaml.Node | None, field: str) -> dt.date | None:
        value = self.text(node, field)
        if value is None:
            return None
        if _DAY_RE.fullmatch(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.problem(node, field, f"expected a date YYYY-MM-DD, not {value!r}")
        return None

    def day_or_month(self, node: yaml.Node | None, field: str) -> tuple[str, dt.date] | None:
        """``YYYY-MM-DD`` or ``YYYY-MM``; returns the text and its first day."""
        value = self.text(node, field)
        if value is None:
            return None
        try:
            if _DAY_RE.fullmatch(value):
                return value, dt.date.fromisoformat(value)
            if _MONTH_RE.fullmatch(value):
                return value, dt.date.fromisoformat(value + "-01")
        except ValueError:
            pass
        self.problem(node, field, f"expected a date YYYY-MM-DD or a month YYYY-MM, not {value!r}")
        return None

    def sequence(self, node: yaml.Node | None, field: str) -> list[yaml.Node]:
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, field, "expected a list")
            return []
        if not node.value:
            self.problem(node, field, "must not be empty")
        return list(node.value)

    def lang_entries(self, node: yaml.Node, field: str) -> dict[str, yaml.Node] | None:
        return self.mapping(node, field, tuple(lang.value for lang in ALL_LANGS))
