"""``/api/v1/events/``: the events a person may see (as on ``/veranstaltungen/``), with the
program and the people on it; read only."""

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions as drf_permissions
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from initiativek.api.conditional import ETagMixin

from .. import selectors
from ..models import Event
from .filters import EVENT_PARAMETERS, PARAM_TIME, PAST, EventQuerySerializer
from .serializers import EventDetailSerializer, EventListSerializer


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
)
class EventViewSet(ETagMixin, viewsets.GenericViewSet):
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    permission_classes = [drf_permissions.AllowAny]
    queryset = Event.objects.none()  # every read goes through the selectors
    serializer_class = EventListSerializer

    def get_serializer_class(self):
        return EventDetailSerializer if self.action == "retrieve" else EventListSerializer

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
        event.api_program = selectors.event_program(event=event, user=self.request.user)
        event.api_speakers = selectors.event_speakers(program=event.api_program)
        return event
