"""iapb-search indexer: corpus loading, analysis, the Whoosh index and the pure search API.

Everything that knows about Whoosh lives in this package; the web app only sees
:mod:`indexer.search` and the records of :mod:`indexer.records`.
"""
