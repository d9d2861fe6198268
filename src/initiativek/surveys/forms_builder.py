"""Forms of the team's questionnaire builder. They parse what was typed; the rules (dates,
kind-specific fields, the no-change-after-answers rule) are checked by ``services_builder``
on the locked questionnaire, and its ValidationErrors are shown on these forms."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from initiativek.core.forms import FieldsetsMixin
from initiativek.core.views_utils import add_validation_error
from initiativek.events.models import Event
from initiativek.organizations.constants import OrganizationKind

from . import engine
from .constants import QuestionKind
from .models import Question, Questionnaire, Section
from .services_builder import ChoiceSpec

DATE_ERRORS = {"invalid": _("Bitte geben Sie ein Datum im Format TT.MM.JJJJ an.")}
INTRODUCTION_MAX = 20000
NEW_CHOICES_MAX = 50


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def audience_kind_choices() -> list[tuple[str, Any]]:
    """The kinds of member organizations; partner companies never answer."""
    return [(v, label) for v, label in OrganizationKind.choices if v != OrganizationKind.PARTNER]


class EventChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Event) -> str:
        if obj.starts_at is None:
            return str(obj.title)
        day = timezone.localtime(obj.starts_at).date()
        return f"{obj.title} ({date_format(day, 'DATE_FORMAT')})"


def _event_field(**kwargs) -> EventChoiceField:
    """Events, undated and newest first – upcoming and past ones."""
    return EventChoiceField(
        label=_("Veranstaltung"),
        queryset=Event.objects.order_by(F("starts_at").desc(nulls_first=True), "title"),
        required=False,
        empty_label=_("– keine –"),
        **kwargs,
    )


class QuestionnaireForm(FieldsetsMixin, forms.ModelForm):
    audience_kinds = forms.MultipleChoiceField(
        label=_("Zielgruppe nach Art"),
        choices=audience_kind_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Keine Auswahl: alle Mitgliedsorganisationen."),
    )
    event = _event_field(help_text=_("Nur für Feedback-Fragebögen zu einer Veranstaltung."))

    class Meta:
        model = Questionnaire
        fields = ["title", "introduction", "opens_on", "closes_on", "audience_kinds", "event"]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 8}),
            "opens_on": DateInput,
            "closes_on": DateInput,
        }
        error_messages = {"opens_on": DATE_ERRORS, "closes_on": DATE_ERRORS}
        help_texts = {
            "closes_on": _("Bis zum Ende dieses Tages kann geantwortet werden."),
        }

    fieldsets = [
        (_("Worum geht es?"), ["title", "introduction"]),
        (_("Zeitraum"), ["opens_on", "closes_on"]),
        (_("Wer antwortet?"), ["audience_kinds"]),
        (_("Veranstaltung"), ["event"]),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["introduction"].max_length = INTRODUCTION_MAX
        self.fields["introduction"].widget.attrs["maxlength"] = INTRODUCTION_MAX

    def clean(self):
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("Das Ende darf nicht vor dem Beginn liegen."))
        return cleaned

    def _post_clean(self):
        # The model's own checks run in the service, on the locked row.
        pass

    def data_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CopyForm(forms.Form):
    title = forms.CharField(
        label=_("Titel der Kopie"),
        max_length=200,
        required=False,
        help_text=_("Leer: „Kopie von …“. Sie können den Titel später ändern."),
    )
    event = _event_field(help_text=_("Für Feedback-Fragebögen: die Veranstaltung, um die es geht."))


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"description": _("Erscheint unter der Überschrift.")}

    def _post_clean(self):
        pass

    def data_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ChoiceRowForm(forms.Form):
    """An existing choice: rename it, or remove it (empty text or the checkbox)."""

    hide_optional = True

    id = forms.IntegerField(widget=forms.HiddenInput)
    label = forms.CharField(label=_("Text"), max_length=200, required=False)
    remove = forms.BooleanField(label=_("entfernen"), required=False)


ChoiceRowFormSet = forms.formset_factory(
    ChoiceRowForm, extra=0, max_num=200, validate_max=True, absolute_max=200
)

QUESTION_FIELDS = [
    "section",
    "text",
    "help_text",
    "kind",
    "required",
    "key",
    "allow_other",
    "scale_min_label",
    "scale_max_label",
    "unit",
    "min_value",
    "max_value",
]


class QuestionForm(FieldsetsMixin, forms.ModelForm):
    """A question with its choices: existing choices as rows (``self.choice_rows``), new ones
    one per line. Fields of other kinds are grouped under headings saying when they apply."""

    new_choices = forms.CharField(
        label=_("Neue Antwortmöglichkeiten"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Eine pro Zeile; sie werden hinten angefügt."),
    )

    min_value = forms.CharField(
        label=_("Kleinster Wert"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Leer: keine Grenze. Zum Beispiel 0 oder 12,5."),
    )
    max_value = forms.CharField(
        label=_("Größter Wert"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Leer: keine Grenze. Zum Beispiel 1.000 oder 99,5."),
    )

    class Meta:
        model = Question
        fields = QUESTION_FIELDS
        widgets = {
            "kind": forms.RadioSelect,
            "help_text": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "help_text": _("Erscheint unter der Frage, z. B. wie gezählt wird."),
            "scale_min_label": _("Bei Skalen nötig, z. B. „gar nicht“."),
            "scale_max_label": _("Bei Skalen nötig, z. B. „sehr stark“."),
            "unit": _("Zum Beispiel „Geräte“ oder „Beschäftigte“."),
        }

    # Which fields apply depends on the kind; the headings say so instead of "optional".
    hide_optional = True
    fieldsets = [
        (_("Frage"), ["section", "text", "help_text", "kind", "required", "key"]),
        (_("Nur bei Einfach- und Mehrfachauswahl"), ["new_choices", "allow_other"]),
        (_("Nur bei „Skala 1–5“"), ["scale_min_label", "scale_max_label"]),
        (_("Nur bei „Zahl“"), ["unit", "min_value", "max_value"]),
    ]

    def __init__(self, *args, questionnaire: Questionnaire, has_answers: bool = False, **kw):
        super().__init__(*args, **kw)
        self.has_answers = has_answers and self.instance.pk is not None
        section = self.fields["section"]
        section.queryset = questionnaire.sections.order_by("position", "id")
        section.empty_label = None
        self.fields["kind"].choices = QuestionKind.choices
        self.fields["key"].required = False
        self.fields["key"].help_text = _(
            "Kurze, feste Kennung für Exporte, z. B. „anteil-mobil-vorher“. Leer lassen: wird "
            "aus der Frage gebildet."
        )
        for name in ("min_value", "max_value"):
            value = self.initial.get(name)
            if isinstance(value, Decimal):  # shown as typed in German: "12,5"
                self.initial[name] = number_format(value.normalize(), use_l10n=True)
        if self.has_answers:  # the template names the kind; the key shows as read-only
            self.fields["kind"].disabled = True
            self.fields["kind"].widget = forms.HiddenInput()
            self.fields["key"].disabled = True
            self.fields["key"].help_text = _("Bleibt fest, weil bereits Antworten vorliegen.")
        self.choice_rows = self._choice_rows()

    def _choice_rows(self):
        initial = [
            {"id": choice.pk, "label": choice.label}
            for choice in (self.instance.choices.all() if self.instance.pk else [])
        ]
        rows = ChoiceRowFormSet(
            self.data if self.is_bound else None, initial=initial, prefix=f"{self.prefix or 'q'}-c"
        )
        for number, row in enumerate(rows.forms, start=1):
            row.fields["label"].label = gettext("Antwortmöglichkeit %(number)s") % {
                "number": number
            }
            row.fields["remove"].label = gettext("Antwortmöglichkeit %(number)s entfernen") % {
                "number": number
            }
            if self.has_answers:  # removing would be refused; renaming stays possible
                del row.fields["remove"]
        return rows

    def is_valid(self) -> bool:
        return all([super().is_valid(), self.choice_rows.is_valid()])

    def _post_clean(self):
        pass

    def _clean_number(self, name: str) -> Decimal | None:
        """Numbers as people type them ("1.000,5"), like the answers (``engine.number_parse``)."""
        raw = self.cleaned_data[name].strip()
        if not raw:
            return None
        number = engine.number_parse(raw)
        if number.as_tuple().exponent < -2:  # type: ignore[operator]
            raise ValidationError(_("Bitte geben Sie höchstens zwei Nachkommastellen an."))
        return number

    def clean_min_value(self) -> Decimal | None:
        return self._clean_number("min_value")

    def clean_max_value(self) -> Decimal | None:
        return self._clean_number("max_value")

    def clean_new_choices(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["new_choices"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > NEW_CHOICES_MAX:
            raise ValidationError(_("Bitte höchstens 50 Antwortmöglichkeiten auf einmal."))
        if any(len(line) > 200 for line in lines):
            raise ValidationError(_("Eine Antwortmöglichkeit hat höchstens 200 Zeichen."))
        return lines

    def data_for_service(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in QUESTION_FIELDS
            if not self.fields[name].disabled
        }

    def choice_specs(self) -> list[ChoiceSpec]:
        """Existing choices still wanted (in their order), then the new lines."""
        specs = []
        for row in self.choice_rows.forms:
            data = row.cleaned_data
            if data.get("remove") or not data.get("label", "").strip():
                continue
            specs.append(ChoiceSpec(label=data["label"].strip(), pk=data["id"]))
        specs += [ChoiceSpec(label=line) for line in self.cleaned_data["new_choices"]]
        return specs

    def add_service_error(self, exc: ValidationError) -> None:
        """A service error about the choices belongs next to the choice fields."""
        if hasattr(exc, "error_dict") and "choices" in exc.error_dict:
            renamed = dict(exc.error_dict)
            renamed["new_choices"] = renamed.pop("choices")
            exc = ValidationError(renamed)
        add_validation_error(self, exc)


class RetireForm(forms.Form):
    retired = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1"
    )


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])
