"""Loads the demo projects (called by ``seed_demo``); idempotent by slug."""

from django.db import transaction
from django.utils import timezone

from initiativek.core.models import Topic
from initiativek.organizations.models import Organization

from . import demo
from .constants import Publication
from .models import Project, ProjectGoal
from .search import search_document_for
from .services import project_version_record


@transaction.atomic
def seed_demo_projects() -> int:
    created = 0
    for owner_ags, slug, title, summary, description, status, topics, goals in (
        demo.BEST_PRACTICE + demo.EXAMPLES
    ):
        owner = Organization.objects.exclude(kind="landkreis").get(ags=owner_ags)
        project, was_created = Project.objects.get_or_create(
            slug=slug,
            defaults={
                "owner": owner,
                "title": title,
                "summary": summary,
                "description": description,
                "status": status,
                "publication": Publication.PUBLISHED,
                "published_at": timezone.now(),
            },
        )
        created += was_created
        extra = demo.EXTRA.get(slug, {})
        if extra and was_created:
            for field, value in extra.items():
                setattr(project, field, value)
            project.save()
        project.topics.set(Topic.objects.filter(slug__in=topics))
        for goal in goals:
            ProjectGoal.objects.get_or_create(project=project, goal=goal)
        project.search_document = search_document_for(project)
        project.save(update_fields=["search_document"])
        if not project.versions.exists():
            project_version_record(project, None, "created")
    return created
