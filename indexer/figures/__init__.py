"""Figures across reports: every count the summaries state, traced, quoted and cited
(issue 27).  See ``corpus/figures.yaml`` for the data and :mod:`indexer.figures.loading`
for how it is checked against the text."""
