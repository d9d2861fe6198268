"""``{% load markdown %}``: Markdown written by members, rendered safely in templates."""

from django import template
from django.utils.safestring import SafeString

from initiativek.core.markdown import render_markdown, render_plain

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value: str | None) -> SafeString:
    """``{{ project.description|markdown }}``: sanitized HTML (see ``core.markdown``)."""
    return render_markdown(value)


@register.filter(name="markdown_plain")
def markdown_plain_filter(value: str | None, max_length: int | None = None) -> str:
    """``{{ project.description|markdown_plain:160 }}``: the words only, for meta tags."""
    return render_plain(value, int(max_length) if max_length is not None else None)
