"""The built matching index, cached per process.

Building the index reads every candidate organization and published project and computes the
sparse matrices – expensive (about 9 s including loading from SQLite for 11,000 organizations
and 100,000 projects on the 2-core machine). Each call first reads a cheap signature of the
data (a version in the cache that every change renews, see ``changes``, and the effective
weights); the index is rebuilt only when it changed.

Requests never wait for a rebuild when there is an index already: the previous one is served,
marked ``stale``, while one background thread per process builds the new one. Only the very
first build (no index yet) happens in the request, and concurrent first requests wait for that
one build instead of building in parallel. A failed background build is logged and the old
index stays; the same data is tried again after ``RETRY_SECONDS``.

A request inside a database transaction (tests; code called from a service) builds in place:
a background thread has its own connection and would not see the transaction's data.

Optional sections (the project page) may take an index that is a little out of date
(``stale_ok``): they skip the data signature unless the index is older than
``STALE_OK_SECONDS``.
"""

import logging
import threading
import time
from dataclasses import dataclass, field, replace

from django.db import connection, connections

from initiativek.cooperation.matching import (
    MatchIndex,
    MatchOrganization,
    MatchProject,
    Weights,
)

from .changes import forget_checked_signature, input_signature
from .config import effective_match_weights
from .loading import match_data_load

logger = logging.getLogger(__name__)

STALE_OK_SECONDS = 600
RETRY_SECONDS = 60


@dataclass(frozen=True)
class LoadedIndex:
    index: MatchIndex
    organizations: dict[int, MatchOrganization]
    projects: dict[int, MatchProject]
    weights: Weights
    signature: tuple
    project_owners: frozenset[int]  # organizations with at least one published project
    built_at: float = field(default_factory=time.monotonic)
    stale: bool = False  # served while a newer index is being built


@dataclass
class _Cache:
    current: LoadedIndex | None = None
    thread: threading.Thread | None = None  # the latest background build
    failed: tuple[tuple, float] | None = None  # signature and time of the last failed build


# Held by whoever builds (a request for the first index, or the background thread) – one
# build per process at a time. A new index is installed under it, too.
_build_lock = threading.Lock()
_cache = _Cache()


def _usable_stale(current: LoadedIndex | None, weights: Weights) -> bool:
    if current is None or current.weights != weights:
        return False
    return time.monotonic() - current.built_at < STALE_OK_SECONDS


def match_index_get(*, stale_ok: bool = False) -> LoadedIndex:
    """The index for the current data and weights. When they changed since the last build and
    an index exists, that one is returned with ``stale=True`` and a rebuild runs in the
    background; without any index, it is built now. With ``stale_ok``, a recent enough index
    is returned without checking the data."""
    weights = effective_match_weights()
    current = _cache.current
    if stale_ok and _usable_stale(current, weights):
        return current
    # Taken before the data is read: a change while building only causes one more build later,
    # never an index that claims to be newer than its data.
    signature = (input_signature(), weights)
    if current is not None and current.signature == signature:
        return current
    if current is not None and _may_build_in_background():
        _rebuild_in_background(signature, weights)
        return replace(current, stale=True)
    return _build_now(signature, weights)


def _may_build_in_background() -> bool:
    return not connection.in_atomic_block


def _build_now(signature: tuple, weights: Weights) -> LoadedIndex:
    with _build_lock:
        current = _cache.current
        if current is not None and current.signature == signature:
            return current  # another request built it meanwhile
        current = _build(signature, weights)
        _cache.current = current
        return current


def _recently_failed(signature: tuple) -> bool:
    if _cache.failed is None:
        return False
    failed_signature, failed_at = _cache.failed
    return failed_signature == signature and time.monotonic() - failed_at < RETRY_SECONDS


def _rebuild_in_background(signature: tuple, weights: Weights) -> None:
    """Start the rebuild unless one is running already (or this data failed just now)."""
    if _recently_failed(signature):
        return
    if not _build_lock.acquire(blocking=False):
        return  # a build is running; a newer change is picked up by a later request
    current = _cache.current
    if current is not None and current.signature == signature:
        _build_lock.release()  # a build finished just now
        return
    try:
        thread = threading.Thread(
            target=_background_build,
            args=(signature, weights),
            name="matching-index-rebuild",
            daemon=True,
        )
        _cache.thread = thread
        thread.start()
    except BaseException:
        _build_lock.release()
        raise


def _background_build(signature: tuple, weights: Weights) -> None:
    """Runs in its own thread, which holds ``_build_lock`` from the start."""
    try:
        _cache.current = _build(signature, weights)
        _cache.failed = None
    except Exception:
        logger.exception("rebuilding the matching index failed; the previous index stays")
        _cache.failed = (signature, time.monotonic())
    finally:
        connections.close_all()  # this thread's connections only
        _build_lock.release()


def _build(signature: tuple, weights: Weights) -> LoadedIndex:
    started = time.monotonic()
    data = match_data_load()
    index = MatchIndex.build(
        data.organizations,
        data.projects,
        weights=weights,
        survey_features=data.survey_features,
    )
    logger.info(
        "matching index built: %d organizations, %d projects in %.2f s",
        len(data.organizations),
        len(data.projects),
        time.monotonic() - started,
    )
    return LoadedIndex(
        index=index,
        organizations={organization.id: organization for organization in data.organizations},
        projects={project.id: project for project in data.projects},
        weights=weights,
        signature=signature,
        project_owners=frozenset(project.organization_id for project in data.projects),
    )


def match_index_wait(timeout: float | None = None) -> bool:
    """Wait until a running background rebuild has finished (tests; commands that need the
    new index). False if it is still running after ``timeout`` seconds."""
    thread = _cache.thread
    if thread is None:
        return True
    thread.join(timeout)
    return not thread.is_alive()


def match_index_clear() -> None:
    """Forget the cached index (tests; after bulk imports); waits for a running build."""
    with _build_lock:
        _cache.current = _cache.thread = _cache.failed = None
    forget_checked_signature()
