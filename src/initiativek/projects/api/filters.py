"""The catalog's URL parameters, checked strictly for the API.

The web catalog drops malformed values silently (an old link still shows results); an API
client gets a 400 naming the parameter instead. Once valid, the parameters are read by the
catalog's own ``CatalogFilters.from_query`` and applied by ``catalog_results``: the same
filtering, search and sorting as ``/projekte/``.
"""

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from initiativek.core.constants import Goal
from initiativek.organizations.constants import OrganizationKind

from ..constants import ProjectStatus
from ..filters import MAX_QUERY_LENGTH, REUSE_YES, CatalogChoices, CatalogFilters, SortOrder


class CatalogQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=MAX_QUERY_LENGTH, required=False, allow_blank=True)
    thema = serializers.ListField(child=serializers.SlugField(max_length=100), required=False)
    stand = serializers.ChoiceField(choices=ProjectStatus.choices, required=False)
    ziel = serializers.ChoiceField(choices=Goal.choices, required=False)
    art = serializers.ChoiceField(choices=OrganizationKind.choices, required=False)
    regierungsbezirk = serializers.CharField(max_length=3, required=False)
    nachnutzung = serializers.ChoiceField(choices=[REUSE_YES], required=False)
    sortierung = serializers.ChoiceField(choices=SortOrder.choices, required=False)

    def validate_thema(self, value: list[str]) -> list[str]:
        unknown = set(value) - set(self.context["choices"].topic_slugs)
        if unknown:
            raise serializers.ValidationError(_("Unbekanntes Thema."))
        return value

    def validate_regierungsbezirk(self, value: str) -> str:
        if value not in self.context["choices"].regierungsbezirke:
            raise serializers.ValidationError(_("Unbekannter Regierungsbezirk."))
        return value


def catalog_filters_from_query(params: QueryDict, choices: CatalogChoices) -> CatalogFilters:
    """The catalog state the parameters name; raises ``ValidationError`` (400) for a value
    the web catalog would drop."""
    data = {key: params.get(key) for key in params if key != "thema"}
    if "thema" in params:
        data["thema"] = params.getlist("thema")
    query = CatalogQuerySerializer(data=data, context={"choices": choices})
    query.is_valid(raise_exception=True)
    return CatalogFilters.from_query(params, choices)


CATALOG_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description=str(_("Suchbegriffe"))),
    OpenApiParameter(
        "thema",
        OpenApiTypes.STR,
        many=True,
        explode=True,
        description=str(_("Kurzname eines Themas; mehrfach möglich (eines davon)")),
    ),
    OpenApiParameter("stand", OpenApiTypes.STR, enum=ProjectStatus.values),
    OpenApiParameter("ziel", OpenApiTypes.INT, enum=Goal.values),
    OpenApiParameter(
        "art",
        OpenApiTypes.STR,
        enum=OrganizationKind.values,
        description=str(_("Art der Organisation")),
    ),
    OpenApiParameter(
        "regierungsbezirk",
        OpenApiTypes.STR,
        pattern=r"^\d{3}$",
        description=str(_("Schlüssel des Regierungsbezirks, z. B. 081")),
    ),
    OpenApiParameter("nachnutzung", OpenApiTypes.STR, enum=[REUSE_YES]),
    OpenApiParameter(
        "sortierung",
        OpenApiTypes.STR,
        enum=[value for value, _label in SortOrder.choices],
        description=str(_("Ohne Angabe: Relevanz bei einer Suche, sonst neueste zuerst")),
    ),
]
