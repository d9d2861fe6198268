import json

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from initiativek.accounts import services as account_services


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    """Rate-limit counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


def token_client(user) -> APIClient:
    """An API client that authenticates with a fresh personal token of ``user``."""
    _token, raw = account_services.api_token_create(user=user, name="Test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["status"] == status
    assert body["type"].startswith("urn:initiativek:problem:")
    assert body["title"] and body["detail"] and body["instance"]
    return body
