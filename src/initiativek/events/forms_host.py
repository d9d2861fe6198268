"""Forms of the host tools. Dates and times are entered and shown in Europe/Berlin."""

import datetime

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiativek.core.forms import FieldsetsMixin
from initiativek.core.models import Topic
from initiativek.organizations.models import Organization
from initiativek.projects import selectors as project_selectors

from . import selectors
from .constants import EventStatus, ProgramKind, ProgramRole
from .filters import EVENT_TIME_ZONE
from .models import ClosingStatement, Event, ProgramItem, Speaker

MARKDOWN_MAX = 20000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


TIME_ERRORS = {"invalid": _("Bitte geben Sie eine Uhrzeit im Format HH:MM an, z. B. 14:30.")}
DATE_ERRORS = {"invalid": _("Bitte geben Sie ein Datum im Format TT.MM.JJJJ an.")}


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")

    def format_value(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value, EVENT_TIME_ZONE)
        return super().format_value(value)


def _berlin(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time).replace(tzinfo=EVENT_TIME_ZONE)


class EventForm(FieldsetsMixin, forms.ModelForm):
    """Create (``hosts_for`` given: the organizations ``user`` may host for) or edit."""

    host = forms.ModelChoiceField(label=_("Gastgebende Organisation"), queryset=None)
    undated = forms.BooleanField(label=_("Termin noch nicht bekannt"), required=False)
    start_date = forms.DateField(
        label=_("Datum"), required=False, widget=DateInput, error_messages=DATE_ERRORS
    )
    start_time = forms.TimeField(
        label=_("Beginn (Uhrzeit)"), required=False, widget=TimeInput, error_messages=TIME_ERRORS
    )
    end_date = forms.DateField(
        label=_("Enddatum"),
        required=False,
        widget=DateInput,
        error_messages=DATE_ERRORS,
        help_text=_("Nur bei mehrtägigen Veranstaltungen."),
    )
    end_time = forms.TimeField(
        label=_("Ende (Uhrzeit)"), required=False, widget=TimeInput, error_messages=TIME_ERRORS
    )
    # The event's state when the form was opened: saving over a newer state is refused.
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Event
        fields = [
            "title",
            "summary",
            "description",
            "series",
            "format",
            "venue",
            "venue_address",
            "online_url",
            "capacity_onsite",
            "capacity_online",
            "seats_per_organization",
            "registration_opens_at",
            "registration_closes_at",
            "waitlist_mode",
            "offer_hold_hours",
            "reminder_hours_before",
            "ask_access_needs",
            "hosts",
            "partners",
            "topics",
            "status",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 10}),
            "venue_address": forms.Textarea(attrs={"rows": 3}),
            "format": forms.RadioSelect,
            "waitlist_mode": forms.RadioSelect,
            "status": forms.RadioSelect,
            "registration_opens_at": DateTimeLocalInput,
            "registration_closes_at": DateTimeLocalInput,
            "hosts": forms.CheckboxSelectMultiple,
            "partners": forms.CheckboxSelectMultiple,
            "topics": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "description": _("Markdown ist möglich."),
            "capacity_onsite": _("Leer: unbegrenzt. Nicht weniger als bereits vergebene Plätze."),
            "capacity_online": _("Leer: unbegrenzt. Nicht weniger als bereits vergebene Plätze."),
            "registration_closes_at": _("Leer: bis zum Ende der Veranstaltung."),
            "hosts": _("Mitgliedsorganisationen; mindestens eine."),
        }

    fieldsets = [
        (_("Worum geht es?"), ["host", "title", "summary", "description", "series", "topics"]),
        (
            _("Termin und Ort"),
            [
                "undated",
                "start_date",
                "start_time",
                "end_date",
                "end_time",
                "format",
                "venue",
                "venue_address",
                "online_url",
            ],
        ),
        (
            _("Anmeldung und Plätze"),
            [
                "capacity_onsite",
                "capacity_online",
                "seats_per_organization",
                "registration_opens_at",
                "registration_closes_at",
                "waitlist_mode",
                "offer_hold_hours",
                "reminder_hours_before",
                "ask_access_needs",
            ],
        ),
        (_("Beteiligte"), ["hosts", "partners"]),
        (_("Status"), ["status"]),
    ]

    def __init__(self, *args, hosts_for=None, **kwargs):
        super().__init__(*args, **kwargs)
        members = Organization.objects.filter(is_member=True).order_by("name")
        self.fields["topics"].queryset = Topic.objects.all()
        self.fields["partners"].queryset = Organization.objects.order_by("name")
        self.fields["partners"].required = False
        self.fields["description"].validators.append(MaxLengthValidator(MARKDOWN_MAX))
        if hosts_for is not None:  # creating: a draft for one of the user's organizations
            self.fields["host"].queryset = hosts_for
            if len(hosts_for) == 1:
                self.fields["host"].initial = hosts_for[0]
                self.fields["host"].widget = forms.HiddenInput()
            for name in ("hosts", "status", "version"):
                del self.fields[name]
            return
        del self.fields["host"]
        self.fields["hosts"].queryset = members
        if self.instance.status == EventStatus.CANCELLED:
            del self.fields["status"]
        else:
            self.fields["status"].choices = [
                (value, label)
                for value, label in EventStatus.choices
                if value != EventStatus.CANCELLED
            ]
        self.fields["version"].initial = self.instance.updated_at.isoformat()
        self._initial_times()

    def _initial_times(self) -> None:
        start, end = self.instance.starts_at, self.instance.ends_at
        if start is None:
            self.initial["undated"] = True
            return
        start = timezone.localtime(start, EVENT_TIME_ZONE)
        self.initial.update(start_date=start.date(), start_time=start.time())
        if end is not None:
            end = timezone.localtime(end, EVENT_TIME_ZONE)
            self.initial["end_time"] = end.time()
            if end.date() != start.date():
                self.initial["end_date"] = end.date()

    def clean(self):
        cleaned = super().clean()
        cleaned["starts_at"], cleaned["ends_at"] = self._clean_times(cleaned)
        opens, closes = cleaned.get("registration_opens_at"), cleaned.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error(
                "registration_closes_at",
                _("Das Ende der Anmeldung muss nach ihrem Beginn liegen."),
            )
        return cleaned

    def _clean_times(self, cleaned):
        if cleaned.get("undated"):
            return None, None
        day, start_time = cleaned.get("start_date"), cleaned.get("start_time")
        if not day:
            if "start_date" not in self.errors:
                self.add_error(
                    "start_date",
                    _("Bitte geben Sie ein Datum an oder wählen Sie „Termin noch nicht bekannt“."),
                )
            return None, None
        if not start_time:
            if "start_time" not in self.errors:
                self.add_error("start_time", _("Bitte geben Sie die Uhrzeit des Beginns an."))
            return None, None
        starts_at = _berlin(day, start_time)
        end_time = cleaned.get("end_time")
        if not end_time:
            return starts_at, None
        ends_at = _berlin(cleaned.get("end_date") or day, end_time)
        if ends_at <= starts_at:
            self.add_error("end_time", _("Das Ende muss nach dem Beginn liegen."))
        return starts_at, ends_at

    def _post_clean(self):
        # The model's own checks run in the service, on the locked row.
        pass

    def split(self) -> tuple[dict, dict]:
        """(model field values, related values) for the services."""
        relation_names = {"hosts", "partners", "topics"}
        skip = relation_names | {
            "host",
            "undated",
            "start_date",
            "start_time",
            "end_date",
            "end_time",
            "version",
        }
        data = {k: v for k, v in self.cleaned_data.items() if k not in skip}
        relations = {k: list(v) for k, v in self.cleaned_data.items() if k in relation_names}
        return data, relations


class SpeakerChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return ", ".join(part for part in (obj.name, obj.function, obj.organization_label) if part)


class ProgramItemForm(FieldsetsMixin, forms.ModelForm):
    """One program item with its times on the event's day and its people."""

    start_time = forms.TimeField(
        label=_("Beginn"), required=False, widget=TimeInput, error_messages=TIME_ERRORS
    )
    end_time = forms.TimeField(
        label=_("Ende"), required=False, widget=TimeInput, error_messages=TIME_ERRORS
    )
    speakers = SpeakerChoiceField(
        label=_("Vortragende"), queryset=Speaker.objects.none(), required=False
    )
    moderators = SpeakerChoiceField(
        label=_("Moderation"), queryset=Speaker.objects.none(), required=False
    )
    new_name = forms.CharField(label=_("Name"), max_length=150, required=False)
    new_function = forms.CharField(label=_("Funktion"), max_length=200, required=False)
    new_organization = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organization.objects.none(), required=False
    )
    new_organization_name = forms.CharField(
        label=_("Organisation (falls nicht im Verzeichnis)"), max_length=200, required=False
    )
    new_role = forms.ChoiceField(
        label=_("Rolle"), choices=ProgramRole.choices, initial=ProgramRole.SPEAKER
    )

    class Meta:
        model = ProgramItem
        fields = ["kind", "title", "description", "projects"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "projects": forms.CheckboxSelectMultiple,
        }
        labels = {"projects": _("Verknüpfte Projekte aus dem Katalog")}

    fieldsets = [
        (_("Programmpunkt"), ["kind", "title", "description", "start_time", "end_time"]),
        (_("Mitwirkende"), ["speakers", "moderators"]),
        (
            _("Neue Person hinzufügen"),
            ["new_name", "new_function", "new_organization", "new_organization_name", "new_role"],
        ),
        (_("Projekte"), ["projects"]),
    ]

    def __init__(self, *args, event: Event, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["kind"].choices = ProgramKind.choices
        speakers = selectors.speaker_list_for_host(user=user)
        self.fields["speakers"].queryset = speakers
        self.fields["moderators"].queryset = speakers
        self.fields["speakers"].widget.attrs["size"] = 8
        self.fields["moderators"].widget.attrs["size"] = 5
        self.fields["new_organization"].queryset = Organization.objects.order_by("name")
        self.fields["new_organization"].empty_label = _("– nicht im Verzeichnis –")
        self.fields["description"].validators.append(MaxLengthValidator(MARKDOWN_MAX))
        projects = project_selectors.project_list_for_catalog(user=user)
        if self.instance.pk:
            linked = self.instance.projects.values("pk")
            projects = projects | project_selectors.project_list_visible_to(user=user).filter(
                pk__in=linked
            )
            self._initial_people()
        self.fields["projects"].queryset = projects.distinct().order_by("title")
        if event.starts_at is None:
            help_text = _("Die Veranstaltung hat noch keinen Termin; Zeiten bleiben leer.")
            self.fields["start_time"].help_text = help_text

    def _initial_people(self) -> None:
        people = list(self.instance.people.all())
        for role, name in (
            (ProgramRole.SPEAKER, "speakers"),
            (ProgramRole.MODERATOR, "moderators"),
        ):
            self.initial[name] = [p.speaker_id for p in people if p.role == role]
        for name, value in (
            ("start_time", self.instance.starts_at),
            ("end_time", self.instance.ends_at),
        ):
            if value:
                self.initial[name] = timezone.localtime(value, EVENT_TIME_ZONE).time()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if (start or end) and self.event.starts_at is None:
            self.add_error(
                "start_time",
                _(
                    "Die Veranstaltung hat noch keinen Termin; Programmpunkte haben daher "
                    "keine Zeiten."
                ),
            )
        if cleaned.get("new_name", "").strip() == "" and (
            cleaned.get("new_function") or cleaned.get("new_organization_name")
        ):
            self.add_error("new_name", _("Bitte geben Sie den Namen der Person an."))
        return cleaned

    def _post_clean(self):
        pass  # the service checks the item on the locked event

    def _at(self, time: datetime.time | None) -> datetime.datetime | None:
        if time is None or self.event.starts_at is None:
            return None
        day = timezone.localtime(self.event.starts_at, EVENT_TIME_ZONE).date()
        return _berlin(day, time)

    def service_arguments(self) -> dict:
        cleaned = self.cleaned_data
        data = {
            "kind": cleaned["kind"],
            "title": cleaned["title"],
            "description": cleaned["description"],
            "starts_at": self._at(cleaned.get("start_time")),
            "ends_at": self._at(cleaned.get("end_time")),
        }
        people = [(s, ProgramRole.SPEAKER) for s in cleaned["speakers"]]
        people += [(s, ProgramRole.MODERATOR) for s in cleaned["moderators"]]
        new_speaker = None
        if cleaned.get("new_name", "").strip():
            new_speaker = {
                "name": cleaned["new_name"],
                "function": cleaned["new_function"],
                "organization": cleaned["new_organization"],
                "organization_name": cleaned["new_organization_name"],
                "role": cleaned["new_role"],
            }
        return {
            "data": data,
            "people": people,
            "projects": list(cleaned["projects"]),
            "new_speaker": new_speaker,
        }


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Bezeichnung"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Datei"),
        help_text=_("PDF, Bilder (PNG, JPEG, GIF, WebP) oder Office-Dokumente, höchstens 10 MB."),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund der Absage"),
        help_text=_("Steht in der E-Mail an alle Angemeldeten."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StatementForm(forms.ModelForm):
    class Meta:
        model = ClosingStatement
        fields = ["organization", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.order_by("name")

    def _post_clean(self):
        pass


class ReportForm(forms.Form):
    report = forms.CharField(
        label=_("Bericht"),
        help_text=_("Markdown ist möglich."),
        max_length=MARKDOWN_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    published = forms.BooleanField(
        label=_("Bericht auf der Veranstaltungsseite veröffentlichen"), required=False
    )


class SpeakerForm(forms.ModelForm):
    """Name, function and organization of a person on the program."""

    class Meta:
        model = Speaker
        fields = ["name", "function", "organization", "organization_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(is_member=True).order_by(
            "name"
        )
        self.fields["organization"].required = False
        self.fields["organization"].empty_label = _("– nicht im Verzeichnis –")
