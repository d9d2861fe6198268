"""Questionnaires and their aggregated results in the API.

The results are ``surveys.results.results_for_viewer`` – the same cached aggregate, threshold
and suppression as the web page – turned into data; nothing is recomputed here.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Questionnaire
from ..results import ResultsPage


class QuestionnaireSerializer(serializers.ModelSerializer):
    phase = serializers.SerializerMethodField()
    results = serializers.SerializerMethodField()

    class Meta:
        model = Questionnaire
        fields = ["slug", "title", "introduction", "phase", "opens_on", "closes_on", "results"]
        read_only_fields = fields

    def get_phase(self, questionnaire: Questionnaire) -> str:
        """template, draft, scheduled, open or closed."""
        return questionnaire.phase()

    def get_results(self, questionnaire: Questionnaire) -> str:
        """The address of the results in the API."""
        return self.context["request"].build_absolute_uri(f"{questionnaire.slug}/results/")


class ResultsQuerySerializer(serializers.Serializer):
    gruppe = serializers.CharField(max_length=50, required=False)
    organisation = serializers.SlugField(max_length=200, required=False)


class RowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("Antwortmöglichkeit, Wert oder Bereich"))
    label = serializers.CharField()
    count = serializers.IntegerField()
    share = serializers.CharField(help_text=_("Anteil, deutsch formatiert"))
    is_own = serializers.BooleanField()


class LabelValueSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()


class TextSerializer(serializers.Serializer):
    text = serializers.CharField()
    organization = serializers.CharField(
        allow_blank=True, help_text=_("leer ohne Zustimmung zur Namensnennung")
    )


class QuestionResultSerializer(serializers.Serializer):
    key = serializers.CharField()
    text = serializers.CharField()
    kind = serializers.CharField()
    hidden = serializers.BooleanField(
        help_text=_("Zahlen aus Datenschutzgründen nicht ausgewiesen (zu wenige Antworten)")
    )
    answered = serializers.IntegerField()
    rows = RowSerializer(many=True)
    summary = LabelValueSerializer(many=True)
    own = serializers.CharField(
        allow_blank=True, help_text=_("Antwort der eigenen Organisation; leer ohne")
    )
    texts = TextSerializer(many=True)
    text_total = serializers.IntegerField()
    texts_hidden = serializers.BooleanField()


class SectionSerializer(serializers.Serializer):
    title = serializers.CharField(allow_blank=True)
    questions = QuestionResultSerializer(many=True)


class GroupSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.CharField()
    label = serializers.CharField()


class ResultsSerializer(serializers.Serializer):
    questionnaire = serializers.SlugField()
    threshold = serializers.IntegerField(help_text=_("Mindestzahl der Antworten je Gruppe"))
    total = serializers.IntegerField()
    enough = serializers.BooleanField()
    has_demo = serializers.BooleanField()
    group = GroupSerializer()
    group_hidden = serializers.BooleanField()
    groups = GroupSerializer(many=True, help_text=_("Die Gruppen, die gezeigt werden dürfen"))
    organization = serializers.SlugField(allow_null=True)
    sections = SectionSerializer(many=True)


def _question(view: Any) -> dict[str, Any]:
    return {
        "key": view.meta.key,
        "text": view.meta.text,
        "kind": view.meta.kind,
        "hidden": view.hidden,
        "answered": view.answered,
        "rows": [
            {
                "key": str(row.key),
                "label": row.label,
                "count": row.count,
                "share": row.share_display,
                "is_own": row.is_own,
            }
            for row in view.rows
        ],
        "summary": [{"label": label, "value": value} for label, value in view.summary],
        "own": view.own,
        "texts": [{"text": t.text, "organization": t.organization} for t in view.texts],
        "text_total": view.text_total,
        "texts_hidden": view.texts_hidden,
    }


def results_data(page: ResultsPage) -> dict[str, Any]:
    """The results page as data (validated against ``ResultsSerializer`` by the tests)."""
    group = page.group
    organization = page.viewer.organization
    return {
        "questionnaire": page.questionnaire.slug,
        "threshold": page.threshold,
        "total": page.total,
        "enough": page.enough,
        "has_demo": page.has_demo,
        "group": {"key": group.key, "kind": group.kind, "label": group.label},
        "group_hidden": page.group_hidden,
        "groups": [
            {"key": option.key, "kind": option.kind, "label": option.label}
            for option in page.group_options
        ],
        "organization": organization.slug if organization is not None else None,
        "sections": [
            {"title": title, "questions": [_question(view) for view in views]}
            for title, views in page.sections
        ],
    }
