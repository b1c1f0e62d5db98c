"""Full reports: PDF text extracted and written as a passage index at build time
(``extraction``), passages searched and shown (``passages``), and a report's full reports
and language versions as links (``links``)."""
