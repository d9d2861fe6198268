from rest_framework import serializers

from ..models import Topic


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name", "description", "position"]


class GoalSerializer(serializers.Serializer):
    """One of the five goals of the initiative (``core.constants.Goal``)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
