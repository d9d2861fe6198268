"""„Wer hat so etwas schon umgesetzt?“ on the page of a planned project.

An optional section: whatever goes wrong in the engine is logged and the section left out, so
the project page never breaks because of it.
"""

import logging
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from initiativek.cooperation.matching import ProjectMatch, UnknownProject
from initiativek.organizations import permissions as org_permissions
from initiativek.organizations.models import Organization
from initiativek.projects.constants import PLANNING_STATUSES, Publication

from .index import match_index_get
from .reasons import ReasonContext, html, join_words
from .selectors import reason_context_load

logger = logging.getLogger(__name__)

LIMIT = 5


@dataclass
class ImplementedLikeItem:
    project: Any
    organization: Organization
    reasons: list[SafeString] = field(default_factory=list)


def match_reasons(match: ProjectMatch, context: ReasonContext) -> list[SafeString]:
    """Why the implemented project fits the planned one, in neutral words (the viewer need not
    belong to either organization)."""
    topic_ids = sorted({pk for reason in match.reasons for pk in reason.topics})
    tag_ids = sorted({pk for reason in match.reasons for pk in reason.tags})
    topics = [context.topics[pk].name for pk in topic_ids if pk in context.topics]
    tags = sorted(context.tags[pk].name for pk in tag_ids if pk in context.tags)
    lines = []
    if topics:
        label = ngettext("Gleiches Thema: %(names)s", "Gleiche Themen: %(names)s", len(topics))
        lines.append(html(label, names=join_words(topics)))
    # Without a shared topic the engine matched on the project texts.
    if not topics or any(reason.code == "similar_text" for reason in match.reasons):
        lines.append(html(_("Ähnliche Projektbeschreibung")))
    if tags:
        lines.append(html(_("Gleiche Technik oder Anbieter: %(tags)s"), tags=join_words(tags)))
    if any(reason.reuse for reason in match.reasons):
        lines.append(html(_("Nachnutzung möglich")))
    return lines


def _is_candidate(project: Any, user: Any) -> bool:
    if not org_permissions.is_platform_member(user):
        return False
    if project.publication != Publication.PUBLISHED:
        return False
    return project.status in PLANNING_STATUSES


def _items(project: Any, user: Any, limit: int) -> list[ImplementedLikeItem]:
    # A slightly outdated index is fine here; the project page should not wait for a rebuild.
    loaded = match_index_get(stale_ok=True)
    try:
        matches = loaded.index.implemented_like(project.pk, limit=limit * 2)
    except UnknownProject:
        return []
    context = reason_context_load(
        user=user,
        reason_lists=[m.reasons for m in matches],
        project_ids=[m.project_id for m in matches],
    )
    organizations = Organization.objects.in_bulk([m.organization_id for m in matches])
    items = []
    for match in matches:
        other_project = context.projects.get(match.project_id)
        organization = organizations.get(match.organization_id)
        if other_project is None or organization is None:
            continue  # not visible to this person, or gone since the index was built
        items.append(
            ImplementedLikeItem(
                project=other_project,
                organization=organization,
                reasons=match_reasons(match, context),
            )
        )
    return items[:limit]


def implemented_like_for_project(*, project: Any, user: Any, limit: int = LIMIT) -> list:
    """Up to ``limit`` implemented projects of other organizations like this planned one, for
    members and the team; ``[]`` for everyone else, for projects not in planning – and when
    the engine fails (logged)."""
    if not _is_candidate(project, user):
        return []
    try:
        return _items(project, user, limit)
    except Exception:  # an optional section must never break the project page
        logger.exception("implemented_like failed for project %s", project.pk)
        return []
