"""Text normalisation shared by search features."""


def search_text(value: str) -> str:
    """Lower-case for matching across databases: 'Überlingen' → 'überlingen', 'Straße' →
    'strasse'. SQLite's LIKE folds only ASCII letters, so we store and search folded text."""
    return " ".join(value.casefold().split())
