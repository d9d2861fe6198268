"""``--clear``: removes what the generator made, and only that.

Generated rows are found by their marks (``SLUG_PREFIX``, ``REGION_MARK``, the address
pattern of generated people). Rows others added that cannot exist without generated ones
(a project of a generated organization, a closing statement, a cooperation proposal it
initiated) go with them, because the database protects those references.
"""

import re

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, Q

from initiativek.cooperation.models import CooperationProposal
from initiativek.events.models import ClosingStatement, Event, EventSeries, Speaker
from initiativek.organizations.constants import RegionLevel
from initiativek.organizations.models import Membership, Organization, Region
from initiativek.projects.models import Project, Tag
from initiativek.surveys.models import Questionnaire, Response

from . import EMAIL_DOMAIN, REGION_MARK, SLUG_PREFIX, texts

# Addresses the generator gives people: vorname.nachname.N@example.org
GENERATED_EMAIL = re.compile(r"^[a-z0-9-]+\.[a-z0-9-]+\.\d+@" + re.escape(EMAIL_DOMAIN) + "$")
LEVELS_BOTTOM_UP = (
    RegionLevel.GEMEINDE,
    RegionLevel.GEMEINDEVERBAND,
    RegionLevel.KREIS,
    RegionLevel.REGION,
    RegionLevel.REGIERUNGSBEZIRK,
    RegionLevel.LAND,
)


def _generated_user_ids(organizations) -> list[int]:
    """Accounts with a generated address whose organizations are all generated ones."""
    candidates = get_user_model().objects.filter(
        email__endswith=f"@{EMAIL_DOMAIN}", is_staff=False, is_superuser=False
    )
    elsewhere = Membership.objects.exclude(organization__in=organizations).values("user_id")
    rows = candidates.exclude(pk__in=elsewhere).values_list("pk", "email")
    return [pk for pk, email in rows if GENERATED_EMAIL.match(email)]


def _regions() -> int:
    """Marked regions, from the Gemeinden up, as far as nothing unmarked hangs below them."""
    deleted = 0
    for level in LEVELS_BOTTOM_UP:
        marked = Region.objects.filter(level=level, official_name__endswith=REGION_MARK)
        free = marked.annotate(children_count=Count("children")).filter(children_count=0)
        deleted += _delete(free)
    return deleted


def _tags() -> int:
    """Tags of the generator's vocabulary that no project uses any more."""
    names = {name for words in texts.TOPICS.values() for name in words.technologies}
    names |= {name for words in texts.TOPICS.values() for name in words.vendors}
    names |= set(texts.GENERIC.technologies) | set(texts.GENERIC.vendors)
    unused = Tag.objects.filter(
        name__in=names, technology_projects__isnull=True, vendor_projects__isnull=True
    )
    return _delete(unused)


CHUNK = 2_000


def _delete(queryset) -> int:
    """Delete in chunks of primary keys, so memory stays small however many rows there are
    (Django loads the rows it cascades from)."""
    pks = list(queryset.values_list("pk", flat=True))
    model = queryset.model
    deleted = 0
    for start in range(0, len(pks), CHUNK):
        deleted += model.objects.filter(pk__in=pks[start : start + CHUNK]).only("pk").delete()[0]
    return deleted


@transaction.atomic
def synthetic_clear() -> dict[str, int]:
    """Delete all generated data; returns the number of rows per kind."""
    organizations = Organization.objects.filter(slug__startswith=SLUG_PREFIX)
    ids = list(organizations.values_list("pk", flat=True))
    user_ids = _generated_user_ids(organizations)
    touched = list(
        Questionnaire.objects.filter(responses__organization__in=ids).values_list("pk", flat=True)
    )
    counts = {
        "responses": _delete(Response.objects.filter(organization__in=ids)),
        "events": _delete(Event.objects.filter(slug__startswith=SLUG_PREFIX)),
        "event series": _delete(EventSeries.objects.filter(slug__startswith=SLUG_PREFIX)),
        "speakers": _delete(Speaker.objects.filter(organization__in=ids)),
        "projects": _delete(
            Project.objects.filter(Q(slug__startswith=SLUG_PREFIX) | Q(owner__in=ids))
        ),
        "closing statements": _delete(ClosingStatement.objects.filter(organization__in=ids)),
        "cooperation proposals": _delete(CooperationProposal.objects.filter(initiator__in=ids)),
        "users": _delete(get_user_model().objects.filter(pk__in=user_ids)),
    }
    Organization.objects.filter(pk__in=ids).update(parent=None)
    counts["organizations"] = _delete(Organization.objects.filter(pk__in=ids))
    counts["regions"] = _regions()
    counts["tags"] = _tags()
    Questionnaire.objects.filter(pk__in=touched).update(results_version=F("results_version") + 1)
    return counts
