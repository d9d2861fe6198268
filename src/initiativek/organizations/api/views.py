"""Public read of organizations and regions; profile editing for the people who may edit an
organization (``permissions.can_edit_organization``, as on the web's edit page), saved by
``services.organization_profile_save`` – the same code as the web."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.permissions import AllowAny, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from initiativek.api.conditional import ETagMixin, etag_for, if_match_check, with_etag
from initiativek.api.writing import as_api_error

from .. import permissions, selectors, services
from ..constants import CONTACT_FIELDS
from ..models import ContactPerson, Organization, Region
from .filters import OrganizationApiFilter, RegionFilter
from .serializers import (
    OrganizationDetailSerializer,
    OrganizationSerializer,
    OrganizationWriteSerializer,
    RegionDetailSerializer,
    RegionSerializer,
)


class ContactReplacement:
    """Stands in for the web's contact formset in ``organization_profile_save``: the list
    replaces all contact persons, in its order. ``has_changed`` compares with the stored ones
    (so an unchanged list is neither written nor logged); the service sets ``instance`` and
    calls ``save()`` inside its transaction."""

    def __init__(self, contacts: list[dict], *, instance: Organization) -> None:
        self.contacts = [
            {**contact, "position": position} for position, contact in enumerate(contacts)
        ]
        self.instance = instance

    def _stored(self) -> list[dict]:
        return list(self.instance.contacts.order_by("position", "pk").values(*CONTACT_FIELDS))

    def has_changed(self) -> bool:
        new = [{field: contact[field] for field in CONTACT_FIELDS} for contact in self.contacts]
        return new != self._stored()

    def save(self) -> None:
        organization = self.instance
        people = [ContactPerson(organization=organization, **data) for data in self.contacts]
        for person in people:
            try:
                person.full_clean(exclude=["organization"])
            except ValidationError as exc:  # the serializer checks the same; a safety net
                raise ValidationError({"contacts": exc.messages}) from exc
        organization.contacts.all().delete()
        ContactPerson.objects.bulk_create(people)


@extend_schema_view(
    get=extend_schema(
        summary=gettext_lazy("Organisationen"),
        description=gettext_lazy(
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
        summary=gettext_lazy("Eine Organisation"),
        description=gettext_lazy(
            "Mit Ansprechpersonen, soweit der Aufrufende sie sehen darf (Mitglieder sehen "
            "mehr als die Öffentlichkeit; wer das Profil bearbeiten darf, sieht alle mit "
            "ihren Sichtbarkeitseinstellungen)."
        ),
    ),
    patch=extend_schema(
        summary=gettext_lazy("Profil einer Organisation ändern"),
        description=gettext_lazy(
            "Wie „Profil bearbeiten“ auf der Website: nur für Administration und Redaktion der "
            "Organisation und das Team. Nur die genannten Felder werden geändert; „contacts“ "
            "ersetzt alle Ansprechpersonen (höchstens 20, in der angegebenen Reihenfolge). "
            "Einwohnerzahl und Koordinaten von Organisationen aus dem amtlichen "
            "Gemeindeverzeichnis kommen aus dem Verzeichnis und sind nicht änderbar. Mit "
            "„If-Match“ (ETag aus dem Lesen) wird nichts überschrieben, was jemand anderes "
            "inzwischen geändert hat: dann kommt 412."
        ),
        request=OrganizationWriteSerializer,
        responses={200: OrganizationDetailSerializer},
    ),
)
class OrganizationDetailView(ETagMixin, generics.RetrieveUpdateAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = OrganizationDetailSerializer
    lookup_field = "slug"
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self) -> Organization:
        return selectors.organization_get(slug=self.kwargs["slug"])

    def partial_update(self, request: Request, slug: str) -> Response:
        organization = selectors.organization_get(slug=slug)
        if not permissions.can_edit_organization(request.user, organization):
            raise PermissionDenied(_("Sie dürfen das Profil dieser Organisation nicht bearbeiten."))
        serializer = OrganizationWriteSerializer(
            data=request.data, context={"request": request, "organization": organization}
        )
        serializer.is_valid(raise_exception=True)
        self._save(organization, serializer)
        return with_etag(Response(self._detail_data(slug)))

    def _save(self, organization: Organization, serializer: OrganizationWriteSerializer) -> None:
        """One service call in one transaction: all of it is saved, or nothing."""
        data, contacts = serializer.split()
        try:
            with transaction.atomic():
                organization = self._locked_unchanged(organization)
                if not data and contacts is None:
                    return
                services.organization_profile_save(
                    organization=organization,
                    actor=self.request.user,
                    data=data,
                    contacts=None
                    if contacts is None
                    else ContactReplacement(contacts, instance=organization),
                )
        except ValidationError as exc:
            raise as_api_error(exc) from exc

    def _locked_unchanged(self, organization: Organization) -> Organization:
        """The organization's row locked for this transaction; 412 if the client's
        ``If-Match`` is not the ETag of its current state (as this person reads it)."""
        Organization.objects.select_for_update().only("pk").get(pk=organization.pk)
        if_match_check(self.request, etag_for(self._detail_data(organization.slug)))
        return Organization.objects.get(pk=organization.pk)

    def _detail_data(self, slug: str) -> dict:
        organization = selectors.organization_get(slug=slug)
        return OrganizationDetailSerializer(organization, context={"request": self.request}).data


@extend_schema_view(
    get=extend_schema(
        summary=gettext_lazy("Gebietseinheiten"),
        description=gettext_lazy(
            "Land, Regierungsbezirke, Regionen, Kreise, Verbände und Gemeinden."
        ),
    )
)
class RegionListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = RegionSerializer
    filterset_class = RegionFilter

    def get_queryset(self):
        return Region.objects.select_related("parent").order_by("key")


@extend_schema_view(get=extend_schema(summary=gettext_lazy("Eine Gebietseinheit")))
class RegionDetailView(ETagMixin, generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = RegionDetailSerializer
    lookup_field = "key"
    queryset = Region.objects.select_related("parent")
