"""The one LRU cache of the service: bounds by count and by bytes, recency, counters."""

from __future__ import annotations

import threading

from indexer.engine.lru import LRUCache


def test_the_least_recently_used_value_goes_first() -> None:
    cache = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recent
    cache.put("c", 3)
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c")) == (1, 3)


def test_a_byte_bound_drops_old_values_and_refuses_oversized_ones() -> None:
    cache = LRUCache(None, max_bytes=10, sizeof=len)
    cache.put("a", "xxxx")
    cache.put("b", "yyyy")
    cache.put("c", "zzzz")  # 12 bytes would be kept: "a" goes
    assert cache.get("a") is None and cache.bytes == 8
    cache.put("big", "w" * 11)
    assert cache.get("big") is None and len(cache) == 2


def test_replacing_a_value_counts_its_size_once() -> None:
    cache = LRUCache(None, max_bytes=100, sizeof=len)
    cache.put("a", "xx")
    cache.put("a", "xxxxx")
    assert cache.bytes == 5 and len(cache) == 1


def test_size_zero_keeps_nothing_and_computes_every_time() -> None:
    cache = LRUCache(0)
    calls = []
    for _ in range(3):
        cache.get_or_compute("k", lambda: calls.append(1) or "v")
    assert len(calls) == 3 and len(cache) == 0 and cache.hits == 0


def test_get_or_compute_counts_hits_and_misses() -> None:
    cache = LRUCache(4)
    assert cache.get_or_compute("k", lambda: "v") == "v"
    assert cache.get_or_compute("k", lambda: "other") == "v"
    assert (cache.hits, cache.misses) == (1, 1)
    cache.clear()
    assert len(cache) == 0 and cache.bytes == 0


def test_threads_never_exceed_the_bounds() -> None:
    cache = LRUCache(50, max_bytes=400, sizeof=lambda v: 8)

    def fill(offset: int) -> None:
        for i in range(500):
            cache.put((offset, i), i)
            cache.get((offset, i - 3))

    threads = [threading.Thread(target=fill, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(cache) <= 50 and cache.bytes == 8 * len(cache) <= 400


def test_every_cache_of_the_service_is_bounded_in_bytes(index_dir):
    from indexer import snippets
    from indexer.engine.generation import SearchIndex
    from indexer.records import SearchRequest
    from indexer.search import search
    from webapp import create_app
    from webapp.api import ANSWERS

    index = SearchIndex(index_dir)
    result = search(index, SearchRequest(q="torture"))
    gen = index.generation()
    app = create_app({"INDEX_DIR": str(index_dir)})
    caches = {
        "results": index.cache,
        "plans": gen.plans,
        "postings": gen.postings.cache,
        "tokenised summaries": snippets._TOKENS,
        "API answers": app.extensions[ANSWERS],
    }
    for name, cache in caches.items():
        assert cache.max_bytes is not None, name
    # Sizes are estimated from what is kept: a result with hits weighs more than none.
    assert index.cache.bytes > 0 and gen.plans.bytes > 0 and snippets._TOKENS.bytes > 0
    empty = search(index, SearchRequest(q="zzzzqqq"))
    assert index.cache._sizeof(result) > index.cache._sizeof(empty)


def test_resizing_drops_the_least_recently_used_past_the_new_bound() -> None:
    cache = LRUCache(None, max_bytes=100, sizeof=len)
    for key in "abcd":
        cache.put(key, "x" * 20)
    cache.get("a")  # "b" is now the least recently used, then "c"
    cache.resize(45)
    assert list(cache.entries) == ["d", "a"] and cache.bytes == 40
    cache.resize(None)
    cache.put("e", "y" * 500)
    assert cache.get("e") == "y" * 500 and len(cache) == 3
