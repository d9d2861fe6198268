"""Events in the API: public information only – the program and who speaks, never who takes
part, never the online access link."""

from rest_framework import serializers

from ..models import Event, ProgramItem, ProgramPerson, Speaker


class EventOrganizationSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class SpeakerSerializer(serializers.ModelSerializer):
    """Name, function and organization as the program shows them (no contact details)."""

    organization = serializers.CharField(source="organization_label", read_only=True)

    class Meta:
        model = Speaker
        fields = ["name", "function", "organization"]
        read_only_fields = fields


class ProgramPersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="speaker.name", read_only=True)
    function = serializers.CharField(source="speaker.function", read_only=True)
    organization = serializers.CharField(source="speaker.organization_label", read_only=True)

    class Meta:
        model = ProgramPerson
        fields = ["name", "function", "organization", "role"]
        read_only_fields = fields


class ProjectRefSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True)


class ProgramItemSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    people = ProgramPersonSerializer(many=True, read_only=True)
    projects = ProjectRefSerializer(many=True, read_only=True)

    class Meta:
        model = ProgramItem
        fields = [
            "position",
            "starts_at",
            "ends_at",
            "kind",
            "kind_label",
            "title",
            "description",
            "people",
            "projects",
        ]
        read_only_fields = fields


class EventListSerializer(serializers.ModelSerializer):
    series = serializers.CharField(source="series.name", read_only=True, allow_null=True)
    hosts = EventOrganizationSerializer(many=True, read_only=True)
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    format_label = serializers.CharField(source="get_format_display", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "slug",
            "title",
            "summary",
            "format",
            "format_label",
            "status",
            "starts_at",
            "ends_at",
            "venue",
            "series",
            "hosts",
            "topics",
            "updated_at",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, event: Event) -> str:
        """The event's page on the web."""
        return self.context["request"].build_absolute_uri(event.get_absolute_url())


class EventDetailSerializer(EventListSerializer):
    """The event page's public part: ``program`` and ``speakers`` come from
    ``selectors.event_program`` / ``event_speakers`` (set on the event by the view)."""

    partners = EventOrganizationSerializer(many=True, read_only=True)
    program = ProgramItemSerializer(source="api_program", many=True, read_only=True)
    speakers = SpeakerSerializer(source="api_speakers", many=True, read_only=True)
    report = serializers.SerializerMethodField()

    class Meta(EventListSerializer.Meta):
        fields = [
            *EventListSerializer.Meta.fields,
            "description",
            "venue_address",
            "partners",
            "program",
            "speakers",
            "report",
            "report_published_at",
            "capacity_onsite",
            "capacity_online",
            "seats_per_organization",
            "registration_opens_at",
            "registration_closes_at",
            "waitlist_mode",
            "offer_hold_hours",
            "reminder_hours_before",
            "ask_access_needs",
        ]
        read_only_fields = fields

    def get_report(self, event) -> str:
        """The report is public only once the hosts published it (as on the web page)."""
        return event.report if event.report_published_at else ""
