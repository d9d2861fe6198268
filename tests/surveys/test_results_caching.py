"""The aggregate kept per process in front of the shared cache, and what is derived from it
once for every viewer: results stay those of the shared cache, and nothing of one viewer
reaches another."""

import pickle
import re
from collections import OrderedDict

import pytest
from django.core.cache import cache
from django.utils import translation

from initiativek.surveys.models import Questionnaire
from initiativek.surveys.results import aggregate as aggregate_module
from initiativek.surveys.results import results_aggregate
from tests.organizations.factories import OrganizationFactory
from tests.surveys.test_results import Survey, build_survey
from tests.surveys.test_results_views import _member_of, _page, _section


@pytest.fixture
def survey(db):
    return build_survey()


def _aggregate(questionnaire):
    with translation.override("de"):
        return results_aggregate(questionnaire=Questionnaire.objects.get(pk=questionnaire.pk))


def _one_more_response(survey):
    """A response saved without a new results version (as a bulk change would)."""
    survey.respond(OrganizationFactory(), yes=True)


# --- The process's copy --------------------------------------------------------------------


def test_the_process_reuses_its_copy_while_the_shared_cache_holds_it(survey):
    first = _aggregate(survey.questionnaire)

    assert _aggregate(survey.questionnaire) is first


def test_clearing_the_shared_cache_drops_the_process_copy(survey):
    assert _aggregate(survey.questionnaire).total == 4
    _one_more_response(survey)
    assert _aggregate(survey.questionnaire).total == 4  # still cached

    cache.clear()

    assert _aggregate(survey.questionnaire).total == 5


def test_an_aggregate_computed_by_another_process_replaces_the_copy(survey, monkeypatch):
    mine = _aggregate(survey.questionnaire)
    _one_more_response(survey)
    cache.clear()
    # Another process (its own, empty copies) computes the aggregate anew.
    kept = aggregate_module._kept
    monkeypatch.setattr(aggregate_module, "_kept", OrderedDict())
    assert _aggregate(survey.questionnaire).total == 5
    monkeypatch.setattr(aggregate_module, "_kept", kept)

    again = _aggregate(survey.questionnaire)

    assert mine.total == 4 and again.total == 5


def test_a_new_results_version_is_a_new_aggregate(survey):
    before = _aggregate(survey.questionnaire)
    _one_more_response(survey)
    Questionnaire.objects.filter(pk=survey.questionnaire.pk).update(results_version=1)

    assert _aggregate(survey.questionnaire).total == 5
    assert before.total == 4
    kept = [slot for slot in aggregate_module._kept if slot[0] == survey.questionnaire.pk]
    assert kept == [(survey.questionnaire.pk, "de")]  # the new version replaced the old one


def test_derived_values_stay_in_the_process(survey):
    _page(_member_of(survey.orgs["aach"]), survey.questionnaire)
    aggregate = _aggregate(survey.questionnaire)
    assert aggregate._derived  # the page filled them

    copy = pickle.loads(pickle.dumps(aggregate))  # noqa: S301 – our own object

    assert copy._derived == {}
    assert copy == aggregate


# --- Shared derived values, per-viewer highlights ------------------------------------------


def _own_rows(html):
    return re.findall(r'<th scope="row" class="kern-table__cell">([^<]*) <strong', html)


def test_own_answers_are_not_shared_between_viewers(survey):
    aach = _member_of(survey.orgs["aach"])
    bbach = _member_of(survey.orgs["bbach"])
    neutral = _member_of(OrganizationFactory())

    first = _section(_page(aach, survey.questionnaire), "zugang")
    other = _section(_page(bbach, survey.questionnaire), "zugang")
    none = _section(_page(neutral, survey.questionnaire), "zugang")
    again = _section(_page(aach, survey.questionnaire), "zugang")

    assert _own_rows(first) == ["VPN"] and _own_rows(again) == ["VPN"]
    assert _own_rows(other) == ["VDI"]
    assert _own_rows(none) == []
    assert "Ihre Antwort: VPN" in first and "Ihre Antwort: VPN" not in other
    assert 'class="results-chart__own"' not in none


def test_threshold_changes_apply_to_the_kept_aggregate(survey, settings):
    client = _member_of(OrganizationFactory())
    assert "<svg" not in _page(client, survey.questionnaire, gruppe="groesse-50000")

    settings.SURVEY_MIN_GROUP_SIZE = 1

    assert "<svg" in _page(client, survey.questionnaire, gruppe="groesse-50000")


def test_texts_and_contact_names_rendered_once_are_escaped(db):
    s = Survey()
    for index in range(3):
        s.respond(
            OrganizationFactory(name=f"<b>Org {index}</b> & Co"),
            single="VPN",
            text=f"<script>alert({index})</script>",
            consent_named_text=True,
            consent_contact=True,
        )
    client = _member_of(OrganizationFactory())

    for html in (_page(client, s.questionnaire), _page(client, s.questionnaire)):
        texts = _section(html, "lehren")
        contacts = _section(html, "zugang")
        assert "&lt;script&gt;alert(0)&lt;/script&gt;" in texts
        assert "<script>alert" not in html
        assert "&lt;b&gt;Org 0&lt;/b&gt; &amp; Co</a>" in texts
        assert "&lt;b&gt;Org 1&lt;/b&gt; &amp; Co</a></li>" in contacts
        assert "<b>Org" not in html
