"""The search engine over an index generation: the generation and its caches, the derived
arrays it serves from, matching, scoring, facets and ordering (numpy stays in here and in
the build)."""
