"""Plain arithmetic of the results: summaries of a value histogram and the bins of numbers.

No database, no Django models – histograms map a value to how many gave it, so medians are
exact without holding one row per answer.
"""

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

PERCENT_BIN_WIDTH = 10
NUMBER_BIN_TARGET = 5  # "a handful" of bins for free numbers
PER_VALUE_LIMIT = 6  # whole numbers spanning at most this many values get a bar each


@dataclass(frozen=True)
class Summary:
    n: int
    mean: Decimal
    median: Decimal
    minimum: Decimal
    maximum: Decimal


@dataclass(frozen=True)
class Bin:
    """``low`` to ``high``; ``closed`` includes ``high`` (the last bin, or a single value)."""

    low: Decimal
    high: Decimal
    closed: bool = False

    def contains(self, value: Decimal) -> bool:
        if self.closed:
            return self.low <= value <= self.high
        return self.low <= value < self.high


def histogram_merge(histograms) -> dict[Decimal, int]:
    merged: dict[Decimal, int] = {}
    for histogram in histograms:
        for value, count in histogram.items():
            merged[value] = merged.get(value, 0) + count
    return merged


def _nth(ordered: list[tuple[Decimal, int]], position: int) -> Decimal:
    """The value at 1-based ``position`` of the sorted answers."""
    seen = 0
    for value, count in ordered:
        seen += count
        if seen >= position:
            return value
    raise IndexError(position)


def histogram_summary(histogram: dict[Decimal, int]) -> Summary | None:
    """n, mean, exact median (mean of the two middle values for even n), minimum, maximum."""
    ordered = sorted((value, count) for value, count in histogram.items() if count > 0)
    n = sum(count for _value, count in ordered)
    if n == 0:
        return None
    total = sum((value * count for value, count in ordered), Decimal(0))
    if n % 2:
        median = _nth(ordered, n // 2 + 1)
    else:
        median = (_nth(ordered, n // 2) + _nth(ordered, n // 2 + 1)) / 2
    return Summary(
        n=n,
        mean=total / n,
        median=median,
        minimum=ordered[0][0],
        maximum=ordered[-1][0],
    )


def percent_bins() -> list[Bin]:
    """0 to under 10, …, 90 to 100 (inclusive)."""
    width = Decimal(PERCENT_BIN_WIDTH)
    bins = [Bin(width * i, width * (i + 1)) for i in range(9)]
    return [*bins, Bin(Decimal(90), Decimal(100), closed=True)]


def _nice_step(raw: Decimal) -> Decimal:
    """The smallest of 1, 2, 2.5, 5 × 10^k that is at least ``raw`` (2.5 only from 25 on, so
    whole numbers keep whole edges)."""
    exponent = math.floor(math.log10(raw))
    factors = ("1", "2", "2.5", "5", "10") if exponent >= 1 else ("1", "2", "5", "10")
    for factor in (Decimal(f) for f in factors):
        step = factor * Decimal(10) ** exponent
        if step >= raw:
            return step
    return Decimal(10) ** (exponent + 1)  # pragma: no cover – 10 always matches


def number_bins(minimum: Decimal, maximum: Decimal) -> list[Bin]:
    """A handful of bins with round edges covering ``minimum`` to ``maximum``."""
    if minimum == maximum:
        return [Bin(minimum, maximum, closed=True)]
    whole = minimum == minimum.to_integral_value() and maximum == maximum.to_integral_value()
    if whole and maximum - minimum < PER_VALUE_LIMIT:
        return [
            Bin(Decimal(value), Decimal(value), closed=True)
            for value in range(int(minimum), int(maximum) + 1)
        ]
    step = _nice_step((maximum - minimum) / NUMBER_BIN_TARGET)
    low = (minimum / step).to_integral_value(rounding="ROUND_FLOOR") * step
    bins = []
    while low < maximum:
        bins.append(Bin(low, low + step))
        low += step
    if bins[-1].high == maximum:  # rather than a last bin holding only the maximum
        bins[-1] = Bin(bins[-1].low, maximum, closed=True)
    return bins


def bin_index(bins: list[Bin], value: Decimal | None) -> int | None:
    if value is None:
        return None
    for index, candidate in enumerate(bins):
        if candidate.contains(value):
            return index
    return None


def decimal_display(value: Decimal, places: int | None = None) -> str:
    """German (locale) formatting: "1.234,5"; without ``places`` as many as needed (≤ 2)."""
    if places is None:
        value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        places = 0 if value == value.to_integral_value() else (1 if value * 10 % 1 == 0 else 2)
    # number_format cuts off digits; round first (12,45 → 12,5 with one place)
    value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def share_display(count: int, total: int) -> str:
    """ "12,5 %" (one decimal, no-break space before the sign)."""
    share = Decimal(count * 100) / total if total else Decimal(0)
    return f"{decimal_display(share, 1)}\u00a0%"
