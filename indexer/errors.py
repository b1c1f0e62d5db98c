"""Exceptions raised by the indexer; the web app maps them to HTTP answers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CorpusProblem:
    """One problem in the corpus: where it is and what is wrong."""

    file: str
    line: int | None
    field: str | None
    message: str
    column: int | None = None  # 1-based, when the problem is one character

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.line is not None and self.column is not None:
            where += f":{self.column}"
        field = f" [{self.field}]" if self.field else ""
        return f"{where}:{field} {self.message}"


class CorpusError(Exception):
    """The corpus is invalid; ``problems`` lists every problem found, each with file and line."""

    def __init__(self, problems: list[CorpusProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def file(self) -> str:
        return self.problems[0].file

    @property
    def line(self) -> int | None:
        return self.problems[0].line

    @property
    def field(self) -> str | None:
        return self.problems[0].field


class QueryError(ValueError):
    """A search request is invalid; ``param`` names the offending parameter."""

    def __init__(self, param: str, message: str, code: str = "invalid_parameter") -> None:
        super().__init__(message)
        self.param = param
        self.code = code
        self.message = message


class IndexUnavailable(RuntimeError):
    """No usable index exists at the configured location.

    ``str()`` is the reason, fit to show a client (no file system path, no exception
    text); ``detail`` adds what an operator needs (paths, the underlying error) and goes
    to the log and the command line.
    """

    def __init__(self, reason: str, detail: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail or reason


class DocumentNotFound(LookupError):
    """No document has the requested id."""


class VersionMissing(DocumentNotFound):
    """The report exists but not in the requested language; ``others`` are its versions."""

    def __init__(self, message: str, number: int, lang: str, others: tuple = ()) -> None:
        super().__init__(message)
        self.number = number
        self.lang = lang
        self.others = others
