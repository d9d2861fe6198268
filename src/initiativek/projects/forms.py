import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from initiativek.core.constants import Goal
from initiativek.core.forms import FieldsetsMixin
from initiativek.core.models import Topic
from initiativek.organizations.models import ContactPerson, Organization

from .constants import InterestKind, OzgField, Publication
from .models import Project, ProjectLink
from .selectors import tag_suggestions


class MonthInput(forms.DateInput):
    input_type = "month"

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return value.strftime("%Y-%m")
        return value


class MonthField(forms.DateField):
    """A month as YYYY-MM (the browser's month picker), stored as its first day."""

    widget = MonthInput
    default_error_messages = {"invalid": _("Bitte geben Sie einen Monat im Format JJJJ-MM an.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        try:
            year, month = (int(part) for part in str(value).strip().split("-")[:2])
            return datetime.date(year, month, 1)
        except (TypeError, ValueError) as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


class TagListField(forms.CharField):
    """Comma-separated free tags; the widget suggests existing ones."""

    def to_python(self, value):
        value = super().to_python(value)
        names = [" ".join(name.split()) for name in value.split(",")]
        return [name[:100] for name in names if name][:30]


class ProjectForm(FieldsetsMixin, forms.ModelForm):
    start_month = MonthField(label=_("Beginn (Monat)"), required=False)
    end_month = MonthField(label=_("Ende (Monat)"), required=False)
    goals = forms.TypedMultipleChoiceField(
        label=_("Ziele der Initiative, denen das Projekt dient"),
        choices=Goal.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ozg_fields = forms.MultipleChoiceField(
        label=_("OZG-Themenfelder"),
        choices=OzgField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    technologies = TagListField(
        label=_("Technologien und Produkte"),
        required=False,
        help_text=_("Durch Kommas getrennt, z. B. „LoRaWAN, Open Data“"),
    )
    vendors = TagListField(
        label=_("Anbieter"), required=False, help_text=_("Durch Kommas getrennt")
    )
    # The project's state when the form was opened: saving over a newer state is refused.
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Project
        fields = [
            "title",
            "summary",
            "description",
            "status",
            "start_month",
            "end_month",
            "topics",
            "goals",
            "ozg_fields",
            "technologies",
            "vendors",
            "partners",
            "budget_range",
            "funding",
            "effort",
            "lessons_learned",
            "reuse_offered",
            "reuse_conditions",
            "reuse_license",
            "reuse_repository",
            "contact",
            "visibility",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 10}),
            "lessons_learned": forms.Textarea(attrs={"rows": 5}),
            "reuse_conditions": forms.Textarea(attrs={"rows": 3}),
            "topics": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "summary": _("Zwei, drei Sätze für die Trefferliste (höchstens 600 Zeichen)."),
            "partners": _("Mitgliedsorganisationen, die am Projekt beteiligt sind."),
            "lessons_learned": _("Was würden Sie anderen raten? Was lief anders als geplant?"),
        }

    fieldsets = [
        (
            _("Worum geht es?"),
            ["title", "summary", "description", "status", "start_month", "end_month"],
        ),
        (_("Einordnung"), ["topics", "goals", "ozg_fields"]),
        (_("Technik und Beteiligte"), ["technologies", "vendors", "partners", "contact"]),
        (_("Aufwand und Erfahrungen"), ["budget_range", "funding", "effort", "lessons_learned"]),
        (
            _("Nachnutzung"),
            ["reuse_offered", "reuse_conditions", "reuse_license", "reuse_repository"],
        ),
        (_("Sichtbarkeit"), ["visibility"]),
    ]

    def __init__(self, *args, owner: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Topic.objects.all()
        for name in ("description", "lessons_learned", "reuse_conditions"):
            # Bounded so rendering Markdown stays cheap.
            self.fields[name].max_length = 20000
            self.fields[name].validators.append(MaxLengthValidator(20000))
        self.fields["partners"].queryset = Organization.objects.filter(is_member=True).exclude(
            pk=owner.pk
        )
        self.fields["partners"].required = False
        self.fields["partners"].widget = forms.CheckboxSelectMultiple(
            choices=self.fields["partners"].choices
        )
        self.fields["contact"].queryset = ContactPerson.objects.filter(organization=owner)
        self.fields["contact"].empty_label = _("– keine –")
        if self.instance.pk:
            self.initial["goals"] = list(self.instance.goal_links.values_list("goal", flat=True))
            for field in ("technologies", "vendors"):
                # ModelForm would put Tag objects here; the field edits comma-separated names.
                names = getattr(self.instance, field).values_list("name", flat=True)
                self.initial[field] = ", ".join(names)
            self.fields["version"].initial = self.instance.updated_at.isoformat()
        self.fields["technologies"].widget.attrs["list"] = "technologie-vorschlaege"
        self.fields["vendors"].widget.attrs["list"] = "anbieter-vorschlaege"
        self.tag_suggestions = tag_suggestions()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_month"), cleaned.get("end_month")
        if start and end and end < start:
            self.add_error("end_month", _("Das Ende darf nicht vor dem Beginn liegen."))
        return cleaned

    def split(self) -> tuple[dict, dict]:
        """(model field values, related values) for the project services."""
        relations_keys = {"topics", "partners", "goals", "technologies", "vendors"}
        data = {k: v for k, v in self.cleaned_data.items() if k not in relations_keys | {"version"}}
        relations = {k: v for k, v in self.cleaned_data.items() if k in relations_keys}
        return data, relations


LinkFormSet = forms.inlineformset_factory(
    Project,
    ProjectLink,
    fields=["title", "url"],
    extra=2,
    can_delete=True,
    max_num=20,
    validate_max=True,
)


class OwnerChoiceForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Für welche Organisation?"), queryset=None)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = organizations


class PublicationForm(forms.Form):
    publication = forms.ChoiceField(choices=Publication.choices)


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Bezeichnung"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Datei"),
        help_text=_("PDF, Bilder (PNG, JPEG, GIF, WebP) oder Office-Dokumente, höchstens 10 MB."),
    )


class InterestForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Im Namen von"), queryset=None)
    kind = forms.ChoiceField(
        label=_("Ihr Anliegen"), choices=InterestKind.choices, widget=forms.RadioSelect
    )
    message = forms.CharField(
        label=_("Nachricht an die Organisation"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(
            pk__in=[organization.pk for organization in organizations]
        )
        if len(organizations) == 1:
            self.fields["organization"].initial = organizations[0]


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Antwort"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
