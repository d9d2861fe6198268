"""The cached index is rebuilt in the background: requests are served the previous index
instead of queueing behind a rebuild. A fake builder, held by events, stands in for the
expensive build (no database, no sleeping)."""

import logging
import threading

import pytest

from initiativek.cooperation.matching import Weights
from initiativek.cooperation.recommendations import index as index_module
from initiativek.cooperation.recommendations.index import (
    LoadedIndex,
    match_index_clear,
    match_index_get,
    match_index_wait,
)
from tests.projects.factories import ProjectFactory

WAIT = 0.5  # seconds; only reached when the behaviour is broken


class FakeBuilder:
    """Builds an empty index for the given signature – once ``release`` is set."""

    def __init__(self):
        self.release = threading.Event()
        self.started = threading.Event()
        self.threads: list[threading.Thread] = []
        self.fail = False

    def __call__(self, signature, weights):
        self.threads.append(threading.current_thread())
        self.started.set()
        if not self.release.wait(WAIT * 4):
            raise TimeoutError("the test never released the build")
        if self.fail:
            raise RuntimeError("the database went away")
        return LoadedIndex(
            index=None,
            organizations={},
            projects={},
            weights=weights,
            signature=signature,
            project_owners=frozenset(),
        )


@pytest.fixture
def data():
    return {"version": 1}


@pytest.fixture
def builder(monkeypatch, data):
    fake = FakeBuilder()
    monkeypatch.setattr(index_module, "_build", fake)
    monkeypatch.setattr(index_module, "effective_match_weights", Weights)
    monkeypatch.setattr(index_module, "input_signature", lambda: data["version"])
    match_index_clear()
    yield fake
    fake.release.set()
    assert match_index_wait(WAIT)
    match_index_clear()


def _version(loaded):
    return loaded.signature[0]


def _first_index(builder):
    builder.release.set()
    loaded = match_index_get()
    builder.release.clear()
    builder.started.clear()
    return loaded


def test_the_first_index_is_built_in_the_request(builder):
    loaded = _first_index(builder)
    assert builder.threads == [threading.current_thread()]
    assert _version(loaded) == 1
    assert not loaded.stale


def test_requests_get_the_previous_index_while_one_rebuild_runs(builder, data):
    first = _first_index(builder)
    data["version"] = 2
    served = match_index_get()  # would block until the build times out if it queued
    assert served.stale
    assert _version(served) == 1 and served.index is first.index
    assert builder.started.wait(WAIT)
    assert builder.threads[-1] is not threading.current_thread()
    data["version"] = 3
    assert match_index_get().stale  # a second request during the rebuild: no second build
    assert len(builder.threads) == 2
    builder.release.set()
    assert match_index_wait(WAIT)
    rebuilt = match_index_get()  # built for version 2, version 3 follows in the background
    assert _version(rebuilt) == 2 and rebuilt.stale
    assert match_index_wait(WAIT)
    fresh = match_index_get()
    assert _version(fresh) == 3 and not fresh.stale
    assert len(builder.threads) == 3


def test_a_failed_rebuild_is_logged_and_the_old_index_stays(builder, data, caplog, monkeypatch):
    first = _first_index(builder)
    builder.fail = True
    builder.release.set()
    data["version"] = 2
    with caplog.at_level(logging.ERROR, logger=index_module.__name__):
        assert match_index_get().stale
        assert match_index_wait(WAIT)
    assert "rebuilding the matching index failed" in caplog.text
    kept = match_index_get()
    assert kept.stale and kept.index is first.index
    assert len(builder.threads) == 2  # the same data is not retried at once
    builder.fail = False
    monkeypatch.setattr(index_module, "RETRY_SECONDS", 0)
    match_index_get()
    assert match_index_wait(WAIT)
    assert _version(match_index_get()) == 2


def test_unchanged_data_is_served_without_building(builder):
    first = _first_index(builder)
    assert match_index_get() is first
    assert len(builder.threads) == 1


@pytest.mark.django_db
def test_inside_a_transaction_the_index_is_rebuilt_in_place(builder, data):
    # A background thread would not see the transaction's data.
    _first_index(builder)
    data["version"] = 2
    builder.release.set()
    loaded = match_index_get()
    assert _version(loaded) == 2 and not loaded.stale
    assert builder.threads[-1] is threading.current_thread()


@pytest.mark.django_db(transaction=True)
def test_a_real_background_rebuild_picks_up_a_new_project():
    match_index_clear()
    try:
        first = ProjectFactory()
        assert first.pk in match_index_get().projects
        second = ProjectFactory()
        served = match_index_get()
        assert served.stale and second.pk not in served.projects
        assert match_index_wait(10)
        assert second.pk in match_index_get().projects
    finally:
        match_index_wait(10)
        match_index_clear()
