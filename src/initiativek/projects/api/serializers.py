"""Projects in the API: what is read (list and detail) and what an editor may write.

Writes are validated here for shape and types only; the rules (who may edit, the model's own
checks) stay in ``projects.services`` and ``projects.permissions``, the code the web uses.
"""

import datetime
import re
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from initiativek.api.writing import StrictSerializer, split_for_service
from initiativek.core.constants import Goal
from initiativek.core.models import Topic
from initiativek.organizations.constants import Visibility
from initiativek.organizations.models import Organization

from ..constants import BudgetRange, OzgField, ProjectStatus, Publication
from ..models import Project

MAX_TEXT = 20000
MAX_TAGS = 30
MAX_LINKS = 20
RELATION_FIELDS = ("topics", "partners", "goals", "technologies", "vendors", "links")


class ProjectOrganizationSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class LinkSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    url = serializers.URLField(max_length=200)

    def validate(self, attrs: dict) -> dict:
        """Both parts, also inside a PATCH (whose ``partial`` would skip missing fields)."""
        missing = [name for name in self.fields if name not in attrs]
        if missing:
            raise serializers.ValidationError(
                {name: [_("Dieses Feld ist erforderlich.")] for name in missing}
            )
        return attrs


@extend_schema_field(
    {"type": "string", "pattern": r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$", "example": "2024-05"}
)
class MonthField(serializers.Field):
    """A month as ``YYYY-MM``, stored as its first day."""

    default_error_messages = {"invalid": _("Bitte geben Sie einen Monat im Format JJJJ-MM an.")}

    def to_internal_value(self, data: Any) -> datetime.date:
        match = re.fullmatch(r"(\d{4})-(\d{2})", data) if isinstance(data, str) else None
        if match is None or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1900:
            self.fail("invalid")
        return datetime.date(int(match[1]), int(match[2]), 1)

    def to_representation(self, value: datetime.date) -> str:
        return value.strftime("%Y-%m")


class ProjectListSerializer(serializers.ModelSerializer):
    """A catalog entry."""

    owner = ProjectOrganizationSerializer(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    goals = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "slug",
            "title",
            "summary",
            "status",
            "status_label",
            "owner",
            "topics",
            "goals",
            "reuse_offered",
            "visibility",
            "publication",
            "published_at",
            "updated_at",
            "url",
        ]
        read_only_fields = fields

    def get_goals(self, project: Project) -> list[int]:
        return sorted(link.goal for link in project.goal_links.all())

    def get_url(self, project: Project) -> str:
        """The project's page on the web."""
        return self.context["request"].build_absolute_uri(project.get_absolute_url())


class ProjectDetailSerializer(ProjectListSerializer):
    """A project with everything its public page shows (no contact person)."""

    partners = ProjectOrganizationSerializer(many=True, read_only=True)
    links = LinkSerializer(many=True, read_only=True)
    technologies = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    vendors = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    start_month = MonthField(read_only=True, allow_null=True)
    end_month = MonthField(read_only=True, allow_null=True)
    ozg_fields = serializers.ListField(child=serializers.CharField(), read_only=True)
    reuse_repository = serializers.CharField(
        read_only=True, help_text=_("Adresse des Quellcodes (URL) oder leer.")
    )

    class Meta(ProjectListSerializer.Meta):
        fields = [
            *ProjectListSerializer.Meta.fields,
            "description",
            "start_month",
            "end_month",
            "ozg_fields",
            "technologies",
            "vendors",
            "partners",
            "links",
            "budget_range",
            "funding",
            "effort",
            "lessons_learned",
            "reuse_conditions",
            "reuse_license",
            "reuse_repository",
            "created_at",
        ]
        read_only_fields = fields


def _text(max_length: int = MAX_TEXT) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, allow_blank=True, required=False)


class ProjectWriteSerializer(StrictSerializer):
    """The changed fields of a project (PATCH); the owner of a project does not change."""

    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=600)
    description = _text()
    status = serializers.ChoiceField(choices=ProjectStatus.choices, required=False)
    start_month = MonthField(required=False, allow_null=True)
    end_month = MonthField(required=False, allow_null=True)
    topics = serializers.SlugRelatedField(
        slug_field="slug", queryset=Topic.objects.all(), many=True, required=False
    )
    goals = serializers.ListField(
        child=serializers.ChoiceField(choices=Goal.choices), required=False, max_length=20
    )
    ozg_fields = serializers.ListField(
        child=serializers.ChoiceField(choices=OzgField.choices), required=False, max_length=20
    )
    technologies = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=MAX_TAGS
    )
    vendors = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=MAX_TAGS
    )
    partners = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organization.objects.filter(is_member=True),
        many=True,
        required=False,
    )
    budget_range = serializers.ChoiceField(
        choices=BudgetRange.choices, allow_blank=True, required=False
    )
    funding = _text(300)
    effort = _text(300)
    lessons_learned = _text()
    reuse_offered = serializers.BooleanField(required=False)
    reuse_conditions = _text()
    reuse_license = _text(100)
    reuse_repository = serializers.URLField(max_length=200, allow_blank=True, required=False)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    publication = serializers.ChoiceField(
        choices=Publication.choices,
        required=False,
        help_text=_(
            "„veroeffentlicht“ veröffentlicht das Projekt, „entwurf“ zieht es zurück, "
            "„archiviert“ archiviert es – wie die Knöpfe auf der Projektseite."
        ),
    )
    links = LinkSerializer(many=True, required=False, max_length=MAX_LINKS)

    def validate(self, attrs: dict) -> dict:
        start, end = attrs.get("start_month"), attrs.get("end_month")
        if start and end and end < start:
            raise serializers.ValidationError(
                {"end_month": [_("Das Ende darf nicht vor dem Beginn liegen.")]}
            )
        return attrs

    def split(self) -> tuple[dict, dict]:
        """(model field values, related values) for the project services."""
        return split_for_service(
            self.validated_data, relation_fields=RELATION_FIELDS, leave_out="owner"
        )


class ProjectCreateSerializer(ProjectWriteSerializer):
    """A new project: ``owner``, ``title`` and ``summary`` required."""

    owner = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organization.objects.filter(is_member=True),
        help_text=_("Kurzname der Organisation, für die das Projekt angelegt wird."),
    )
