"""Template helpers for KERN UX markup."""

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.simple_tag
def kern_widget(bound_field, css_class: str):
    """Render a form widget with the KERN class, error state and accessible descriptions."""
    attrs = {"class": css_class}
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}-error")
        attrs["class"] += f" {css_class}--error"
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    existing = bound_field.field.widget.attrs.get("class")
    if existing:
        attrs["class"] += f" {existing}"
    return bound_field.as_widget(attrs=attrs)


@register.filter(expects_localtime=True)
def german_date(value):
    """'11. Mai 2021' in German, 'May 11, 2021' in English (via the active locale)."""
    if not value:
        return ""
    return date_format(value, "DATE_FORMAT")


@register.filter(expects_localtime=True)
def german_datetime(value):
    """'11. Mai 2021, 12:00 Uhr' in German."""
    if not value:
        return ""
    return date_format(value, "DATETIME_FORMAT")


@register.filter
def month(value):
    """'Mai 2021'."""
    if not value:
        return ""
    return date_format(value, "YEAR_MONTH_FORMAT")


@register.filter
def dict_get(mapping, key):
    return mapping.get(key) if mapping else None
