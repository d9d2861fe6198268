"""Form rendering in the KERN UX design system."""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _


class KernFormRenderer(TemplatesSetting):
    """Render every Django form with KERN markup: label, hint, error, input (in that order)."""

    form_template_name = "forms/kern_form.html"
    field_template_name = "forms/kern_field.html"


class FieldsetsMixin:
    """Forms with ``fieldsets = [(legend, [field names])]`` rendered in sections."""

    fieldsets: list = []

    def grouped_fields(self):
        """(legend, bound fields) per fieldset, for the template; removed fields are skipped."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.fieldsets
        ]


class AccessibilityFeedbackForm(forms.Form):
    message = forms.CharField(
        label=_("Welche Barriere ist Ihnen aufgefallen?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    page_url = forms.CharField(
        label=_("Auf welcher Seite?"),
        max_length=500,
        required=False,
        help_text=_("Adresse oder Name der Seite"),
    )
    name = forms.CharField(label=_("Ihr Name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        required=False,
        help_text=_("Nur wenn Sie eine Antwort wünschen."),
    )
