import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.conftest import client_for

OUR_APPS = {"accounts", "core", "organizations", "projects", "events", "surveys", "cooperation"}


def _our_models():
    return [model for model in apps.get_models() if model._meta.app_label in OUR_APPS]


def test_every_model_is_in_the_admin_with_search_and_filters():
    for model in _our_models():
        model_admin = admin.site._registry.get(model)
        assert model_admin is not None, f"{model.__name__} is not in the admin"
        assert model_admin.search_fields, f"{model.__name__} has no search"
        assert model_admin.list_filter, f"{model.__name__} has no filters"


@pytest.mark.django_db
@pytest.mark.parametrize("model", _our_models(), ids=lambda model: model.__name__)
def test_admin_changelist_searches_without_error(model):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert client_for(superuser).get(url, {"q": "Ravensburg"}).status_code == 200
