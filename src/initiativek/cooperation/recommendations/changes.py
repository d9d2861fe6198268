"""Whether the engine's input changed since the index was built, without reading all of it.

A version in the cache stands for the input: every save or delete of what ``loading`` reads –
organizations and regions, projects with their topics, technologies and vendors, the
home-office questionnaire with its questions, choices, responses and answers – renews it
(receivers below), once on saving and once more when the transaction commits, so an index built
by another request between the two never keeps the old data under the new version.

Changes that send no signals (``QuerySet.update``, raw SQL, the synthetic data generator, and –
with the per-process memory cache – changes made in another process) are found by the full
``data_signature`` (counts and latest changes, two scans of all organizations and projects),
which each process computes at most every ``SAFETY_CHECK_SECONDS``.
"""

import threading
import time
import uuid
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from initiativek.organizations.models import Organization, Region
from initiativek.projects.models import Project
from initiativek.surveys.constants import ResponseStatus
from initiativek.surveys.models import Answer, Choice, Question, Questionnaire, Response

from .loading import data_signature

VERSION_KEY = "cooperation:recommendations:data-version"
SAFETY_CHECK_SECONDS = 180

_checked_lock = threading.Lock()
_checked: tuple[float, tuple] | None = None  # (monotonic time, full data signature)


def data_version() -> str:
    """The version of the engine's input in the cache (a new one after every change)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)  # concurrent first requests agree
        version = cache.get(VERSION_KEY, "")
    return version


def checked_data_signature() -> tuple:
    """The full ``data_signature``, computed again when the last one is older than
    ``SAFETY_CHECK_SECONDS`` (per process)."""
    global _checked
    with _checked_lock:
        checked = _checked
        if checked is not None and time.monotonic() - checked[0] < SAFETY_CHECK_SECONDS:
            return checked[1]
    signature = data_signature()
    with _checked_lock:
        _checked = (time.monotonic(), signature)
    return signature


def input_signature() -> tuple:
    """Changes whenever the engine's input changes: the version, and the full signature of at
    most ``SAFETY_CHECK_SECONDS`` ago for changes without signals. Read the version first: a
    change while the full signature is read then only causes one more build later."""
    version = data_version()
    return (version, checked_data_signature())


def forget_checked_signature() -> None:
    """The next ``input_signature`` computes the full signature again (tests; bulk imports)."""
    global _checked
    with _checked_lock:
        _checked = None


def _renew() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


@receiver([post_save, post_delete], sender=Organization)
@receiver([post_save, post_delete], sender=Region)
@receiver([post_save, post_delete], sender=Project)
@receiver(m2m_changed, sender=Project.topics.through)
@receiver(m2m_changed, sender=Project.technologies.through)
@receiver(m2m_changed, sender=Project.vendors.through)
@receiver([post_save, post_delete], sender=Questionnaire)
@receiver([post_save, post_delete], sender=Question)
@receiver([post_save, post_delete], sender=Choice)
def data_changed(**kwargs: Any) -> None:
    _renew()
    transaction.on_commit(_renew, robust=True)


# Organizations save drafts of their questionnaire answers all the time; the engine reads only
# submitted responses, and renewing the version starts a rebuild of the whole index. So a
# response counts when it is (or was, until this save) submitted, an answer when its response
# is submitted.


@receiver(post_save, sender=Response)
def response_saved(instance: Response, update_fields=None, **kwargs: Any) -> None:
    status_changed = update_fields is not None and "status" in update_fields
    if instance.status == ResponseStatus.SUBMITTED or status_changed:
        data_changed()


@receiver(post_delete, sender=Response)
def response_deleted(instance: Response, **kwargs: Any) -> None:
    # A deleted row cannot be read again: when its status was not loaded (bulk deletes load
    # only what they need), count the deletion as a change.
    if "status" in instance.get_deferred_fields() or instance.status == ResponseStatus.SUBMITTED:
        data_changed()


@receiver(post_save, sender=Answer)
@receiver(m2m_changed, sender=Answer.choices.through)
def answer_changed(instance: Any, **kwargs: Any) -> None:
    if not isinstance(instance, Answer):  # m2m_changed from the choice's side
        data_changed()
        return
    if Response.objects.filter(pk=instance.response_id, status=ResponseStatus.SUBMITTED).exists():
        data_changed()
