"""Writes of the host tools: create and edit events, the program, materials and outcomes.

Every function expects the caller to have checked ``permissions.can_host`` (or, for
:func:`event_create`, that ``actor`` may host for ``host``); they check it again, so a
mistake in a view cannot write. Changes of time, place and capacity go through
``services.event_update`` and ``services.event_set_capacity``, which lock the event row.
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from initiativek.core.services import audit_log
from initiativek.organizations import permissions as org_permissions
from initiativek.organizations.constants import Role
from initiativek.projects.attachments import checked_upload_save

from . import permissions, services
from .constants import ACTIVE, EventStatus, ProgramRole
from .filters import EVENT_TIME_ZONE
from .models import (
    ClosingStatement,
    Event,
    ProgramItem,
    ProgramMaterial,
    ProgramPerson,
    Speaker,
)

RESERVED_SLUGS = frozenset({"neu", "kalender", "feed", "mein-kalender", "anmeldung"})
EDITABLE_STATUSES = (EventStatus.DRAFT, EventStatus.PUBLISHED)
SLUG_MAX = 200


def _require_host(actor: Any, event: Event) -> None:
    if not permissions.can_host(actor, event):
        raise PermissionDenied


def may_host_for(actor: Any, organization) -> bool:
    """Editors and admins of a member organization, and the team, create events for it."""
    if not organization.is_member:
        return False
    if org_permissions.is_team(actor):
        return True
    return org_permissions.role_in(actor, organization) in {Role.ADMIN, Role.EDITOR}


def event_slug_pick(*, title: str) -> str:
    """A free slug from the title: never one of the fixed addresses under /veranstaltungen/."""
    base = slugify(title)[:SLUG_MAX].strip("-") or "veranstaltung"
    taken = set(Event.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    candidate, counter = base, 2
    while candidate in taken:
        candidate = f"{base}-{counter}"
        counter += 1
    return candidate


def _check_hosts(hosts: list) -> None:
    if not hosts:
        raise ValidationError(
            {"hosts": _("Eine Veranstaltung braucht mindestens einen Gastgeber.")}
        )
    if any(not host.is_member for host in hosts):
        raise ValidationError({"hosts": _("Gastgeber können nur Mitgliedsorganisationen sein.")})


def _set_relations(event: Event, relations: dict) -> list[str]:
    """Set hosts, partners and topics; returns the names of those that changed."""
    changed = []
    for name in ("hosts", "partners", "topics"):
        if name in relations:
            manager = getattr(event, name)
            before = set(manager.values_list("pk", flat=True))
            manager.set(relations[name])
            if {getattr(item, "pk", item) for item in relations[name]} != before:
                changed.append(name)
    return changed


@transaction.atomic
def event_create(*, actor: Any, host, data: dict[str, Any], relations: dict) -> Event:
    """Create a draft event hosted by ``host`` (and the other ``relations["hosts"]``)."""
    if not may_host_for(actor, host):
        raise PermissionDenied
    hosts = list({h.pk: h for h in [host, *relations.get("hosts", [])]}.values())
    _check_hosts(hosts)
    event = Event(**data)
    event.status = EventStatus.DRAFT
    event.slug = event_slug_pick(title=event.title)
    event.full_clean()
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError as exc:  # a parallel request took the same slug
        raise ValidationError(
            _("Die Veranstaltung konnte nicht gespeichert werden. Bitte versuchen Sie es erneut.")
        ) from exc
    _set_relations(event, {**relations, "hosts": hosts})
    audit_log(actor=actor, action="events.event.created", obj=event)
    return event


def _check_version(event: Event, version: str) -> None:
    if version and version != event.updated_at.isoformat():
        raise ValidationError(
            _(
                "Die Veranstaltung wurde inzwischen von jemand anderem geändert. Öffnen Sie sie "
                "neu, um die aktuelle Fassung zu sehen; Ihre Eingaben stehen noch im Formular."
            )
        )


@transaction.atomic
def event_edit(
    *, event: Event, actor: Any, data: dict[str, Any], relations: dict, version: str = ""
) -> Event:
    """Save the edit form. ``version`` is the ``updated_at`` the editor started from; a save
    in between is not overwritten. Capacities never go below the seats already given;
    a change of time or place raises the calendar SEQUENCE and tells participants."""
    _require_host(actor, event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    _check_version(event, version)
    data = dict(data)
    status = data.pop("status", event.status)
    if event.status == EventStatus.CANCELLED:
        status = EventStatus.CANCELLED  # a cancelled event is not revived through the form
    elif status not in EDITABLE_STATUSES:
        raise ValidationError({"status": _("Absagen geht über „Veranstaltung absagen“.")})
    if "hosts" in relations:
        _check_hosts(list(relations["hosts"]))
    _check_registrations_kept(event, new_format=data.get("format", event.format), status=status)
    capacities = {
        "capacity_onsite": data.pop("capacity_onsite", event.capacity_onsite),
        "capacity_online": data.pop("capacity_online", event.capacity_online),
    }
    if capacities != {
        "capacity_onsite": event.capacity_onsite,
        "capacity_online": event.capacity_online,
    }:
        try:
            event = services.event_set_capacity(event=event, actor=actor, **capacities)
        except ValidationError as exc:
            raise ValidationError({"capacity_onsite": exc.messages}) from exc
    event = services.event_update(event=event, actor=actor, data={**data, "status": status})
    _check_program_still_fits(event)
    changed = _set_relations(event, relations)
    if changed:  # hosts decide who sees participants' data: worth a record of its own
        audit_log(
            actor=actor,
            action="events.event.relations_changed",
            obj=event,
            data={"fields": changed},
        )
    return event


def _check_program_still_fits(event: Event) -> None:
    """After a change of time, every timed program item must still lie within the event."""
    for item in event.program.exclude(starts_at__isnull=True):
        try:
            _check_item_times(event, item.starts_at, item.ends_at)
        except ValidationError as exc:
            raise ValidationError(
                {
                    "start_date": _(
                        "Der Programmpunkt „%(title)s“ läge dann außerhalb der Veranstaltung. "
                        "Passen Sie zuerst das Programm an."
                    )
                    % {"title": item.title}
                }
            ) from exc


def _check_registrations_kept(event: Event, *, new_format: str, status: str) -> None:
    """Registered people must not be stranded: no going back to draft and no dropping a way
    of attending that people registered for – cancelling the event is the way out."""
    active = event.registrations.filter(status__in=ACTIVE)
    if status == EventStatus.DRAFT and event.status != EventStatus.DRAFT and active.exists():
        raise ValidationError(
            {"status": _("Es gibt Anmeldungen; die Veranstaltung kann kein Entwurf mehr werden.")}
        )
    probe = Event(format=new_format, capacity_onsite=None, capacity_online=None)
    dropped = [mode for mode in event.modes if mode not in probe.modes]
    if dropped and active.filter(mode__in=dropped).exists():
        raise ValidationError(
            {
                "format": _(
                    "Für die bisherige Teilnahmeart gibt es Anmeldungen; ändern Sie das Format "
                    "nicht, sondern sagen Sie die Veranstaltung gegebenenfalls ab."
                )
            }
        )


@transaction.atomic
def event_cancel(*, event: Event, actor: Any, reason: str = "") -> Event:
    _require_host(actor, event)
    return services.event_cancel(event=event, actor=actor, reason=reason.strip())


# The program


def _check_item_times(event: Event, starts_at: datetime | None, ends_at: datetime | None):
    if starts_at is None and ends_at is None:
        return
    if event.starts_at is None:
        raise ValidationError(
            _("Die Veranstaltung hat noch keinen Termin; Programmpunkte haben daher keine Zeiten.")
        )
    if starts_at is None:
        raise ValidationError({"start_time": _("Bitte geben Sie auch den Beginn an.")})
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationError({"end_time": _("Das Ende muss nach dem Beginn liegen.")})
    event_end = event.ends_at or event.starts_at
    if starts_at < event.starts_at or (ends_at or starts_at) > event_end or starts_at > event_end:
        raise ValidationError(
            _("Der Programmpunkt muss innerhalb der Veranstaltung liegen (%(span)s).")
            % {"span": _span(event)}
        )


def _span(event: Event) -> str:
    start = timezone.localtime(event.starts_at, EVENT_TIME_ZONE)
    end = timezone.localtime(event.ends_at, EVENT_TIME_ZONE) if event.ends_at else start
    return f"{start:%H:%M}–{end:%H:%M}"


def speaker_create(*, name: str, function: str = "", organization=None, organization_name=""):
    speaker = Speaker(
        name=name.strip(),
        function=function.strip(),
        organization=organization,
        organization_name="" if organization else organization_name.strip(),
    )
    speaker.full_clean()
    speaker.save()
    return speaker


def _set_people(item: ProgramItem, people: list[tuple[Speaker, str]]) -> None:
    """Replace the people of ``item`` with (speaker, role) pairs, in the given order."""
    item.people.all().delete()
    seen = set()
    for position, (speaker, role) in enumerate(people):
        if (speaker.pk, role) in seen:
            continue
        seen.add((speaker.pk, role))
        ProgramPerson.objects.create(item=item, speaker=speaker, role=role, position=position)


def _save_item(item: ProgramItem, actor, people, projects, new_speaker, action: str):
    _check_item_times(item.event, item.starts_at, item.ends_at)
    item.full_clean()
    item.save()
    if new_speaker:
        role = new_speaker.pop("role", ProgramRole.SPEAKER)
        people = [*people, (speaker_create(**new_speaker), role)]
    _set_people(item, people)
    item.projects.set(projects)
    audit_log(actor=actor, action=action, obj=item.event, data={"item": item.title})
    return item


@transaction.atomic
def program_item_create(
    *,
    event: Event,
    actor: Any,
    data: dict[str, Any],
    people: list[tuple[Speaker, str]],
    projects: list,
    new_speaker: dict | None = None,
) -> ProgramItem:
    """Add an item at the end of the program. Times must lie within the event."""
    _require_host(actor, event)
    last = event.program.aggregate(last=Max("position"))["last"]
    item = ProgramItem(event=event, position=0 if last is None else last + 1, **data)
    return _save_item(item, actor, people, projects, new_speaker, "events.program.item_added")


@transaction.atomic
def program_item_update(
    *,
    item: ProgramItem,
    actor: Any,
    data: dict[str, Any],
    people: list[tuple[Speaker, str]],
    projects: list,
    new_speaker: dict | None = None,
) -> ProgramItem:
    _require_host(actor, item.event)
    for field, value in data.items():
        setattr(item, field, value)
    return _save_item(item, actor, people, projects, new_speaker, "events.program.item_changed")


@transaction.atomic
def program_item_move(*, item: ProgramItem, actor: Any, up: bool) -> None:
    """Swap ``item`` with its neighbour; positions are renumbered 0, 1, 2, … on the way."""
    _require_host(actor, item.event)
    Event.objects.select_for_update().get(pk=item.event_id)
    items = list(
        ProgramItem.objects.filter(event_id=item.event_id).order_by(*ProgramItem._meta.ordering)
    )
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if up else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])
    audit_log(actor=actor, action="events.program.item_moved", obj=item.event)


@transaction.atomic
def program_item_delete(*, item: ProgramItem, actor: Any) -> None:
    _require_host(actor, item.event)
    event, title = item.event, item.title
    files = [(m.file.storage, m.file.name) for m in item.materials.all()]
    item.delete()
    for storage, name in files:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    audit_log(actor=actor, action="events.program.item_deleted", obj=event, data={"item": title})


# Materials


@transaction.atomic
def material_add(*, item: ProgramItem, actor: Any, uploaded_file, title: str) -> ProgramMaterial:
    """Store a talk material; the type is recognised by content (see projects.attachments)."""
    _require_host(actor, item.event)
    material = ProgramMaterial(item=item)
    info = checked_upload_save(material, uploaded_file=uploaded_file, title=title, actor=actor)
    audit_log(
        actor=actor,
        action="events.material.added",
        obj=item.event,
        data={"title": material.title, "type": info.content_type, "size": info.size},
    )
    return material


@transaction.atomic
def material_delete(*, material: ProgramMaterial, actor: Any) -> None:
    event = material.item.event
    _require_host(actor, event)
    title, storage, name = material.title, material.file.storage, material.file.name
    material.delete()
    transaction.on_commit(lambda: storage.delete(name))
    audit_log(actor=actor, action="events.material.deleted", obj=event, data={"title": title})


# Outcomes


@transaction.atomic
def statement_add(*, event: Event, actor: Any, organization, text: str) -> ClosingStatement:
    _require_host(actor, event)
    last = event.closing_statements.aggregate(last=Max("position"))["last"]
    statement = ClosingStatement(
        event=event,
        organization=organization,
        text=text.strip(),
        position=0 if last is None else last + 1,
        created_by=actor,
    )
    statement.full_clean()
    statement.save()
    audit_log(
        actor=actor,
        action="events.statement.added",
        obj=event,
        data={"organization": organization.name},
    )
    return statement


@transaction.atomic
def statement_delete(*, statement: ClosingStatement, actor: Any) -> None:
    event = statement.event
    _require_host(actor, event)
    organization = statement.organization.name
    statement.delete()
    audit_log(
        actor=actor,
        action="events.statement.deleted",
        obj=event,
        data={"organization": organization},
    )


@transaction.atomic
def event_report_save(*, event: Event, actor: Any, report: str, published: bool) -> Event:
    """Save the report (Markdown); it is public only while ``report_published_at`` is set."""
    _require_host(actor, event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    event.report = report.strip()
    if published and not event.report:
        raise ValidationError({"report": _("Ein leerer Bericht kann nicht veröffentlicht werden.")})
    was_published = event.report_published_at is not None
    if published and not was_published:
        event.report_published_at = timezone.now()
    elif not published:
        event.report_published_at = None
    event.full_clean()
    event.save(update_fields=["report", "report_published_at", "updated_at"])
    action = "events.report.saved"
    if published != was_published:
        action = "events.report.published" if published else "events.report.withdrawn"
    audit_log(actor=actor, action=action, obj=event)
    return event


@transaction.atomic
def speaker_update(
    *,
    event: Event,
    speaker: Speaker,
    actor: Any,
    name: str,
    function: str,
    organization,
    organization_name: str,
) -> Speaker:
    """Correct a person on ``event``'s program (name, function, organization). The person
    must appear on this event's program; the change shows wherever they appear."""
    _require_host(actor, event)
    if not ProgramPerson.objects.filter(item__event=event, speaker=speaker).exists():
        raise PermissionDenied
    elsewhere = ProgramPerson.objects.filter(speaker=speaker).exclude(item__event=event)
    if any(
        not permissions.can_host(actor, p.item.event)
        for p in elsewhere.select_related("item__event")
    ):
        raise ValidationError(
            _(
                "Diese Person steht auch im Programm anderer Gastgeber. Legen Sie im "
                "Programmpunkt eine neue Person an, statt ihre Angaben hier zu ändern."
            )
        )
    speaker = Speaker.objects.select_for_update().get(pk=speaker.pk)
    speaker.name = name.strip()
    speaker.function = function.strip()
    speaker.organization = organization
    speaker.organization_name = "" if organization else organization_name.strip()
    speaker.full_clean()
    speaker.save()
    audit_log(actor=actor, action="events.speaker.changed", obj=event, data={"speaker": speaker.pk})
    return speaker
