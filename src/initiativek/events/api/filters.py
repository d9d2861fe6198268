"""The event list's URL parameters, checked strictly for the API (the web drops malformed
values silently; an API client gets a 400 naming the parameter). Valid values become the
web's ``EventFilters`` and are applied by ``event_filter``."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from initiativek.core.models import Topic
from initiativek.organizations.models import Organization

from ..constants import EventFormat
from ..filters import PARAM_HOST, PARAM_MONTH, PARAM_TOPIC, EventFilters, parse_month

PARAM_TIME = "zeit"
# ``format`` is the web's name, but DRF reads ``?format=`` as the answer's format (JSON).
PARAM_API_FORMAT = "veranstaltungsformat"
UPCOMING = "kommend"
PAST = "vergangen"


class EventQuerySerializer(serializers.Serializer):
    zeit = serializers.ChoiceField(choices=[UPCOMING, PAST], required=False)
    veranstaltungsformat = serializers.ChoiceField(choices=EventFormat.choices, required=False)
    gastgeber = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organization.objects.all(), required=False
    )
    thema = serializers.SlugRelatedField(
        slug_field="slug", queryset=Topic.objects.all(), required=False
    )
    monat = serializers.CharField(max_length=7, required=False)

    def validate_monat(self, value: str):
        month = parse_month(value)
        if month is None:
            raise serializers.ValidationError(
                _("Bitte geben Sie einen Monat im Format JJJJ-MM an.")
            )
        return month

    def filters(self) -> EventFilters:
        data = self.validated_data
        return EventFilters(
            format=data.get(PARAM_API_FORMAT, ""),
            host=data[PARAM_HOST].slug if PARAM_HOST in data else "",
            month=data.get(PARAM_MONTH),
            topic=data[PARAM_TOPIC].slug if PARAM_TOPIC in data else "",
        )


EVENT_PARAMETERS = [
    OpenApiParameter(
        PARAM_TIME,
        OpenApiTypes.STR,
        enum=[UPCOMING, PAST],
        description=str(
            _("kommend (Standard): noch nicht vorbei, bald zuerst; vergangen: neueste zuerst")
        ),
    ),
    OpenApiParameter(PARAM_API_FORMAT, OpenApiTypes.STR, enum=EventFormat.values),
    OpenApiParameter(
        PARAM_HOST, OpenApiTypes.STR, description=str(_("Kurzname der gastgebenden Organisation"))
    ),
    OpenApiParameter(PARAM_TOPIC, OpenApiTypes.STR, description=str(_("Kurzname eines Themas"))),
    OpenApiParameter(
        PARAM_MONTH, OpenApiTypes.STR, pattern=r"^\d{4}-\d{2}$", description=str(_("JJJJ-MM"))
    ),
]
