"""Size classes and Regierungsbezirke of answering organizations, and the plain arithmetic."""

from decimal import Decimal

import pytest
from django.utils import translation

from initiativek.organizations.constants import OrganizationKind, RegionLevel
from initiativek.surveys.models import Response
from initiativek.surveys.results.groups import (
    bezirk_of_key,
    cell_annotations,
    cell_groups,
    organization_bezirk,
    organization_size_class,
    size_class,
)
from initiativek.surveys.results.stats import (
    Bin,
    decimal_display,
    histogram_summary,
    number_bins,
    share_display,
)
from tests.organizations.factories import OrganizationFactory, RegionFactory
from tests.surveys.factories import QuestionnaireFactory, ResponseFactory


@pytest.mark.parametrize(
    ("population", "expected"),
    [(None, None), (0, 0), (4_999, 0), (5_000, 5_000), (49_999, 20_000), (250_000, 100_000)],
)
def test_population_classes(population, expected):
    assert size_class(population) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [("08416041", "084"), ("08111", "081"), ("08", None), ("", None), (None, None)],
)
def test_bezirk_is_the_first_three_digits(key, expected):
    assert bezirk_of_key(key) == expected


def _organizations():
    """(organization, expected size class, expected Bezirk) for every fallback."""
    region = RegionFactory(key="08335043", level=RegionLevel.GEMEINDE)
    land = RegionFactory(key="08", level=RegionLevel.LAND, name="Baden-Württemberg")
    town = OrganizationFactory(population=60_000, ags="08416041")
    return [
        (town, 50_000, "084"),
        # Stadtwerke: population and AGS of the town they belong to
        (OrganizationFactory(kind=OrganizationKind.STADTWERKE, parent=town), 50_000, "084"),
        # own figures win over the parent's
        (OrganizationFactory(population=900, ags="08111000", parent=town), 0, "081"),
        # no AGS anywhere: the region's key
        (OrganizationFactory(population=7_000, region=region), 5_000, "083"),
        # nor there: the parent's region
        (
            OrganizationFactory(
                kind=OrganizationKind.STADTWERKE,
                parent=OrganizationFactory(ags="", population=None, region=region),
            ),
            None,
            "083",
        ),
        # a region above the Regierungsbezirke gives none; no population: no size class
        (OrganizationFactory(kind=OrganizationKind.SONSTIGE, region=land), None, None),
        (OrganizationFactory(kind=OrganizationKind.PARTNER), None, None),
    ]


@pytest.mark.parametrize(
    ("bezirk", "size", "expected"),
    [
        ("084", 5_000, ["alle", "groesse-5000", "bezirk-084"]),
        ("084", None, ["alle", "bezirk-084"]),
        (None, 0, ["alle", "groesse-0"]),
        (None, None, ["alle"]),
    ],
)
def test_a_cell_counts_for_all_its_size_class_and_its_bezirk(bezirk, size, expected):
    assert cell_groups(bezirk, size) == expected


def test_organizations_are_grouped_with_fallbacks_in_python(db):
    for organization, size, bezirk in _organizations():
        assert organization_size_class(organization) == size, organization
        assert organization_bezirk(organization) == bezirk, organization


def test_database_grouping_matches_the_python_rule(db):
    questionnaire = QuestionnaireFactory()
    expected = {}
    for organization, size, bezirk in _organizations():
        response = ResponseFactory(questionnaire=questionnaire, organization=organization)
        expected[response.pk] = (size, bezirk)

    rows = Response.objects.annotate(**cell_annotations("")).values_list("pk", "size", "bezirk")

    assert {pk: (size, bezirk_of_key(bezirk)) for pk, size, bezirk in rows} == expected


def test_median_of_odd_and_even_histograms():
    odd = histogram_summary({Decimal(1): 1, Decimal(3): 1, Decimal(8): 1})
    even = histogram_summary({Decimal(1): 1, Decimal(2): 2, Decimal(7): 1})

    assert (odd.n, odd.median, odd.mean) == (3, 3, 4)
    assert (even.n, even.median, even.mean) == (4, 2, 3)
    assert histogram_summary({}) is None


def test_median_between_two_different_middle_values():
    summary = histogram_summary({Decimal(1): 2, Decimal(4): 2})

    assert summary.median == Decimal("2.5")


def test_number_bins_are_round():
    assert number_bins(Decimal(10), Decimal(100))[0] == Bin(Decimal(0), Decimal(20))
    assert number_bins(Decimal(10), Decimal(100))[-1] == Bin(Decimal(80), Decimal(100), closed=True)
    assert [b.low for b in number_bins(Decimal(3), Decimal(1234))] == [0, 250, 500, 750, 1000]
    assert [b.low for b in number_bins(Decimal("0.2"), Decimal("1.9"))] == [
        Decimal("0"),
        Decimal("0.5"),
        Decimal("1"),
        Decimal("1.5"),
    ]


def test_few_whole_numbers_get_a_bar_each():
    bins = number_bins(Decimal(1), Decimal(4))

    assert [(b.low, b.high) for b in bins] == [(Decimal(v), Decimal(v)) for v in range(1, 5)]


def test_one_distinct_number_gets_one_bin():
    assert number_bins(Decimal(7), Decimal(7)) == [Bin(Decimal(7), Decimal(7), closed=True)]


def test_every_value_falls_into_exactly_one_bin():
    values = [Decimal("0.5"), Decimal("17.25"), Decimal(40), Decimal("99.99"), Decimal(100)]
    bins = number_bins(min(values), max(values))

    for value in values:
        assert sum(item.contains(value) for item in bins) == 1, value


def test_german_number_formatting_rounds_half_up():
    with translation.override("de"):
        assert decimal_display(Decimal("1234.5"), 1) == "1.234,5"
        assert decimal_display(Decimal("66.25"), 1) == "66,3"
        assert decimal_display(Decimal("40.00")) == "40"
        assert decimal_display(Decimal("12.50")) == "12,5"
        assert share_display(1, 8) == "12,5\u00a0%"
        assert share_display(0, 0) == "0,0\u00a0%"
