"""``/api/v1/events/``: the events a person may see (as on ``/veranstaltungen/``), with the
program and the people on it; hosts create, change and cancel events.

Reads go through ``events.selectors`` (404 for what this person may not see); writes through
``events.services_host``, which checks ``events.permissions`` – the code the web's host tools
use, so the API can never allow more than the web.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions as drf_permissions
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from initiativek.api.conditional import ETagMixin, etag_for, if_match_check, with_etag
from initiativek.api.writing import as_api_error
from initiativek.organizations import selectors as organization_selectors

from .. import permissions, selectors, services_host
from ..models import Event
from .filters import EVENT_PARAMETERS, PARAM_TIME, PAST, EventQuerySerializer
from .serializers import EventDetailSerializer, EventListSerializer
from .serializers_write import EventCancelSerializer, EventCreateSerializer, EventWriteSerializer

# The services name some errors after the web form's date and time inputs.
FORM_FIELDS = {
    "start_date": "starts_at",
    "start_time": "starts_at",
    "end_date": "ends_at",
    "end_time": "ends_at",
}


def _service_error(exc: ValidationError) -> serializers.ValidationError:
    """A refusal of the services, pointing at the API's field names."""
    if hasattr(exc, "error_dict"):
        exc = ValidationError(
            {FORM_FIELDS.get(name, name): errors for name, errors in exc.error_dict.items()}
        )
    return as_api_error(exc)


def _with_program(event: Event, user) -> Event:
    event.api_program = selectors.event_program(event=event, user=user)
    event.api_speakers = selectors.event_speakers(program=event.api_program)
    return event


@extend_schema_view(
    list=extend_schema(
        summary=_("Veranstaltungen"),
        description=_(
            "Veröffentlichte und abgesagte Veranstaltungen (Entwürfe nur für die Gastgeber); "
            "ohne „zeit“ die kommenden."
        ),
        parameters=EVENT_PARAMETERS,
        responses={200: EventListSerializer(many=True)},
    ),
    retrieve=extend_schema(
        summary=_("Eine Veranstaltung mit Programm"),
        responses={200: EventDetailSerializer},
    ),
    create=extend_schema(
        summary=_("Veranstaltung anlegen"),
        description=_(
            "Legt einen Entwurf an, gastgebend „host“ (und weitere „hosts“). Nur für "
            "Redaktion und Verwaltung einer Mitgliedsorganisation und das Team. Zeiten als "
            "ISO 8601 mit Zeitzone; „starts_at“ null heißt: Termin noch nicht bekannt."
        ),
        request=EventCreateSerializer,
        responses={201: EventDetailSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Veranstaltung ändern"),
        description=_(
            "Nur für die Gastgeber und das Team. Nur die genannten Felder werden geändert; "
            "Listen werden ersetzt. Eine Änderung von Zeit, Ort oder Format wird allen "
            "Angemeldeten mitgeteilt. Mit „If-Match“ (ETag aus dem Lesen) wird nichts "
            "überschrieben, was jemand anderes inzwischen geändert hat: dann kommt 412."
        ),
        request=EventWriteSerializer,
        responses={200: EventDetailSerializer},
    ),
)
class EventViewSet(ETagMixin, viewsets.GenericViewSet):
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    permission_classes = [drf_permissions.IsAuthenticatedOrReadOnly]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Event.objects.none()  # every read goes through the selectors
    serializer_class = EventListSerializer

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return {
            "list": EventListSerializer,
            "create": EventCreateSerializer,
            "partial_update": EventWriteSerializer,
            "cancel": EventCancelSerializer,
        }.get(self.action, EventDetailSerializer)

    def list(self, request: Request) -> Response:
        query = EventQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.filters()
        if query.validated_data.get(PARAM_TIME) == PAST:
            events = selectors.event_list_past(user=request.user, filters=filters)
        else:
            events = selectors.event_list_upcoming(user=request.user, filters=filters)
        page = self.paginate_queryset(events)
        prefetch_related_objects(page, "hosts", "topics")
        serializer = EventListSerializer(page, many=True, context={"request": request})
        return self.get_paginated_response(serializer.data)

    def get_object(self) -> Event:
        """The event for ``retrieve`` (``ETagMixin``) with its program, or 404."""
        event = selectors.event_get_for_user(user=self.request.user, slug=self.kwargs["slug"])
        return _with_program(event, self.request.user)

    def create(self, request: Request) -> Response:
        if not organization_selectors.organization_list_editable_by(user=request.user).exists():
            raise PermissionDenied(_("Sie dürfen keine Veranstaltungen anlegen."))
        serializer = EventCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        host = serializer.validated_data["host"]
        if not services_host.may_host_for(request.user, host):
            raise PermissionDenied(
                _("Sie dürfen für diese Organisation keine Veranstaltungen anlegen.")
            )
        data, relations = serializer.split()
        try:
            event = services_host.event_create(
                actor=request.user, host=host, data=data, relations=relations
            )
        except ValidationError as exc:
            raise _service_error(exc) from exc
        location = request.build_absolute_uri(f"{request.path}{event.slug}/")
        return Response(
            self._detail_data(event), status=status.HTTP_201_CREATED, headers={"Location": location}
        )

    def partial_update(self, request: Request, slug: str) -> Response:
        event = self._hosted_event(slug)
        try:
            with transaction.atomic():
                event = self._locked_unchanged(event)
                serializer = EventWriteSerializer(
                    event, data=request.data, partial=True, context={"request": request}
                )
                serializer.is_valid(raise_exception=True)
                data, relations = serializer.split()
                if data or relations:
                    event = services_host.event_edit(
                        event=event, actor=request.user, data=data, relations=relations
                    )
        except ValidationError as exc:
            raise _service_error(exc) from exc
        return with_etag(Response(self._detail_data(event)))

    @extend_schema(
        summary=_("Veranstaltung absagen"),
        description=_(
            "Nur für die Gastgeber und das Team. Die Veranstaltung bleibt sichtbar und im "
            "Kalender, als abgesagt; alle Angemeldeten bekommen eine E-Mail mit dem Grund. "
            "Ist sie schon abgesagt, bleibt alles, wie es ist."
        ),
        request=EventCancelSerializer,
        responses={200: EventDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="cancel")
    def cancel(self, request: Request, slug: str) -> Response:
        event = self._hosted_event(slug)
        serializer = EventCancelSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        event = services_host.event_cancel(
            event=event, actor=request.user, reason=serializer.validated_data.get("reason", "")
        )
        return with_etag(Response(self._detail_data(event)))

    def _hosted_event(self, slug: str) -> Event:
        """The event, 404 if this person may not see it, 403 if they may not host it."""
        event = selectors.event_get_for_user(user=self.request.user, slug=slug)
        if not permissions.can_host(self.request.user, event):
            raise PermissionDenied(_("Sie dürfen diese Veranstaltung nicht bearbeiten."))
        return event

    def _detail_data(self, event: Event) -> dict:
        """The detail body of ``event`` as it is now – also for a host who, by this write,
        no longer sees it (their own organization taken off a draft's hosts)."""
        fresh = (
            Event.objects.select_related("series")
            .prefetch_related("hosts", "partners", "topics")
            .get(pk=event.pk)
        )
        fresh = _with_program(fresh, self.request.user)
        return EventDetailSerializer(fresh, context={"request": self.request}).data

    def _locked_unchanged(self, event: Event) -> Event:
        """The event's row locked for this transaction; 412 if the client's ``If-Match`` is
        not the ETag of its current state as this person reads it."""
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if_match_check(self.request, etag_for(self._detail_data(locked)))
        return locked
