"""Project texts as TF-IDF vectors over German stems, and the pruned vectors that the
organization-level products use.

Words are lower-cased, ß and umlauts folded (so "Bürger", "Buerger" and "Burger" meet), stop
words and words of one character or only digits dropped, then stemmed by the Snowball German
stemmer. Stems are cached: texts repeat their words, and the pure-Python stemmer is the slow part.
"""

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
import snowballstemmer

# German function words, plus words that every project text of the platform uses and that
# therefore say nothing about what two projects share ("Projekt", "Kommune", the demo markers).
_STOPWORD_TEXT = """
    aber alle allem allen aller alles als also am an andere anderem anderen anderer anderes
    auch auf aus bei beim bereits bin bis bisher bist da dabei dadurch dafür damit dann darauf
    darin darum das dass dem den denen der deren des dessen dich die dies diese diesem diesen
    dieser dieses doch dort du durch ebenfalls ein eine einem einen einer eines einige einigen
    einiger einmal er es etwa etwas euch für gegen gibt hat hatte hatten hier ich ihm ihn ihr
    ihre ihrem ihren ihrer ihres im in ins insbesondere ist ja je jede jedem jeden jeder jedes
    jetzt kann kein keine keinem keinen keiner können könnte man mehr mit muss müssen nach neben
    nicht nichts noch nun nur ob oder ohne pro sehr sein seine seinem seinen seiner seit sich sie
    sind so sodass soll sollen sollte sowie über um und uns unser unsere unter viel viele vom von
    vor während war waren was weil weiter welche welchem welchen welcher wenn wer werden wie wir
    wird wo wurde wurden zu zum zur zwischen
    beispiel beispielprojekt demodaten gemeinde gemeinden initiative kommune kommunen kommunal
    kommunale kommunalen projekt projekte projekten projekts stadt städte vorhaben
"""


def _fold(word: str) -> str:
    return (
        word.replace("ß", "ss")
        .replace("ä", "a")
        .replace("ö", "o")
        .replace("ü", "u")
        .replace("ae", "a")
        .replace("oe", "o")
        .replace("ue", "u")
    )


STOPWORDS = frozenset(_fold(word) for word in _STOPWORD_TEXT.split())

# Letters and digits; hyphens, slashes, underscores and punctuation separate words.
_WORD = re.compile(r"[^\W_]+")
_stemmer = snowballstemmer.stemmer("german")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str | None:
    """The stem of one lower-cased word, or None for a stop word or a word without meaning."""
    folded = _fold(word)
    if len(folded) < 2 or folded.isdigit() or folded in STOPWORDS:
        return None
    return _fold(_stemmer.stemWord(folded))


def tokenize(text: str) -> list[str]:
    """The stems of ``text`` in order, without stop words (the analyzer of the TF-IDF)."""
    stems = []
    for word in _WORD.findall(text.lower()):
        stemmed = stem(word)
        if stemmed is not None:
            stems.append(stemmed)
    return stems


# The organization-level text products keep only the strongest terms of each vector (then
# renormalised): the words that make a text specific. Generic words ("Verwaltung", "Bürger")
# occur in most texts, weigh little after IDF, but make the sparse products nearly dense.
PROJECT_TERMS = 24
ORGANIZATION_TERMS = 64
# Terms in more than this share of the project texts (and in more than FREQUENT_MIN texts, so
# that small corpora keep all their words) are left out of those products too.
FREQUENT_SHARE = 0.1
FREQUENT_MIN = 100


def tfidf(texts: Sequence[str]) -> sp.csr_matrix:
    """TF-IDF of ``texts`` (sublinear term frequency, smoothed IDF), L2-normalised rows.

    Terms are numbered in order of first appearance, so equal input gives equal matrices.
    """
    vocabulary: dict[str, int] = {}
    indptr = [0]
    indices: list[int] = []
    counts: list[int] = []
    for text in texts:
        row: dict[int, int] = {}
        for term in tokenize(text):
            column = vocabulary.setdefault(term, len(vocabulary))
            row[column] = row.get(column, 0) + 1
        indices.extend(row)
        counts.extend(row.values())
        indptr.append(len(indices))
    shape = (len(texts), len(vocabulary))
    matrix = sp.csr_matrix(
        (np.array(counts, dtype=np.float64), np.array(indices, dtype=np.int32), np.array(indptr)),
        shape=shape,
    )
    document_frequency = np.bincount(matrix.indices, minlength=shape[1])
    idf = np.log((1 + shape[0]) / (1 + document_frequency)) + 1
    matrix.data = (1 + np.log(matrix.data)) * idf[matrix.indices]
    return normalised(matrix)


def without_frequent_terms(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """``matrix`` without the columns of terms in too many rows, rows L2-normalised again."""
    frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
    limit = max(FREQUENT_SHARE * matrix.shape[0], FREQUENT_MIN)
    return normalised(matrix @ sp.diags((frequency <= limit).astype(np.float64)))


def top_terms(matrix: sp.spmatrix, count: int) -> sp.csr_matrix:
    """Each row reduced to its ``count`` largest entries (ties by column), L2-normalised."""
    matrix = csr(matrix)
    row_of = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    order = np.lexsort((matrix.indices, -matrix.data, row_of))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - matrix.indptr[row_of[order]]
    keep = rank < count
    pruned = sp.csr_matrix(
        (matrix.data[keep], (row_of[keep], matrix.indices[keep])), shape=matrix.shape
    )
    return normalised(pruned)


def csr(matrix: sp.spmatrix) -> sp.csr_matrix:
    result = sp.csr_matrix(matrix)
    result.sum_duplicates()
    result.sort_indices()
    return result


def normalised(matrix: sp.spmatrix) -> sp.csr_matrix:
    """Rows scaled to length 1; empty rows stay empty."""
    matrix = csr(matrix)
    squares = matrix.multiply(matrix).sum(axis=1).A1
    norms = np.sqrt(squares, where=squares > 0, out=np.ones_like(squares))
    return csr(sp.diags(1 / norms) @ matrix)
