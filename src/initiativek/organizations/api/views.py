"""Public read of organizations and regions."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.permissions import AllowAny

from initiativek.api.conditional import ETagMixin

from .. import selectors
from ..models import Region
from .filters import OrganizationApiFilter, RegionFilter
from .serializers import (
    OrganizationDetailSerializer,
    OrganizationSerializer,
    RegionDetailSerializer,
    RegionSerializer,
)


@extend_schema_view(
    get=extend_schema(
        summary="Organisationen",
        description=(
            "Das Verzeichnis: Kommunen, Landkreise, Verbände, Unternehmen und Partner, nach "
            "Name sortiert. Filter wie im Verzeichnis der Website."
        ),
    )
)
class OrganizationListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationApiFilter

    def get_queryset(self):
        return selectors.organization_list().select_related("parent").order_by("name", "pk")


@extend_schema_view(
    get=extend_schema(
        summary="Eine Organisation",
        description=(
            "Mit Ansprechpersonen, soweit der Aufrufende sie sehen darf (Mitglieder sehen "
            "mehr als die Öffentlichkeit)."
        ),
    )
)
class OrganizationDetailView(ETagMixin, generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = OrganizationDetailSerializer
    lookup_field = "slug"

    def get_object(self):
        return selectors.organization_get(slug=self.kwargs["slug"])


@extend_schema_view(
    get=extend_schema(
        summary="Gebietseinheiten",
        description="Land, Regierungsbezirke, Regionen, Kreise, Verbände und Gemeinden.",
    )
)
class RegionListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = RegionSerializer
    filterset_class = RegionFilter

    def get_queryset(self):
        return Region.objects.select_related("parent").order_by("key")


@extend_schema_view(get=extend_schema(summary="Eine Gebietseinheit"))
class RegionDetailView(ETagMixin, generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = RegionDetailSerializer
    lookup_field = "key"
    queryset = Region.objects.select_related("parent")
