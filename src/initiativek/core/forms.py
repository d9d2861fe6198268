"""Form rendering in the KERN UX design system."""

from django.forms.renderers import TemplatesSetting


class KernFormRenderer(TemplatesSetting):
    """Render every Django form with KERN markup: label, hint, error, input (in that order)."""

    form_template_name = "forms/kern_form.html"
    field_template_name = "forms/kern_field.html"
