"""Read representations of organizations and regions for the API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import selectors
from ..models import Organization, Region


class RegionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["key", "level", "name"]


class RegionSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True)
    parent = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = [
            "key",
            "level",
            "name",
            "display_name",
            "official_name",
            "seat",
            "parent",
            "ars",
            "population",
            "area_ha",
            "postcode",
            "latitude",
            "longitude",
            "valid_on",
        ]


class RegionDetailSerializer(RegionSerializer):
    ancestors = serializers.SerializerMethodField()

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "ancestors"]

    @extend_schema_field(RegionRefSerializer(many=True))
    def get_ancestors(self, region: Region) -> list[dict]:
        return RegionRefSerializer(region.ancestors(), many=True).data


class ContactSerializer(serializers.Serializer):
    """A contact person as this viewer may see them (``permissions.visible_contact``): hidden
    details are empty strings and ``hidden_details`` tells that there are some."""

    name = serializers.CharField()
    function = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()
    hidden_details = serializers.BooleanField()


class OrganizationSerializer(serializers.ModelSerializer):
    region = RegionRefSerializer(read_only=True, allow_null=True)
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = [
            "slug",
            "name",
            "kind",
            "ags",
            "region",
            "population",
            "latitude",
            "longitude",
            "website",
            "is_member",
            "member_since",
            "partner_role",
            "parent",
            "web_url",
            "updated_at",
        ]

    def get_web_url(self, organization: Organization) -> str:
        request = self.context.get("request")
        path = organization.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path


class OrganizationDetailSerializer(OrganizationSerializer):
    contacts = serializers.SerializerMethodField()
    hidden_contact_count = serializers.SerializerMethodField()
    children = serializers.SerializerMethodField()

    class Meta(OrganizationSerializer.Meta):
        fields = [
            *OrganizationSerializer.Meta.fields,
            "description",
            "contacts",
            "hidden_contact_count",
            "children",
        ]

    def _user(self):
        return self.context["request"].user

    @extend_schema_field(ContactSerializer(many=True))
    def get_contacts(self, organization: Organization) -> list[dict]:
        return selectors.organization_contacts_for_viewer(
            organization=organization, user=self._user()
        )

    def get_hidden_contact_count(self, organization: Organization) -> int:
        return selectors.organization_hidden_contact_count(
            organization=organization, user=self._user()
        )

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_children(self, organization: Organization) -> list[str]:
        children = selectors.organization_children(organization=organization)
        return list(children.values_list("slug", flat=True))
