"""Developer tools that are not part of the served packages (``make eval-analysis``)."""
