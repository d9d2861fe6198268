"""Organizations and regions in the API: what is read, and what the people who may edit an
organization's profile write (the fields of the web's profile form and its contact persons).

Writes are validated here for shape and types only; who may edit stays in
``organizations.permissions`` and the saving in ``organizations.services``.
"""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from initiativek.api.writing import StrictSerializer

from .. import permissions, selectors
from ..constants import PARENT_CYCLE, OrganizationSource, Visibility
from ..models import ContactPerson, Organization, Region

MAX_DESCRIPTION = 20000
MAX_CONTACTS = 20  # as the web's ContactFormSet (max_num)
OFFICIAL_FIGURES = ("population", "latitude", "longitude")


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


def _visibility_setting(help_text: str) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=Visibility.choices, required=False, help_text=help_text)


class ContactSerializer(serializers.Serializer):
    """A contact person as this viewer may see them (``permissions.visible_contact``): hidden
    details are empty strings and ``hidden_details`` tells that there are some.

    People who may edit the profile get every contact person in full, with the visibility
    settings, as in the web's edit form – what a PATCH of ``contacts`` replaces."""

    name = serializers.CharField()
    function = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()
    hidden_details = serializers.BooleanField()
    visibility = _visibility_setting(_("Nur für Personen, die das Profil bearbeiten dürfen."))
    email_visibility = _visibility_setting(_("Nur für Personen, die das Profil bearbeiten dürfen."))
    phone_visibility = _visibility_setting(_("Nur für Personen, die das Profil bearbeiten dürfen."))


def _contact_in_full(contact: ContactPerson) -> dict[str, Any]:
    return {
        "name": contact.name,
        "function": contact.function,
        "email": contact.email,
        "phone": contact.phone,
        "hidden_details": False,
        "visibility": contact.visibility,
        "email_visibility": contact.email_visibility,
        "phone_visibility": contact.phone_visibility,
    }


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

    def _can_edit(self, organization: Organization) -> bool:
        """Whether this viewer may edit the profile (asked once per organization)."""
        cache = self.context.setdefault("can_edit_organization", {})
        if organization.pk not in cache:
            cache[organization.pk] = permissions.can_edit_organization(self._user(), organization)
        return cache[organization.pk]

    @extend_schema_field(ContactSerializer(many=True))
    def get_contacts(self, organization: Organization) -> list[dict]:
        if self._can_edit(organization):
            return [_contact_in_full(contact) for contact in organization.contacts.all()]
        return selectors.organization_contacts_for_viewer(
            organization=organization, user=self._user()
        )

    def get_hidden_contact_count(self, organization: Organization) -> int:
        if self._can_edit(organization):
            return 0
        return selectors.organization_hidden_contact_count(
            organization=organization, user=self._user()
        )

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_children(self, organization: Organization) -> list[str]:
        children = selectors.organization_children(organization=organization)
        return list(children.values_list("slug", flat=True))


# --- writing ---------------------------------------------------------------------------------


class ContactWriteSerializer(StrictSerializer):
    """One contact person of the profile; the fields of the web's contact form."""

    name = serializers.CharField(max_length=150)
    function = serializers.CharField(max_length=200, allow_blank=True, default="")
    email = serializers.EmailField(max_length=254, allow_blank=True, default="")
    email_visibility = serializers.ChoiceField(
        choices=Visibility.choices, default=Visibility.MEMBERS
    )
    phone = serializers.CharField(max_length=40, allow_blank=True, default="")
    phone_visibility = serializers.ChoiceField(
        choices=Visibility.choices, default=Visibility.MEMBERS
    )
    visibility = serializers.ChoiceField(
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        help_text=_("Wer die Person überhaupt sieht."),
    )


def _official_figure(field: serializers.Field) -> serializers.Field:
    field.help_text = _(
        "Nicht bei Organisationen aus dem amtlichen Gemeindeverzeichnis: deren Angaben "
        "kommen aus dem Verzeichnis."
    )
    return field


class OrganizationWriteSerializer(StrictSerializer):
    """The changed fields of an organization's profile (PATCH), as in the web's profile form.
    Every field is optional; ``contacts`` replaces all contact persons (in the list's order)."""

    # context["organization"] is the organization being edited (for the rules below).

    description = serializers.CharField(
        max_length=MAX_DESCRIPTION, allow_blank=True, required=False
    )
    website = serializers.URLField(max_length=200, allow_blank=True, required=False)
    population = _official_figure(
        serializers.IntegerField(
            min_value=0, max_value=2_147_483_647, allow_null=True, required=False
        )
    )
    latitude = _official_figure(
        serializers.DecimalField(
            max_digits=9,
            decimal_places=6,
            min_value=Decimal(-90),
            max_value=Decimal(90),
            allow_null=True,
            required=False,
        )
    )
    longitude = _official_figure(
        serializers.DecimalField(
            max_digits=9,
            decimal_places=6,
            min_value=Decimal(-180),
            max_value=Decimal(180),
            allow_null=True,
            required=False,
        )
    )
    parent = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organization.objects.filter(is_member=True),
        allow_null=True,
        required=False,
        help_text=_("Kurzname der Mitgliedsorganisation, zu der diese gehört, oder null."),
        error_messages={
            "does_not_exist": _("Es gibt keine Mitgliedsorganisation mit dem Kurznamen „{value}“.")
        },
    )
    contacts = ContactWriteSerializer(many=True, required=False, max_length=MAX_CONTACTS)

    def _organization(self) -> Organization:
        return self.context["organization"]

    def validate_parent(self, parent: Organization | None) -> Organization | None:
        if selectors.organization_parent_creates_cycle(
            organization=self._organization(), parent=parent
        ):
            raise serializers.ValidationError(PARENT_CYCLE)
        return parent

    def validate(self, attrs: dict) -> dict:
        if self._organization().source == OrganizationSource.DIRECTORY:
            # As in the web form: a re-import from the municipality directory would overwrite
            # edits, so these figures are not editable for such organizations.
            message = _(
                "Diese Angabe stammt aus dem amtlichen Gemeindeverzeichnis und wird beim "
                "nächsten Import überschrieben; sie kann hier nicht geändert werden."
            )
            refused = {field: [message] for field in OFFICIAL_FIGURES if field in attrs}
            if refused:
                raise serializers.ValidationError(refused)
        return attrs

    def split(self) -> tuple[dict, list[dict] | None]:
        """(profile field values, the new list of contact persons or None if not given)."""
        data = dict(self.validated_data)
        contacts = data.pop("contacts", None)
        return data, contacts
