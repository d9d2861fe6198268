"""The weights: COOPERATION_MATCH_WEIGHTS read from the environment and validated at start-up,
and the team's row in the Django admin on top of it."""

import logging
import math

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse

from initiativek.conf.base import env_mapping
from initiativek.cooperation.matching import SIGNALS, Weights
from initiativek.cooperation.models import MatchWeights
from initiativek.cooperation.recommendations.config import (
    effective_match_weights,
    match_weights,
    weights_from_setting,
)
from initiativek.cooperation.recommendations.index import match_index_clear, match_index_get
from tests.conftest import client_for

NAME = "COOPERATION_MATCH_WEIGHTS"


@pytest.mark.parametrize("value", [None, "", {}])
def test_empty_setting_means_engine_defaults(value):
    assert weights_from_setting(value) == Weights()


def test_named_weights_replace_defaults_and_keep_the_rest():
    weights = weights_from_setting({"learning": 5, "distance": 0.0})
    assert weights.learning == 5.0
    assert weights.distance == 0.0
    assert weights.text == Weights().text


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ({"lerning": 1}, "lerning"),
        ({"learning": "viel"}, "learning"),
        ({"learning": -1}, "learning"),
        ({"learning": math.nan}, "learning"),
        ({"learning": math.inf}, "learning"),
        ({"learning": True}, "learning"),
        ({1: 2.0}, "1"),
    ],
)
def test_malformed_weights_are_a_clear_error_naming_the_entry(value, named):
    with pytest.raises(ImproperlyConfigured) as error:
        weights_from_setting(value)
    assert NAME in str(error.value)
    assert named in str(error.value)


@pytest.mark.parametrize("value", ["learning=5", ["learning", 5], 3.0])
def test_setting_must_be_a_mapping(value):
    with pytest.raises(ImproperlyConfigured):
        weights_from_setting(value)


def test_weights_are_read_from_settings_when_asked():
    with override_settings(COOPERATION_MATCH_WEIGHTS={"survey": 0}):
        assert match_weights().survey == 0.0
    assert match_weights() == Weights()


def test_environment_as_name_value_pairs(monkeypatch):
    monkeypatch.setenv(NAME, " learning = 4, distance=0.5 ,")
    assert env_mapping(NAME) == {"learning": 4.0, "distance": 0.5}


def test_environment_as_json_object(monkeypatch):
    monkeypatch.setenv(NAME, '{"text": 2.5, "kind": 0}')
    assert env_mapping(NAME) == {"text": 2.5, "kind": 0}


def test_environment_unset_is_empty(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)
    assert env_mapping(NAME) == {}


def test_environment_non_number_is_left_for_validation_which_names_it(monkeypatch):
    monkeypatch.setenv(NAME, "learning=viel")
    with pytest.raises(ImproperlyConfigured, match="learning"):
        weights_from_setting(env_mapping(NAME))


@pytest.mark.parametrize("value", ["learning", "=4", '{"text": ', "[1, 2]"])
def test_environment_with_broken_syntax_stops_the_start(monkeypatch, value):
    monkeypatch.setenv(NAME, value)
    with pytest.raises(ImproperlyConfigured, match=NAME):
        env_mapping(NAME)


def test_app_start_refuses_malformed_weights():
    from django.apps import apps

    config = apps.get_app_config("cooperation")
    with (
        override_settings(COOPERATION_MATCH_WEIGHTS={"lerning": 1}),
        pytest.raises(ImproperlyConfigured, match="lerning"),
    ):
        config.ready()
    config.ready()  # the configured (default) weights are fine


# --- the team's weights in the Django admin ---------------------------------------------------


def test_weights_model_has_a_field_per_engine_signal():
    names = {field.name for field in MatchWeights._meta.get_fields()}
    assert set(SIGNALS) <= names


@pytest.mark.django_db
def test_team_weights_override_the_setting_signal_by_signal():
    MatchWeights.objects.create(distance=2.0)
    with override_settings(COOPERATION_MATCH_WEIGHTS={"learning": 5, "distance": 0.2}):
        weights = effective_match_weights()
    assert weights.distance == 2.0  # the team's row
    assert weights.learning == 5.0  # the setting, the row leaves it empty
    assert weights.text == Weights().text  # the engine default


@pytest.mark.django_db
def test_without_team_weights_the_setting_counts():
    with override_settings(COOPERATION_MATCH_WEIGHTS={"survey": 0}):
        assert effective_match_weights() == Weights(survey=0.0)


@pytest.mark.django_db
@pytest.mark.parametrize("value", [-1.0, 100.5, math.nan, math.inf])
def test_invalid_team_weights_are_refused(value):
    with pytest.raises(ValidationError):
        MatchWeights(learning=value).full_clean()


@pytest.mark.django_db
def test_only_one_row_of_team_weights():
    MatchWeights.objects.create(learning=1.0)
    with pytest.raises(ValidationError, match="schon Gewichte"):
        MatchWeights(learning=2.0).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchWeights.objects.create(learning=2.0)


@pytest.mark.django_db
def test_a_row_written_around_validation_is_logged_and_ignored(caplog):
    MatchWeights.objects.create(learning=-1.0)
    with caplog.at_level(logging.ERROR):
        assert effective_match_weights() == match_weights()
    assert "MatchWeights" in caplog.text


@pytest.mark.django_db
def test_changed_team_weights_take_effect_without_restart():
    match_index_clear()
    try:
        before = match_index_get()
        MatchWeights.objects.create(distance=0.0)
        after = match_index_get()
        assert after is not before
        assert after.weights.distance == 0.0
    finally:
        match_index_clear()


ADD_URL = reverse("admin:cooperation_matchweights_add")


def _admin_data(**values):
    return {name: values.get(name, "") for name in SIGNALS}


@pytest.mark.django_db
def test_team_sets_the_weights_in_the_admin(team_user):
    client = client_for(team_user)
    assert client.get(ADD_URL).status_code == 200
    response = client.post(ADD_URL, _admin_data(learning="4.5"))
    assert response.status_code == 302
    row = MatchWeights.objects.get()
    assert (row.learning, row.distance, row.updated_by) == (4.5, None, team_user)
    assert client.get(ADD_URL).status_code == 403  # one row only: change it instead
    change_url = reverse("admin:cooperation_matchweights_change", args=[row.pk])
    assert client.get(change_url).status_code == 200


@pytest.mark.django_db
def test_admin_refuses_invalid_weights(team_user):
    response = client_for(team_user).post(ADD_URL, _admin_data(learning="-2"))
    assert response.status_code == 200
    assert not MatchWeights.objects.exists()


@pytest.mark.django_db
def test_only_the_team_reaches_the_weights(user):
    assert client_for(user).get(ADD_URL).status_code == 302  # to the admin login
