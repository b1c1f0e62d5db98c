"""Benchmarks of the index build, the search API and the production HTTP server.

``make bench`` (``python -m bench.run``) runs them all and writes ``bench/results.md``
and ``bench/results.json``; see :mod:`bench.run` for the sections and the targets.
"""
