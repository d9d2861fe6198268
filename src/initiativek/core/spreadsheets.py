"""Helpers for spreadsheet exports (CSV and XLSX) shared by the apps.

Cells that a spreadsheet would read as a formula are prefixed with an apostrophe (CSV/formula
injection: anyone who can type a name could otherwise plant ``=HYPERLINK(…)`` in an export).
"""

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """``value`` made inert for spreadsheets: characters a spreadsheet can't hold are removed
    first, then a leading formula character (after any whitespace) gets an apostrophe."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value or "")
    if value.lstrip().startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
