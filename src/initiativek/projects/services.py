"""Every write to projects: create, edit, publish, archive, attachments, interest."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from initiativek.core.constants import NotificationKind
from initiativek.core.notifications import notify
from initiativek.core.services import audit_log
from initiativek.organizations.services import organization_slug_pick

from . import permissions, selectors
from .attachments import checked_upload_save
from .constants import Publication, TagKind
from .models import (
    InterestMessage,
    Project,
    ProjectAttachment,
    ProjectGoal,
    ProjectInterest,
    ProjectVersion,
    Tag,
)
from .search import search_document_for

# Paths below /projekte/ that are pages, not projects.
RESERVED_SLUGS = {"neu", "projekt", "import"}

SNAPSHOT_FIELDS = [
    "title",
    "summary",
    "description",
    "status",
    "start_month",
    "end_month",
    "ozg_fields",
    "budget_range",
    "funding",
    "effort",
    "lessons_learned",
    "reuse_offered",
    "reuse_conditions",
    "reuse_license",
    "reuse_repository",
    "visibility",
    "publication",
]


def _snapshot(project: Project) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in SNAPSHOT_FIELDS:
        value = getattr(project, field)
        data[field] = value.isoformat() if isinstance(value, date) else value
    data["topics"] = sorted(project.topics.values_list("name", flat=True))
    data["goals"] = sorted(project.goal_links.values_list("goal", flat=True))
    data["partners"] = sorted(project.partners.values_list("name", flat=True))
    data["technologies"] = sorted(project.technologies.values_list("name", flat=True))
    data["vendors"] = sorted(project.vendors.values_list("name", flat=True))
    data["contact"] = project.contact.name if project.contact else ""
    return data


def project_version_record(project: Project, actor: Any, action: str) -> ProjectVersion:
    data = _snapshot(project)
    previous = project.versions.first()
    changed = sorted(key for key in data if previous is None or previous.data.get(key) != data[key])
    version = ProjectVersion.objects.create(
        project=project, actor=actor, action=action, changed_fields=changed, data=data
    )
    audit_log(
        actor=actor, action=f"projects.project.{action}", obj=project, data={"fields": changed}
    )
    return version


def tags_from_names(*, kind: str, names: list[str]) -> list[Tag]:
    """Existing tags matched case-insensitively, new ones created."""
    tags = []
    for name in names:
        name = " ".join(name.split())[:100]
        if not name:
            continue
        tag = Tag.objects.filter(kind=kind, name__iexact=name).first()
        tags.append(tag or Tag.objects.create(kind=kind, name=name))
    return tags


def _apply(project: Project, data: dict[str, Any], relations: dict[str, Any]) -> None:
    contact = data.get("contact")
    if contact is not None and contact.organization_id != project.owner_id:
        raise ValidationError({"contact": _("Die Ansprechperson gehört nicht zur Organisation.")})
    for field, value in data.items():
        setattr(project, field, value)
    project.full_clean(exclude=["slug"])
    project.save()
    if "topics" in relations:
        project.topics.set(relations["topics"])
    if "partners" in relations:
        project.partners.set([p for p in relations["partners"] if p.pk != project.owner_id])
    if "technologies" in relations:
        project.technologies.set(
            tags_from_names(kind=TagKind.TECHNOLOGY, names=relations["technologies"])
        )
    if "vendors" in relations:
        project.vendors.set(tags_from_names(kind=TagKind.VENDOR, names=relations["vendors"]))
    if "goals" in relations:
        project.goal_links.exclude(goal__in=relations["goals"]).delete()
        existing = set(project.goal_links.values_list("goal", flat=True))
        ProjectGoal.objects.bulk_create(
            ProjectGoal(project=project, goal=goal)
            for goal in dict.fromkeys(relations["goals"])  # each goal once, in order
            if goal not in existing
        )
    if "links" in relations:
        relations["links"].instance = project
        relations["links"].save()
    project.search_document = search_document_for(project)
    project.save(update_fields=["search_document"])


@transaction.atomic
def project_create(*, actor: Any, owner, data: dict, relations: dict) -> Project:
    """Create a draft project of ``owner``."""
    if not permissions.can_create_project_for(actor, owner):
        raise PermissionDenied
    taken = set(Project.objects.values_list("slug", flat=True)) | RESERVED_SLUGS
    project = Project(
        owner=owner,
        slug=organization_slug_pick(name=data.get("title") or "projekt", ags="", taken=taken),
        publication=Publication.DRAFT,
    )
    try:
        with transaction.atomic():
            _apply(project, data, relations)
    except IntegrityError as exc:  # a parallel request took the same slug
        raise ValidationError(
            _("Das Projekt konnte nicht gespeichert werden. Bitte versuchen Sie es erneut.")
        ) from exc
    project_version_record(project, actor, "created")
    return project


@transaction.atomic
def project_update(
    *, project: Project, actor: Any, data: dict, relations: dict, version: str = ""
) -> Project:
    """Save an edit. ``version`` is the ``updated_at`` the editor started from; if someone
    saved in between, the edit is refused instead of silently overwriting theirs."""
    if not permissions.can_edit_project(actor, project):
        raise PermissionDenied
    project = Project.objects.select_for_update().get(pk=project.pk)
    if version and version != project.updated_at.isoformat():
        raise ValidationError(
            _(
                "Das Projekt wurde inzwischen von jemand anderem geändert. Öffnen Sie es neu, "
                "um die aktuelle Fassung zu sehen; Ihre Eingaben stehen noch im Formular."
            )
        )
    _apply(project, data, relations)
    project_version_record(project, actor, "changed")
    return project


@transaction.atomic
def project_set_publication(*, project: Project, actor: Any, publication: str) -> Project:
    if not permissions.can_edit_project(actor, project):
        raise PermissionDenied
    if publication not in Publication.values:
        raise ValidationError(_("Unbekannter Veröffentlichungsstand."))
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.publication == publication:
        return project
    project.publication = publication
    if publication == Publication.PUBLISHED and project.published_at is None:
        project.published_at = timezone.now()
    project.save(update_fields=["publication", "published_at", "updated_at"])
    project_version_record(
        project,
        actor,
        {
            Publication.PUBLISHED: "published",
            Publication.DRAFT: "unpublished",
            Publication.ARCHIVED: "archived",
        }[publication],
    )
    return project


@transaction.atomic
def attachment_add(*, project: Project, actor: Any, uploaded_file, title: str) -> ProjectAttachment:
    if not permissions.can_edit_project(actor, project):
        raise PermissionDenied
    attachment = ProjectAttachment(project=project)
    info = checked_upload_save(attachment, uploaded_file=uploaded_file, title=title, actor=actor)
    audit_log(
        actor=actor,
        action="projects.attachment.added",
        obj=project,
        data={"title": attachment.title, "type": info.content_type, "size": info.size},
    )
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: ProjectAttachment, actor: Any) -> None:
    if not permissions.can_edit_project(actor, attachment.project):
        raise PermissionDenied
    project, title = attachment.project, attachment.title
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
    audit_log(actor=actor, action="projects.attachment.deleted", obj=project, data={"title": title})


def _people_of(organization):
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__organization=organization)
        .distinct()
    )


def _owner_editors(project: Project):
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organization=project.owner,
            memberships__role__in=["admin", "editor"],
        )
        .distinct()
    )


@transaction.atomic
def interest_declare(
    *, project: Project, actor: Any, organization, kind: str, message: str
) -> ProjectInterest:
    """Declare (or update) ``organization``'s interest; the owner's editors are told."""
    if not permissions.can_declare_interest(actor, project):
        raise PermissionDenied
    allowed = selectors.interest_organizations_for(user=actor, project=project)
    if organization not in allowed:
        raise PermissionDenied
    interest, created = ProjectInterest.objects.select_for_update().get_or_create(
        project=project, organization=organization, defaults={"kind": kind, "user": actor}
    )
    if not created:
        interest.kind, interest.user = kind, actor
        interest.save(update_fields=["kind", "user", "updated_at"])
    if message.strip():
        InterestMessage.objects.create(
            interest=interest, author=actor, organization=organization, text=message.strip()
        )
    audit_log(
        actor=actor,
        action="projects.interest.declared" if created else "projects.interest.updated",
        obj=project,
        data={"organization": organization.name, "kind": kind},
    )
    _notify_owner(project, interest, message)
    return interest


def _notify_owner(project: Project, interest: ProjectInterest, message: str) -> None:
    editors = list(_owner_editors(project))
    url = f"{project.get_absolute_url()}interesse/"
    text = _("%(organization)s interessiert sich für „%(project)s“ (%(kind)s).") % {
        "organization": interest.organization.name,
        "project": project.title,
        "kind": interest.get_kind_display(),
    }
    notify(
        users=editors,
        kind=NotificationKind.PROJECT_INTEREST,
        text=text,
        url=url,
        mail_template="mail/project_interest",
        # the mail templates put site_url in front of the path themselves
        mail_context={"project": project, "interest": interest, "message": message, "url": url},
    )


@transaction.atomic
def interest_reply(*, interest: ProjectInterest, actor: Any, text: str) -> InterestMessage:
    """A reply of the owner's editors (or of the interested organization) in the exchange."""
    project = interest.project
    if project.owner.memberships.filter(user=actor, role__in=["admin", "editor"]).exists():
        organization = project.owner
        recipients = list(_people_of(interest.organization))
    elif interest.organization.memberships.filter(user=actor).exists():
        organization, recipients = interest.organization, list(_owner_editors(project))
    else:  # the team reads along but does not speak for an organization
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": _("Bitte schreiben Sie eine Nachricht.")})
    reply = InterestMessage.objects.create(
        interest=interest, author=actor, organization=organization, text=text.strip()
    )
    recipients = [user for user in recipients if user.pk != actor.pk]
    url = f"{project.get_absolute_url()}interesse/"
    notify(
        users=recipients,
        kind=NotificationKind.PROJECT_INTEREST,
        text=_("Neue Nachricht zu „%(project)s“ von %(organization)s.")
        % {"project": project.title, "organization": organization.name},
        url=url,
        mail_template="mail/project_interest_reply",
        mail_context={"project": project, "reply": reply, "url": url},
    )
    audit_log(actor=actor, action="projects.interest.replied", obj=project)
    return reply


def project_search_documents_rebuild(*, progress=None) -> int:
    """Recompute every project's stored search text (after topics or tags were renamed)."""
    projects = Project.objects.prefetch_related("topics", "technologies", "vendors")
    total = projects.count()
    changed = []
    for index, project in enumerate(projects.iterator(chunk_size=200), start=1):
        document = search_document_for(project)
        if document != project.search_document:
            project.search_document = document
            changed.append(project)
        if progress and (index % 200 == 0 or index == total):
            progress(index, total)
    Project.objects.bulk_update(changed, ["search_document"], batch_size=200)
    return len(changed)
