"""Belarusian stemmer (placeholder: identity until the real one lands)."""


def stem(word: str) -> str:
    """Return the stem of a normalised Belarusian word."""
    return word
