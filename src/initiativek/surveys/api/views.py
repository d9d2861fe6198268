"""``/api/v1/questionnaires/``: the questionnaires members see, and their aggregated results
with the threshold and suppression of the web page (``surveys.results``)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions as drf_permissions
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from initiativek.organizations import permissions as org_permissions

from .. import permissions, selectors
from ..models import Questionnaire
from ..results import results_for_viewer
from .serializers import (
    QuestionnaireSerializer,
    ResultsQuerySerializer,
    ResultsSerializer,
    results_data,
)

MEMBERS_ONLY = _("Der Erfahrungsaustausch steht nur Mitgliedern der Initiative offen.")


def _require_member(user) -> None:
    if not org_permissions.is_platform_member(user):
        raise PermissionDenied(MEMBERS_ONLY)


class QuestionnaireListView(GenericAPIView):
    permission_classes = [drf_permissions.IsAuthenticated]
    serializer_class = QuestionnaireSerializer
    queryset = Questionnaire.objects.none()  # read through the selectors

    @extend_schema(
        summary=_("Fragebögen des Erfahrungsaustauschs"),
        description=_("Veröffentlichte Fragebögen; nur für Mitglieder."),
        responses={200: QuestionnaireSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        _require_member(request.user)
        questionnaires = selectors.questionnaire_list_for_user(user=request.user)
        page = self.paginate_queryset(questionnaires)
        serializer = QuestionnaireSerializer(page, many=True, context={"request": request})
        return self.get_paginated_response(serializer.data)


class QuestionnaireResultsView(GenericAPIView):
    permission_classes = [drf_permissions.IsAuthenticated]
    serializer_class = ResultsSerializer
    queryset = Questionnaire.objects.none()  # read through the selectors

    @extend_schema(
        summary=_("Ergebnisse eines Fragebogens"),
        description=_(
            "Die zusammengefassten Antworten wie auf der Ergebnisseite: Gruppen mit zu wenigen "
            "Antworten werden nicht ausgewiesen."
        ),
        parameters=[
            OpenApiParameter(
                "gruppe",
                OpenApiTypes.STR,
                description=_("Vergleichsgruppe, z. B. alle, groesse-20000, bezirk-084"),
            ),
            OpenApiParameter(
                "organisation",
                OpenApiTypes.STR,
                description=_("Kurzname der eigenen Organisation, deren Antwort markiert wird"),
            ),
        ],
        responses={200: ResultsSerializer},
    )
    def get(self, request: Request, slug: str) -> Response:
        _require_member(request.user)
        questionnaire = selectors.questionnaire_get_for_user(user=request.user, slug=slug)
        if not permissions.can_see_results(request.user, questionnaire):
            raise PermissionDenied(MEMBERS_ONLY)
        query = ResultsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        group_key = query.validated_data.get("gruppe", "")
        org_slug = query.validated_data.get("organisation", "")
        page = results_for_viewer(
            questionnaire=questionnaire, user=request.user, group_key=group_key, org_slug=org_slug
        )
        errors = {}
        if group_key and page.group.key != group_key:
            errors["gruppe"] = [_("Unbekannte Gruppe.")]
        if org_slug and (
            page.viewer.organization is None or page.viewer.organization.slug != org_slug
        ):
            errors["organisation"] = [_("Sie gehören nicht zu dieser Organisation.")]
        if errors:
            raise serializers.ValidationError(errors)
        return Response(results_data(page))
