import pytest
from django.core import mail
from django.test import Client
from django.utils import translation

from tests.accounts.factories import UserFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: cached pages and counts of an earlier test's data
    must not show (the database is rolled back, a cache is not)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _german_by_default():
    translation.activate("de")
    yield
    translation.deactivate()


@pytest.fixture
def outbox(transactional_db):
    """Mails handed to the mail backend. Mails leave only after the transaction commits, so
    tests that read them run with real transactions."""
    mail.outbox = []
    return mail.outbox


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def team_user(db):
    return UserFactory(is_staff=True, name="Team Person")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
