from django import forms
from django.utils.translation import gettext_lazy as _

from .audit_labels import ACTION_LABELS, AREA_LABELS
from .selectors_audit import AuditFilters


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


DATE_ERRORS = {"invalid": _("Bitte geben Sie ein Datum im Format TT.MM.JJJJ an.")}


# The platform's audit trail starts in this century; beyond these years the date
# arithmetic of the filters would overflow.
YEAR_MIN, YEAR_MAX = 2000, 2100


class AuditFilterForm(forms.Form):
    """Filters of the team's audit log page; invalid values are reported and ignored."""

    bereich = forms.ChoiceField(label=_("Bereich"), required=False)
    aktion = forms.ChoiceField(label=_("Aktion"), required=False)
    objekt = forms.TypedChoiceField(label=_("Art des Objekts"), required=False, coerce=int)
    person = forms.CharField(
        label=_("Ausgeführt von"),
        max_length=100,
        required=False,
        help_text=_("Teil des Namens oder der E-Mail-Adresse"),
    )
    von = forms.DateField(
        label=_("von"), required=False, widget=DateInput, error_messages=DATE_ERRORS
    )
    bis = forms.DateField(
        label=_("bis"), required=False, widget=DateInput, error_messages=DATE_ERRORS
    )

    def __init__(self, *args, object_types: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("alle"))]
        self.fields["bereich"].choices = everything + [
            (area, label) for area, label in AREA_LABELS.items()
        ]
        self.fields["aktion"].choices = everything + sorted(
            ((code, label) for code, label in ACTION_LABELS.items()),
            key=lambda choice: str(choice[1]).lower(),
        )
        self.fields["objekt"].choices = everything + object_types

    def _clean_year(self, name: str):
        value = self.cleaned_data.get(name)
        if value is not None and not YEAR_MIN <= value.year <= YEAR_MAX:
            raise forms.ValidationError(
                _("Bitte geben Sie ein Datum zwischen %(first)s und %(last)s an.")
                % {"first": YEAR_MIN, "last": YEAR_MAX}
            )
        return value

    def clean_von(self):
        return self._clean_year("von")

    def clean_bis(self):
        return self._clean_year("bis")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("von"), cleaned.get("bis")
        if start and end and end < start:
            self.add_error("bis", _("Das Ende darf nicht vor dem Anfang liegen."))
        return cleaned

    def filters(self) -> AuditFilters:
        """The filters from the valid fields (call after ``is_valid()``)."""
        data = getattr(self, "cleaned_data", {})
        return AuditFilters(
            area=data.get("bereich") or "",
            action=data.get("aktion") or "",
            object_type=data.get("objekt") or None,
            actor=(data.get("person") or "").strip(),
            date_from=data.get("von"),
            date_to=data.get("bis"),
        )
