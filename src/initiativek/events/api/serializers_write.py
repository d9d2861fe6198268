"""What hosts write to events through the API: the fields of the web's ``EventForm``.

Shape and types are checked here; the rules (who may host, capacities against seats taken,
registrations kept, the program within the times, the model's own checks) stay in
``events.services_host`` and ``events.permissions``, the code the web uses. The checks that
on the web live only in ``EventForm.clean`` (end after start, registration closes after it
opens) are repeated in :func:`check_times` for the API's datetimes.
"""

import datetime
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from initiativek.api.writing import StrictSerializer, split_for_service
from initiativek.core.models import Topic
from initiativek.organizations.models import Organization

from ..constants import MAX_HOURS, EventFormat, EventStatus, WaitlistMode
from ..forms_host import MARKDOWN_MAX
from ..models import Event, EventSeries

RELATION_FIELDS = ("hosts", "partners", "topics")
MAX_RELATED = 50
# The range of the model's PositiveIntegerField on every database Django supports.
MAX_COUNT = 2_147_483_647
YEAR_MIN, YEAR_MAX = 1900, 2999
EDITABLE_STATUSES = [
    (value, label) for value, label in EventStatus.choices if value != EventStatus.CANCELLED
]


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 date and time *with* offset (``2026-05-14T12:00:00+02:00``); a time
    without offset would be ambiguous, so it is refused rather than guessed."""

    default_error_messages = {
        "naive": _(
            "Bitte geben Sie Datum und Uhrzeit mit Zeitzone an, z. B. 2026-05-14T12:00:00+02:00."
        ),
        "range": _("Bitte geben Sie ein Datum zwischen den Jahren 1900 und 2999 an."),
    }

    def enforce_timezone(self, value: datetime.datetime) -> datetime.datetime:
        if timezone.is_naive(value):
            self.fail("naive")
        return super().enforce_timezone(value)

    def to_internal_value(self, value: Any) -> datetime.datetime:
        result = super().to_internal_value(value)
        if not YEAR_MIN <= result.year <= YEAR_MAX:
            self.fail("range")
        return result


class SlugListField(serializers.ListField):
    """A list of slugs resolved to objects with one query, in the given order; unknown slugs
    are reported at their position (``#/topics/2``)."""

    default_error_messages = {"does_not_exist": _("„%(slug)s“ gibt es nicht.")}

    def __init__(self, *, queryset: QuerySet, **kwargs: Any) -> None:
        self.queryset = queryset
        kwargs.setdefault("max_length", MAX_RELATED)
        kwargs.setdefault("required", False)
        super().__init__(child=serializers.SlugField(max_length=220), **kwargs)

    def to_internal_value(self, data: Any) -> list[Model]:
        if isinstance(data, list) and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        slugs = super().to_internal_value(data)
        found = {obj.slug: obj for obj in self.queryset.filter(slug__in=slugs)}
        missing = {
            index: [self.error_messages["does_not_exist"] % {"slug": slug}]
            for index, slug in enumerate(slugs)
            if slug not in found
        }
        if missing:
            raise serializers.ValidationError(missing)
        return list({slug: found[slug] for slug in slugs}.values())


def _text(max_length: int) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, allow_blank=True, required=False)


def _count(help_text: str = "") -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=0, max_value=MAX_COUNT, allow_null=True, required=False, help_text=help_text
    )


def _hours(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=0, max_value=MAX_HOURS, required=False, help_text=help_text
    )


def _moment(help_text: str) -> AwareDateTimeField:
    return AwareDateTimeField(allow_null=True, required=False, help_text=help_text)


class EventFieldsSerializer(StrictSerializer):
    """The fields hosts write, as in the web's event form (dates as ISO 8601 with offset)."""

    title = serializers.CharField(max_length=200)
    summary = _text(600)
    description = _text(MARKDOWN_MAX)
    series = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=EventSeries.objects.all(),
        allow_null=True,
        required=False,
        help_text=_("Kurzname der Veranstaltungsreihe; null: keine Reihe."),
    )
    format = serializers.ChoiceField(choices=EventFormat.choices, required=False)
    starts_at = _moment(_("Beginn; null: Termin noch nicht bekannt."))
    ends_at = _moment(_("Ende; null: offen. Nur mit Beginn."))
    venue = _text(300)
    venue_address = _text(2000)
    online_url = serializers.URLField(
        max_length=200,
        allow_blank=True,
        required=False,
        help_text=_("Nur für bestätigte Teilnehmende sichtbar; wird nie ausgegeben."),
    )
    capacity_onsite = _count(_("null: unbegrenzt. Nicht weniger als bereits vergebene Plätze."))
    capacity_online = _count(_("null: unbegrenzt. Nicht weniger als bereits vergebene Plätze."))
    seats_per_organization = _count(_("null: keine Begrenzung."))
    registration_opens_at = _moment(_("null: sofort nach der Veröffentlichung."))
    registration_closes_at = _moment(_("null: bis zum Ende der Veranstaltung."))
    waitlist_mode = serializers.ChoiceField(choices=WaitlistMode.choices, required=False)
    offer_hold_hours = _hours(_("Wie viele Stunden ein angebotener Platz reserviert bleibt."))
    reminder_hours_before = _hours(_("Wie viele Stunden vor Beginn erinnert wird."))
    ask_access_needs = serializers.BooleanField(required=False)
    hosts = SlugListField(
        queryset=Organization.objects.all(),
        help_text=_("Gastgebende Mitgliedsorganisationen (Kurznamen); ersetzt die Liste."),
    )
    partners = SlugListField(
        queryset=Organization.objects.all(),
        help_text=_("Begleitende Partner (Kurznamen); ersetzt die Liste."),
    )
    topics = SlugListField(
        queryset=Topic.objects.all(), help_text=_("Themen (Kurznamen); ersetzt die Liste.")
    )

    def validate(self, attrs: dict) -> dict:
        check_times(attrs, current=self.instance)
        return attrs

    def split(self) -> tuple[dict, dict]:
        """(model field values, related values) for the services, like ``EventForm.split``;
        ``host`` is left out."""
        return split_for_service(
            self.validated_data, relation_fields=RELATION_FIELDS, leave_out="host"
        )


class EventCreateSerializer(EventFieldsSerializer):
    """A new event: always a draft; ``host`` and ``title`` required."""

    host = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organization.objects.filter(is_member=True),
        help_text=_(
            "Kurzname der Mitgliedsorganisation, für die die Veranstaltung angelegt wird; "
            "weitere Gastgeber in „hosts“."
        ),
    )


class EventWriteSerializer(EventFieldsSerializer):
    """The changed fields of an event (PATCH)."""

    status = serializers.ChoiceField(
        choices=EDITABLE_STATUSES,
        required=False,
        help_text=_(
            "„veroeffentlicht“ veröffentlicht die Veranstaltung, „entwurf“ zieht sie zurück "
            "(nicht mehr, sobald es Anmeldungen gibt). Absagen geht über „cancel“."
        ),
    )

    def validate_status(self, value: str) -> str:
        if self.instance is not None and self.instance.status == EventStatus.CANCELLED:
            raise serializers.ValidationError(
                _("Eine abgesagte Veranstaltung bleibt abgesagt; ihr Status ändert sich nicht.")
            )
        return value


class EventCancelSerializer(StrictSerializer):
    reason = serializers.CharField(
        max_length=2000,
        allow_blank=True,
        required=False,
        help_text=_("Grund der Absage; steht in der E-Mail an alle Angemeldeten."),
    )


def check_times(values: dict, *, current: Event | None) -> None:
    """``EventForm.clean``'s checks for the API: the end after the start (and no end without
    a start), registration closing after it opens. Values not given are ``current``'s."""

    def value(name: str) -> datetime.datetime | None:
        if name in values:
            return values[name]
        return getattr(current, name) if current is not None else None

    errors = {}
    starts_at, ends_at = value("starts_at"), value("ends_at")
    end_field = "ends_at" if "ends_at" in values or "starts_at" not in values else "starts_at"
    if ends_at is not None and starts_at is None:
        errors[end_field] = [_("Ein Ende gibt es nur mit einem Beginn.")]
    elif ends_at is not None and ends_at <= starts_at:
        errors[end_field] = [_("Das Ende muss nach dem Beginn liegen.")]
    opens, closes = value("registration_opens_at"), value("registration_closes_at")
    if opens and closes and closes <= opens:
        field = (
            "registration_closes_at"
            if "registration_closes_at" in values or "registration_opens_at" not in values
            else "registration_opens_at"
        )
        errors[field] = [_("Das Ende der Anmeldung muss nach ihrem Beginn liegen.")]
    if errors:
        raise serializers.ValidationError(errors)
