"""Cross-script keys (placeholder)."""

MIN_KEY_LENGTH = 3


def key(word: str) -> str:
    """Return the romanised skeleton key of a normalised, stemmed word."""
    return word
