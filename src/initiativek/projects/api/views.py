"""``/api/v1/projects/``: the catalog for everyone, writes for the editors of the owner.

Reads go through ``projects.selectors`` (what this person may see, 404 for the rest) and the
catalog's filters; writes through ``projects.services``, which check ``projects.permissions``
– the same code as the web pages, so the API can never allow more than the web.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions as drf_permissions
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from initiativek.api.conditional import ETagMixin, etag_for, if_match_check, with_etag
from initiativek.api.writing import as_api_error

from .. import permissions, selectors, services
from ..filters import catalog_choices, catalog_results
from ..models import Project, ProjectLink
from .filters import CATALOG_PARAMETERS, catalog_filters_from_query
from .serializers import (
    ProjectCreateSerializer,
    ProjectDetailSerializer,
    ProjectListSerializer,
    ProjectWriteSerializer,
)


class LinkReplacement:
    """Stands in for the web's link formset in the project services: the service sets
    ``instance`` and calls ``save()`` inside its transaction; the links are replaced as a
    whole."""

    def __init__(self, links: list[dict[str, str]]) -> None:
        self.links = links
        self.instance: Project | None = None

    def save(self) -> None:
        project = self.instance
        project.links.all().delete()
        ProjectLink.objects.bulk_create(
            ProjectLink(project=project, title=link["title"], url=link["url"], position=position)
            for position, link in enumerate(self.links)
        )


def _detail(project: Project) -> Project:
    return (
        Project.objects.select_related("owner")
        .prefetch_related("topics", "goal_links", "partners", "links", "technologies", "vendors")
        .get(pk=project.pk)
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("Projekte des Katalogs"),
        description=_(
            "Veröffentlichte Projekte, die die anfragende Person sehen darf (nur-für-Mitglieder-"
            "Projekte mit Mitgliedskonto); Filter, Suche und Sortierung wie im Katalog."
        ),
        parameters=CATALOG_PARAMETERS,
        responses={200: ProjectListSerializer(many=True)},
    ),
    retrieve=extend_schema(
        summary=_("Ein Projekt"),
        description=_("Entwürfe nur für die eigene Organisation, sonst 404."),
        responses={200: ProjectDetailSerializer},
    ),
    create=extend_schema(
        summary=_("Projekt anlegen"),
        description=_(
            "Neue Projekte sind Entwürfe, außer „publication“ sagt etwas anderes. Nur für "
            "Redaktion und Verwaltung der Organisation (und das Team)."
        ),
        request=ProjectCreateSerializer,
        responses={201: ProjectDetailSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Projekt ändern"),
        description=_(
            "Nur die genannten Felder werden geändert; Listen werden ersetzt. Mit „If-Match“ "
            "(ETag aus dem Lesen) wird nichts überschrieben, was jemand anderes inzwischen "
            "geändert hat: dann kommt 412."
        ),
        request=ProjectWriteSerializer,
        responses={200: ProjectDetailSerializer},
    ),
)
class ProjectViewSet(ETagMixin, viewsets.GenericViewSet):
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    permission_classes = [drf_permissions.IsAuthenticatedOrReadOnly]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Project.objects.none()  # every read goes through the selectors

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.action == "list":
            return ProjectListSerializer
        if self.action == "create":
            return ProjectCreateSerializer
        if self.action == "partial_update":
            return ProjectWriteSerializer
        return ProjectDetailSerializer

    def list(self, request: Request) -> Response:
        filters = catalog_filters_from_query(request.query_params, catalog_choices())
        visible = selectors.project_list_for_catalog(user=request.user)
        results = catalog_results(visible, filters).prefetch_related("topics", "goal_links")
        page = self.paginate_queryset(results)
        serializer = ProjectListSerializer(page, many=True, context={"request": request})
        return self.get_paginated_response(serializer.data)

    def get_object(self) -> Project:
        """The project for ``retrieve`` (``ETagMixin``), or 404 if this person may not see it."""
        slug = self.kwargs["slug"]
        return _detail(selectors.project_get_for_user(user=self.request.user, slug=slug))

    def create(self, request: Request) -> Response:
        serializer = ProjectCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        owner = serializer.validated_data["owner"]
        if not permissions.can_create_project_for(request.user, owner):
            raise PermissionDenied(_("Sie dürfen für diese Organisation keine Projekte anlegen."))
        project = self._save(serializer, owner=owner)
        data = ProjectDetailSerializer(_detail(project), context={"request": request}).data
        location = request.build_absolute_uri(f"{request.path}{project.slug}/")
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": location})

    def partial_update(self, request: Request, slug: str) -> Response:
        project = selectors.project_get_for_user(user=request.user, slug=slug)
        if not permissions.can_edit_project(request.user, project):
            raise PermissionDenied(_("Sie dürfen dieses Projekt nicht bearbeiten."))
        serializer = ProjectWriteSerializer(
            project, data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        project = self._save(serializer, project=project)
        data = ProjectDetailSerializer(_detail(project), context={"request": request}).data
        return with_etag(Response(data))

    def _save(self, serializer: ProjectWriteSerializer, **target: Any) -> Project:
        """One service call in one transaction: all of it is saved, or nothing."""
        data, relations = serializer.split()
        publication = data.pop("publication", None)
        if "links" in relations:
            relations["links"] = LinkReplacement(relations["links"])
        user = self.request.user
        try:
            with transaction.atomic():
                if "project" in target:
                    project = self._locked_unchanged(target["project"])
                    if data or relations:
                        project = services.project_update(
                            project=project, actor=user, data=data, relations=relations
                        )
                else:
                    project = services.project_create(
                        actor=user, owner=target["owner"], data=data, relations=relations
                    )
                if publication is not None:
                    project = services.project_set_publication(
                        project=project, actor=user, publication=publication
                    )
                return project
        except ValidationError as exc:
            raise as_api_error(exc) from exc

    def _locked_unchanged(self, project: Project) -> Project:
        """The project's row locked for this transaction; 412 if the client's ``If-Match``
        is not the ETag of its current state (as this person reads it)."""
        Project.objects.select_for_update().only("pk").get(pk=project.pk)
        current = ProjectDetailSerializer(_detail(project), context={"request": self.request})
        if_match_check(self.request, etag_for(current.data))
        return Project.objects.get(pk=project.pk)
