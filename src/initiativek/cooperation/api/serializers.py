"""Recommendations in the API: the web page's suggestions and reasons as data."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from initiativek.organizations.models import Organization

from ..recommendations.filters import DISTANCE_CHOICES, KIND_CHOICES


class RecommendationQuerySerializer(serializers.Serializer):
    """The page's parameters, strictly: a malformed value is a 400, not ignored."""

    organisation = serializers.SlugField(max_length=200, required=False)
    thema = serializers.SlugField(max_length=100, required=False)
    entfernung = serializers.ChoiceField(choices=DISTANCE_CHOICES, required=False)
    art = serializers.ChoiceField(choices=KIND_CHOICES, required=False)

    def validate_thema(self, value: str) -> str:
        from initiativek.core.models import Topic

        if not Topic.objects.filter(slug=value).exists():
            raise serializers.ValidationError(_("Unbekanntes Thema."))
        return value


class SuggestedOrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["slug", "name", "kind"]
        read_only_fields = fields


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("z. B. shared_plans, they_implemented, geography"))
    text = serializers.CharField(help_text=_("Der Grund als deutscher Satz (ohne HTML)"))
    projects = serializers.ListField(
        child=serializers.SlugField(),
        help_text=_("Kurznamen der genannten Projekte, die Sie sehen dürfen"),
    )


class SuggestionSerializer(serializers.Serializer):
    organization = SuggestedOrganizationSerializer()
    score = serializers.FloatField()
    relevance = serializers.IntegerField(help_text=_("0 bis 100, relativ zum besten Vorschlag"))
    distance = serializers.CharField(
        allow_blank=True, help_text=_("z. B. „34 km“; leer, wenn unbekannt")
    )
    place = serializers.CharField(allow_blank=True)
    reasons = ReasonSerializer(many=True)
