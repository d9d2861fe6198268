"""Secondary suppression: no hidden group can be worked out as "all" minus the shown ones.

The partition rule is tested on plain numbers; the rest against hand-built responses, where
``_respond_in`` creates organizations in a given Regierungsbezirk (by AGS) and size class.
"""

import itertools
import re

from initiativek.surveys.results import aggregate_compute
from initiativek.surveys.results.suppression import REMAINDER, Visibility, partition_shown
from tests.conftest import client_for
from tests.organizations.factories import MembershipFactory, OrganizationFactory
from tests.surveys.test_results import Survey, build_survey
from tests.surveys.test_results_views import HIDDEN, _page, _section

_ags_numbers = itertools.count(1)


# --- One partition, plain numbers ----------------------------------------------------------


def test_nothing_small_hides_nothing():
    assert partition_shown({"a": 3, "b": 4, "c": 0}, 3) == {"a", "b"}


def test_one_small_cell_takes_the_smallest_other_with_it():
    cells = {"081": 2, "082": 5, "083": 4, "084": 7}

    assert partition_shown(cells, 3) == {"082", "084"}


def test_two_small_cells_holding_the_threshold_together_need_no_more():
    cells = {"081": 1, "082": 2, "083": 4, "084": 5}

    assert partition_shown(cells, 3) == {"083", "084"}


def test_two_small_cells_below_the_threshold_together_take_one_more():
    cells = {"081": 1, "082": 1, "083": 4, "084": 5}

    assert partition_shown(cells, 3) == {"084"}


def test_a_small_never_shown_remainder_is_protected_like_a_small_cell():
    cells = {"a": 4, "b": 5, REMAINDER: 1}

    assert partition_shown(cells, 3, hidden={REMAINDER}) == {"b"}


def test_a_large_remainder_protects_a_small_cell_by_itself():
    cells = {"a": 1, "b": 5, "c": 6, REMAINDER: 4}

    assert partition_shown(cells, 3, hidden={REMAINDER}) == {"b", "c"}


def test_empty_cells_neither_count_as_hidden_nor_protect():
    assert partition_shown({"a": 0, "b": 4, REMAINDER: 0}, 3, hidden={REMAINDER}) == {"b"}
    assert partition_shown({"a": 0, "b": 2, "c": 3, "d": 4}, 3) == {"d"}


def test_ties_hide_the_first_in_order():
    assert partition_shown({"a": 2, "b": 4, "c": 4}, 3) == {"c"}
    assert partition_shown({"a": 2, "c": 4, "b": 4}, 3) == {"b"}


def test_everything_is_hidden_when_nothing_else_can_protect():
    assert partition_shown({"a": 2, "b": 3}, 3) == set()


# --- Hand-built responses ------------------------------------------------------------------


def _respond_in(survey, bezirk, count, *, population=8_000, **answers):
    """``count`` submitted responses of organizations in Regierungsbezirk ``bezirk`` ("081"; None:
    without AGS or region) with ``population`` (None: no size class); all say yes."""
    organizations = []
    for _index in range(count):
        ags = f"{bezirk}{next(_ags_numbers):05d}" if bezirk else ""
        organization = OrganizationFactory(population=population, ags=ags)
        survey.respond(organization, yes=True, **answers)
        organizations.append(organization)
    return organizations


def _visibility(survey, threshold=3):
    return Visibility(aggregate_compute(questionnaire=survey.questionnaire), threshold)


def _shown_bezirke(visibility):
    return sorted(key for key in visibility.groups if key.startswith("bezirk-"))


def test_a_bezirk_with_two_responses_hides_the_smallest_other_too(db):
    s = Survey()
    for bezirk, count in (("081", 2), ("082", 3), ("083", 4), ("084", 5)):
        _respond_in(s, bezirk, count)

    visibility = _visibility(s)

    # without 082, "all" (14) minus 083 and 084 would be the two responses of 081
    assert _shown_bezirke(visibility) == ["bezirk-083", "bezirk-084"]
    assert visibility.group_shown("alle") and visibility.group_shown("groesse-5000")


def test_two_small_bezirke_together_at_the_threshold_hide_nothing_more(db):
    s = Survey()
    for bezirk, count in (("081", 1), ("082", 2), ("083", 3), ("084", 4)):
        _respond_in(s, bezirk, count)

    assert _shown_bezirke(_visibility(s)) == ["bezirk-083", "bezirk-084"]


def test_two_small_bezirke_below_the_threshold_together_hide_one_more(db):
    s = Survey()
    for bezirk, count in (("081", 1), ("082", 1), ("083", 3), ("084", 4)):
        _respond_in(s, bezirk, count)

    assert _shown_bezirke(_visibility(s)) == ["bezirk-084"]


def test_organizations_without_population_are_a_cell_of_the_size_classes(db):
    s = Survey()
    _respond_in(s, "084", 3, population=1_000)
    _respond_in(s, "084", 4, population=8_000)
    _respond_in(s, "084", 1, population=None)  # a partner company: no size class

    visibility = _visibility(s)

    # showing both classes would give away the one organization without a size class
    assert not visibility.group_shown("groesse-0")
    assert visibility.group_shown("groesse-5000")


def test_organizations_without_bezirk_are_a_cell_of_the_bezirke(db):
    s = Survey()
    _respond_in(s, "081", 3)
    _respond_in(s, "084", 4)
    _respond_in(s, None, 1)

    assert _shown_bezirke(_visibility(s)) == ["bezirk-084"]


def test_many_organizations_without_bezirk_protect_a_small_one(db):
    s = Survey()
    _respond_in(s, "081", 2)
    _respond_in(s, "084", 4)
    _respond_in(s, None, 3)

    assert _shown_bezirke(_visibility(s)) == ["bezirk-084"]


def _per_question_survey():
    """Four Bezirke of 3, 3, 4 and 5 responses; all answer yes/no, but in 084 only two the
    scale question."""
    s = Survey()
    for bezirk, count in (("081", 3), ("082", 3), ("083", 4)):
        _respond_in(s, bezirk, count, scale=3)
    _respond_in(s, "084", 2, scale=4)
    _respond_in(s, "084", 3)
    return s


def test_a_question_hides_a_group_that_would_give_away_a_small_one(db):
    s = _per_question_survey()

    visibility = _visibility(s)

    assert _shown_bezirke(visibility) == ["bezirk-081", "bezirk-082", "bezirk-083", "bezirk-084"]
    shown = lambda question: [  # noqa: E731
        key for key in _shown_bezirke(visibility) if visibility.question_shown(key, question.pk)
    ]
    assert shown(s.yes_no) == ["bezirk-081", "bezirk-082", "bezirk-083", "bezirk-084"]
    # 084 has two answers; 081 (first of the two smallest) goes with it
    assert shown(s.scale) == ["bezirk-082", "bezirk-083"]
    assert visibility.question_shown("alle", s.scale.pk)


def test_a_question_keeps_the_groups_hidden_on_the_group_level(db):
    s = Survey()
    _respond_in(s, "081", 2)
    _respond_in(s, "082", 3)
    _respond_in(s, "083", 4)

    visibility = _visibility(s)

    # 082 is hidden to protect 081; on its own, its three answers would be enough
    assert not visibility.question_shown("bezirk-082", s.yes_no.pk)
    assert visibility.question_shown("bezirk-083", s.yes_no.pk)
    assert visibility.question_shown("alle", s.yes_no.pk)


def test_suppression_is_computed_without_queries(db, django_assert_num_queries):
    s = _per_question_survey()
    aggregate = aggregate_compute(questionnaire=s.questionnaire)

    with django_assert_num_queries(0):
        visibility = Visibility(aggregate, 3)
        for question in (s.yes_no, s.scale, s.text):
            visibility.question_shown("bezirk-081", question.pk)


# --- The page ------------------------------------------------------------------------------


def _member_page(organization, questionnaire, **params):
    client = client_for(MembershipFactory(organization=organization).user)
    return _page(client, questionnaire, **params)


def test_group_selector_offers_only_shown_groups(db):
    s = Survey()
    for bezirk, count in (("081", 2), ("082", 3), ("083", 4)):
        _respond_in(s, bezirk, count)

    html = _member_page(OrganizationFactory(), s.questionnaire)

    selector = re.search(r'<select[^>]*name="gruppe".*?</select>', html, re.S).group(0)
    assert "bezirk-081" not in selector and "bezirk-082" not in selector
    assert "Regierungsbezirk 083 (4 Antworten)" in selector
    assert "groesse-0" not in selector  # empty: nothing to show
    assert "zu wenige" not in selector


def test_a_group_hidden_to_protect_another_shows_no_figures(db):
    s = Survey()
    for bezirk, count in (("081", 2), ("082", 3), ("083", 4)):
        _respond_in(s, bezirk, count)

    html = _member_page(OrganizationFactory(), s.questionnaire, gruppe="bezirk-082")

    assert "Die Diagramme zeigen: Regierungsbezirk 082." in html
    assert HIDDEN in html
    assert "<svg" not in html


def test_a_question_hidden_to_protect_another_in_the_chosen_group(db):
    s = _per_question_survey()

    html = _member_page(OrganizationFactory(), s.questionnaire, gruppe="bezirk-081")

    assert HIDDEN in _section(html, "belastung")
    assert HIDDEN not in _section(html, "eakte")


def test_own_bezirk_hidden_to_protect_a_smaller_one_says_not_shown(db):
    survey = build_survey()  # Bezirk 081: one response (Bbach), 084: three

    html = _section(_member_page(survey.orgs["aach"], survey.questionnaire), "eakte")

    table = re.search(r'<table [^>]*results-comparison">.*?</table>', html, re.S).group(0)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", table)
    # Antworten: all 4; size class (1) and Bezirk 084 (3, but 4 − 3 is Bbach) not shown
    assert cells[:3] == ["4", "nicht ausgewiesen", "nicht ausgewiesen"]
    assert HIDDEN in html
    assert "75,0" in cells[3]  # Anteil „Ja“ of all
