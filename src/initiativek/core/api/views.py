"""Public read of the taxonomy: topics (admin-maintained) and the initiative's five goals."""

from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.permissions import AllowAny

from initiativek.api.conditional import ETagMixin
from initiativek.core.views_utils import parse_id

from ..constants import Goal
from ..models import Topic
from .serializers import GoalSerializer, TopicSerializer


def goal_rows() -> list[dict]:
    return [{"id": value, "name": str(label)} for value, label in Goal.choices]


@extend_schema_view(get=extend_schema(summary=gettext_lazy("Themen")))
class TopicListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = TopicSerializer
    queryset = Topic.objects.order_by("position", "name", "pk")


@extend_schema_view(get=extend_schema(summary=gettext_lazy("Ein Thema")))
class TopicDetailView(ETagMixin, generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = TopicSerializer
    queryset = Topic.objects.all()
    lookup_field = "slug"


@extend_schema_view(get=extend_schema(summary=gettext_lazy("Ziele der Initiative")))
class GoalListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = GoalSerializer
    pagination_class = None  # always five
    filter_backends = []

    def get_queryset(self):
        return goal_rows()


@extend_schema_view(
    get=extend_schema(
        summary=gettext_lazy("Ein Ziel der Initiative"),
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
    )
)
class GoalDetailView(ETagMixin, generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    filter_backends = []
    serializer_class = GoalSerializer

    def get_object(self):
        goal_id = parse_id(self.kwargs["id"])
        for row in goal_rows():
            if row["id"] == goal_id:
                return row
        raise Http404
