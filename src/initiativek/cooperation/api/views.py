"""``/api/v1/recommendations/``: partner suggestions for the signed-in member's organization –
the selectors and permissions of ``/kooperation/empfehlungen/``, as data."""

from html import unescape
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions as drf_permissions
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from initiativek.organizations.models import Organization

from .. import permissions
from ..recommendations import selectors
from ..recommendations.filters import (
    DISTANCE_CHOICES,
    KIND_CHOICES,
    recommendation_filters_parse,
)
from .serializers import RecommendationQuerySerializer, SuggestionSerializer

PARAMETERS = [
    OpenApiParameter(
        "organisation",
        OpenApiTypes.STR,
        description=_(
            "Kurzname einer eigenen Mitgliedsorganisation (das Team: jeder); ohne Angabe die "
            "erste eigene"
        ),
    ),
    OpenApiParameter("thema", OpenApiTypes.STR, description=_("Kurzname eines Themas")),
    OpenApiParameter("entfernung", OpenApiTypes.INT, enum=list(DISTANCE_CHOICES)),
    OpenApiParameter("art", OpenApiTypes.STR, enum=[value for value, _label in KIND_CHOICES]),
]


def _reason_projects(suggestion: Any, visible: dict[int, Any]) -> dict[str, list[str]]:
    """Reason code → slugs of the projects it names that the viewer may see."""
    return {
        reason.code: [
            visible[pk].slug for pk in (*reason.projects, *reason.other_projects) if pk in visible
        ]
        for reason in suggestion.reasons
    }


class RecommendationListView(GenericAPIView):
    permission_classes = [drf_permissions.IsAuthenticated]
    serializer_class = SuggestionSerializer
    queryset = Organization.objects.none()  # the suggestions come from the selectors

    @extend_schema(
        summary=_("Empfohlene Partnerorganisationen"),
        description=_(
            "Nur für Mitglieder. Dieselben Vorschläge und Gründe wie unter "
            "/kooperation/empfehlungen/, beste zuerst."
        ),
        parameters=PARAMETERS,
        responses={200: SuggestionSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        if not permissions.can_use_exchange(request.user):
            raise PermissionDenied(_("Empfehlungen gibt es nur für Mitglieder der Initiative."))
        query = RecommendationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        slug = query.validated_data.get("organisation", "")
        if slug:
            organization = selectors.recommendation_organization_named(user=request.user, slug=slug)
        else:
            organization = selectors.recommendation_viewer(user=request.user).organization
        if organization is None:
            raise serializers.ValidationError(
                {"organisation": [_("Bitte wählen Sie eine Organisation.")]}
            )
        filters = recommendation_filters_parse(request.query_params)
        result = selectors.recommendation_list(organization=organization, filters=filters)
        page = self.paginate_queryset(result.suggestions)
        return self.get_paginated_response(self._items(result, page, organization))

    def _items(self, result: Any, page: list, organization: Any) -> list[dict]:
        user = self.request.user
        page = selectors.recommendation_explain(result=result, suggestions=page)
        items = selectors.suggestion_items(
            result=result, suggestions=page, organization=organization, user=user
        )
        visible = selectors.reason_context_load(
            user=user, reason_lists=[s.reasons for s in page]
        ).projects
        by_organization = {s.organization_id: s for s in page}
        data = []
        for item in items:
            projects = _reason_projects(by_organization[item.organization.pk], visible)
            reasons = [
                {
                    "code": reason.code,
                    "text": unescape(strip_tags(reason.text)),
                    "projects": projects.get(reason.code, []),
                }
                for reason in item.reasons
            ]
            data.append({**vars(item), "reasons": reasons})
        return SuggestionSerializer(data, many=True).data
